#!/usr/bin/env python
"""Name matching of national-list items to a provincial catalogue (issue 7 item 1): quality and speed.

Run from the repository root (no database needed)::

    .venv/bin/python bench/rollout_matching.py

Ground truth from the shared data: the national procedure lists of the ministries
(``dvcqg-ministries/dvcqg_tthc_lists_combined.csv``, 2,642 rows, national code + name) against
the Lâm Đồng list (``lamdong-dvc/lamdong_tthc_list_2025-03-27.csv``, 1,294 distinct base codes).
Each national row is matched **by its name only** (its code hidden, as in the 2017–2018 lists),
with ``services.rollout.matching.Matcher`` and its thresholds. A row whose code is in the Lâm Đồng
list has a right answer (the procedure with that code); a row whose code is not should match
nothing (an automatic match there is counted as wrong, although a few may be the same procedure
under another code). Prints counts per outcome and the time per item.
"""

import csv
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.rollout.matching import Matcher, base_code  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    catalogue, seen = [], set()
    with open(DATA / "lamdong-dvc" / "lamdong_tthc_list_2025-03-27.csv", encoding="utf-8-sig") as f:
        for n, row in enumerate(csv.DictReader(f)):
            code = base_code(row["code"])
            if code and code not in seen:
                seen.add(code)
                catalogue.append(SimpleNamespace(pk=n + 1, code=code, title=row["name"][:255], full_name=row["name"]))
    with open(DATA / "dvcqg-ministries" / "dvcqg_tthc_lists_combined.csv", encoding="utf-8-sig") as f:
        items = [(row["ma_so"], row["ten"]) for row in csv.DictReader(f)]
    started = time.perf_counter()
    matcher = Matcher(procedures=catalogue)
    built = time.perf_counter() - started
    by_pk = {p.pk: p.code for p in catalogue}
    counts = {
        key: 0 for key in ("auto_right", "auto_wrong", "suggest_right", "suggest_wrong", "none_missed", "none_right")
    }
    started = time.perf_counter()
    for code, name in items:
        result = matcher.match(service_name=name)
        expected = code if code in seen else None
        got = by_pk.get(result.procedure_id)
        if result.procedure_id is None:
            counts["none_missed" if expected else "none_right"] += 1
        elif result.automatic:
            counts["auto_right" if got == expected else "auto_wrong"] += 1
        else:
            counts["suggest_right" if got == expected else "suggest_wrong"] += 1
    elapsed = time.perf_counter() - started
    in_catalogue = sum(1 for code, _ in items if code in seen)
    print(f"catalogue: {len(catalogue)} procedures (matcher built in {built * 1000:.0f} ms)")
    print(f"items: {len(items)}, of which {in_catalogue} have their procedure in the catalogue")
    for key, value in counts.items():
        print(f"  {key:14s} {value}")
    auto = counts["auto_right"] + counts["auto_wrong"]
    if auto:
        print(f"automatic precision: {counts['auto_right'] / auto:.1%}")
    print(f"recall of automatic matches: {counts['auto_right'] / in_catalogue:.1%}")
    print(f"time: {elapsed:.2f} s for {len(items)} items, {elapsed / len(items) * 1000:.1f} ms per item")


if __name__ == "__main__":
    main()
