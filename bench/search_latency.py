#!/usr/bin/env python
"""Latency of GET /api/search/procedures (issue 3): both backends, real and scaled catalogue.

Run from the repository root, with an Elasticsearch-protocol server listening (see
docs/benchmarks.md, "Citizen search (issue 3)")::

    .venv/bin/python bench/search_latency.py                       # real catalogue + 50,000
    .venv/bin/python bench/search_latency.py --scaled-size 20000   # a smaller scaled catalogue
    .venv/bin/python bench/search_latency.py --reuse --markdown    # keep the databases and indexes

What is measured (wall time of ``GET /api/search/procedures?q=…``, first page of 10, from this
process to a real HTTP server on a loopback port: gunicorn from the venv, one sync worker,
``DEBUG`` off; the answer's ``backend``/``degraded`` fields are counted):

- real catalogue, ``elasticsearch (client timeout raised)``: the server configured with
  ``ELASTICSEARCH_URL`` and, for this benchmark only, its query timeout
  (``SEARCH_QUERY_TIMEOUT``, 3 s) raised to 600 s, so that every answer really comes from the search server however
  slow it is; in the same loop, right after each API request, the very requests
  ``ElasticsearchBackend.search`` sends for that query (the count with facet aggregations,
  then the page with highlighting: captured once per query, replayed with the
  ``elasticsearch`` client) are timed together as the raw round trip; ``API/raw`` is the
  median of the per-query ratios;
- ``elasticsearch (application as shipped)``: the same server configuration unchanged (3 s
  timeout, then the database answers, flagged ``degraded``), on both catalogue sizes;
- ``database fallback``: ``ELASTICSEARCH_URL`` unset, on both catalogue sizes;
- ``stand-in search server``: the server pointed at an in-process stand-in that answers at
  once with the answers the real server gave (recorded during the first scenario), with its
  own raw replay: API − raw is the application's own time per request;
- single-clause probes (a term on the code, a match on the name, a match on the body) timed
  once on each index before the scenarios, to show how the search server's time grows with
  the index.

Every loop is bounded: ``--requests`` requests (default 200) and a time budget per scenario
(``--es-budget`` 180 s, ``--fallback-budget`` 45 s, ``--budget`` 60 s), whichever comes
first (checked between requests), after ``--warmup`` unmeasured requests; the number actually
measured is printed. Queries cycle through bench/search_queries.json, one category after
another. A run with ``--reuse`` takes about 8 minutes; building the 50,000-procedure
catalogue the first time about 20 more (the import runs at about 60 procedures a second).

Databases: ``/tmp/search_bench.sqlite3`` (the real Lâm Đồng catalogue, detail + list files,
index prefix ``bench``; built as bench/search_relevance.py builds it when missing) and
``/tmp/search_bench_scaled.sqlite3`` (index prefix ``benchscaled``): a copy of the first plus a
scaled native JSONL (``/tmp/search_bench_scaled.jsonl``) of copies of the real records, codes
rewritten to unique ``8.dddddd`` codes and names suffixed " (bản sao N)", imported with
``import_catalogue --source native`` with no search server configured, then indexed as
``search_index rebuild`` does (bench/search_relevance.py ``--prepare-only --reindex``). With
``--paths database`` no search server is needed: the scaled catalogue is then indexed in the
database only and only the database scenarios run. The data is read from the shared
folder at run time and never copied into the repository.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
QUERIES = REPO / "bench" / "search_queries.json"
REAL_DB = "/tmp/search_bench.sqlite3"
SCALED_DB = "/tmp/search_bench_scaled.sqlite3"
SCALED_JSONL = "/tmp/search_bench_scaled.jsonl"
TARGET_P95_MS = 50.0
TARGET_OVERHEAD = 2.0


# -- the WSGI application the benchmark server runs ------------------------------------------


def wsgi_app():
    """gunicorn factory (``bench.search_latency:wsgi_app()``): the dev settings with DEBUG off,
    as production runs (no query log, no debug pages); DATABASE_URL etc. come from the env."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


# -- set-up --------------------------------------------------------------------------------


def env_for(db: str, prefix: str, es_url: str | None, es_timeout: float | None = None) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=f"sqlite:///{db}",
        SEARCH_INDEX_PREFIX=prefix,
        ELASTICSEARCH_URL=es_url or "",
        PYTHONPATH=str(REPO),
    )
    env.pop("SEARCH_QUERY_TIMEOUT", None)
    if es_timeout:
        # Benchmark only: the application gives up after SEARCH_QUERY_TIMEOUT (3 s) and
        # answers from the database; on a slow server that hides the path this measures.
        env["SEARCH_QUERY_TIMEOUT"] = str(es_timeout)
    return env


def manage(env: dict, *args: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def es_count(es_url: str, alias: str) -> int:
    from elasticsearch import Elasticsearch

    try:
        return Elasticsearch(es_url, request_timeout=30).count(index=alias)["count"]
    except Exception:
        return -1


def page_count(db: str) -> int:
    import sqlite3

    if not os.path.exists(db):
        return 0
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("select count(*) from portal_search_proceduresearchentry").fetchone()[0]
    except sqlite3.Error:
        return 0


def build_real(args) -> dict:
    """The real catalogue, as bench/search_relevance.py builds it (reused when complete)."""
    pages = page_count(REAL_DB)
    if pages and (not args.needs_es or es_count(args.es_url, "bench-procedures") == pages):
        return {"pages": pages, "built": "reused"}
    es_url = args.es_url if args.needs_es else ""
    cmd = [str(PYTHON), str(REPO / "bench" / "search_relevance.py"), "--prepare-only", "--es-url", es_url]
    if pages:
        cmd += ["--reuse", "--reindex"]
    subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return {"pages": page_count(REAL_DB), "built": "built"}


def write_scaled_jsonl(real_jsonl: str, size: int, base_count: int) -> int:
    """Copies of the real records (native format) up to ``size`` procedures in all, the real ones
    included: codes 8.000001… (unique), provincial codes dropped, names suffixed, no related codes."""
    records = [json.loads(line) for line in open(real_jsonl, encoding="utf-8") if line.strip()]
    wanted = size - base_count
    written = 0
    with open(SCALED_JSONL, "w", encoding="utf-8") as out:
        copy = 0
        while written < wanted:
            copy += 1
            for record in records:
                if written >= wanted:
                    break
                written += 1
                record = dict(record)
                record["code"] = f"8.{written:06d}"
                record["provincial_code"] = ""
                record["name"] = f"{record['name']} (bản sao {copy})"
                record["related_codes"] = []
                record["source_url"] = ""
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return written


def build_scaled(args) -> dict:
    pages = page_count(SCALED_DB)
    indexed = not args.needs_es or es_count(args.es_url, "benchscaled-procedures") == pages
    if args.reuse and pages >= args.scaled_size and indexed:
        return {"pages": pages, "built": "reused"}
    real_env = env_for(REAL_DB, "bench", None)
    real_jsonl = "/tmp/search_bench_real.jsonl"
    manage(real_env, "export_catalogue", "--format", "jsonl", "-o", real_jsonl)
    base = page_count(REAL_DB)
    extra = write_scaled_jsonl(real_jsonl, args.scaled_size, base)
    shutil.copyfile(REAL_DB, SCALED_DB)
    # Import with the search server unset (the import then fills only the database entries),
    # then one rebuild of both indexes, as an operator would after a bulk load.
    scaled_env = env_for(SCALED_DB, "benchscaled", None)
    manage(scaled_env, "migrate", "--noinput")  # the copied database may predate a migration
    t_import = manage(scaled_env, "import_catalogue", SCALED_JSONL, "--source", "native")
    # ``search_index rebuild`` as bench/search_relevance.py runs it (the database entries only
    # when no search server is measured).
    t0 = time.perf_counter()
    subprocess.run(
        [
            str(PYTHON),
            str(REPO / "bench" / "search_relevance.py"),
            "--prepare-only",
            "--reuse",
            "--reindex",
            "--no-wagtail",
            "--database-url",
            f"sqlite:///{SCALED_DB}",
            "--prefix",
            "benchscaled",
            "--es-url",
            args.es_url if args.needs_es else "",
        ],
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    t_index = time.perf_counter() - t0
    return {"pages": page_count(SCALED_DB), "built": f"import {extra} copies {t_import:.0f} s, rebuild {t_index:.0f} s"}


# -- measuring -----------------------------------------------------------------------------


def interleaved_queries() -> list[str]:
    """The relevance queries, one category after another (so a short run still mixes them)."""
    data = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    by_cat: dict[str, list[str]] = {}
    for q in data:
        text = unicodedata.normalize("NFD", q["q"]) if q.get("nfd") else q["q"]
        by_cat.setdefault(q["category"], []).append(text)
    out = []
    while any(by_cat.values()):
        for items in by_cat.values():
            if items:
                out.append(items.pop(0))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the portal on a loopback port with the given environment."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                str(GUNICORN),
                "bench.search_latency:wsgi_app()",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open("/tmp/search_bench_gunicorn.log", "a"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/api/search/procedures", {"q": "khai sinh"})
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not start; see /tmp/search_bench_gunicorn.log")

    def get(self, path: str, params: dict) -> tuple[float, int, dict]:
        url = f"{path}?{urllib.parse.urlencode(params)}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        t0 = time.perf_counter()
        conn.request("GET", url)
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - t0
        conn.close()
        return elapsed, response.status, json.loads(body) if response.status == 200 else {}

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class RawSearch:
    """The requests ``ElasticsearchBackend.search`` sends for a query, replayed straight."""

    def __init__(self, db: str, prefix: str, es_url: str):
        os.environ.update(env_for(db, prefix, es_url))
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.conf import settings
        from elasticsearch import Elasticsearch

        settings.DEBUG = False
        self.client = Elasticsearch(es_url, request_timeout=300)
        self.captured: dict[str, list[dict]] = {}

    def reconfigure(self, db: str, prefix: str):
        """Point this process at another database and index prefix (same server)."""
        from django.conf import settings
        from django.db import connections

        connections.close_all()
        settings.DATABASES["default"]["NAME"] = db
        connections["default"].settings_dict["NAME"] = db
        settings.SEARCH_INDEX_PREFIX = prefix
        self.captured = {}

    def requests_for(self, q: str) -> list[dict]:
        if q not in self.captured:
            from search.backends.elastic import ElasticsearchBackend
            from search.queries import SearchParams, normalize_query

            recorded = []

            class Recorder:  # answers like an empty index, records what is asked
                def search(self, **kwargs):
                    recorded.append(kwargs)
                    body = kwargs.get("body") or {}
                    aggs = {name: {"buckets": []} for name in body.get("aggs", {})}
                    return type(
                        "R",
                        (),
                        {"body": {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}, "aggregations": aggs}},
                    )()

            backend = ElasticsearchBackend("http://127.0.0.1:9")
            backend.client = Recorder()
            backend.search(SearchParams(q=normalize_query(q)))
            self.captured[q] = recorded
        return self.captured[q]

    def run(self, q: str, client=None, record: "StandIn | None" = None) -> float:
        """Seconds for the query's requests sent straight to ``client`` (default: the search
        server); ``record`` keeps each answer for the stand-in server."""
        client = client or self.client
        t0 = time.perf_counter()
        answers = [client.search(**request) for request in self.requests_for(q)]
        elapsed = time.perf_counter() - t0
        if record is not None:
            for request, answer in zip(self.requests_for(q), answers, strict=True):
                record.keep(request["body"], answer.body)
        return elapsed


class StandIn:
    """A stand-in for the search server on a loopback port that answers at once with the
    answers the real server gave to the same requests (recorded during the raw replay): with
    it, the API time is the application's own overhead plus a near-zero round trip."""

    HEADERS = {"Content-Type": "application/json", "X-Elastic-Product": "Elasticsearch"}
    INFO = {
        "name": "stand-in",
        "cluster_name": "stand-in",
        "version": {"number": "8.15.0"},
        "tagline": "You Know, for Search",
    }

    def __init__(self):
        self.answers: dict[str, bytes] = {}
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, payload: bytes):
                self.send_response(status)
                for key, value in StandIn.HEADERS.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def do_HEAD(self):
                self._send(200, b"")

            def do_GET(self):
                self._send(200, json.dumps(StandIn.INFO).encode())

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = stand_in.answers.get(StandIn.key(json.loads(body or b"{}")))
                if answer is None:
                    self._send(404, b'{"error": "not recorded", "status": 404}')
                else:
                    self._send(200, answer)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @staticmethod
    def key(body: dict) -> str:
        return json.dumps(body, sort_keys=True, ensure_ascii=False)

    def keep(self, body: dict, answer: dict):
        self.answers[self.key(body)] = json.dumps(answer, ensure_ascii=False).encode()

    def stop(self):
        self.httpd.shutdown()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure(
    server: Server | None,
    queries: list[str],
    requests: int,
    budget: float,
    warmup: int,
    raw: "RawSearch | None",
    raw_client=None,
    record: StandIn | None = None,
) -> dict:
    """Up to ``requests`` requests in at most ``budget`` seconds (checked between requests),
    after ``warmup`` unmeasured ones; ``server`` None measures the raw round trip only."""
    for q in queries[:warmup]:
        if server is not None:
            server.get("/api/search/procedures", {"q": q})
        if raw is not None:
            raw.run(q, raw_client, record)
    api, raws, backends, errors = [], [], {}, 0
    started = time.monotonic()
    i = warmup
    while max(len(api), len(raws)) < requests and time.monotonic() - started < budget:
        q = queries[i % len(queries)]
        i += 1
        if server is None:
            raws.append(raw.run(q, raw_client, record))
            continue
        elapsed, status, body = server.get("/api/search/procedures", {"q": q})
        api.append(elapsed)
        if status != 200:
            errors += 1
        key = f"{body.get('backend', '?')}{' (degraded)' if body.get('degraded') else ''}"
        backends[key] = backends.get(key, 0) + 1
        if raw is not None:
            raws.append(raw.run(q, raw_client, record))
    return {"api": api, "raw": raws, "backends": backends, "errors": errors, "seconds": time.monotonic() - started}


def ms(x: float) -> str:
    return "–" if x != x else f"{x * 1000:.0f}" if x >= 0.1 else f"{x * 1000:.1f}"


SCENARIOS = [
    # (catalogue, label, server backend, app client timeout, raw replay, budget option)
    ("real", "elasticsearch (client timeout raised)", "elasticsearch", 600.0, True, "es_budget"),
    ("real", "stand-in search server (instant answers)", "stand-in", None, True, "budget"),
    ("real", "elasticsearch (application as shipped)", "elasticsearch", None, False, "fallback_budget"),
    ("real", "database fallback", "database", None, False, "budget"),
    ("scaled", "elasticsearch (application as shipped)", "elasticsearch", None, False, "fallback_budget"),
    ("scaled", "database fallback", "database", None, False, "budget"),
]
#: Single-clause requests timed once on each index (noida-db scans documents: its time grows
#: with the index; a citizen query sends about ten such clauses, twice).
PROBES = [
    ("term on code", {"term": {"code": "2.000635"}}),
    ("match on name", {"match": {"name": "khai"}}),
    ("match on body", {"match": {"body": "khai"}}),
]


def probe(es_url: str, aliases: dict) -> list[list[str]]:
    from elasticsearch import Elasticsearch

    client = Elasticsearch(es_url, request_timeout=600)
    lines = []
    for label, query in PROBES:
        line = [label]
        for alias in aliases.values():
            t0 = time.perf_counter()
            client.search(index=alias, query=query, size=10)
            line.append(ms(time.perf_counter() - t0))
        lines.append(line)
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--es-url", default=os.environ.get("BENCH_ELASTICSEARCH_URL", "http://127.0.0.1:9203"))
    parser.add_argument("--scaled-size", type=int, default=50_000, help="procedures in the scaled catalogue (0: skip)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per scenario (at most)")
    parser.add_argument("--budget", type=float, default=60, help="seconds per database scenario (at most)")
    parser.add_argument("--es-budget", type=float, default=180, help="seconds for the real-size Elasticsearch path")
    parser.add_argument(
        "--fallback-budget",
        type=float,
        default=45,
        help="seconds for the application as shipped against the search server",
    )
    parser.add_argument(
        "--scaled-raw-budget",
        type=float,
        default=120,
        help="seconds for raw search-server requests on the scaled index",
    )
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="reuse the scaled database and index when complete")
    parser.add_argument("--build-only", action="store_true", help="build the catalogues and indexes, measure nothing")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument(
        "--paths",
        default="elasticsearch,stand-in,database",
        help="comma-separated scenarios to run (database alone needs no search server)",
    )
    args = parser.parse_args()
    paths = set(args.paths.split(","))
    args.needs_es = bool(paths - {"database"})

    wall = time.monotonic()
    queries = interleaved_queries()
    built = {"real": (REAL_DB, "bench", build_real(args))}
    print(f"# real catalogue: {built['real'][2]}", file=sys.stderr)
    if args.scaled_size:
        t0 = time.monotonic()
        info = build_scaled(args)
        print(f"# scaled catalogue: {info} ({time.monotonic() - t0:.0f} s)", file=sys.stderr)
        built["scaled"] = (SCALED_DB, "benchscaled", info)
    if args.build_only:
        return

    # Probes first, while the search server is idle (a request the application gave up on
    # keeps noida-db busy for a while after the timeout).
    aliases = {size: f"{prefix}-procedures" for size, (_, prefix, _) in built.items()}
    probe_lines = probe(args.es_url, aliases) if args.needs_es else []
    raw = RawSearch(REAL_DB, "bench", args.es_url) if args.needs_es else None
    stand_in = StandIn()
    from elasticsearch import Elasticsearch

    stand_in_client = Elasticsearch(stand_in.url, request_timeout=30)
    rows = []
    current = None
    for size, label, backend, timeout, with_raw, budget_option in SCENARIOS:
        if size not in built or backend not in paths:
            continue
        db, prefix, info = built[size]
        if current != size and raw is not None:
            raw.reconfigure(db, prefix)
            current = size
        budget = getattr(args, budget_option)
        url = {"elasticsearch": args.es_url, "stand-in": stand_in.url}.get(backend)
        server = Server(env_for(db, prefix, url, timeout)) if backend is not None else None
        try:
            warmup = args.warmup if (size == "real" or backend == "database") else 0
            if backend == "stand-in":
                # only the queries whose answers were recorded in the first scenario
                recorded = [q for q in queries if q in raw.captured]
                result = measure(server, recorded, args.requests, budget, warmup, raw, stand_in_client)
            else:
                record = stand_in if with_raw else None
                result = measure(
                    server, queries, args.requests, budget, warmup, raw if with_raw else None, None, record
                )
        finally:
            if server is not None:
                server.stop()
        rows.append((size, info["pages"], label, result))
        n = max(len(result["api"]), len(result["raw"]))
        print(f"# {size} {label}: {n} requests in {result['seconds']:.0f} s", file=sys.stderr)

    header = [
        "catalogue",
        "procedures",
        "path",
        "n",
        "API p50 ms",
        "API p95 ms",
        "raw p50 ms",
        "raw p95 ms",
        "API/raw (median)",
        "answered by",
        "errors",
    ]
    lines = []
    for size, pages, label, r in rows:
        ratios = [a / b for a, b in zip(r["api"], r["raw"], strict=False) if b > 0]
        answered = ", ".join(f"{k}: {v}" for k, v in sorted(r["backends"].items())) or "–"
        lines.append(
            [
                size,
                f"{pages:,}",
                label,
                str(max(len(r["api"]), len(r["raw"]))),
                ms(percentile(r["api"], 50)),
                ms(percentile(r["api"], 95)),
                ms(percentile(r["raw"], 50)),
                ms(percentile(r["raw"], 95)),
                f"{statistics.median(ratios):.2f}×" if ratios else "–",
                answered,
                str(r["errors"]),
            ]
        )
    print()
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(x) for x in col) for col in zip(header, *lines, strict=False)]
        for line in [header, *lines]:
            print("  ".join(x.ljust(w) for x, w in zip(line, widths, strict=False)))
    if probe_lines:
        print("\nSingle-clause requests to the search server, ms (one each, before the scenarios):\n")
        probe_header = ["request", *(f"{size} ({built[size][2]['pages']:,})" for size in aliases)]
        if args.markdown:
            print("| " + " | ".join(probe_header) + " |")
            print("|" + "|".join("---" for _ in probe_header) + "|")
            for line in probe_lines:
                print("| " + " | ".join(line) + " |")
        else:
            for line in [probe_header, *probe_lines]:
                print("  ".join(x.ljust(16) for x in line))
    es_real = next((r for size, _, label, r in rows if size == "real" and r["raw"] and r["api"]), None)
    if es_real:
        p95 = percentile(es_real["api"], 95) * 1000
        ratios = [a / b for a, b in zip(es_real["api"], es_real["raw"], strict=False) if b > 0]
        print(
            f"\nTarget p95 < {TARGET_P95_MS:.0f} ms (real catalogue, Elasticsearch path): "
            f"{'met' if p95 < TARGET_P95_MS else 'NOT met'} ({p95:.0f} ms)"
        )
        if ratios:
            median = statistics.median(ratios)
            print(
                f"Target overhead < {TARGET_OVERHEAD:.0f}× the raw round trip: "
                f"{'met' if median < TARGET_OVERHEAD else 'NOT met'} (median API/raw {median:.2f}×)"
            )
    stub = next((r for size, _, label, r in rows if label.startswith("stand-in")), None)
    if stub and stub["api"] and stub["raw"]:
        own = percentile(stub["api"], 50) - percentile(stub["raw"], 50)
        print(
            f"Application's own time per request (API p50 − raw p50 with the instant stand-in): {own * 1000:.0f} ms; "
            f"the overhead target holds whenever the real search server takes at least that long per query."
        )
    stand_in.stop()
    print(f"\nWhole run: {time.monotonic() - wall:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
