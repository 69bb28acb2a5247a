#!/usr/bin/env python
"""Relevance of citizen search (issue 3) on the real Lâm Đồng catalogue: MRR@10 and success@3.

Run from the repository root, with an Elasticsearch-protocol server listening (see
docs/benchmarks.md, "Citizen search (issue 3)")::

    .venv/bin/python bench/search_relevance.py                 # fresh DB, import, index, evaluate
    .venv/bin/python bench/search_relevance.py --reuse         # keep the DB and indexes of a previous run
    .venv/bin/python bench/search_relevance.py --reuse --markdown

Three rankings of the same pages are compared, query by query (bench/search_queries.json):

- ``elasticsearch``: the citizen search query (``search.queries.es_query``) against the index
  ``<prefix>-procedures`` built by ``manage.py search_index rebuild``, first page of 10 — the
  ranking ``ElasticsearchBackend.search`` serves (sent without the facet aggregations and
  highlighting, which do not change the order, and with a long client timeout: the
  application's query timeout (``SEARCH_QUERY_TIMEOUT``, 3 s) would fall back to the database
  on a slow server, and this script measures ranking, not speed);
- ``database``: the database fallback, ``DatabaseBackend().search`` (first page of 10);
- ``wagtail``: Wagtail's built-in search, ``ProcedurePage.objects.live().search(q)[:10]`` with
  the default database backend (SQLite FTS5 here), indexed as ``services.signal_handlers`` does
  (``backend.add_bulk`` in batches of 500).

For each query, the rank is the position (1-10) of the first expected code in the first ten
results; RR = 1/rank (0 when none of the expected codes is in the first ten). MRR@10 is the mean
RR; success@3 the share of queries with rank <= 3. Expected codes are checked against the CSV
files first (every one must be a code of the catalogue).

Settings: ``cms.settings.dev`` with ``DATABASE_URL=sqlite:////tmp/search_bench.sqlite3``,
``SEARCH_INDEX_PREFIX=bench`` and ``ELASTICSEARCH_URL=http://127.0.0.1:9203`` unless given on
the command line or already in the environment. The data is read from
``/work/shared/data/lamdong-dvc`` (``settings.SHARED_DATA_DIR`` when set) and never copied.
"""

import argparse
import csv
import json
import os
import sys
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "bench" / "search_queries.json"
DETAIL = "lamdong_tthc_detail_2025-03-19.csv"
LIST = "lamdong_tthc_list_2025-03-27.csv"
DEFAULT_DATA = Path("/work/shared/data/lamdong-dvc")
BACKENDS = ("elasticsearch", "database", "wagtail")
TARGETS = {"elasticsearch": 0.85, "database": 0.75}


def setup(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["SEARCH_INDEX_PREFIX"] = args.prefix
    os.environ["ELASTICSEARCH_URL"] = args.es_url
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log while thousands of queries run


def data_dir() -> Path:
    from django.conf import settings

    shared = getattr(settings, "SHARED_DATA_DIR", None)
    if shared and (Path(shared) / "lamdong-dvc" / DETAIL).exists():
        return Path(shared) / "lamdong-dvc"
    return DEFAULT_DATA


def catalogue_codes(folder: Path) -> dict:
    """National base code -> name, from the detail and list CSV files (read, never copied)."""
    from services.catalogue.records import base_code

    names = {}
    for file, code_key, name_key in ((DETAIL, "Mã chuẩn", "Tên thủ tục"), (LIST, "code", "name")):
        with open(folder / file, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                names.setdefault(base_code(row[code_key]), row[name_key])
    return names


def load_queries(path: Path, known: dict) -> list[dict]:
    queries = json.loads(path.read_text(encoding="utf-8"))["queries"]
    unknown = [(q["q"], c) for q in queries for c in q["expected"] if c not in known]
    if unknown:
        raise SystemExit(f"Expected codes not in the catalogue CSV files: {unknown}")
    for q in queries:
        q["sent"] = unicodedata.normalize("NFD", q["q"]) if q.get("nfd") else q["q"]
    return queries


def prepare_database(args, folder: Path) -> None:
    """Fresh DB: migrate, import detail then list (imports index both backends), rebuild."""
    from django.core.management import call_command

    if not args.reuse:
        path = args.database_url.removeprefix("sqlite:///")
        if args.database_url.startswith("sqlite:///") and os.path.exists(path):
            os.remove(path)
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        # The imports index what they write (database entries, and Elasticsearch through the
        # application's client); the rebuild below makes both indexes complete either way.
        for file in (DETAIL, LIST):
            call_command("import_catalogue", str(folder / file), source="lamdong", stdout=sys.stderr)
        print(f"# migrate + import: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    else:
        # A reused database gets new synonym migrations the way a deployed one does.
        call_command("migrate", verbosity=0, interactive=False)
    if not args.reuse or args.reindex:
        t0 = time.perf_counter()
        rebuild_indexes()
        if not args.no_wagtail:
            index_wagtail()
        print(f"# search indexes rebuilt (+ Wagtail index): {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def rebuild_indexes() -> None:
    """``manage.py search_index rebuild``, as shipped: the database entries, then a new
    Elasticsearch index (bulk requests wait up to ``BULK_TIMEOUT``, 60 s each) and the alias swap."""
    from django.core.management import call_command

    call_command("search_index", "rebuild", stdout=sys.stderr)


def index_wagtail() -> None:
    """Wagtail's own index of the procedure pages, as ``services.signal_handlers`` fills it."""
    from wagtail.search.backends import get_search_backend

    from services.models import ProcedurePage

    backend = get_search_backend()
    ids = list(ProcedurePage.objects.live().values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        backend.add_bulk(ProcedurePage, list(ProcedurePage.objects.filter(pk__in=ids[start : start + 500])))


def rank_functions(args):
    """``name -> callable(query) -> list of codes`` (first ten results)."""
    from elasticsearch import Elasticsearch
    from elasticsearch_dsl import Search

    from search.backends.database import DatabaseBackend, reset_vocabulary
    from search.documents import alias_name
    from search.queries import SearchParams, es_query, normalize_query, parse
    from services.models import ProcedurePage

    client = Elasticsearch(args.es_url, request_timeout=120)
    database = DatabaseBackend()
    reset_vocabulary()

    def elasticsearch(q):
        parsed = parse(normalize_query(q))
        response = Search(using=client, index=alias_name()).query(es_query(parsed)).source(["code"])[:10].execute()
        return [hit.code for hit in response]

    def db(q):
        return [r["code"] for r in database.search(SearchParams(q=normalize_query(q), per_page=10)).results]

    def wagtail(q):
        return [p.code for p in ProcedurePage.objects.live().search(q)[:10]]

    return {"elasticsearch": elasticsearch, "database": db, "wagtail": wagtail}


def rank_of(codes: list[str], expected: list[str]) -> int | None:
    for position, code in enumerate(codes[:10], start=1):
        if code in expected:
            return position
    return None


def summarise(rows: list[dict]) -> dict:
    n = len(rows)
    return {
        "n": n,
        "mrr": sum(1 / r["rank"] if r["rank"] else 0 for r in rows) / n if n else 0.0,
        "s3": sum(1 for r in rows if r["rank"] and r["rank"] <= 3) / n if n else 0.0,
        "s1": sum(1 for r in rows if r["rank"] == 1) / n if n else 0.0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep the database and indexes of a previous run")
    parser.add_argument("--reindex", action="store_true", help="with --reuse: rebuild both search indexes anyway")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/search_bench.sqlite3")
    )
    parser.add_argument("--prefix", default=os.environ.get("BENCH_SEARCH_INDEX_PREFIX", "bench"))
    parser.add_argument("--es-url", default=os.environ.get("BENCH_ELASTICSEARCH_URL", "http://127.0.0.1:9203"))
    parser.add_argument(
        "--backends", default=",".join(BACKENDS), help="comma-separated subset of " + ", ".join(BACKENDS)
    )
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--markdown", action="store_true", help="print markdown tables (for docs/benchmarks.md)")
    parser.add_argument("--json", type=Path, help="also write every query's ranks to this file")
    parser.add_argument("--prepare-only", action="store_true", help="build the database and indexes, evaluate nothing")
    parser.add_argument("--no-wagtail", action="store_true", help="do not (re)build Wagtail's own index")
    args = parser.parse_args()
    setup(args)

    folder = data_dir()
    known = catalogue_codes(folder)
    queries = load_queries(args.queries, known)
    prepare_database(args, folder)
    if args.prepare_only:
        return 0
    from services.models import ProcedurePage

    pages = ProcedurePage.objects.live().count()
    backends = [b for b in args.backends.split(",") if b]
    rankers = rank_functions(args)

    results = {b: [] for b in backends}
    timing = {}
    for backend in backends:
        t0 = time.perf_counter()
        for q in queries:
            codes = rankers[backend](q["sent"])
            results[backend].append({**q, "codes": codes, "rank": rank_of(codes, q["expected"])})
        timing[backend] = time.perf_counter() - t0
        print(f"# {backend}: {len(queries)} queries in {timing[backend]:.1f} s", file=sys.stderr)

    categories = list(dict.fromkeys(q["category"] for q in queries))
    report(args, results, backends, categories, pages, len(queries), known)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    failed_required = [
        (b, r["q"]) for b in backends if b in TARGETS for r in results[b] if r.get("required") and r["rank"] != 1
    ]
    return 1 if failed_required else 0


def report(args, results, backends, categories, pages, n_queries, known):
    md = args.markdown
    overall = {b: summarise(results[b]) for b in backends}
    by_cat = {b: {c: summarise([r for r in results[b] if r["category"] == c]) for c in categories} for b in backends}
    print(f"\n{n_queries} queries, {pages} live procedure pages\n")
    header = ["backend", "MRR@10", "success@3", "success@1", "target MRR@10"]
    lines = []
    for b in backends:
        o = overall[b]
        target = TARGETS.get(b)
        verdict = f">= {target:.2f} {'met' if o['mrr'] >= target else 'MISSED'}" if target else "(baseline)"
        lines.append([b, f"{o['mrr']:.3f}", f"{o['s3']:.3f}", f"{o['s1']:.3f}", verdict])
    table(header, lines, md)

    print("\nPer category (MRR@10 / success@3):\n")
    header = ["category", "n"] + backends
    lines = []
    for c in categories:
        n = by_cat[backends[0]][c]["n"]
        lines.append([c, str(n)] + [f"{by_cat[b][c]['mrr']:.3f} / {by_cat[b][c]['s3']:.2f}" for b in backends])
    table(header, lines, md)

    print("\nRequired queries (must rank first on Elasticsearch and the database):\n")
    header = ["query", "expected"] + [f"rank {b}" for b in backends]
    lines = []
    for i, q in enumerate(results[backends[0]]):
        if q.get("required"):
            lines.append([q["q"], ", ".join(q["expected"])] + [str(results[b][i]["rank"] or "-") for b in backends])
    table(header, lines, md)

    for b in backends:
        misses = [r for r in results[b] if not r["rank"] or r["rank"] > 3]
        later = [r for r in results[b] if r["rank"] in (2, 3)]
        print(f"\n{b}: {len(misses)} misses (expected code not in the first 3)" + (":" if misses else ""))
        for r in misses:
            top = ", ".join(f"{c} {known.get(c, '')[:40]}" for c in r["codes"][:2]) or "no result"
            print(
                f"  - [{r['category']}] {r['q']!r}{' (NFD)' if r.get('nfd') else ''}: rank {r['rank'] or '>10'}; "
                f"expected {', '.join(r['expected'][:3])}; got {top}"
            )
        if later:
            print("  ranked 2nd or 3rd: " + "; ".join(f"{r['q']!r} ({r['rank']})" for r in later))


def table(header, lines, markdown):
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for line in lines:
            print("| " + " | ".join(x.replace("|", "\\|") for x in line) + " |")
        return
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)))
    for line in lines:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=False)))


if __name__ == "__main__":
    sys.exit(main())
