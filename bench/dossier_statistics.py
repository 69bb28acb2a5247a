#!/usr/bin/env python
"""Statistics at province scale (issue 5, item 7): the agency dashboard query and the public page.

Run from the repository root, with PostgreSQL on 127.0.0.1:5432 (trust auth, user ``postgres``)::

    .venv/bin/python bench/dossier_statistics.py                     # 500,000 dossiers, 40 agencies, 30 runs
    .venv/bin/python bench/dossier_statistics.py --dossiers 100000 --runs 10 --json /tmp/stats.json
    .venv/bin/python bench/dossier_statistics.py --explain           # also EXPLAIN (ANALYZE, BUFFERS)

What it does:

1. Creates a fresh database (``--database-url``, default
   ``postgres://postgres@127.0.0.1:5432/portal_bench_stats``; the name must contain "bench",
   because a leftover database of that name is dropped first) and migrates it (``bench.settings``:
   the dev settings with ``DEBUG`` off). Phases (``--phases``, default all three):
   "before" drops the two covering indexes of ``services.0011_statistics_indexes`` and measures
   without them; "after" builds them again (their own definitions) and measures; "snapshot"
   times ``statistics_snapshot_take`` (the hourly recount the public pages read, migration
   ``services.0012``) and measures again: the dashboard queries still count live, the public
   pages of whole-month periods sum the snapshot.
2. Generates a province-year with ``COPY``: ``--dossiers`` (500,000) dossiers over ``--agencies``
   (40: 20 provincial departments and 20 communes) and ``--procedures`` (300), submitted from
   1 January of ``--year`` (default this year) to today: procedure volumes follow a Zipf law
   (s = 1.1), each procedure has its own online share (0–85 %) and a 3 % postal share; counter
   and postal dossiers arrive in office hours on working days, online ones at any hour;
   due dates count 1–30 working days from the reception date (15:00 cut-off; 3 % of
   procedures have no computable time limit); 3.5 % are refused, withdrawn or stopped, the
   rest finish early (55 %), on their due date (38 %) or 1–10 working days late (7 %), and the
   ones whose finish lies after today are in progress (statuses 2/4/5/6, a supplement
   request pauses 30 % of status 5). Rows are written in order of submission, as a real table
   grows, and are as wide as real ones: six form answers (about 0.9 kB of JSON), an address,
   a phone number, an e-mail for online filings. Then ``VACUUM ANALYZE``.
3. Measures, ``--runs`` times each after two warm-up runs, the wall time of:
   (a) the agency dashboard: ``agency_statistics`` + ``procedure_statistics`` of one agency
   (a different agency each run) for the last complete quarter, and for the year to date;
   the province's ``agency_statistics`` for the year to date;
   (b) the public pages through the Django test client, with the statistics cache off
   (``STATISTICS_CACHE_SECONDS = 0``): ``GET /thong-ke/`` (the default: this year to date,
   every agency), ``GET /thong-ke/?co_quan=…&nam=…&ky=q…`` (one agency, one quarter),
   ``GET /thong-ke/dich-vu-truc-tuyen/?nam=…`` and ``GET /api/statistics/agencies``; and,
   for comparison, ``GET /thong-ke/`` with the cache on (5 minutes, warm).
   Prints p50, p95 and max in milliseconds (nearest-rank percentiles) per phase.
4. ``--explain``: ``EXPLAIN (ANALYZE, BUFFERS)`` of the SQL each selector sends (captured from
   the connection), per phase.
5. Drops the database (``--keep`` keeps it).

The server, the client and the database share this 2-CPU machine; PostgreSQL runs with its
default configuration (shared_buffers 128 MB, 2 parallel workers per gather).
"""

import argparse
import json
import math
import os
import platform
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_stats"
INDEX_MIGRATION = "0011_statistics_indexes"

DEPARTMENTS = [
    "Sở Tư pháp",
    "Sở Xây dựng",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường",
    "Sở Nội vụ",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Ban Quản lý các khu công nghiệp",
    "Công an tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Thuế tỉnh",
    "Văn phòng Đăng ký đất đai",
    "Quỹ Đầu tư phát triển",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
]
COMMUNES = [
    "Xuân Hương - Đà Lạt",
    "Cam Ly - Đà Lạt",
    "Lâm Viên - Đà Lạt",
    "Xuân Trường - Đà Lạt",
    "Lang Biang - Đà Lạt",
    "Bảo Lộc 1",
    "Bảo Lộc 2",
    "Bảo Lộc 3",
    "B'Lao",
    "Đức Trọng",
    "Hiệp Thạnh",
    "Đơn Dương",
    "Lạc Dương",
    "Di Linh",
    "Lâm Hà",
    "Đam Rông 1",
    "Cát Tiên",
    "Đạ Huoai",
    "Bảo Lâm 1",
    "Nam Ban Lâm Hà",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hoa", "Hữu Khang", "Ngọc Lan", "Văn Nam", "Thu Trang"]
TIME_LIMITS = [1, 3, 5, 7, 10, 15, 20, 30]
STREETS = ["Trần Phú", "Phan Đình Phùng", "Hùng Vương", "Ba Tháng Hai", "Nguyễn Văn Cừ", "Lê Hồng Phong", "Yersin"]
#: Free text of the kind citizens type in a request (answers make a realistic row width: the
#: statistics must not depend on rows being narrow).
REQUESTS = [
    "Đề nghị cấp bản sao trích lục khai sinh để bổ sung hồ sơ nhập học cho con.",
    "Xin cấp giấy phép xây dựng nhà ở riêng lẻ hai tầng trên thửa đất số 125, tờ bản đồ số 12.",
    "Đề nghị chứng thực bản sao từ bản chính các giấy tờ: căn cước, sổ hộ khẩu, bằng tốt nghiệp.",
    "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh: bổ sung ngành nghề bán lẻ nông sản.",
    "Đề nghị cấp đổi giấy chứng nhận quyền sử dụng đất do bị rách, hư hỏng.",
]


# -- database --------------------------------------------------------------------------------


def _maintenance_url(db_url: str) -> tuple[str, str]:
    parts = urlsplit(db_url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


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


# -- data ------------------------------------------------------------------------------------


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (k**s) for k in range(1, n + 1)]


def make_reference(*, agencies: int, procedures: int, rng: random.Random):
    """Agencies and procedures (code, name, agency index, online share, time limit or None)."""
    from services.models import Agency

    names = [*DEPARTMENTS, *(f"UBND phường {c}" for c in COMMUNES)]
    while len(names) < agencies:
        names.append(f"UBND xã số {len(names) + 1}")
    created = []
    for i, name in enumerate(names[:agencies]):
        created.append(Agency.objects.create(name=name, identifier=f"000.{i // 100:02d}.{i % 100:02d}.H36"))
    procs = []
    for k in range(procedures):
        agency = k % agencies
        limit = None if rng.random() < 0.03 else rng.choice(TIME_LIMITS)
        online = rng.choice([0.0, 0.05, 0.15, 0.3, 0.45, 0.6, 0.75, 0.85])
        procs.append(
            {
                "code": f"{1 + k % 3}.{rng.randrange(1_000, 13_000):06d}",
                "name": f"Thủ tục hành chính số {k + 1} của {names[agency]}",
                "agency": agency,
                "online": online,
                "limit": limit,
            }
        )
    # Codes must be unique: the random part may repeat.
    seen = set()
    for k, proc in enumerate(procs):
        while proc["code"] in seen:
            proc["code"] = f"{1 + k % 3}.{rng.randrange(1_000, 13_000):06d}"
        seen.add(proc["code"])
    return created, procs


def generate(*, dossiers: int, agencies: int, procedures: int, year: int, seed: int) -> dict:
    """Writes the agencies and ``dossiers`` dossiers with COPY; returns what the measurements need."""
    from django.db import connection
    from django.utils import timezone

    from services.models import DossierStatus
    from services.workdays import LOCAL_TZ, WorkingCalendar

    rng = random.Random(seed)
    now = timezone.localtime()
    today = now.date()
    first = date(year, 1, 1)
    last = min(date(year, 12, 31), today)
    agency_objs, procs = make_reference(agencies=agencies, procedures=procedures, rng=rng)
    statuses = dict(DossierStatus.objects.values_list("code", "pk"))
    calendar = WorkingCalendar({})
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    working = [d for d in days if calendar.is_working_day(d)]
    weekend = [d for d in days if not calendar.is_working_day(d)]
    due_cache: dict[tuple[date, int], date] = {}

    def add_wd(d: date, n: int) -> date:
        key = (d, n)
        if key not in due_cache:
            due_cache[key] = calendar.add_working_days(d, n)
        return due_cache[key]

    def reception(at: datetime) -> date:
        d = at.date()
        if not calendar.is_working_day(d) or at.time() > dtime(15, 0):
            return calendar.next_working_day(d)
        return d

    weights = zipf_weights(len(procs))
    rng.shuffle(weights)
    picks = rng.choices(range(len(procs)), weights=weights, k=dossiers)

    columns = [
        "code",
        "procedure_code",
        "procedure_name",
        "case_title",
        "receiving_agency_id",
        "channel",
        "applicant_name",
        "applicant_id_type",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "answers",
        "status_id",
        "submitted_at",
        "received_on",
        "time_limit",
        "time_unit",
        "due_date",
        "finished_at",
        "returned_at",
        "accepted_at",
        "original_due_date",
        "due_date_extended",
        "paused_at",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'services_dossier' "
            "AND is_nullable = 'NO' AND column_default IS NULL"
        )
        extra = [(name, kind) for name, kind in cursor.fetchall() if name not in columns and name != "id"]
    fillers = {"boolean": False, "integer": 0, "smallint": 0, "bigint": 0, "jsonb": "{}", "numeric": 0}
    extra_values = [fillers.get(kind, "") for _, kind in extra]
    columns += [name for name, _ in extra]

    # Who files what, when and how, first; then the rows in order of submission, as a real
    # table grows (its physical order follows submitted_at, which index-only scans rely on).
    arrivals = []
    for pick in picks:
        proc = procs[pick]
        r = rng.random()
        channel = "online" if r < proc["online"] else ("post" if r < proc["online"] + 0.03 else "in_person")
        if channel == "online" and rng.random() < 0.08 and weekend:
            at = datetime.combine(rng.choice(weekend), dtime(rng.randrange(0, 24), rng.randrange(60)), tzinfo=LOCAL_TZ)
        else:
            hour = rng.randrange(0, 24) if channel == "online" else rng.randrange(7, 17)
            at = datetime.combine(rng.choice(working), dtime(hour, rng.randrange(60)), tzinfo=LOCAL_TZ)
        if at > now:
            at = now - timedelta(minutes=rng.randrange(1, 600))
        arrivals.append((at, pick, channel))
    arrivals.sort(key=lambda arrival: arrival[0])

    sequences: dict[tuple[int, date], int] = {}
    counts = {"closed": 0, "finished": 0, "in_progress": 0}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY services_dossier ({', '.join(columns)}) FROM STDIN") as copy:
            for i, (at, pick, channel) in enumerate(arrivals):
                proc = procs[pick]
                agency = agency_objs[proc["agency"]]
                day = at.date()
                seq = sequences.get((agency.pk, day), 0) + 1
                sequences[(agency.pk, day)] = seq
                code = f"{agency.identifier}-{day:%y%m%d}-{seq:04d}"
                received_on = reception(at)
                limit = proc["limit"]
                due = add_wd(received_on, limit) if limit else None
                accepted = at + timedelta(hours=rng.randrange(1, 30))
                finished = returned = paused = None
                outcome = rng.random()
                if outcome < 0.02:
                    status, accepted, due = 3, None, None
                elif outcome < 0.035:
                    status = 7 if outcome < 0.03 else 8
                else:
                    n = limit or rng.choice(TIME_LIMITS)
                    u = rng.random()
                    k = (
                        rng.randrange(max(0, n // 3), n)
                        if u < 0.55 and n > 1
                        else (n if u < 0.93 else n + rng.randrange(1, 11))
                    )
                    finish_day = add_wd(received_on, k)
                    finish_at = datetime.combine(
                        finish_day, dtime(rng.randrange(8, 17), rng.randrange(60)), tzinfo=LOCAL_TZ
                    )
                    if finish_at <= now:
                        finished = finish_at
                        if rng.random() < 0.9:
                            returned = min(finish_at + timedelta(days=rng.randrange(0, 4), hours=1), now)
                            status = 10
                        else:
                            status = 9
                    else:
                        status = rng.choices([2, 4, 5, 6], weights=[2, 6, 1.5, 0.5])[0]
                        if status == 5 and rng.random() < 0.3:
                            paused = min(accepted + timedelta(days=rng.randrange(1, 5)), now)
                if status in (3, 7, 8):
                    counts["closed"] += 1
                elif finished:
                    counts["finished"] += 1
                else:
                    counts["in_progress"] += 1
                commune = rng.choice(COMMUNES)
                answers = json.dumps(
                    [
                        {"id": f"{k:08d}-0000-4000-8000-{i:012d}", "type": kind, "label": label, "value": value}
                        for k, (kind, label, value) in enumerate(
                            [
                                (
                                    "short_text",
                                    "Họ và tên người được cấp",
                                    f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                                ),
                                (
                                    "date",
                                    "Ngày sinh",
                                    f"{rng.randrange(1950, 2020)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}",
                                ),
                                (
                                    "short_text",
                                    "Nơi thường trú",
                                    f"Số {rng.randrange(1, 300)} đường {rng.choice(STREETS)}, {commune}",
                                ),
                                ("long_text", "Nội dung đề nghị", rng.choice(REQUESTS)),
                                (
                                    "file",
                                    "Đơn đề nghị (bản chính)",
                                    {"name": "don-de-nghi.pdf", "size": rng.randrange(50_000, 2_000_000)},
                                ),
                                ("checkbox", "Tôi cam đoan những thông tin trên là đúng sự thật", True),
                            ]
                        )
                    ],
                    ensure_ascii=False,
                )
                address = json.dumps(
                    {
                        "province": "Lâm Đồng",
                        "commune": commune,
                        "street": f"Số {rng.randrange(1, 300)} {rng.choice(STREETS)}",
                    },
                    ensure_ascii=False,
                )
                phone = f"09{rng.randrange(10**7, 10**8)}"
                email = f"nguoinop{i}@example.vn" if channel == "online" else ""
                copy.write_row(
                    [
                        code,
                        proc["code"],
                        proc["name"],
                        "",
                        agency.pk,
                        channel,
                        f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                        "cccd",
                        f"{rng.randrange(10**11, 10**12)}",
                        phone,
                        email,
                        address,
                        answers,
                        statuses[status],
                        at,
                        received_on,
                        limit,
                        "working_days" if limit else "other",
                        due,
                        finished,
                        returned,
                        accepted,
                        due,
                        False,
                        paused,
                        *extra_values,
                    ]
                )
    written = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE services_dossier")
    vacuum = time.perf_counter() - started
    return {
        "year": year,
        "first": first,
        "last": last,
        "today": today,
        "agencies": [(a.pk, a.slug) for a in agency_objs],
        "copy_seconds": written,
        "vacuum_seconds": vacuum,
        "counts": counts,
    }


# -- measurements ----------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def timed(fn, runs: int, warmup: int = 2) -> dict:
    for i in range(warmup):
        fn(i)
    times = []
    for i in range(runs):
        started = time.perf_counter()
        fn(warmup + i)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "runs": runs,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "max": max(times),
        "mean": sum(times) / len(times),
    }


def last_complete_quarter(today: date, year: int) -> tuple[date, date, int]:
    q = (today.month - 1) // 3 if today.year == year else 4
    q = max(q, 1)
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
    return start, min(end, today), q


def measure(info: dict, *, runs: int) -> dict:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from services.dossiers.statistics import agency_statistics, procedure_statistics

    today, year = info["today"], info["year"]
    q_start, q_end, q = last_complete_quarter(today, year)
    ytd = (info["first"], info["last"])
    agencies = info["agencies"]
    client = Client(SERVER_NAME="127.0.0.1")
    results = {}

    def dashboard(start, end):
        def run(i):
            pk = agencies[i % len(agencies)][0]
            agency_statistics(start=start, end=end, agency=pk, today=today)
            procedure_statistics(start=start, end=end, agency=pk, today=today)

        return run

    results["(a) dashboard: one agency, one quarter"] = timed(dashboard(q_start, q_end), runs)
    results["(a) dashboard: one agency, year to date"] = timed(dashboard(*ytd), runs)
    results["(a) province: every agency, year to date"] = timed(
        lambda i: agency_statistics(start=ytd[0], end=ytd[1], today=today), runs
    )

    def get(path_of):
        def run(i):
            response = client.get(path_of(i))
            if response.status_code != 200:
                raise SystemExit(f"GET {path_of(i)} answered {response.status_code}")

        return run

    settings.STATISTICS_CACHE_SECONDS = 0
    default_path = "/thong-ke/" if year == today.year else f"/thong-ke/?nam={year}"
    results[f"(b) GET {default_path} (cache off)"] = timed(get(lambda i: default_path), runs)
    results["(b) GET /thong-ke/?co_quan=…&nam=…&ky=q… (cache off)"] = timed(
        get(lambda i: f"/thong-ke/?co_quan={agencies[i % len(agencies)][1]}&nam={year}&ky=q{q}"), runs
    )
    results[f"(b) GET /thong-ke/dich-vu-truc-tuyen/?nam={year} (cache off)"] = timed(
        get(lambda i: f"/thong-ke/dich-vu-truc-tuyen/?nam={year}"), runs
    )
    results["(b) GET /api/statistics/agencies (cache off)"] = timed(
        get(lambda i: f"/api/statistics/agencies?start={ytd[0]}&end={ytd[1]}"), runs
    )
    settings.STATISTICS_CACHE_SECONDS = 300
    cache.clear()
    results[f"(b) GET {default_path} (cache on, warm)"] = timed(get(lambda i: default_path), runs)
    return results


def explain(info: dict) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of the aggregate each selector sends, captured from the connection."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from services.dossiers.statistics import agency_statistics, procedure_statistics, service_year_to_date

    today, year = info["today"], info["year"]
    q_start, q_end, _ = last_complete_quarter(today, year)
    pk = info["agencies"][0][0]
    cases = {
        "agency_statistics(one agency, quarter)": lambda: agency_statistics(
            start=q_start, end=q_end, agency=pk, today=today
        ),
        "procedure_statistics(one agency, quarter)": lambda: procedure_statistics(
            start=q_start, end=q_end, agency=pk, today=today
        ),
        "agency_statistics(province, year to date)": lambda: agency_statistics(
            start=info["first"], end=info["last"], today=today
        ),
        "service_year_to_date(year)": lambda: service_year_to_date(year=year, today=today),
    }
    plans = {}
    for name, call in cases.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        # The counting query: the one that groups (the others read the statuses and names).
        sql = next(q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plans[name] = {"sql": sql, "plan": "\n".join(row[0] for row in cursor.fetchall())}
    return plans


STATS_INDEXES = ("dossier_stats_period", "dossier_stats_agency_period")


def drop_stats_indexes() -> list[str]:
    """Drops the covering indexes of migration 0011 and returns their definitions (``CREATE INDEX ...``)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(STATS_INDEXES)])
        definitions = [row[0] for row in cursor.fetchall()]
        for name in STATS_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    return definitions


def create_indexes(definitions: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for definition in definitions:
            cursor.execute(definition)
        cursor.execute("VACUUM ANALYZE services_dossier")


def index_names() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'services_dossier' ORDER BY indexname")
        return [row[0] for row in cursor.fetchall()]


def print_table(phase: str, results: dict) -> None:
    print(f"\n#### {phase}\n")
    print("| measurement | runs | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['runs']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} |")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--dossiers", type=int, default=500_000)
    parser.add_argument("--agencies", type=int, default=40)
    parser.add_argument("--procedures", type=int, default=300)
    parser.add_argument("--year", type=int, default=None, help="default: this year (1 January to today)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--phases", default="before,after,snapshot", help="before,after,snapshot (default) or a subset")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    create_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("ELASTICSEARCH_URL", "")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    report = {"machine": {}, "phases": {}, "explain": {}}
    try:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        phases = [p for p in args.phases.split(",") if p]
        # "before": the same schema without the covering indexes of migration 0011, put back for "after".
        dropped = drop_stats_indexes() if "before" in phases else []
        migrate_seconds = time.perf_counter() - started
        year = args.year or timezone.localdate().year
        info = generate(
            dossiers=args.dossiers, agencies=args.agencies, procedures=args.procedures, year=year, seed=args.seed
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT version(), pg_size_pretty(pg_total_relation_size('services_dossier'))")
            version, size = cursor.fetchone()
        report["machine"] = {
            "python": platform.python_version(),
            "postgresql": version.split(" on ")[0],
            "nproc": os.cpu_count(),
            "load": os.getloadavg(),
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
            ).stdout.strip(),
            "dossier_table_size": size,
        }
        print(
            f"generated {args.dossiers:,} dossiers ({info['counts']}) for {info['first']}–{info['last']} "
            f"over {args.agencies} agencies and {args.procedures} procedures: COPY {info['copy_seconds']:.1f} s, "
            f"VACUUM ANALYZE {info['vacuum_seconds']:.1f} s; migrate {migrate_seconds:.1f} s; table {size}; "
            f"{report['machine']['postgresql']}; load {report['machine']['load']}"
        )
        for phase in phases:
            if phase == "after" and dropped:
                started = time.perf_counter()
                create_indexes(dropped)
                print(
                    f"\nCREATE the indexes of {INDEX_MIGRATION} + VACUUM ANALYZE: {time.perf_counter() - started:.1f} s"
                )
            snapshot_results = {}
            if phase == "snapshot":
                from services.dossiers.statistics import statistics_snapshot_take
                from services.models import DossierMonthlyCount

                snapshot_results["statistics_snapshot_take (whole table, 3 runs)"] = timed(
                    lambda i: statistics_snapshot_take(), 3, warmup=0
                )
                print(
                    f"\nsnapshot: {DossierMonthlyCount.objects.count():,} monthly rows; "
                    f"take p50 {snapshot_results['statistics_snapshot_take (whole table, 3 runs)']['p50']:.0f} ms"
                )
            print(f"\nphase {phase}: indexes on services_dossier: {', '.join(index_names())}")
            results = {**snapshot_results, **measure(info, runs=args.runs)}
            report["phases"][phase] = {"indexes": index_names(), "results": results}
            print_table(phase, results)
            if args.explain:
                plans = explain(info)
                report["explain"][phase] = plans
                for name, plan in plans.items():
                    print(f"\n-- {phase}: {name}\n{plan['plan']}")
        report["info"] = {k: str(v) for k, v in info.items() if k != "agencies"}
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, default=str, ensure_ascii=False))
    finally:
        connection.close()
        if not args.keep:
            drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
