#!/usr/bin/env python
"""Benchmark of the catalogue import (issue 2) against two baselines, on SQLite and PostgreSQL.

Run from the repository root::

    .venv/bin/python bench/import_catalogue.py             # plain table
    .venv/bin/python bench/import_catalogue.py --markdown  # markdown (for docs/benchmarks.md)

Every scenario runs in its own fresh Python process (this file, with ``--worker``), so the peak
RSS it reports belongs to that scenario alone. Inside the worker, wall time is measured with
``time.perf_counter`` around the import call only (not Django start-up, not ``migrate``), peak
memory with ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` after the import, and the RSS just
before the import (``/proc/self/status``) so the increment can be reported.

A "fresh database" is a copy of a database that was just migrated: for SQLite a copy of a
migrated temporary file, for PostgreSQL ``createdb -T`` of a migrated template database
(``bench_import_<pid>_tpl`` on 127.0.0.1:5432, user ``postgres``, trust auth). Everything is
dropped or deleted at the end. PostgreSQL is skipped, with a note, when it is unreachable.

Scenarios (per backend):

1. ``full``       structured import of the Lâm Đồng detail CSV (fresh DB);
2. ``reimport``   the same file again (DB of 1): every row must be reported unchanged;
3. ``national``   the national-portal JSONL.gz into the national catalogue (fresh DB);
4. ``flat``       baseline A: plain django-import-export ``ModelResource`` into a flat model;
5. ``naive``      baseline B: title-only ``ProcedurePage`` pages created one by one with
                  ``add_child`` in autocommit;
6. ``flat-re``    baseline A again on the DB of 4 (unchanged file);
7. ``national×4`` the national file with every row repeated 4× under fake unique codes
                  ``8.dddddd`` (fresh DB), to compare peak RSS with 3 (bounded streaming).

The data is read from ``settings.SHARED_DATA_DIR`` at run time and never copied into the repo.
"""

import argparse
import csv
import gzip
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETTINGS = "bench.settings"
RESULT_MARK = "BENCH-RESULT "
LAMDONG = ("lamdong-dvc", "lamdong_tthc_detail_2025-03-19.csv")
NATIONAL = ("dvcqg-ministries", "dvcqg_tthc_2642.jsonl.gz")
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"
SCALE = 4


# ---------------------------------------------------------------------------------------------
# Worker side: one scenario in this process.
# ---------------------------------------------------------------------------------------------


def _rss_now_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _setup_django():
    sys.path.insert(0, str(REPO))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()


def _measure(func):
    """Run ``func`` and return (its result, timings and memory figures)."""
    import gc

    gc.collect()
    rss_before, peak_before = _rss_now_kib(), _peak_kib()
    start = time.perf_counter()
    result = func()
    wall = time.perf_counter() - start
    return result, {
        "wall": wall,
        "rss_before_kib": rss_before,
        "peak_before_kib": peak_before,
        "peak_kib": _peak_kib(),
    }


def _worker_structured(path: str, source: str, scope: str, accept_valid_rows: bool) -> dict:
    from services.catalogue.services import catalogue_get_or_create, catalogue_import

    catalogue = catalogue_get_or_create(scope=scope)
    report, figures = _measure(
        lambda: catalogue_import(
            source_file=path, catalogue=catalogue, source=source, accept_valid_rows=accept_valid_rows
        )
    )
    from services.catalogue.readers import read_rows

    return {
        **figures,
        "rows": sum(1 for _ in read_rows(path)),  # rows in the file (counted after the timing)
        "counts": report.counts,
        "written": report.written,
        "aborted": report.aborted_reason,
        "errors": [f"line {r.line} [{r.code}]: {r.message}" for r in report.errors[:10]],
    }


def _flat_resource_class():
    from import_export import fields, resources

    from bench.flatbench.models import FlatProcedure

    columns = {
        "code": "Mã chuẩn",
        "name": "Tên thủ tục",
        "field": "Lĩnh vực",
        "agency": "Cơ quan thực hiện",
        "level": "Mức độ",
        "link": "thutuc_Link",
        "steps": "thutuc_Trình tự thực hiện",
        "channels": "thutuc_Cách thức thực hiện",
        "components": "thutuc_Thành phần hồ sơ",
        "time_limit": "thutuc_Thời gian giải quyết",
        "subjects": "thutuc_Đối tượng thực hiện",
        "implementing_agency": "thutuc_Cơ quan thực hiện",
        "results": "thutuc_Kết quả",
        "fees": "thutuc_Phí, lệ phí",
        "forms": "thutuc_Tên mẫu đơn, tờ khai",
        "conditions": "thutuc_Yêu cầu, điều kiện",
        "legal_bases": "thutuc_Căn cứ pháp lý",
    }
    attrs = {name: fields.Field(attribute=name, column_name=column) for name, column in columns.items()}
    meta = type(
        "Meta",
        (),
        {
            "model": FlatProcedure,
            "fields": tuple(columns),
            "import_id_fields": ("code",),
            # Plain ModelResource options; skipping unchanged rows is import-export's own check.
            "skip_unchanged": True,
            "report_skipped": True,
        },
    )
    return type("FlatProcedureResource", (resources.ModelResource,), {**attrs, "Meta": meta})


def _worker_flat(path: str) -> dict:
    import tablib

    resource_class = _flat_resource_class()

    def run():
        with open(path, encoding="utf-8-sig", newline="") as handle:
            dataset = tablib.Dataset().load(handle.read(), format="csv")
        result = resource_class().import_data(dataset, dry_run=False, use_transactions=True)
        return len(dataset), result

    (rows, result), figures = _measure(run)
    totals = {k: v for k, v in result.totals.items() if v}
    return {**figures, "rows": rows, "counts": totals, "written": not result.has_errors(), "aborted": ""}


def _worker_naive(path: str) -> dict:
    from services.catalogue.records import base_code
    from services.catalogue.services import catalogue_get_or_create
    from services.models import ProcedurePage

    catalogue = catalogue_get_or_create(scope="provincial")

    def run():
        created = 0
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                catalogue.add_child(
                    instance=ProcedurePage(title=row["Tên thủ tục"][:250], code=base_code(row["Mã chuẩn"]))
                )
                created += 1
        return created

    created, figures = _measure(run)
    return {**figures, "rows": created, "counts": {"created": created}, "written": True, "aborted": ""}


def worker_main(args) -> int:
    _setup_django()
    if args.worker == "structured":
        out = _worker_structured(args.file, args.source, args.scope, args.accept_valid_rows)
    elif args.worker == "flat":
        out = _worker_flat(args.file)
    elif args.worker == "naive":
        out = _worker_naive(args.file)
    else:
        raise SystemExit(f"unknown worker {args.worker!r}")
    print(RESULT_MARK + json.dumps(out), flush=True)
    return 0


# ---------------------------------------------------------------------------------------------
# Driver side: databases, subprocesses, table.
# ---------------------------------------------------------------------------------------------


def _env(db_url: str) -> dict:
    env = dict(os.environ)
    env.update({"DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONPATH": str(REPO)})
    env.pop("DB_CONN_MAX_AGE", None)
    return env


def _run(cmd: list[str], db_url: str, timeout: int = 900) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=REPO, env=_env(db_url), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return proc


def _migrate(db_url: str) -> None:
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], db_url)


def _worker(db_url: str, kind: str, **options) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind]
    for key, value in options.items():
        cmd += [f"--{key}"] if value == "" else [f"--{key}", str(value)]
    proc = _run(cmd, db_url)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    raise RuntimeError(f"worker {kind} printed no result:\n{proc.stdout}\n{proc.stderr}")


class SQLiteBackend:
    name = "SQLite"

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.template = workdir / "template.sqlite3"

    def url(self, path: Path) -> str:
        return f"sqlite:///{path}"

    def prepare(self) -> None:
        _migrate(self.url(self.template))

    def fresh(self, label: str) -> str:
        target = self.workdir / f"{label}.sqlite3"
        shutil.copyfile(self.template, target)
        return self.url(target)

    def cleanup(self) -> None:
        pass  # the whole workdir is removed by the driver

    @staticmethod
    def version() -> str:
        return sqlite3.sqlite_version


class PostgresBackend:
    name = "PostgreSQL"

    def __init__(self):
        self.prefix = f"bench_import_{os.getpid()}"
        self.template = f"{self.prefix}_tpl"
        self.created: list[str] = []

    def _cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*args, "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER], capture_output=True, text=True, timeout=120
        )

    def url(self, db: str) -> str:
        return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{db}"

    def reachable(self) -> str:
        """Empty string when usable, else why not."""
        if not shutil.which("createdb") or not shutil.which("psql"):
            return "createdb/psql not installed"
        try:
            proc = self._cli("psql", "-d", "postgres", "-Atc", "select 1", "-w")
        except (OSError, subprocess.TimeoutExpired) as exc:
            return str(exc)
        return "" if proc.returncode == 0 else proc.stderr.strip().splitlines()[-1]

    def _createdb(self, db: str, template: str | None = None) -> None:
        args = ["createdb"] + (["-T", template] if template else []) + [db]
        proc = self._cli(*args)
        if proc.returncode != 0:
            raise RuntimeError(f"createdb {db} failed: {proc.stderr.strip()}")
        self.created.append(db)

    def prepare(self) -> None:
        self._createdb(self.template)
        _migrate(self.url(self.template))

    def fresh(self, label: str) -> str:
        db = f"{self.prefix}_{label.replace('-', '_')}"
        self._createdb(db, template=self.template)
        return self.url(db)

    def cleanup(self) -> None:
        for db in reversed(self.created):
            self._cli("dropdb", "--if-exists", db)
        self.created = []

    def version(self) -> str:
        proc = self._cli("psql", "-d", "postgres", "-Atc", "show server_version", "-w")
        return proc.stdout.strip() or "?"


def scaled_national(src: Path, dest: Path, factor: int) -> int:
    """Write ``src`` (JSONL.gz) with every row repeated ``factor`` times under unique codes 8.dddddd."""
    rows = 0
    with gzip.open(src, "rt", encoding="utf-8-sig") as fin:
        lines = [line for line in fin if line.strip()]
    with gzip.open(dest, "wt", encoding="utf-8", compresslevel=6) as fout:
        for _ in range(factor):
            for line in lines:
                row = json.loads(line)
                row["ma_thu_tuc"] = f"8.{rows:06d}"
                fout.write(json.dumps(row, ensure_ascii=False) + "\n")
                rows += 1
    return rows


def shared_data_dir() -> Path:
    if os.environ.get("SHARED_DATA_DIR"):
        return Path(os.environ["SHARED_DATA_DIR"])
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.conf import settings

    return Path(settings.SHARED_DATA_DIR)


def run_backend(
    backend, lamdong: Path, national: Path, scaled: Path | None, log, accept_valid_rows=False
) -> list[dict]:
    """Scenarios 1–6 (and 7 when ``scaled`` is given) on ``backend``; one fresh process each."""
    results = []
    accept = {"accept-valid-rows": ""} if accept_valid_rows else {}

    def record(scenario: str, out: dict, note: str = "") -> None:
        if not out.get("written", True):
            first = (out.get("errors") or [out.get("aborted") or "?"])[0]
            note = "; ".join(x for x in (note, f"NOTHING WRITTEN, import aborted: {first}") if x)
        out = {"backend": backend.name, "scenario": scenario, "note": note, **out}
        results.append(out)
        log(
            f"  {scenario:<34} {out['wall']:8.2f} s  peak {out['peak_kib'] / 1024:7.1f} MiB  {fmt_counts(out['counts'])}"
        )

    log(f"[{backend.name}] migrating a template database …")
    t0 = time.perf_counter()
    backend.prepare()
    log(f"  migrate: {time.perf_counter() - t0:.1f} s")

    db = backend.fresh("full")
    record(
        "1. full import, Lâm Đồng CSV",
        _worker(db, "structured", file=lamdong, source="lamdong", scope="provincial", **accept),
    )
    out = _worker(db, "structured", file=lamdong, source="lamdong", scope="provincial", **accept)
    c = out["counts"]
    ok = c["new"] == c["updated"] == c["error"] == 0 and c["unchanged"] > 0 and results[-1]["written"]
    record("2. re-import, unchanged file", out, "all rows unchanged" if ok else "NOT all unchanged")

    db = backend.fresh("national")
    record(
        "3. full import, national JSONL.gz",
        _worker(db, "structured", file=national, source="dvcqg", scope="national", **accept),
    )

    flat_db = backend.fresh("flat")
    record("4. baseline A: flat ModelResource", _worker(flat_db, "flat", file=lamdong))

    db = backend.fresh("naive")
    record("5. baseline B: naive add_child loop", _worker(db, "naive", file=lamdong))

    record("6. baseline A re-import, unchanged", _worker(flat_db, "flat", file=lamdong))

    if scaled is not None:
        db = backend.fresh("national_x4")
        record(
            f"7. national ×{SCALE} (memory check)",
            _worker(db, "structured", file=scaled, source="dvcqg", scope="national", **accept),
        )
    return results


def fmt_counts(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items() if v) or "—"


def table_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for r in results:
        rows.append(
            [
                r["backend"],
                r["scenario"],
                str(r["rows"]),
                f"{r['wall']:.2f}",
                f"{r['rows'] / r['wall']:.0f}" if r["wall"] and r.get("written", True) else "—",
                f"{r['rss_before_kib'] / 1024:.0f}",
                f"{r['peak_kib'] / 1024:.0f}",
                f"{(r['peak_kib'] - r['rss_before_kib']) / 1024:.0f}",
                fmt_counts(r["counts"]) + (f" ({r['note']})" if r["note"] else ""),
            ]
        )
    return rows


HEADERS = [
    "backend",
    "scenario",
    "rows",
    "wall s",
    "rows/s",
    "RSS before MiB",
    "peak RSS MiB",
    "Δ MiB",
    "report counts",
]


def render(results: list[dict], markdown: bool) -> str:
    rows = table_rows(results)
    if markdown:
        right = {2, 3, 4, 5, 6, 7}
        lines = [
            "| " + " | ".join(HEADERS) + " |",
            "|" + "|".join("---:" if i in right else "---" for i in range(len(HEADERS))) + "|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(HEADERS)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(
        [fmt.format(*HEADERS), fmt.format(*("-" * w for w in widths))] + [fmt.format(*row) for row in rows]
    )


def verdicts(results: list[dict]) -> list[str]:
    lines = []
    for backend in dict.fromkeys(r["backend"] for r in results):
        by = {r["scenario"].split(".")[0]: r for r in results if r["backend"] == backend}
        full, re_, flat, naive, flat_re = (by.get(k) for k in ("1", "2", "4", "5", "6"))
        nat, nat4 = by.get("3"), by.get("7")
        if full and not full["written"]:
            lines.append(
                f"{backend}: (a), (b) NOT ASSESSABLE: the full import wrote nothing (aborted: {full['aborted']} "
                f"{'; '.join(full.get('errors') or [])}), so its time is that of a rolled-back import and the "
                '"re-import" imported into an empty catalogue again'
            )
            full = re_ = None
        if nat and nat4 and not (nat["written"] and nat4["written"]):
            lines.append(f"{backend}: (c) NOT ASSESSABLE: a national import wrote nothing (see the table)")
            nat = nat4 = None
        if full and naive:
            ratio = full["wall"] / naive["wall"]
            lines.append(
                f"{backend}: (a) full structured import {full['wall']:.2f} s vs naive title-only loop {naive['wall']:.2f} s "
                f"= {ratio:.2f}× → {'MET' if ratio <= 1 else 'NOT MET'}"
            )
        if re_ and flat:
            r1 = re_["wall"] / flat["wall"]
            text = f"{backend}: (b) unchanged re-import {re_['wall']:.2f} s vs flat import {flat['wall']:.2f} s = {r1:.2f}× → {'MET' if r1 <= 2 else 'NOT MET'}"
            if flat_re:
                r2 = re_["wall"] / flat_re["wall"]
                text += f"; vs flat unchanged re-import {flat_re['wall']:.2f} s = {r2:.2f}× → {'within' if r2 <= 2 else 'NOT within'} 2×"
            lines.append(text)
        if nat and nat4:
            peak = nat4["peak_kib"] / nat["peak_kib"]
            delta1 = (nat["peak_kib"] - nat["rss_before_kib"]) / 1024
            delta4 = (nat4["peak_kib"] - nat4["rss_before_kib"]) / 1024
            grow = delta4 / delta1 if delta1 > 0 else float("inf")
            lines.append(
                f"{backend}: (c) national ×1 peak {nat['peak_kib'] / 1024:.0f} MiB (+{delta1:.0f}) vs ×{SCALE} peak "
                f"{nat4['peak_kib'] / 1024:.0f} MiB (+{delta4:.0f}): peak {peak:.2f}×, increment {grow:.2f}× for {SCALE}× rows "
                f"→ {'bounded' if grow < SCALE / 2 else 'NOT bounded (grows with the file)'}"
            )
    return lines


def _git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True
        ).stdout
    except OSError:
        return "?"
    return f"{head}{' + uncommitted changes' if dirty.strip() else ''}"


def machine() -> dict:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import django
    import import_export
    import wagtail

    return {
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "django-import-export": import_export.__version__,
        "sqlite": sqlite3.sqlite_version,
        "code": _git_state(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _backend_names(text: str) -> set[str]:
    names = {name.strip().lower() for name in text.split(",") if name.strip()}
    return {"postgresql" if name in ("postgres", "pg") else name for name in names}


def driver_main(args) -> int:
    out = sys.stdout
    log = (
        (lambda msg: print(msg, file=sys.stderr, flush=True)) if args.markdown else (lambda msg: print(msg, flush=True))
    )
    data = shared_data_dir()
    lamdong, national = data.joinpath(*LAMDONG), data.joinpath(*NATIONAL)
    for path in (lamdong, national):
        if not path.exists():
            raise SystemExit(f"missing data file {path} (set SHARED_DATA_DIR)")
    info = machine()
    backends_wanted = _backend_names(args.backends)
    scaled_on = _backend_names(args.scaled_backends)
    notes: list[str] = []
    results: list[dict] = []
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix=f"bench_import_{os.getpid()}_", dir="/tmp"))
    try:
        scaled = None
        if scaled_on:
            scaled = workdir / f"dvcqg_x{SCALE}.jsonl.gz"
            n = scaled_national(national, scaled, SCALE)
            log(f"wrote {scaled} ({n} rows, codes 8.000000–8.{n - 1:06d})")
        if "sqlite" in backends_wanted:
            sqlite_backend = SQLiteBackend(workdir)
            results += run_backend(
                sqlite_backend,
                lamdong,
                national,
                scaled if "sqlite" in scaled_on else None,
                log,
                args.accept_valid_rows,
            )
        if "postgresql" in backends_wanted:
            pg = PostgresBackend()
            why = pg.reachable()
            if why:
                notes.append(f"PostgreSQL skipped: {PG_HOST}:{PG_PORT} unreachable ({why}).")
                log(notes[-1])
            else:
                info["postgresql"] = pg.version()
                try:
                    results += run_backend(
                        pg,
                        lamdong,
                        national,
                        scaled if "postgresql" in scaled_on else None,
                        log,
                        args.accept_valid_rows,
                    )
                finally:
                    pg.cleanup()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.accept_valid_rows:
        info["mode"] = "--accept-valid-rows (structured imports write the valid rows even when some rows fail)"
    end_state = _git_state()
    if end_state != info["code"]:
        info["code at the end of the run"] = f"{end_state} (the code changed during the run)"
    info["total run time"] = f"{time.perf_counter() - started:.0f} s"

    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "results": results, "notes": notes}, indent=1))
    if args.markdown:
        print("Machine:\n", file=out)
        for key, value in info.items():
            print(f"- {key}: {value}", file=out)
        print(file=out)
        print(render(results, markdown=True), file=out)
        print(file=out)
        for line in verdicts(results) + notes:
            print(f"- {line}", file=out)
    else:
        print()
        for key, value in info.items():
            print(f"{key}: {value}")
        print()
        print(render(results, markdown=False))
        print()
        for line in verdicts(results) + notes:
            print(line)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print the figures as markdown on stdout")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma list: sqlite,postgresql")
    parser.add_argument(
        "--scaled-backends",
        default="sqlite",
        help=f"backends that also run the ×{SCALE} memory check (comma list, '' for none; default: sqlite, "
        "the check takes about 3–4 minutes per backend)",
    )
    parser.add_argument("--json", help="also write the raw figures to this JSON file")
    parser.add_argument(
        "--accept-valid-rows",
        action="store_true",
        help="structured imports write the valid rows even when some rows fail (default: as the command "
        "does, a file with a failing row writes nothing)",
    )
    # worker mode (internal)
    parser.add_argument("--worker", choices=["structured", "flat", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--scope", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return worker_main(args) if args.worker else driver_main(args)


if __name__ == "__main__":
    sys.exit(main())
