#!/usr/bin/env python
"""Online filing under load (issue 4, item 8): filings per second, POST latency, lost or duplicate dossiers.

Run from the repository root, with PostgreSQL on 127.0.0.1:5432 (trust auth, user ``postgres``)::

    .venv/bin/python bench/filing.py                    # 400 filings, 20 clients, 4 gunicorn workers
    .venv/bin/python bench/filing.py --filings 1000 --workers 2 --json /tmp/filing.json

What it does:

1. Creates a fresh database (``--database-url``, default
   ``postgres://postgres@127.0.0.1:5432/portal_bench_filing``; the name must contain "bench",
   because a leftover database of that name is dropped first), then, in a child process with
   the production settings, runs ``migrate`` and ``collectstatic`` and builds what the filing
   tests build (tests/services/dossier_builders.py): the provincial catalogue, one procedure at
   "Toàn trình" whose implementing agency has the identifier ``000.00.12.H36``, and the
   published ``FORM_FIELDS`` form (four questions, a required application slot accepting pdf or
   docx up to 2.5 MB, an optional drawings slot).
2. Starts gunicorn (``cms.wsgi``, ``cms.settings.production``: ``DEBUG`` off, hashed static
   files, ``ALLOWED_HOSTS=127.0.0.1``, a throwaway ``SECRET_KEY``) on a free loopback port,
   ``--workers`` sync workers (default 4), dossier files in a temporary ``PRIVATE_MEDIA_ROOT``.
   ``SECURE_COOKIES=0`` because the benchmark speaks plain HTTP; database connections are not
   kept (``DB_CONN_MAX_AGE`` unset, as shipped).
3. ``--clients`` threads (default 20), each with its own cookies, file ``--filings`` dossiers in
   total (default 400) as a browser does: GET ``<procedure>/nop-ho-so/`` (CSRF cookie and token,
   the form's ``submission_key``), then a multipart POST of the builders' ``filing_data`` with a
   1 MiB attachment (``%PDF-1.4`` then padding) in the application slot. A filing succeeds when
   the POST answers 302 to ``/ho-so/<code>/bien-nhan/``; the receipt page is not fetched. The
   applicant gives no e-mail address, so the receipt e-mail (sent inside the request by the
   immediate task backend) is not part of what is measured.
   ``--double-submits`` of the filings (default 20, spread over the run) are double-submit
   probes (case C16): the same form, same cookies and ``submission_key``, POSTed twice at the
   same moment from two threads.
4. Checks the database against what the clients were told (see ``integrity``), prints the
   figures and the checks, stops gunicorn, drops the database and deletes the temporary
   directory (``--keep`` keeps the last two for inspection). Exit status 1 when a check fails.

Figures: POST latency is the wall time from sending the request to reading the whole response
(upload included; connections are not reused, gunicorn's sync workers close them). Filings
per second is the number of successful filings over the wall time from the first POST's start
to the last POST's end (the GETs of the form happen inside that span, as they would in real
traffic). Both the server and the clients run on this machine.
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_filing"
MiB = 1024 * 1024
#: Head of the attachment; the upload check reads the kind from these magic bytes.
PDF_HEAD = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
PDF_TAIL = b"\n%%EOF\n"
ATTACHMENT_NAME = "Đơn đề nghị cấp phép.pdf"
RECEIPT_PATH = re.compile(r"/ho-so/([^/]+)/bien-nhan/$")


# -- child process: database set-up with Django --------------------------------------------


def setup_worker() -> int:
    """Migrates, collects static files and builds the procedure and its form (the test builders'
    shapes); prints what the clients need as JSON on the last line of stdout."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    from services.catalogue.services import catalogue_get_or_create
    from tests.services.dossier_builders import (
        AGENCY_ID,
        APPLICATION_FIELD,
        FORM_FIELDS,
        filing_data,
        online_procedure,
        publish_form,
    )

    procedure = online_procedure(catalogue_get_or_create(scope="provincial"))
    form = publish_form(procedure, fields=FORM_FIELDS)
    fields = filing_data(applicant_email="")
    del fields["submission_key"]  # each filing takes the one its form was printed with
    url = urlsplit(procedure.get_url())
    info = {
        "filing_path": f"{url.path}nop-ho-so/",
        "agency": AGENCY_ID,
        "form_id": form.pk,
        "fields": fields,
        "application_field": APPLICATION_FIELD,
        "application_max_mb": next(f for f in FORM_FIELDS if f["id"] == APPLICATION_FIELD[2:])["value"]["max_size_mb"],
    }
    print(json.dumps(info, ensure_ascii=False))
    return 0


# -- database --------------------------------------------------------------------------------


def _maintenance_url(db_url: str) -> tuple[str, str]:
    parts = urlsplit(db_url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def create_database(db_url: str) -> None:
    import psycopg
    from psycopg import sql

    admin_url, name = _maintenance_url(db_url)
    if "bench" not in name:
        raise SystemExit(f"refusing to drop and create {name!r}: the benchmark database's name must contain 'bench'")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(db_url: str) -> None:
    import psycopg
    from psycopg import sql

    admin_url, name = _maintenance_url(db_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def server_version(db_url: str) -> str:
    import psycopg

    with psycopg.connect(db_url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(db_url: str, workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DATABASE_URL=db_url,
        SECRET_KEY=f"bench-filing-{uuid.uuid4()}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",  # plain HTTP on loopback: Secure cookies would never come back
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        ELASTICSEARCH_URL="",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(REPO),
    )
    env.pop("DEBUG", None)
    env.pop("DB_CONN_MAX_AGE", None)
    return env


class Server:
    """gunicorn serving ``cms.wsgi`` on a loopback port; its log goes to ``log``."""

    def __init__(self, env: dict, *, workers: int, log: Path, probe_path: str):
        self.port = free_port()
        self.log = log
        self._log_file = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(GUNICORN),
                "cms.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                status, _headers, _body, _elapsed = http_request(self.port, "GET", probe_path, timeout=30)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn did not answer {probe_path} with 200; see {log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()


# -- HTTP client -----------------------------------------------------------------------------


def http_request(port: int, method: str, path: str, *, headers=None, body=None, timeout=120.0):
    """One request on a new connection: ``(status, headers, body, seconds)``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        t0 = time.perf_counter()
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - t0
        return response.status, response.headers, data, elapsed
    finally:
        conn.close()


def _hidden_value(html: str, name: str) -> str:
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            match = re.search(r'\bvalue="([^"]*)"', tag)
            if match:
                return match.group(1)
    raise ValueError(f"no hidden input {name!r} in the form page")


def multipart(fields: dict, files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """``(body, content type)`` of a ``multipart/form-data`` request, UTF-8 names as browsers send them."""
    boundary = f"----benchfiling{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content_type, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        parts.extend([head, content, b"\r\n"])
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    """One citizen's browser: its own cookies, one filing at a time."""

    def __init__(self, port: int, info: dict, attachment: bytes):
        self.port = port
        self.info = info
        self.attachment = attachment
        self.cookies: dict[str, str] = {}

    def _headers(self, extra=None) -> dict:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "bench/filing.py"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _keep_cookies(self, headers) -> None:
        for raw in headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value

    def form(self) -> tuple[dict, float]:
        """GET the form: ``(POST fields with csrf token and submission key, seconds)``."""
        status, headers, body, elapsed = http_request(
            self.port, "GET", self.info["filing_path"], headers=self._headers()
        )
        if status != 200:
            raise RuntimeError(f"GET form: HTTP {status}")
        self._keep_cookies(headers)
        html = body.decode()
        fields = {
            "csrfmiddlewaretoken": _hidden_value(html, "csrfmiddlewaretoken"),
            "submission_key": _hidden_value(html, "submission_key"),
            **self.info["fields"],
        }
        return fields, elapsed

    def post(self, fields: dict) -> dict:
        """POST a filing; the outcome: status, receipt code from ``Location``, seconds, times."""
        body, content_type = multipart(
            fields, {self.info["application_field"]: (ATTACHMENT_NAME, "application/pdf", self.attachment)}
        )
        headers = self._headers(
            {
                "Content-Type": content_type,
                "Origin": f"http://127.0.0.1:{self.port}",
                "Referer": f"http://127.0.0.1:{self.port}{self.info['filing_path']}",
            }
        )
        outcome = {"key": fields["submission_key"], "status": None, "code": None, "error": ""}
        outcome["start"] = time.perf_counter()
        try:
            status, response_headers, data, elapsed = http_request(
                self.port, "POST", self.info["filing_path"], headers=headers, body=body
            )
        except OSError as exc:
            outcome.update(end=time.perf_counter(), seconds=None, error=f"{type(exc).__name__}: {exc}")
            return outcome
        outcome.update(end=time.perf_counter(), seconds=elapsed, status=status)
        location = response_headers.get("Location", "")
        match = RECEIPT_PATH.search(urlsplit(location).path)
        if status == 302 and match:
            outcome["code"] = unquote(match.group(1))
            self._keep_cookies(response_headers)
        else:
            text = data.decode(errors="replace")
            alert = re.search(r'role="alert"[^>]*>(.*?)</ul>', text, re.S)
            snippet = " ".join(re.sub(r"<[^>]+>", " ", alert.group(1) if alert else text[:300]).split())
            outcome["error"] = f"HTTP {status} {location} {snippet[:300]}".strip()
        return outcome


def run_load(port: int, info: dict, *, filings: int, clients: int, double_submits: int, attachment: bytes) -> dict:
    """Files ``filings`` dossiers from ``clients`` threads; returns every POST's outcome."""
    probes = set()
    if double_submits:
        step = filings / min(double_submits, filings)
        probes = {int(i * step + step / 2) for i in range(min(double_submits, filings))}
    next_job = iter(range(filings))
    job_lock = threading.Lock()
    posts: list[dict] = []
    gets: list[float] = []
    failures: list[str] = []
    record_lock = threading.Lock()

    def probe(client: Client, fields: dict) -> list[dict]:
        # Two POSTs of one printed form at once (a double click, two tabs): same cookies, same key.
        barrier = threading.Barrier(2)
        outcomes: list[dict] = [{}, {}]

        def send(i: int) -> None:
            barrier.wait()
            outcomes[i] = client.post(fields)

        twin = threading.Thread(target=send, args=(1,))
        twin.start()
        send(0)
        twin.join()
        return outcomes

    def worker() -> None:
        client = Client(port, info, attachment)
        while True:
            with job_lock:
                job = next(next_job, None)
            if job is None:
                return
            try:
                fields, get_seconds = client.form()
            except (OSError, RuntimeError, ValueError) as exc:
                with record_lock:
                    failures.append(f"filing {job}: {exc}")
                continue
            outcomes = probe(client, fields) if job in probes else [client.post(fields)]
            with record_lock:
                gets.append(get_seconds)
                for n, outcome in enumerate(outcomes):
                    posts.append({**outcome, "job": job, "probe": job in probes, "twin": n})

    threads = [threading.Thread(target=worker, name=f"client-{i}") for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"filings": filings, "posts": posts, "gets": gets, "form_failures": failures, "elapsed": elapsed}


# -- checks against the database -------------------------------------------------------------


def integrity(db_url: str, load: dict, private_root: Path, attachment_size: int) -> tuple[list[dict], dict]:
    """What the clients were told against what the database holds.

    Returns ``(checks, facts)``; each check is ``{"name", "expected", "actual", "ok"}``.
    """
    import psycopg

    with psycopg.connect(db_url) as conn:
        dossiers = conn.execute(
            "SELECT d.code, d.submission_key::text, a.identifier FROM services_dossier d "
            "JOIN services_agency a ON a.id = d.receiving_agency_id"
        ).fetchall()
        attachments = conn.execute("SELECT dossier_id, file, size FROM services_dossierattachment").fetchall()
        sequences = conn.execute(
            "SELECT a.identifier, s.day, s.last FROM services_dossiercodesequence s "
            "JOIN services_agency a ON a.id = s.agency_id"
        ).fetchall()

    posts = load["posts"]
    told: dict[str, set[str]] = defaultdict(set)  # submission key -> codes the clients were given
    for post in posts:
        if post["code"]:
            told[post["key"]].add(post["code"])
    db_codes = [row[0] for row in dossiers]
    db_by_code = {row[0]: row[1] for row in dossiers}
    db_keys = Counter(row[1] for row in dossiers)
    told_codes = [code for codes in told.values() for code in codes]

    lost = [code for code in told_codes if code not in db_by_code]
    wrong_owner = [(key, code) for key, codes in told.items() for code in codes if db_by_code.get(code, key) != key]
    unacknowledged = [row[0] for row in dossiers if row[1] not in told]
    keys_told_two_codes = [key for key, codes in told.items() if len(codes) > 1]

    # XXXX per agency and day: 0001..n with no gap, and the sequence row says n.
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    malformed = []
    for code, _key, identifier in dossiers:
        match = re.fullmatch(rf"{re.escape(identifier)}-(\d{{6}})-(\d{{4,}})", code)
        if match:
            numbers[(identifier, match.group(1))].append(int(match.group(2)))
        else:
            malformed.append(code)
    last = {(identifier, f"{day:%y%m%d}"): value for identifier, day, value in sequences}
    gaps = []
    for group, values in sorted(numbers.items()):
        if sorted(values) != list(range(1, len(values) + 1)) or last.get(group) != len(values):
            gaps.append(f"{group}: {len(values)} codes, max {max(values)}, sequence row {last.get(group)}")

    probe_keys = {p["key"] for p in posts if p["probe"]}
    probe_ok = overlapping = 0
    probe_notes = []
    for key in sorted(probe_keys):
        pair = [p for p in posts if p["key"] == key]
        codes = {p["code"] for p in pair}
        if len(pair) == 2 and all(p["seconds"] is not None for p in pair):
            overlapping += max(p["start"] for p in pair) < min(p["end"] for p in pair)
        if db_keys.get(key) == 1 and len(pair) == 2 and len(codes) == 1 and None not in codes:
            probe_ok += 1
        else:
            probe_notes.append(f"{key}: {db_keys.get(key, 0)} dossiers, answers {[p['status'] for p in pair]} {codes}")

    stored = {str(private_root / name) for _dossier, name, _size in attachments}
    on_disk = {str(p) for p in private_root.rglob("*") if p.is_file()} if private_root.exists() else set()
    with_file = {
        dossier
        for dossier, name, size in attachments
        if size == attachment_size
        and (private_root / name).is_file()
        and (private_root / name).stat().st_size == attachment_size
    }

    checks = [
        ("filings answered 302 with a receipt code", load["filings"], len(told)),
        ("dossiers in the database = successful filings", len(told), len(dossiers)),
        ("duplicate codes in the database", 0, len(db_codes) - len(set(db_codes))),
        ("filings given another filing's code (distinct codes told = filings)", len(told), len(set(told_codes))),
        ("lost: code told to a client, not in the database", 0, len(lost)),
        ("code told to a client belongs to another submission", 0, len(wrong_owner) + len(keys_told_two_codes)),
        ("dossiers never acknowledged to their client", 0, len(unacknowledged)),
        (
            "codes per agency per day are 0001..n, sequence row = n",
            "contiguous",
            "; ".join(gaps + malformed)[:300] or "contiguous",
        ),
        ("double-submit probes ending with one dossier and one code", len(probe_keys), probe_ok),
        ("attachment rows (one per dossier)", len(dossiers), len(attachments)),
        ("dossiers whose attachment is on disk, full size", len(dossiers), len(with_file)),
        ("orphan files (on disk, no attachment row)", 0, len(on_disk - stored)),
    ]
    facts = {
        "groups": {f"{identifier}-{day}": len(values) for (identifier, day), values in numbers.items()},
        "probe_notes": probe_notes,
        "probes_overlapping": overlapping,
        "lost": lost[:10],
        "unacknowledged": unacknowledged[:10],
        "attachments": len(attachments),
    }
    return [{"name": n, "expected": e, "actual": a, "ok": e == a} for n, e, a in checks], facts


# -- report ----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def latency_row(label: str, values: list[float]) -> str:
    if not values:
        return f"| {label} | 0 | – | – | – | – | – |"
    ms = [v * 1000 for v in values]
    return (
        f"| {label} | {len(ms)} | {percentile(ms, 50):.0f} | {percentile(ms, 95):.0f} | {percentile(ms, 99):.0f} "
        f"| {max(ms):.0f} | {sum(ms) / len(ms):.0f} |"
    )


def git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True
        )
    except OSError:
        return "?"
    return f"{head.stdout.strip()}{' + uncommitted changes' if dirty.stdout.strip() else ''}"


def machine(db_url: str) -> dict:
    cpu = ram = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
        kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal:"))
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    gunicorn = subprocess.run([str(GUNICORN), "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "server": gunicorn,
        "postgresql": server_version(db_url),
        "code": git_state(),
    }


def report(args, info: dict, load: dict, checks: list[dict], facts: dict, env: dict, server_log: Path) -> str:
    posts = load["posts"]
    ok_posts = [p for p in posts if p["code"]]
    successful = len({p["key"] for p in ok_posts})
    measured = [p for p in posts if p["seconds"] is not None]
    span = (max(p["end"] for p in posts) - min(p["start"] for p in posts)) if posts else float("nan")
    statuses = Counter(p["status"] if p["status"] is not None else "no answer" for p in posts)
    log_text = server_log.read_text(errors="replace") if server_log.exists() else ""
    lines = [
        "## Machine and set-up",
        "",
        *(f"- {k}: {v}" for k, v in env.items()),
        f"- gunicorn `cms.wsgi`, {args.workers} sync workers, `cms.settings.production`; {args.clients} client threads "
        f"on the same machine; {args.filings} filings, {len(facts['probe_keys'])} of them double-submit probes "
        f"(two POSTs each); attachment {args.attachment_bytes:,} bytes (slot limit {info['application_max_mb']} MB)",
        "",
        "## Throughput",
        "",
        "| filings | successful | POST requests | span of the POSTs s | filings/s | upload MiB/s | load phase s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {args.filings} | {successful} | {len(posts)} | {span:.2f} | {successful / span:.1f} "
        f"| {len(measured) * args.attachment_bytes / MiB / span:.1f} | {load['elapsed']:.2f} |",
        "",
        "## Latency (ms)",
        "",
        "| request | n | p50 | p95 | p99 | max | mean |",
        "|---|---:|---:|---:|---:|---:|---:|",
        latency_row("POST filing → 302 (single submissions)", [p["seconds"] for p in measured if not p["probe"]]),
        latency_row("POST filing, double-submit probes (both POSTs)", [p["seconds"] for p in measured if p["probe"]]),
        latency_row("POST filing, all", [p["seconds"] for p in measured]),
        latency_row("GET form", load["gets"]),
        "",
        f"POST answers: {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items(), key=str))}; "
        f"form GET failures: {len(load['form_failures'])}; server log lines: {len(log_text.splitlines())} "
        f"(tracebacks: {log_text.count('Traceback')})",
        "",
        "## Integrity (database after the run)",
        "",
        "| check | expected | actual | |",
        "|---|---:|---:|---|",
        *(f"| {c['name']} | {c['expected']} | {c['actual']} | {'ok' if c['ok'] else '**FAIL**'} |" for c in checks),
        "",
        f"Codes per agency and day: {', '.join(f'{k}: {v}' for k, v in sorted(facts['groups'].items())) or 'none'}",
        f"Double-submit probes whose two POSTs were in flight at the same time: {facts['probes_overlapping']} "
        f"of {len(facts['probe_keys'])}",
    ]
    errors = [p["error"] for p in posts if p["error"]] + load["form_failures"]
    if errors:
        lines += ["", f"First errors ({len(errors)} in all):", *(f"- {e}" for e in errors[:8])]
    for label in ("probe_notes", "lost", "unacknowledged"):
        if facts[label]:
            lines += ["", f"{label}: {facts[label][:8]}"]
    if log_text.strip():
        lines += ["", "Server log (last lines):", "```", *log_text.strip().splitlines()[-15:], "```"]
    return "\n".join(lines)


# -- driver ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--filings", type=int, default=400, help="dossiers filed in all (default 400)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent client threads (default 20)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--double-submits", type=int, default=20, help="filings POSTed twice at once (default 20)")
    parser.add_argument("--attachment-bytes", type=int, default=MiB, help="size of the PDF attached (default 1 MiB)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="database to create and drop (env BENCH_DATABASE_URL; the name must contain 'bench')",
    )
    parser.add_argument("--json", help="also write the raw outcomes and checks to this file")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary directory")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return setup_worker()

    attachment = (PDF_HEAD + b"0" * max(0, args.attachment_bytes - len(PDF_HEAD) - len(PDF_TAIL)) + PDF_TAIL)[
        : args.attachment_bytes
    ]
    workdir = Path(tempfile.mkdtemp(prefix="bench_filing_"))
    server = None
    database_created = False
    try:
        create_database(args.database_url)
        database_created = True
        env = server_env(args.database_url, workdir)
        print(f"setting up {args.database_url} (migrate, collectstatic, procedure and form)…", file=sys.stderr)
        t0 = time.perf_counter()
        setup = subprocess.run(
            [str(PYTHON), str(Path(__file__).resolve()), "--setup"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        if setup.returncode != 0:
            raise SystemExit(f"set-up failed:\n{setup.stderr[-3000:]}")
        info = json.loads(setup.stdout.strip().splitlines()[-1])
        print(f"set-up done in {time.perf_counter() - t0:.0f} s; starting gunicorn…", file=sys.stderr)
        setup_env = machine(args.database_url)
        setup_env["load average before"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        server = Server(env, workers=args.workers, log=workdir / "gunicorn.log", probe_path=info["filing_path"])
        for _ in range(2 * args.workers):  # first requests of each worker load templates and URLconfs
            http_request(server.port, "GET", info["filing_path"])
        print(f"gunicorn ready on port {server.port}; filing {args.filings} dossiers…", file=sys.stderr)
        load = run_load(
            server.port,
            info,
            filings=args.filings,
            clients=args.clients,
            double_submits=args.double_submits,
            attachment=attachment,
        )
        setup_env["load average after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        server.stop()
        checks, facts = integrity(args.database_url, load, workdir / "private", len(attachment))
        facts["probe_keys"] = sorted({p["key"] for p in load["posts"] if p["probe"]})
        print(report(args, info, load, checks, facts, setup_env, workdir / "gunicorn.log"))
        if args.json:
            Path(args.json).write_text(json.dumps({"load": load, "checks": checks, "facts": facts}, default=str))
        failed = [c["name"] for c in checks if not c["ok"]]
        if failed:
            print(f"\nFAILED: {'; '.join(failed)}", file=sys.stderr)
            return 1
        return 0
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"kept {args.database_url} and {workdir}", file=sys.stderr)
        else:
            if database_created:
                drop_database(args.database_url)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
