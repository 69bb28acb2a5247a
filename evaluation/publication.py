"""Recomputing and publishing evaluation results (tính và công bố kết quả đánh giá), and reading them.

Rules: Circular 01/2018 Art 13–15 (indices, aggregation, classes; ``evaluation.scoring``),
Decree 61/2018 Art 32 (results aggregated by the provincial office and published on the
portal, quarterly and yearly). DOMAIN.md §5.

**Which dossiers a period scores.** A dossier belongs to the period in which its result was
ready: the local date (Asia/Ho_Chi_Minh) of ``finished_at``, else ``returned_at``, within
``[start, end]``; refused, withdrawn and stopped dossiers (national status 3/7/8) are never
scored. Every such dossier has indices 1 and 2 (from its dates, when it has a due date); the
ones a citizen evaluated also have 3, 4, 7 (the lowest answer per index, ``answer_index``). A
citizen's answer to an index-1 question is not used: the dates are authoritative. Ratings
given after a period was published do not change it.

**Per dossier** (``evaluation.scoring``): index 1 = ``time_score(finish date, original due
date or due date)``; index 2 = the lowest ``time_score`` of its units — each ``assign``
hand-over with a step due date, ended by the next ``assign`` / ``result_ready`` / ``return``
event or else by the result, and each consultation, ended by its answer or else by the
result — or index 1 when it has no unit limit.

**Per group**: index score = sum / count, half up to one decimal (``index_score``); indices 5,
6, 8, 9 from the agency's *submitted* self-assessments of the period's quarters (a year: sum
over its quarters / number of quarters assessed). Agency total of 18 and class, procedure and
officer totals of 10 and the officer's band as in ``evaluation.scoring``.

**Efficiency**: one SQL statement scores every dossier of the period and sums the points per
(agency, procedure code, officer) in the database (window function for the hand-overs, no
row reaches Python); Python adds up those sums (a few thousand rows for a province-year) into
agency, procedure and officer rows and writes them with ``bulk_create``. ``bench/evaluation.py``
measures a province-year.

Writes (``results_recompute``, ``results_publish``) take keyword-only arguments, run in a
transaction, leave an entry in Wagtail's audit log (``evaluation.results_recompute`` /
``evaluation.results_publish``, who and when) and raise ``ResultsError`` (a ``ValueError`` with a Vietnamese message) for a
refused request, leaving nothing half-written. Reads are the ``published_*`` selectors: only
published periods are ever shown to the public.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from evaluation.models import (
    Evaluation,
    EvaluationAnswer,
    SelfAssessment,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
    SurveyKind,
)
from evaluation.models.results import AgencyResult, OfficerResult, PeriodStatus, ProcedureResult, ResultPeriod
from evaluation.scoring import (
    DOSSIER_INDICES,
    UNIT_INDICES,
    agency_class,
    agency_total,
    competition_ranks,
    decision_766_groups,
    index_scores,
    officer_band,
    officer_total,
)
from services.dossiers.selectors import person_name
from services.dossiers.statistics import CLOSED_WITHOUT_RESULT, LOCAL_OFFSET
from services.models import Agency, Consultation, Dossier, DossierEvent, DossierStatus
from services.workdays import LOCAL_TZ

#: The first year results can be computed for (the one-stop rules of Decree 61/2018).
FIRST_YEAR = 2018
YEAR = ResultPeriod.YEAR
#: Hand-over actions that end the previous processing step (form 05).
STEP_ENDS = ("assign", "result_ready", "return")


class ResultsError(ValueError):
    """A refused recompute or publication; ``str()`` is the Vietnamese message for the user."""


# -- periods -------------------------------------------------------------------------------


def period_dates(year: int, quarter: int) -> tuple[date, date]:
    """``(start, end)`` local dates of quarter 1–4 of ``year``, or of the whole year for ``quarter`` 0.

    ``ResultsError`` for a quarter outside 0–4.
    """
    if quarter not in range(0, 5):
        raise ResultsError(_("Quý phải từ 1 đến 4 (hoặc cả năm)."))
    first, last = (1, 12) if quarter == YEAR else (3 * quarter - 2, 3 * quarter)
    end = (date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)) - timedelta(days=1)
    return date(year, first, 1), end


def _today(today: date | None) -> date:
    return today or timezone.localdate(timezone=LOCAL_TZ)


def _check_year(year: int, today: date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise ResultsError(_("Năm đánh giá từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": today.year})


# -- scoring in the database ---------------------------------------------------------------


def _local_date(sql: str) -> str:
    """SQL for the Asia/Ho_Chi_Minh date of a timestamp expression (fixed +07:00, as in statistics)."""
    hours = int(LOCAL_OFFSET.total_seconds()) // 3600
    if connection.vendor == "postgresql":
        return f"(({sql}) AT TIME ZONE INTERVAL '{hours:+03d}:00')::date"
    return f"date({sql}, '{hours:+d} hours')"


def _scoring_sql(closed_ids: tuple[int, ...]) -> str:
    q = connection.ops.quote_name
    dossier, event, consultation = Dossier._meta.db_table, DossierEvent._meta.db_table, Consultation._meta.db_table
    evaluation, answer = Evaluation._meta.db_table, EvaluationAnswer._meta.db_table
    finish = "COALESCE(x.finished_at, x.returned_at)"
    step_ends = ", ".join(f"'{action}'" for action in STEP_ENDS)
    # Primary keys read from the database, so integers: safe to write into the statement.
    closed = ", ".join(str(int(pk)) for pk in closed_ids)
    return f"""
WITH d AS (
    SELECT x.id, x.receiving_agency_id AS agency_id, x.procedure_code, x.procedure_name,
           x.assigned_to_id AS officer_id, CASE WHEN x.channel = 'online' THEN 1 ELSE 0 END AS online,
           {finish} AS finish_at, {_local_date(finish)} AS done_on,
           COALESCE(x.original_due_date, x.due_date) AS limit_on
    FROM {q(dossier)} x
    WHERE {finish} >= %s AND {finish} < %s AND NOT x.status_id IN ({closed})
),
hops AS (
    SELECT e.dossier_id, e.action, e.step_due_date,
           LEAD(e.at) OVER (PARTITION BY e.dossier_id ORDER BY e.at, e.id) AS next_at
    FROM {q(event)} e JOIN d ON d.id = e.dossier_id
    WHERE e.action IN ({step_ends})
),
units AS (
    SELECT h.dossier_id, h.step_due_date AS due_on, {_local_date("COALESCE(h.next_at, d.finish_at)")} AS done_on
    FROM hops h JOIN d ON d.id = h.dossier_id
    WHERE h.action = 'assign' AND h.step_due_date IS NOT NULL
    UNION ALL
    SELECT c.dossier_id, c.due_date, {_local_date("COALESCE(c.answered_at, d.finish_at)")}
    FROM {q(consultation)} c JOIN d ON d.id = c.dossier_id
),
unit_scores AS (
    SELECT dossier_id,
           MIN(CASE WHEN done_on < due_on THEN 2 WHEN done_on = due_on THEN 1 ELSE 0 END) AS s2
    FROM units GROUP BY dossier_id
),
ans AS (
    SELECT v.dossier_id,
           MIN(CASE WHEN a.{q("index")} = 3 THEN a.score END) AS s3,
           MIN(CASE WHEN a.{q("index")} = 4 THEN a.score END) AS s4,
           MIN(CASE WHEN a.{q("index")} = 7 THEN a.score END) AS s7,
           SUM(CASE WHEN a.kind = %s AND a.score IS NOT NULL THEN 1 ELSE 0 END) AS rated,
           SUM(CASE WHEN a.kind = %s AND a.score >= 1 THEN 1 ELSE 0 END) AS satisfied
    FROM {q(evaluation)} v JOIN d ON d.id = v.dossier_id
    LEFT JOIN {q(answer)} a ON a.evaluation_id = v.id
    GROUP BY v.dossier_id
),
scored AS (
    SELECT d.agency_id, d.procedure_code, d.procedure_name, d.officer_id, d.online,
           CASE WHEN d.limit_on IS NULL THEN NULL WHEN d.done_on < d.limit_on THEN 2
                WHEN d.done_on = d.limit_on THEN 1 ELSE 0 END AS s1,
           u.s2 AS unit_s2,
           CASE WHEN ans.dossier_id IS NULL THEN 0 ELSE 1 END AS evaluated,
           ans.s3, ans.s4, ans.s7, COALESCE(ans.rated, 0) AS rated, COALESCE(ans.satisfied, 0) AS satisfied
    FROM d LEFT JOIN unit_scores u ON u.dossier_id = d.id LEFT JOIN ans ON ans.dossier_id = d.id
)
SELECT agency_id, procedure_code, officer_id, MAX(procedure_name), COUNT(*), SUM(evaluated),
       SUM(s1), COUNT(s1), SUM(COALESCE(unit_s2, s1)), COUNT(COALESCE(unit_s2, s1)),
       SUM(s3), COUNT(s3), SUM(s4), COUNT(s4), SUM(s7), COUNT(s7),
       SUM(CASE WHEN s1 >= 1 THEN 1 ELSE 0 END), SUM(online), SUM(rated), SUM(satisfied)
FROM scored
GROUP BY agency_id, procedure_code, officer_id
"""


@dataclass
class Tally:
    """Sums of one group: dossiers, evaluations, ``{index: [points, dossiers]}`` and the Decision 766 counts."""

    dossiers: int = 0
    evaluations: int = 0
    in_time: int = 0
    online: int = 0
    rated: int = 0
    satisfied: int = 0

    def __post_init__(self):
        self.indices: dict[int, list[int]] = {i: [0, 0] for i in DOSSIER_INDICES}

    def add(self, row: tuple) -> None:
        (dossiers, evaluations, *pairs), counts = row[:12], row[12:]
        self.dossiers += dossiers
        self.evaluations += evaluations or 0
        for index, points, count in zip(DOSSIER_INDICES, pairs[0::2], pairs[1::2], strict=True):
            self.indices[index][0] += points or 0
            self.indices[index][1] += count or 0
        in_time, online, rated, satisfied = (value or 0 for value in counts)
        self.in_time += in_time
        self.online += online
        self.rated += rated
        self.satisfied += satisfied


def _dossier_tallies(start: date, end: date) -> list[tuple]:
    """``(agency_id, procedure_code, officer_id, procedure_name, dossiers, evaluations, s1, n1, … s7, n7,
    in_time, online, rated, satisfied)`` per group of the dossiers finished in ``[start, end]``."""
    low = datetime.combine(start, time.min, tzinfo=LOCAL_TZ)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    closed = tuple(DossierStatus.objects.filter(code__in=CLOSED_WITHOUT_RESULT).values_list("pk", flat=True)) or (-1,)
    params = [
        connection.ops.adapt_datetimefield_value(low),
        connection.ops.adapt_datetimefield_value(high),
        SurveyKind.ONLINE_SATISFACTION.value,
        SurveyKind.ONLINE_SATISFACTION.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_scoring_sql(closed), params)
        return cursor.fetchall()


def _unit_tallies(year: int, quarter: int) -> dict[int, dict[int, list[int]]]:
    """``{agency_id: {index: [points, quarters]}}`` of the submitted self-assessments of the period."""
    quarters = range(1, 5) if quarter == YEAR else [quarter]
    rows = SelfAssessmentAnswer.objects.filter(
        self_assessment__year=year,
        self_assessment__quarter__in=quarters,
        self_assessment__status=SelfAssessmentStatus.SUBMITTED,
        index__in=UNIT_INDICES,
    ).values_list("self_assessment__agency_id", "index", "score")
    tallies: dict[int, dict[int, list[int]]] = defaultdict(lambda: {i: [0, 0] for i in UNIT_INDICES})
    for agency_id, index, score in rows:
        tallies[agency_id][index][0] += score
        tallies[agency_id][index][1] += 1
    return tallies


def _index_values(scores: dict) -> dict[str, object]:
    return {f"index_{i}": scores.get(i) for i in DOSSIER_INDICES}


def _officer_names(ids) -> dict[int, str]:
    """Officers' names family name first (``services.dossiers.selectors.person_name``)."""
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: person_name(user) for user in users}


def _write_rows(period: ResultPeriod, year: int, quarter: int) -> int:
    """Score the period and replace its rows; returns the number of dossiers scored."""
    rows = _dossier_tallies(period.start, period.end)
    agencies: dict[int, Tally] = defaultdict(Tally)
    procedures: dict[tuple[int, str], Tally] = defaultdict(Tally)
    procedure_names: dict[tuple[int, str], str] = {}
    officers: dict[tuple[int, int], Tally] = defaultdict(Tally)
    for agency_id, code, officer_id, name, *figures in rows:
        agencies[agency_id].add(figures)
        procedures[agency_id, code].add(figures)
        procedure_names[agency_id, code] = name
        if officer_id is not None:
            officers[officer_id, agency_id].add(figures)
    units = _unit_tallies(year, quarter)
    info = {
        agency.pk: agency for agency in Agency.objects.filter(pk__in=set(agencies) | set(units)).only("name", "tier_id")
    }

    agency_rows = []
    for agency_id, agency in info.items():
        tally = agencies.get(agency_id, Tally())
        all_tallies = {**tally.indices, **units.get(agency_id, {})}
        scores = index_scores(all_tallies)
        total = agency_total(scores)
        groups = decision_766_groups(
            processed_in_time=tally.in_time,
            processed_dated=tally.indices[1][1],
            processed=tally.dossiers,
            processed_online=tally.online,
            satisfied=tally.satisfied,
            rated=tally.rated,
        )
        agency_rows.append(
            AgencyResult(
                period=period,
                agency_id=agency_id,
                agency_name=agency.name,
                tier_id=agency.tier_id,
                dossiers=tally.dossiers,
                evaluations=tally.evaluations,
                tallies={str(i): pair for i, pair in sorted(all_tallies.items())},
                **_index_values(scores),
                **{f"index_{i}": scores.get(i) for i in UNIT_INDICES},
                total=total,
                classification=agency_class(total),
                rank=0,
                groups_766=[
                    {"key": g.key, "max_points": g.max_points, "points": None if g.points is None else str(g.points)}
                    for g in groups
                ],
            )
        )
    for row, rank in zip(agency_rows, competition_ranks([row.total for row in agency_rows]), strict=True):
        row.rank = rank

    procedure_rows = []
    for (agency_id, code), tally in procedures.items():
        scores = index_scores(tally.indices)
        procedure_rows.append(
            ProcedureResult(
                period=period,
                agency_id=agency_id,
                agency_name=info[agency_id].name,
                procedure_code=code,
                procedure_name=procedure_names[agency_id, code],
                dossiers=tally.dossiers,
                evaluations=tally.evaluations,
                tallies={str(i): pair for i, pair in tally.indices.items()},
                **_index_values(scores),
                total=officer_total(scores),
            )
        )

    names = _officer_names({officer_id for officer_id, _agency in officers})
    officer_rows = []
    for (officer_id, agency_id), tally in officers.items():
        scores = index_scores(tally.indices)
        total = officer_total(scores)
        officer_rows.append(
            OfficerResult(
                period=period,
                officer_id=officer_id,
                officer_name=names.get(officer_id, str(officer_id)),
                agency_id=agency_id,
                agency_name=info[agency_id].name,
                dossiers=tally.dossiers,
                evaluations=tally.evaluations,
                tallies={str(i): pair for i, pair in tally.indices.items()},
                **_index_values(scores),
                total=total,
                band=officer_band(total),
            )
        )

    period.agency_results.all().delete()
    period.procedure_results.all().delete()
    period.officer_results.all().delete()
    AgencyResult.objects.bulk_create(agency_rows, batch_size=1000)
    ProcedureResult.objects.bulk_create(procedure_rows, batch_size=1000)
    OfficerResult.objects.bulk_create(officer_rows, batch_size=1000)
    return sum(tally.dossiers for tally in agencies.values())


def _recompute(*, year: int, quarter: int, user, today: date) -> ResultPeriod:
    _check_year(year, today)
    start, end = period_dates(year, quarter)
    if start > today:
        raise ResultsError(_("Kỳ đánh giá này chưa bắt đầu."))
    period = ResultPeriod.objects.select_for_update().filter(year=year, quarter=quarter).first()
    if period is not None and period.is_published:
        raise ResultsError(
            _("%(period)s đã công bố: kết quả đã công bố không được tính lại.") % {"period": period.label}
        )
    now = timezone.now()
    if period is None:
        period = ResultPeriod(year=year, quarter=quarter)
    period.start, period.end = start, end
    period.status = PeriodStatus.COMPUTED
    period.computed_at, period.computed_by = now, user
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:
        # Another administrator created the period at the same moment (unique year, quarter).
        raise ResultsError(_("Kỳ này đang được người khác tính; vui lòng thử lại sau ít phút.")) from None
    period.dossiers = _write_rows(period, year, quarter)
    period.save(update_fields=["dossiers"])
    log(period, "evaluation.results_recompute", user=user, data={"dossiers": period.dossiers})
    return period


def _check_permission(user) -> None:
    if user is not None and not user.has_perm("evaluation.publish_results"):
        raise PermissionDenied(_("Bạn không có quyền tính và công bố kết quả đánh giá."))


@transaction.atomic
def results_recompute(*, year: int, quarter: int, user=None, today: date | None = None) -> ResultPeriod:
    """Score every agency, procedure and officer of a period and store the rows (not yet public).

    Arguments:
        year: 2018 to this year; quarter: 1–4, or 0 for the whole year.
        user: who asks (``PermissionDenied`` without ``evaluation.publish_results``); ``None``
            for the management command and benchmarks, which run as the system.
        today: the local date (default: today), to refuse a period not yet begun.

    A period still open may be computed (a preview for the administrator); it cannot be
    published until it ends. Replaces the period's earlier rows in one transaction.

    Raises ``ResultsError`` for a year or quarter out of range, a period not yet begun, or a
    period already published (published results never change). Circular 01/2018 Art 15.
    """
    _check_permission(user)
    return _recompute(year=year, quarter=quarter, user=user, today=_today(today))


@transaction.atomic
def results_publish(*, year: int, quarter: int, user, today: date | None = None) -> ResultPeriod:
    """Recompute a closed period and publish it: from then on it is public and never changes.

    Arguments as ``results_recompute``; ``user`` is the administrator who publishes (audit:
    ``published_by``, ``published_at``). The period must have ended before ``today``
    (``ResultsError`` "chưa kết thúc" otherwise, also for a future period) and not be published
    already. The figures published are those of the recompute done in the same transaction,
    so they include every rating received until that moment. Decree 61/2018 Art 32.
    """
    _check_permission(user)
    today = _today(today)
    _check_year(year, today)
    start, end = period_dates(year, quarter)
    if end >= today:
        raise ResultsError(
            _("Chỉ công bố được kỳ đã kết thúc: kỳ này kết thúc ngày %(end)s.") % {"end": end.strftime("%d/%m/%Y")}
        )
    period = _recompute(year=year, quarter=quarter, user=user, today=today)
    period.status = PeriodStatus.PUBLISHED
    period.published_at, period.published_by = timezone.now(), user
    period.save(update_fields=["status", "published_at", "published_by"])
    log(period, "evaluation.results_publish", user=user, data={"dossiers": period.dossiers})
    return period


# -- selectors -----------------------------------------------------------------------------


def published_periods() -> list[ResultPeriod]:
    """Published periods in date order, newest first: by end date, latest first; a whole year
    before its fourth quarter, which ends the same day (Năm 2026, Quý IV, Quý III, …, Năm 2025, …)."""
    return list(
        ResultPeriod.objects.filter(status=PeriodStatus.PUBLISHED)
        .order_by("-end", "quarter")
        .only("year", "quarter", "start", "end", "published_at", "dossiers", "status")
    )


def published_period(*, year: int, quarter: int) -> ResultPeriod | None:
    """The published period ``(year, quarter)``, or ``None`` if it is not published (also for a year
    outside 1–9999 or a quarter outside 0–4, which no period has: never a database overflow)."""
    if not 1 <= year <= 9999 or quarter not in range(0, 5):
        return None
    return ResultPeriod.objects.filter(status=PeriodStatus.PUBLISHED, year=year, quarter=quarter).first()


def published_agency_results(period: ResultPeriod, *, tier_code: str | None = None) -> list[AgencyResult]:
    """The period's agency rows, best first; with ``tier_code`` only that tier, ranked again within it.

    ``period`` must be published (``ValueError`` otherwise: nothing unpublished reaches a page).
    Each row's ``rank`` is its competition rank among the rows returned.
    """
    if not period.is_published:
        raise ValueError("period is not published")
    qs = AgencyResult.objects.filter(period=period).select_related("tier", "agency").order_by("rank", "agency_name")
    if tier_code:
        qs = qs.filter(tier__code=tier_code)
    rows = list(qs)
    for row, rank in zip(rows, competition_ranks([row.total for row in rows]), strict=True):
        row.rank = rank
    return rows


def published_procedure_results(
    period: ResultPeriod, *, agency_id: int | None = None, procedure_code: str | None = None, limit: int = 1000
) -> list[ProcedureResult]:
    """The period's procedure rows (one per agency and procedure), best total first, at most ``limit``."""
    if not period.is_published:
        raise ValueError("period is not published")
    qs = ProcedureResult.objects.filter(period=period)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if procedure_code:
        qs = qs.filter(procedure_code=procedure_code)
    return list(qs.order_by("-total", "-dossiers", "procedure_code", "agency_name")[:limit])


def self_assessment_quarters(*, agency_id: int, year: int) -> list[int]:
    """The quarters of ``year`` for which ``agency_id`` submitted its self-assessment (shown next to results)."""
    return list(
        SelfAssessment.objects.filter(agency_id=agency_id, year=year, status=SelfAssessmentStatus.SUBMITTED)
        .order_by("quarter")
        .values_list("quarter", flat=True)
    )
