#!/usr/bin/env python
"""Evaluation results at province scale (issue 6 item 6): the whole recomputation and a published page.

Run from the repository root, with PostgreSQL on 127.0.0.1:5432 (trust auth, user ``postgres``)::

    .venv/bin/python bench/evaluation.py                          # 500,000 dossiers, ~1,000,000 answers
    .venv/bin/python bench/evaluation.py --dossiers 50000 --answers 100000 --runs 10

What it does:

1. Creates a fresh database (``--database-url``, default
   ``postgres://postgres@127.0.0.1:5432/portal_bench_evaluation``; the name must contain "bench",
   a leftover database of that name is dropped first) and migrates it (``bench.settings``).
2. Generates **last year** (every quarter closed, so it can be published) with the dossier
   generator of ``bench/dossier_statistics.py`` (``COPY``: ``--dossiers`` dossiers over 40
   agencies — 20 departments, 20 communes, given the provincial and commune tiers here — and
   300 procedures, Zipf volumes, early 55 % / on time 38 % / late 7 %), then, in SQL:
   hand-overs for 60 % of the finished dossiers (an ``assign`` event with its own step due date
   0–2 days before the dossier's, and a ``result_ready`` event at the finish: form 05);
   consultations of another agency for 5 %; citizen evaluations of finished dossiers, each with
   the four index answers (1, 3, 4, 7; points 2/1/0 weighted 60/30/10) and, filed online, the
   four Circular 32/2017 satisfaction answers, sampled so that there are about ``--answers``
   answers (1,000,000) in all; and every agency's four quarterly self-assessments (submitted).
   Then ``VACUUM ANALYZE``.
3. Measures (wall time, ``time.perf_counter``):
   (a) ``results_recompute`` of the whole year (``--recompute-runs`` times, default 3) and of
       each quarter once; ``results_publish`` of the year once;
   (b) published pages through the Django test client, ``--runs`` times each after two warm-up
       runs, with the results cache off (``RESULTS_CACHE_SECONDS = 0``, every request reads the
       database) and, for the overall page, on: ``/danh-gia/ket-qua/`` (40 agencies),
       ``/danh-gia/ket-qua/co-quan/<slug>/`` (one agency and its procedures),
       ``/danh-gia/ket-qua/thu-tuc/`` (500 rows of procedures), ``/api/evaluation/results``.
   Prints p50, p95 and max in milliseconds (nearest-rank percentiles).
4. Drops the database (``--keep`` keeps it).

The script, the client and the database share the development machine (2 CPUs, shared with
other work); PostgreSQL runs with its default configuration.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.dossier_statistics import create_database, drop_database, generate, timed  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_evaluation"


def add_evaluation_data(*, year: int, answers: int, seed: float) -> dict:
    """Hand-overs, consultations, evaluations with answers, self-assessments; returns their counts."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from evaluation.models import SelfAssessment, SelfAssessmentAnswer, SurveyKind, SurveyTemplate
    from services.models import AdministrativeTier, Agency, DossierStatus

    started = time.perf_counter()
    province, _ = AdministrativeTier.objects.get_or_create(code="province", defaults={"name": "Cấp tỉnh"})
    commune, _ = AdministrativeTier.objects.get_or_create(code="commune", defaults={"name": "Cấp xã"})
    agencies = list(Agency.objects.order_by("pk"))
    for i, agency in enumerate(agencies):
        agency.tier = province if i < 20 else commune
    Agency.objects.bulk_update(agencies, ["tier"])
    processing, ready = (DossierStatus.objects.get(code=c).pk for c in (4, 9))
    citizen = SurveyTemplate.objects.get(kind=SurveyKind.CITIZEN_INDEX).pk
    satisfaction = SurveyTemplate.objects.get(kind=SurveyKind.ONLINE_SATISFACTION).pk
    officers = [
        get_user_model().objects.create_user(username=f"canbo{i}", first_name=f"Cán bộ {i}").pk for i in range(400)
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        # Each agency's dossiers go to its ten officers.
        cursor.execute(
            "UPDATE services_dossier SET assigned_to_id = %s + (receiving_agency_id %% 40) * 10 + (id %% 10) "
            "WHERE finished_at IS NOT NULL",
            [officers[0]],
        )
        cursor.execute(
            """
            INSERT INTO services_dossierevent (dossier_id, at, to_status_id, action, note, data, step_due_date,
                                               handed_to_id)
            SELECT id, accepted_at + interval '2 hours', %s, 'assign', '', '{}',
                   due_date - (id %% 3)::int, assigned_to_id
            FROM services_dossier
            WHERE finished_at IS NOT NULL AND due_date IS NOT NULL AND accepted_at IS NOT NULL AND random() < 0.6
            """,
            [processing],
        )
        cursor.execute(
            """
            INSERT INTO services_dossierevent (dossier_id, at, to_status_id, action, note, data)
            SELECT e.dossier_id, d.finished_at, %s, 'result_ready', '', '{}'
            FROM services_dossierevent e JOIN services_dossier d ON d.id = e.dossier_id
            WHERE e.action = 'assign'
            """,
            [ready],
        )
        cursor.execute(
            """
            INSERT INTO services_consultation (dossier_id, agency_id, question, requested_at, due_date,
                                               answered_at, answer)
            SELECT id, %s, 'Xin ý kiến', accepted_at + interval '1 day', due_date - 1,
                   accepted_at + (1 + (id %% 7)) * interval '1 day', 'Đồng ý'
            FROM services_dossier
            WHERE finished_at IS NOT NULL AND due_date IS NOT NULL AND accepted_at IS NOT NULL AND random() < 0.05
            """,
            [agencies[0].pk],
        )
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE channel = 'online') FROM services_dossier "
            "WHERE finished_at IS NOT NULL"
        )
        finished, online = cursor.fetchone()
        # 4 index answers per evaluation, 4 more for online dossiers: pick a share p of the
        # finished dossiers so that 4 p (finished + online) is about `answers`.
        share = min(1.0, answers / (4 * (finished + online)))
        cursor.execute(
            """
            INSERT INTO evaluation_evaluation (dossier_id, template_id, satisfaction_template_id, agency_id,
                                               procedure_code, submitted_at, channel, comment)
            SELECT id, %s, CASE WHEN channel = 'online' THEN %s END, receiving_agency_id, procedure_code,
                   finished_at + interval '3 days', 'online', ''
            FROM services_dossier WHERE finished_at IS NOT NULL AND random() < %s
            """,
            [citizen, satisfaction, share],
        )
        points = "CASE WHEN random() < 0.6 THEN 2 WHEN random() < 0.75 THEN 1 ELSE 0 END"
        cursor.execute(
            f"""
            INSERT INTO evaluation_evaluationanswer (evaluation_id, kind, question_id, "index", score)
            SELECT v.id, 'citizen_index', 'q' || i, i, {points}
            FROM evaluation_evaluation v CROSS JOIN (VALUES (1), (3), (4), (7)) AS q(i)
            """
        )
        cursor.execute(
            f"""
            INSERT INTO evaluation_evaluationanswer (evaluation_id, kind, question_id, score)
            SELECT v.id, 'online_satisfaction', item, {points}
            FROM evaluation_evaluation v
            CROSS JOIN (VALUES ('overall'), ('ease_of_use'), ('timeliness'), ('staff_support')) AS s(item)
            WHERE v.satisfaction_template_id IS NOT NULL
            """
        )
        cursor.execute(
            "SELECT (SELECT count(*) FROM evaluation_evaluation), (SELECT count(*) FROM evaluation_evaluationanswer), "
            "(SELECT count(*) FROM services_dossierevent), (SELECT count(*) FROM services_consultation)"
        )
        evaluations, answer_rows, events, consultations = cursor.fetchone()
    assessments = SelfAssessment.objects.bulk_create(
        SelfAssessment(agency=agency, year=year, quarter=q, status="submitted")
        for agency in agencies
        for q in range(1, 5)
    )
    SelfAssessmentAnswer.objects.bulk_create(
        SelfAssessmentAnswer(self_assessment=a, index=i, score=(a.agency_id + a.quarter + i) % 3)
        for a in assessments
        for i in (5, 6, 8, 9)
    )
    with connection.cursor() as cursor:
        for table in (
            "services_dossier",
            "services_dossierevent",
            "services_consultation",
            "evaluation_evaluation",
            "evaluation_evaluationanswer",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "finished": finished,
        "evaluations": evaluations,
        "answers": answer_rows,
        "events": events,
        "consultations": consultations,
        "self_assessments": len(assessments),
        "seconds": time.perf_counter() - started,
    }


def measure_recompute(*, year: int, runs: int) -> dict:
    from django.contrib.auth import get_user_model

    from evaluation.models import AgencyResult, OfficerResult, ProcedureResult
    from evaluation.publication import results_publish, results_recompute

    today = date(year + 1, 1, 15)
    results = {}
    results["results_recompute(year)"] = timed(lambda i: results_recompute(year=year, quarter=0, today=today), runs, 0)
    for q in range(1, 5):
        results[f"results_recompute(Q{q})"] = timed(
            lambda i, q=q: results_recompute(year=year, quarter=q, today=today), 1, 0
        )
    admin = get_user_model().objects.create_superuser(username="bench-admin", email="b@example.vn", password="x")
    started = time.perf_counter()
    period = results_publish(year=year, quarter=0, user=admin, today=today)
    ms = (time.perf_counter() - started) * 1000
    results["results_publish(year)"] = {"runs": 1, "p50": ms, "p95": ms, "max": ms, "mean": ms}
    for q in range(1, 5):
        results_publish(year=year, quarter=q, user=admin, today=today)
    rows = {
        "agencies": AgencyResult.objects.filter(period=period).count(),
        "procedures": ProcedureResult.objects.filter(period=period).count(),
        "officers": OfficerResult.objects.filter(period=period).count(),
        "dossiers": period.dossiers,
    }
    return {"results": results, "rows": rows}


def measure_pages(*, year: int, runs: int) -> dict:
    from django.core.cache import cache
    from django.test import Client, override_settings

    from evaluation.models import AgencyResult

    client = Client()
    slugs = list(
        AgencyResult.objects.filter(period__year=year, period__quarter=0).values_list("agency__slug", flat=True)
    )
    pages = {
        "GET /danh-gia/ket-qua/?nam=Y (40 agencies)": lambda i: f"/danh-gia/ket-qua/?nam={year}",
        "GET /danh-gia/ket-qua/?nam=Y&ky=q2&cap=commune": lambda i: f"/danh-gia/ket-qua/?nam={year}&ky=q2&cap=commune",
        "GET /danh-gia/ket-qua/co-quan/<slug>/?nam=Y": lambda i: (
            f"/danh-gia/ket-qua/co-quan/{slugs[i % len(slugs)]}/?nam={year}"
        ),
        "GET /danh-gia/ket-qua/thu-tuc/?nam=Y (500 rows)": lambda i: f"/danh-gia/ket-qua/thu-tuc/?nam={year}",
        "GET /api/evaluation/results?year=Y": lambda i: f"/api/evaluation/results?year={year}",
    }

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")

    results = {}
    with override_settings(RESULTS_CACHE_SECONDS=0):
        for name, url in pages.items():
            results[f"{name}, cache off"] = timed(lambda i, url=url: get(url(i)), runs)
    cache.clear()
    results["GET /danh-gia/ket-qua/?nam=Y, cache on"] = timed(lambda i: get(f"/danh-gia/ket-qua/?nam={year}"), runs)
    return results


def print_table(title: str, results: dict) -> None:
    print(f"\n{title}")
    print(f"{'measurement':<62} {'runs':>4} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for name, r in results.items():
        print(f"{name:<62} {r['runs']:>4} {r['p50']:>9.0f} {r['p95']:>9.0f} {r['max']:>9.0f}")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--dossiers", type=int, default=500_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--recompute-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20250101)
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

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    try:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        migrate_seconds = time.perf_counter() - started
        year = timezone.localdate().year - 1
        info = generate(dossiers=args.dossiers, agencies=40, procedures=300, year=year, seed=args.seed)
        extra = add_evaluation_data(year=year, answers=args.answers, seed=0.42)
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        print(
            f"year {year}: {args.dossiers:,} dossiers ({info['counts']}), COPY {info['copy_seconds']:.1f} s; "
            f"{extra['finished']:,} finished, {extra['evaluations']:,} evaluations, {extra['answers']:,} answers, "
            f"{extra['events']:,} events, {extra['consultations']:,} consultations, "
            f"{extra['self_assessments']} self-assessments ({extra['seconds']:.1f} s); migrate {migrate_seconds:.1f} s"
        )
        print(
            f"machine: Python {platform.python_version()}, {version}, {os.cpu_count()} CPUs, "
            f"load {tuple(round(x, 2) for x in os.getloadavg())}, commit {commit.stdout.strip()}"
        )
        recompute = measure_recompute(year=year, runs=args.recompute_runs)
        print_table(f"recompute and publish (rows of the year: {recompute['rows']})", recompute["results"])
        print_table("published pages", measure_pages(year=year, runs=args.runs))
        print(f"\nload after: {tuple(round(x, 2) for x in os.getloadavg())}")
    finally:
        connection.close()
        if not args.keep:
            drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
