"""Statistics of dossiers (thống kê tình hình giải quyết hồ sơ) per agency, procedure and period.

What the law asks the portal to publish (DOMAIN.md §4 and §6; Circular 01/2018, Circular
22/2019, Circular 32/2017): per agency, procedure and period the dossiers received (online, in
person at the one-stop desk, by public post), processed early / on time / late, still in
progress on time / overdue, the online share; per online service, year to date, the online
dossiers received and resolved, the % resolved on time and the total online + offline.

Every figure is counted by the database in one grouped aggregate (the dossiers per group and
class, see "counting" below), never by looping over dossiers in Python: a province-year is about
500,000 dossiers (``bench/dossier_statistics.py``).

Definitions (the same in every function here):

- **period**: a dossier belongs to ``[start, end]`` when its ``submitted_at``, read as a local
  date in Asia/Ho_Chi_Minh, falls within it. The filter compares ``submitted_at`` with the aware
  bounds ``start 00:00`` and ``end + 1 day 00:00`` local time (index-friendly): a dossier
  submitted at 23:30 on 31/3 local time (16:30 UTC the same day) is in the first quarter, one
  submitted at 00:30 on 1/4 local time (17:30 UTC on 31/3) in the second.
- **closed without result**: national status 3 (not accepted), 7 (withdrawn), 8 (stopped).
  Received, but neither processed nor in progress.
- **processed** (đã giải quyết): not closed without result, and status 9 (result ready) or 10
  (returned), or ``finished_at`` or ``returned_at`` set. Its finish date is the local date of
  ``finished_at`` (else ``returned_at``): before its due date early, on it on time, after it
  late (``services.workdays.timeliness``). The due date is the time limit's
  (``Dossier.time_limit_due_date``: ``original_due_date``, else ``due_date``): a dossier that
  was given a new date by an apology (form 04) is late once it finishes after the first one. A processed dossier without a due date (no computable
  time limit) or without a finish time is counted in ``processed`` and ``processed_undated`` but
  in none of early / on time / late.
- **in progress** (đang giải quyết): neither closed nor processed. Overdue when ``today`` is after
  its due date, unless it was paused (``paused_at``: a supplement awaited during appraisal,
  Decree 61/2018 Art 19(2)(c), the time limit is suspended) on or before its due date. Without a
  due date it is on time.
- **rates** are percentages as ``Decimal`` rounded half-up to one decimal (``Decimal("87.5")``),
  ``None`` when the denominator is 0: online share = online / received; on-time rate = (early +
  on time) / (early + on time + late), i.e. over the processed dossiers that have a due date.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Case, Count, DateField, ExpressionWrapper, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.db.models.lookups import Exact, GreaterThan, LessThan
from django.utils import timezone

from services.models import Agency, Channel, Dossier, DossierMonthlyCount, DossierStatus, StatisticsSnapshot
from services.workdays import LOCAL_TZ

#: National status codes (DOMAIN.md §4) that close a dossier without a result.
CLOSED_WITHOUT_RESULT = (3, 7, 8)
#: National status codes of a dossier whose result is ready or returned.
FINISHED_STATUSES = (9, 10)
#: Most rows one call returns (agencies of a province, procedures of a catalogue): a list
#: longer than this is cut, sorted by dossiers received, most first.
MAX_ROWS = 500

_PERCENT = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded half-up to one decimal; ``None`` if ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(_PERCENT, rounding=ROUND_HALF_UP)


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The aware datetimes ``[start 00:00, end + 1 day 00:00)`` in Asia/Ho_Chi_Minh.

    Raises ``ValueError`` when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    return (
        datetime.combine(start, time.min, tzinfo=LOCAL_TZ),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=LOCAL_TZ),
    )


@dataclass(frozen=True)
class Figures:
    """Dossier counts of one group (an agency, a procedure, the province) for one period.

    ``received`` = ``received_online + received_in_person + received_post``
    = ``processed + in_progress + closed_without_result``;
    ``processed`` = ``processed_early + processed_on_time + processed_late + processed_undated``;
    ``in_progress`` = ``in_progress_on_time + in_progress_overdue``.
    """

    received: int = 0
    received_online: int = 0
    received_in_person: int = 0
    received_post: int = 0
    processed: int = 0
    processed_early: int = 0
    processed_on_time: int = 0
    processed_late: int = 0
    in_progress: int = 0
    in_progress_overdue: int = 0
    closed_without_result: int = 0

    @property
    def processed_undated(self) -> int:
        """Processed dossiers with no due date or no finish time: neither early, on time nor late."""
        return self.processed - self.processed_early - self.processed_on_time - self.processed_late

    @property
    def processed_in_time(self) -> int:
        """Processed early or on time (trước hạn và đúng hạn)."""
        return self.processed_early + self.processed_on_time

    @property
    def in_progress_on_time(self) -> int:
        return self.in_progress - self.in_progress_overdue

    @property
    def online_share(self) -> Decimal | None:
        """% of the received dossiers filed online, one decimal; ``None`` without dossiers."""
        return percent(self.received_online, self.received)

    @property
    def on_time_rate(self) -> Decimal | None:
        """% early or on time of the processed dossiers with a due date, one decimal; ``None`` without any."""
        return percent(self.processed_in_time, self.processed_in_time + self.processed_late)

    @classmethod
    def total(cls, rows: list[Figures]) -> Figures:
        """The sum of ``rows`` (the province's figures from its agencies' rows)."""
        return Figures(**{f.name: sum(getattr(row, f.name) for row in rows) for f in fields(Figures)})


@dataclass(frozen=True)
class AgencyRow(Figures):
    """``Figures`` of one receiving agency (cơ quan tiếp nhận)."""

    agency_id: int = 0
    name: str = ""
    slug: str = ""


@dataclass(frozen=True)
class ProcedureRow(Figures):
    """``Figures`` of one procedure, by national procedure code (mã thủ tục)."""

    procedure_code: str = ""
    name: str = ""


@dataclass(frozen=True)
class ServiceRow:
    """Year-to-date figures of one online service (DOMAIN.md §6, Circular 32/2017).

    ``received_online``: online dossiers received; ``resolved``: those processed (results ready
    or returned), split into early / on time / late as in ``Figures``; ``received_total``: the
    procedure's dossiers over every channel (online + offline).
    """

    procedure_code: str
    name: str
    received_online: int
    resolved: int
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    received_total: int

    @property
    def on_time_rate(self) -> Decimal | None:
        """% early or on time of the resolved online dossiers with a due date, one decimal."""
        in_time = self.resolved_early + self.resolved_on_time
        return percent(in_time, in_time + self.resolved_late)

    @property
    def online_share(self) -> Decimal | None:
        """% of the procedure's dossiers (every channel) filed online, one decimal."""
        return percent(self.received_online, self.received_total)


# -- counting ------------------------------------------------------------------------------
#
# Each dossier is put in one class by a single CASE expression (channel x outcome, 21 values) and
# the database counts the dossiers per (group, class): one pass over the period's rows, with a
# handful of comparisons each, which an index-only scan of the covering indexes of migration
# 0011 can answer without reading the table. Python then adds up the (at most groups x 21)
# counts into ``Figures``; it never sees a dossier.

CHANNELS = (Channel.ONLINE, Channel.IN_PERSON, Channel.POST)
CLOSED, EARLY, ON_TIME, LATE, UNDATED, PENDING, OVERDUE = range(7)
_OUTCOME_FIELD = {
    CLOSED: "closed_without_result",
    EARLY: "processed_early",
    ON_TIME: "processed_on_time",
    LATE: "processed_late",
}
_CHANNEL_FIELD = {
    Channel.ONLINE: "received_online",
    Channel.IN_PERSON: "received_in_person",
    Channel.POST: "received_post",
}
#: Vietnam has kept UTC+07:00 without daylight saving since 13 June 1975, long before any
#: dossier: on PostgreSQL the local date is taken with this fixed offset (``AT TIME ZONE
#: INTERVAL '+07:00'``: arithmetic), where the named zone looks its rules up for every row —
#: on the benchmark's 500,000 dossiers one such conversion cost about 1 µs a row against about
#: 0.2 µs (docs/benchmarks.md, "Statistics (issue 5)"). Other databases use the named zone.
LOCAL_OFFSET = LOCAL_TZ.utcoffset(datetime(2026, 1, 1))


class LocalDate(TruncDate):
    """The Asia/Ho_Chi_Minh date of a datetime expression (``TruncDate`` with a fixed offset on PostgreSQL)."""

    def __init__(self, expression, **extra):
        super().__init__(expression, tzinfo=LOCAL_TZ, **extra)

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        hours, rest = divmod(int(LOCAL_OFFSET.total_seconds()), 3600)
        return f"(({sql}) AT TIME ZONE INTERVAL '{hours:+03d}:{rest // 60:02d}')::date", params


class LocalMonth(TruncMonth):
    """The first day of the Asia/Ho_Chi_Minh month of a datetime expression (fixed offset on PostgreSQL)."""

    def __init__(self, expression, **extra):
        super().__init__(expression, tzinfo=LOCAL_TZ, output_field=DateField(), **extra)

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        hours, rest = divmod(int(LOCAL_OFFSET.total_seconds()), 3600)
        return f"date_trunc('month', ({sql}) AT TIME ZONE INTERVAL '{hours:+03d}:{rest // 60:02d}')::date", params


def _status_ids() -> dict[int, int]:
    """``{national status code: pk}`` of the seeded ``DossierStatus`` rows (one query of ten rows)."""
    return {code: pk for pk, code in DossierStatus.objects.values_list("pk", "code")}


def _ids(statuses: dict[int, int], codes) -> list[int]:
    # -1 keeps an IN list valid when a code is missing from the vocabulary.
    return [statuses[code] for code in codes if code in statuses] or [-1]


def _class(today: date, statuses: dict[int, int]) -> Case:
    """``channel index + 3 x outcome`` of a dossier, ``CLOSED`` … ``OVERDUE`` as in the module docstring."""
    finished_on = LocalDate(Coalesce("finished_at", "returned_at"))
    has_finish = Q(finished_at__isnull=False) | Q(returned_at__isnull=False)
    # Judged against the time limit's due date (Dossier.time_limit_due_date): an apology's new
    # date (form 04) moves the appointment, not the limit.
    due = Coalesce("original_due_date", "due_date")
    outcome = Case(
        When(status_id__in=_ids(statuses, CLOSED_WITHOUT_RESULT), then=Value(CLOSED)),
        When(has_finish & Q(due_date__isnull=True), then=Value(UNDATED)),
        When(has_finish & GreaterThan(due, finished_on), then=Value(EARLY)),
        When(has_finish & Exact(due, finished_on), then=Value(ON_TIME)),
        When(has_finish, then=Value(LATE)),
        When(status_id__in=_ids(statuses, FINISHED_STATUSES), then=Value(UNDATED)),
        When(
            LessThan(due, Value(today)) & (Q(paused_at__isnull=True) | LessThan(due, LocalDate("paused_at"))),
            then=Value(OVERDUE),
        ),
        default=Value(PENDING),
    )
    channel = Case(
        *(When(channel=value, then=Value(index)) for index, value in enumerate(CHANNELS[:2])),
        default=Value(2),
    )
    return ExpressionWrapper(channel + Value(3) * outcome, output_field=IntegerField())


def _agency_pk(agency: Agency | int | None) -> int | None:
    return agency.pk if isinstance(agency, Agency) else agency


def _dossiers(*, start: date, end: date, agency=None, procedure_code: str | None = None) -> QuerySet:
    """Dossiers submitted in ``[start, end]`` (local dates), without the model's default ordering."""
    low, high = local_bounds(start, end)
    qs = Dossier.objects.filter(submitted_at__gte=low, submitted_at__lt=high).order_by()
    if agency is not None:
        qs = qs.filter(receiving_agency_id=_agency_pk(agency))
    if procedure_code:
        qs = qs.filter(procedure_code=procedure_code)
    return qs


def _counted(qs: QuerySet, group: str | None, today: date, *extra) -> list[dict]:
    """``[{group, "k", "n", …extra}]``: dossiers of ``qs`` per ``group`` value and class ``k``."""
    keys = [group] if group else []
    return list(
        qs.annotate(k=_class(today, _status_ids()))
        .values(*keys, "k")
        .annotate(n=Count("*"), **{name: expression for name, expression in extra})
    )


# -- snapshots -----------------------------------------------------------------------------
#
# A snapshot (``StatisticsSnapshot``) stores the rows ``_counted`` would give per (local month,
# agency, procedure code, class), judged on the snapshot's day. Summing them over whole months
# gives exactly the live figures of that day, from a few thousand rows instead of a pass over
# every dossier of the period.

#: Rows written per INSERT when a snapshot is taken.
SNAPSHOT_BATCH = 5000


def statistics_snapshot_take(*, now: datetime | None = None) -> StatisticsSnapshot:
    """Count every dossier into a new ``StatisticsSnapshot`` and drop the older ones.

    Arguments:
        now: the moment of the snapshot (default: now); its local date (Asia/Ho_Chi_Minh) is the
            ``today`` against which in-progress dossiers are judged overdue.

    One grouped query over all dossiers (per local month of ``submitted_at``, receiving agency,
    procedure code and class), written in one transaction: readers see the previous snapshot
    until the new one is complete. Idempotent; safe to run every hour (command
    ``dossier_statistics_snapshot``). Definitions: module docstring.
    """
    now = now or timezone.now()
    today = timezone.localtime(now, LOCAL_TZ).date()
    rows = list(
        Dossier.objects.order_by()
        .annotate(month=LocalMonth("submitted_at"), k=_class(today, _status_ids()))
        .values("month", "receiving_agency_id", "procedure_code", "k")
        .annotate(n=Count("*"), last_id=Max("id"))
    )
    with transaction.atomic():
        snapshot = StatisticsSnapshot.objects.create(taken_at=now, today=today, dossiers=sum(row["n"] for row in rows))
        DossierMonthlyCount.objects.bulk_create(
            (
                DossierMonthlyCount(
                    snapshot=snapshot,
                    month=row["month"],
                    receiving_agency_id=row["receiving_agency_id"],
                    procedure_code=row["procedure_code"],
                    k=row["k"],
                    dossiers=row["n"],
                    last_dossier_id=row["last_id"],
                )
                for row in rows
            ),
            batch_size=SNAPSHOT_BATCH,
        )
        StatisticsSnapshot.objects.exclude(pk=snapshot.pk).delete()
    return snapshot


def statistics_snapshot_fresh(*, today: date, max_age_days: int = 1) -> StatisticsSnapshot | None:
    """The newest snapshot if it was judged on ``today`` or at most ``max_age_days`` before, else ``None``."""
    snapshot = StatisticsSnapshot.objects.order_by("-taken_at").first()
    if snapshot is None or (today - snapshot.today).days > max_age_days or snapshot.today > today:
        return None
    return snapshot


def snapshot_covers(snapshot: StatisticsSnapshot, start: date, end: date) -> bool:
    """Whether ``[start, end]`` is made of whole months of ``snapshot``.

    True when ``start`` is the first of a month and ``end`` is the last day of a month or on or
    after the snapshot's day (a period "to date": nothing after the snapshot was counted).
    """
    month_end = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start.day == 1 and (end == month_end or end >= snapshot.today)


def _snapshot_counted(
    snapshot: StatisticsSnapshot, *, start: date, end: date, agency, procedure_code: str | None, group: str | None
) -> list[dict]:
    """``_counted``'s rows (with ``last_id``) summed from ``snapshot`` over the months of ``[start, end]``."""
    qs = DossierMonthlyCount.objects.filter(snapshot=snapshot, month__gte=start.replace(day=1), month__lte=end)
    if agency is not None:
        qs = qs.filter(receiving_agency_id=_agency_pk(agency))
    if procedure_code:
        qs = qs.filter(procedure_code=procedure_code)
    keys = [group] if group else []
    return list(qs.order_by().values(*keys, "k").annotate(n=Sum("dossiers"), last_id=Max("last_dossier_id")))


def _source(
    *, start: date, end: date, agency, procedure_code: str | None, group: str | None, today: date, snapshot, extra=()
) -> list[dict]:
    """The counted rows from ``snapshot`` when it covers the period, else live from the dossiers."""
    if snapshot is not None and snapshot_covers(snapshot, start, end):
        return _snapshot_counted(
            snapshot, start=start, end=end, agency=agency, procedure_code=procedure_code, group=group
        )
    return _counted(_dossiers(start=start, end=end, agency=agency, procedure_code=procedure_code), group, today, *extra)


def _figures(rows: list[dict]) -> dict[str, int]:
    """The ``Figures`` fields summed over ``rows`` of ``_counted``."""
    counts = dict.fromkeys((f.name for f in fields(Figures)), 0)
    for row in rows:
        n, (outcome, channel) = row["n"], divmod(row["k"], 3)
        counts["received"] += n
        counts[_CHANNEL_FIELD[CHANNELS[channel]]] += n
        if outcome in (EARLY, ON_TIME, LATE, UNDATED):
            counts["processed"] += n
        elif outcome in (PENDING, OVERDUE):
            counts["in_progress"] += n
        if outcome in _OUTCOME_FIELD:
            counts[_OUTCOME_FIELD[outcome]] += n
        elif outcome == OVERDUE:
            counts["in_progress_overdue"] += n
    return counts


def _grouped(rows: list[dict], key: str) -> dict:
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups


def _limit(limit: int) -> int:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    return min(limit, MAX_ROWS)


def _procedure_names(rows: list[dict]) -> dict[str, str]:
    """``{code: name}`` from the latest dossier of each code among ``rows`` (one query by primary keys)."""
    latest: dict[str, int] = {}
    for row in rows:
        latest[row["procedure_code"]] = max(row["last_id"], latest.get(row["procedure_code"], 0))
    return dict(Dossier.objects.filter(pk__in=latest.values()).values_list("procedure_code", "procedure_name"))


# -- selectors -----------------------------------------------------------------------------


def agency_statistics(
    *,
    start: date,
    end: date,
    agency: Agency | int | None = None,
    procedure_code: str | None = None,
    today: date | None = None,
    limit: int = MAX_ROWS,
    snapshot: StatisticsSnapshot | None = None,
) -> list[AgencyRow]:
    """Figures per receiving agency for the dossiers submitted in ``[start, end]`` (local dates).

    Arguments:
        start, end: the period, inclusive, as local dates (Asia/Ho_Chi_Minh); ``ValueError`` if
            ``end < start``.
        agency: only this agency (an ``Agency`` or its pk); default every agency.
        procedure_code: only dossiers of this national procedure code (``"1.000948"``).
        today: the local date against which in-progress dossiers are overdue (default: today).
        limit: at most this many rows (capped at ``MAX_ROWS``).
        snapshot: count from this ``StatisticsSnapshot`` when it covers the period
            (``snapshot_covers``): the figures are then those of the snapshot's day, whatever
            ``today`` says; otherwise, or without it, count the dossiers live.

    Returns ``AgencyRow``s (agencies with at least one dossier in the period only), most dossiers
    received first, then by name. Three small queries: the statuses, the counts per agency and
    class, the agencies' names. Definitions and rounding: module docstring (Circular 01/2018,
    DOMAIN.md §4 and §6).
    """
    today = today or timezone.localdate()
    rows = _source(
        start=start,
        end=end,
        agency=agency,
        procedure_code=procedure_code,
        group="receiving_agency_id",
        today=today,
        snapshot=snapshot,
    )
    per_agency = {pk: _figures(group) for pk, group in _grouped(rows, "receiving_agency_id").items()}
    kept = sorted(per_agency, key=lambda pk: (-per_agency[pk]["received"], pk))[: _limit(limit)]
    agencies = Agency.objects.only("name", "slug").in_bulk(kept)
    result = [AgencyRow(agency_id=pk, name=agencies[pk].name, slug=agencies[pk].slug, **per_agency[pk]) for pk in kept]
    return sorted(result, key=lambda row: (-row.received, row.name))


def procedure_statistics(
    *,
    start: date,
    end: date,
    agency: Agency | int | None = None,
    procedure_code: str | None = None,
    today: date | None = None,
    limit: int = MAX_ROWS,
    snapshot: StatisticsSnapshot | None = None,
) -> list[ProcedureRow]:
    """Figures per procedure (national procedure code) for the dossiers submitted in ``[start, end]``.

    Same arguments (``snapshot`` included), definitions and order as ``agency_statistics`` (ties by
    code); ``name`` is the procedure name copied on the latest dossier of the code in the period.
    """
    today = today or timezone.localdate()
    rows = _source(
        start=start,
        end=end,
        agency=agency,
        procedure_code=procedure_code,
        group="procedure_code",
        today=today,
        snapshot=snapshot,
        extra=[("last_id", Max("id"))],
    )
    per_code = {code: _figures(group) for code, group in _grouped(rows, "procedure_code").items()}
    kept = sorted(per_code, key=lambda code: (-per_code[code]["received"], code))[: _limit(limit)]
    names = _procedure_names([row for row in rows if row["procedure_code"] in set(kept)])
    return [ProcedureRow(procedure_code=code, name=names.get(code, ""), **per_code[code]) for code in kept]


def province_totals(
    *,
    start: date,
    end: date,
    agency: Agency | int | None = None,
    procedure_code: str | None = None,
    today: date | None = None,
    snapshot: StatisticsSnapshot | None = None,
) -> Figures:
    """The province's ``Figures`` (every agency together) for ``[start, end]``.

    Same arguments (``snapshot`` included) and definitions as ``agency_statistics``; with ``agency`` it is that agency's
    figures. Equals ``Figures.total(agency_statistics(...))`` when no row was cut by the limit.
    """
    today = today or timezone.localdate()
    rows = _source(
        start=start, end=end, agency=agency, procedure_code=procedure_code, group=None, today=today, snapshot=snapshot
    )
    return Figures(**_figures(rows))


def year_to_date(year: int, today: date) -> tuple[date, date] | None:
    """``(1 January, the earlier of 31 December and today)`` of ``year``; ``None`` for a year not yet begun."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    return (start, end) if end >= start else None


def service_year_to_date(
    *,
    year: int,
    agency: Agency | int | None = None,
    today: date | None = None,
    limit: int = 100,
    offset: int = 0,
    snapshot: StatisticsSnapshot | None = None,
) -> list[ServiceRow]:
    """Year-to-date figures per online service: procedures with at least one online dossier.

    Arguments:
        year: the calendar year; the period is 1 January to today (or 31 December of a past
            year), as local dates. A year not yet begun gives ``[]``.
        agency: only dossiers received by this agency (an ``Agency`` or its pk).
        today: the local date that ends the current year's period (default: today).
        limit, offset: a page of rows (``limit`` capped at ``MAX_ROWS``).
        snapshot: as in ``agency_statistics``.

    Returns ``ServiceRow``s, most online dossiers first, then by procedure code: online dossiers
    received, resolved (early / on time / late as in the module docstring), and the procedure's
    dossiers over every channel (DOMAIN.md §6, Circular 32/2017 Art 9). Three small queries:
    the statuses, the counts per procedure and class, the names of the page's procedures.
    """
    today = today or timezone.localdate()
    period = year_to_date(year, today)
    if period is None:
        return []
    rows = _source(
        start=period[0],
        end=period[1],
        agency=agency,
        procedure_code=None,
        group="procedure_code",
        today=today,
        snapshot=snapshot,
        extra=[("last_id", Max("id"))],
    )
    services = []
    for code, group in _grouped(rows, "procedure_code").items():
        online = _figures([row for row in group if row["k"] % 3 == CHANNELS.index(Channel.ONLINE)])
        if online["received"]:
            services.append((code, online, sum(row["n"] for row in group)))
    services.sort(key=lambda item: (-item[1]["received"], item[0]))
    page = services[offset : offset + _limit(limit)]
    codes = {code for code, _, _ in page}
    names = _procedure_names([row for row in rows if row["procedure_code"] in codes])
    return [
        ServiceRow(
            procedure_code=code,
            name=names.get(code, ""),
            received_online=online["received"],
            resolved=online["processed"],
            resolved_early=online["processed_early"],
            resolved_on_time=online["processed_on_time"],
            resolved_late=online["processed_late"],
            received_total=total,
        )
        for code, online, total in page
    ]
