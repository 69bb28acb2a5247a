"""Public statistics (thống kê): the page ``/thong-ke/``, online services year to date, and the JSON API.

Circular 01/2018 Art 13–15 and Circular 22/2019 ask the portal to publish, per agency and
period, the dossiers received, processed early / on time / late and in progress, and per online
service the year-to-date figures (DOMAIN.md §5–6). Figures come from
``services.dossiers.statistics``; the page, the services page and the API (``router``, mounted
by ``cms.api`` at ``/api/statistics``) call the same functions through ``agency_figures`` and
``service_figures``, which keep the result in the ``default`` cache for
``STATISTICS_CACHE_SECONDS`` (default 300 s; 0 turns the cache off) per filter combination and
day. The data are public: no personal data, only counts per agency and procedure.

Periods made of whole months (a year, a quarter, a month, or any of them to date) are summed
from the newest ``StatisticsSnapshot`` when one was taken today or yesterday (command
``dossier_statistics_snapshot``, hourly): the figures are then those of the snapshot's moment,
which the page states. Other periods, or no fresh snapshot, are counted live.

A period is a year, a quarter, a month or custom dates of at most ``MAX_PERIOD_DAYS`` days (one
year), so that no request reads more than a province-year of dossiers; a period that runs past
today ends today (year to date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format, get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from ninja import Field, Query, Router, Schema, Status

from services.dossiers.backoffice import period_refusal
from services.dossiers.statistics import (
    MAX_ROWS,
    AgencyRow,
    Figures,
    ProcedureRow,
    ServiceRow,
    agency_statistics,
    percent,
    procedure_statistics,
    province_totals,
    service_year_to_date,
    snapshot_covers,
    statistics_snapshot_fresh,
    year_to_date,
)
from services.models import Agency, Dossier, StatisticsSnapshot

#: The first year offered: the one-stop system's statistics start with Decree 61/2018.
FIRST_YEAR = 2018
#: Longest custom period, in days: one (leap) year.
MAX_PERIOD_DAYS = 366
DEFAULT_CACHE_SECONDS = 300
#: Bars drawn in the per-procedure chart of one agency (its table lists every procedure).
CHART_PROCEDURES = 15
#: Rows of the online services page, and most rows of one answer of ``/api/statistics/services``.
SERVICES_PAGE_SIZE = 50
API_MAX_LIMIT = 200

QUARTERS = {f"q{q}": (3 * q - 2, 3 * q) for q in range(1, 5)}
MONTHS = {f"t{m}": (m, m) for m in range(1, 13)}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def statistics_today() -> date:
    """Today's local date (Asia/Ho_Chi_Minh); tests replace it to fix the day."""
    from django.utils import timezone

    return timezone.localdate()


def _cache_seconds() -> int:
    return int(getattr(settings, "STATISTICS_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def figures_source(*, start: date, end: date, today: date) -> tuple[StatisticsSnapshot | None, date]:
    """The snapshot to sum ``[start, end]`` from (``None``: count live) and the day the figures are judged on.

    A snapshot taken at most ``STATISTICS_SNAPSHOT_MAX_AGE_DAYS`` (default 1) days before
    ``today`` that covers the period (``snapshot_covers``); its own day then replaces ``today``.
    """
    max_age = int(getattr(settings, "STATISTICS_SNAPSHOT_MAX_AGE_DAYS", 1))
    snapshot = statistics_snapshot_fresh(today=today, max_age_days=max_age)
    if snapshot is not None and snapshot_covers(snapshot, start, end):
        return snapshot, snapshot.today
    return None, today


def _cached(key: str, compute):
    seconds = _cache_seconds()
    if seconds <= 0:
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


# -- periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """An inclusive range of local dates and how to name it (``"Quý I năm 2026"``)."""

    start: date
    end: date
    label: str


def period_of(*, year: int, part: str = "", today: date) -> Period:
    """The year, quarter (``"q1"``–``"q4"``) or month (``"t1"``–``"t12"``) of ``year``, ending today at the latest.

    ``ValueError`` for an unknown ``part``. A period not yet begun keeps its own end date.
    """
    if not part:
        first, last, label = 1, 12, _("Năm %(year)s") % {"year": year}
    elif part in QUARTERS:
        (first, last), label = QUARTERS[part], _("Quý %(q)s năm %(year)s") % {"q": ROMAN[int(part[1])], "year": year}
    elif part in MONTHS:
        (first, last), label = MONTHS[part], _("Tháng %(m)s năm %(year)s") % {"m": part[1:], "year": year}
    else:
        raise ValueError(f"unknown period {part!r}")
    start = date(year, first, 1)
    end = (date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)) - timedelta(days=1)
    if start <= today < end:
        end = today
        label = _("%(period)s (đến ngày %(today)s)") % {"period": label, "today": today.strftime("%d/%m/%Y")}
    return Period(start, end, str(label))


def custom_period(start: date, end: date, *, today: date) -> Period:
    """``[start, end]`` as a period; ``ValueError`` with a Vietnamese message if reversed, longer
    than a year or outside the reportable dates (``backoffice.period_refusal``)."""
    if end < start:
        raise ValueError(_("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."))
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ValueError(_("Mỗi lần thống kê tối đa %(days)s ngày.") % {"days": MAX_PERIOD_DAYS})
    refusal = period_refusal(start, end, today=today)
    if refusal:
        raise ValueError(refusal)
    label = _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }
    return Period(start, end, str(label))


def statistics_agencies() -> list[Agency]:
    """Agencies that have received at least one dossier, by name (the filter's choices), cached."""

    def compute():
        received = Dossier.objects.filter(receiving_agency=OuterRef("pk"))
        return list(Agency.objects.filter(Exists(received)).only("name", "slug").order_by("name")[:MAX_ROWS])

    return _cached("statistics:v1:agencies", compute)


class StatisticsFilterForm(forms.Form):
    """The page's filter (GET): agency, year and part of it, or custom dates that take precedence."""

    co_quan = forms.ChoiceField(
        label=_("Cơ quan tiếp nhận"),
        required=False,
        error_messages={"invalid_choice": _("Không có cơ quan này trong danh sách; hãy chọn lại.")},
    )
    nam = forms.TypedChoiceField(
        label=_("Năm"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Hãy chọn một năm trong danh sách.")},
    )
    ky = forms.ChoiceField(
        label=_("Kỳ thống kê"),
        required=False,
        error_messages={"invalid_choice": _("Hãy chọn cả năm, một quý hoặc một tháng.")},
        choices=[
            ("", _("Cả năm")),
            (_("Quý"), [(key, _("Quý %(q)s") % {"q": ROMAN[int(key[1])]}) for key in QUARTERS]),
            (_("Tháng"), [(key, _("Tháng %(m)s") % {"m": key[1:]}) for key in MONTHS]),
        ],
    )
    tu_ngay = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm (30/11/2026).")},
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm (30/11/2026).")},
    )

    def __init__(self, *args, agencies: list[Agency], today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.agencies = {agency.slug: agency for agency in agencies}
        # The list offers agencies with dossiers; any other agency can still be asked for by its
        # slug (as the API allows): its figures are then zero, not an error.
        asked = self.data.get("co_quan") if self.is_bound else None
        if asked and asked not in self.agencies:
            other = Agency.objects.filter(slug=asked).only("name", "slug").first()
            if other is not None:
                self.agencies[other.slug] = other
                agencies = [*agencies, other]
        self.fields["co_quan"].choices = [("", _("Tất cả cơ quan")), *((a.slug, a.name) for a in agencies)]
        self.fields["nam"].choices = [(y, str(y)) for y in range(today.year, FIRST_YEAR - 1, -1)]
        for name in ("tu_ngay", "den_ngay"):
            self.fields[name].help_text = _("Để trống nếu thống kê theo năm, quý, tháng.")

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                missing = "den_ngay" if start else "tu_ngay"
                self.add_error(missing, _("Nhập cả ngày bắt đầu và ngày kết thúc."))
                return data
            try:
                data["period"] = custom_period(start, end, today=self.today)
            except ValueError as error:
                self.add_error("den_ngay", str(error))
        else:
            year = data.get("nam") or self.today.year
            data["period"] = period_of(year=year, part=data.get("ky") or "", today=self.today)
        data["agency"] = self.agencies.get(data.get("co_quan") or "")
        return data


# -- figures, cached -----------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyFigures:
    """What the page and ``/api/statistics/agencies`` show for one period and agency (or all).

    ``rows``: one per agency (or only the chosen agency); ``totals``: their sum, the province's
    figures; ``procedures``: the chosen agency's figures per procedure (empty for all agencies).
    """

    period: Period
    today: date
    agency: Agency | None
    rows: list[AgencyRow]
    totals: Figures
    procedures: list[ProcedureRow] = field(default_factory=list)
    #: When the figures come from a snapshot, the moment it was taken (else ``None``: live).
    taken_at: datetime | None = None


def agency_figures(*, period: Period, agency: Agency | None, today: date, by_procedure: bool = True) -> AgencyFigures:
    """The figures of ``period`` for ``agency`` (``None``: the province), cached per combination and day."""
    snapshot, today = figures_source(start=period.start, end=period.end, today=today)
    key = (
        f"statistics:v2:agencies:{period.start}:{period.end}:{agency.pk if agency else '-'}:{today}:{by_procedure}"
        f":{snapshot.pk if snapshot else '-'}"
    )

    def compute():
        selection = {"start": period.start, "end": period.end, "agency": agency, "today": today, "snapshot": snapshot}
        rows = agency_statistics(**selection)
        totals = Figures.total(rows) if len(rows) < MAX_ROWS else province_totals(**selection)
        procedures = procedure_statistics(**selection) if agency is not None and by_procedure else []
        return AgencyFigures(
            period=period,
            today=today,
            agency=agency,
            rows=rows,
            totals=totals,
            procedures=procedures,
            taken_at=snapshot.taken_at if snapshot else None,
        )

    return _cached(key, compute)


def service_figures(*, year: int, today: date, limit: int, offset: int = 0) -> list[ServiceRow]:
    """``service_year_to_date`` for ``year``, cached per page and day."""
    period = year_to_date(year, today)
    snapshot, today = figures_source(start=period[0], end=period[1], today=today) if period else (None, today)
    key = f"statistics:v2:services:{year}:{today}:{limit}:{offset}:{snapshot.pk if snapshot else '-'}"
    return _cached(
        key, lambda: service_year_to_date(year=year, today=today, limit=limit, offset=offset, snapshot=snapshot)
    )


# -- pages ---------------------------------------------------------------------------------


def _chart_data(figures: AgencyFigures) -> dict:
    """The data of the two charts, drawn by ``statistics.js`` and listed in tables beside them."""
    if figures.agency is None:
        bars = [
            {"label": row.name, "in_time": row.processed_in_time, "late": row.processed_late} for row in figures.rows
        ]
    else:
        busiest = sorted(figures.procedures, key=lambda row: (-row.processed, row.procedure_code))[:CHART_PROCEDURES]
        bars = [
            {"label": f"{row.procedure_code} {row.name}", "in_time": row.processed_in_time, "late": row.processed_late}
            for row in busiest
            if row.processed
        ]
    totals = figures.totals
    return {
        "bars": [bar for bar in bars if bar["in_time"] or bar["late"]],
        "channels": [
            {"label": str(_("Trực tuyến")), "value": totals.received_online},
            {"label": str(_("Trực tiếp")), "value": totals.received_in_person},
            {"label": str(_("Bưu chính")), "value": totals.received_post},
        ],
        "labels": {
            "in_time": str(_("Trước hạn và đúng hạn")),
            "late": str(_("Quá hạn")),
            "rate": str(_("Tỷ lệ đúng hạn (%)")),
        },
    }


#: Columns of the figures tables: attribute, column group (None: a column of its own), short
#: heading under the group, full label shown beside each number on phones.
COLUMNS = [
    ("received", _("Tiếp nhận"), _("Tổng số"), _("Tiếp nhận: tổng số")),
    ("received_online", _("Tiếp nhận"), _("Trực tuyến"), _("Tiếp nhận trực tuyến")),
    ("received_in_person", _("Tiếp nhận"), _("Trực tiếp"), _("Tiếp nhận trực tiếp")),
    ("received_post", _("Tiếp nhận"), _("Bưu chính"), _("Tiếp nhận qua bưu chính")),
    ("processed", _("Đã giải quyết"), _("Tổng số"), _("Đã giải quyết: tổng số")),
    ("processed_early", _("Đã giải quyết"), _("Trước hạn"), _("Giải quyết trước hạn")),
    ("processed_on_time", _("Đã giải quyết"), _("Đúng hạn"), _("Giải quyết đúng hạn")),
    ("processed_late", _("Đã giải quyết"), _("Quá hạn"), _("Giải quyết quá hạn")),
    ("in_progress", _("Đang giải quyết"), _("Tổng số"), _("Đang giải quyết: tổng số")),
    ("in_progress_on_time", _("Đang giải quyết"), _("Trong hạn"), _("Đang giải quyết trong hạn")),
    ("in_progress_overdue", _("Đang giải quyết"), _("Quá hạn"), _("Đang giải quyết quá hạn")),
    ("closed_without_result", None, _("Từ chối, rút, dừng"), _("Từ chối, rút, dừng")),
    ("online_share", None, _("Tỷ lệ trực tuyến (%)"), _("Tỷ lệ trực tuyến (%)")),
    ("on_time_rate", None, _("Tỷ lệ đúng hạn (%)"), _("Tỷ lệ đúng hạn (%)")),
]


def figure_text(value, separators: tuple[str, str] | None = None) -> str:
    """A count with the locale's thousands separator ("12.345" in Vietnamese), a percentage with
    one decimal ("87,5"), "—" for none. ``separators``: (thousands, decimal) of the active
    locale, looked up once per table by ``figures_table`` rather than once per number."""
    if value is None:
        return "—"
    thousands, decimal = separators or (get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR"))
    if isinstance(value, Decimal):
        whole, fraction = f"{value:.1f}".split(".")
        return f"{int(whole):,}".replace(",", thousands) + decimal + fraction
    return f"{value:,}".replace(",", thousands)


def _percent_text(value, separators) -> str:
    return "—" if value is None else f"{figure_text(value, separators)}%"


@dataclass(frozen=True)
class FiguresTable:
    """A figures table ready to print: headings, then per row a header and (label, text) cells.

    Built once per request in Python so that the template only loops: the labels are translated
    once per column, not once per cell (40 agencies x 14 columns).
    """

    table_id: str
    caption: str
    first_column: str
    groups: list[tuple[str, int]]
    singles: list[str]
    headings: list[str]
    rows: list[dict]
    total: dict | None = None


def figures_table(rows: list, *, table_id: str, caption, first_column, total: Figures | None = None) -> FiguresTable:
    """``rows`` (``AgencyRow`` or ``ProcedureRow``) and an optional total row as a ``FiguresTable``."""
    labels = [str(column[3]) for column in COLUMNS]
    separators = (get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR"))

    def cells(figures: Figures) -> list[tuple[str, str]]:
        return [
            (label, figure_text(getattr(figures, column[0]), separators))
            for label, column in zip(labels, COLUMNS, strict=True)
        ]

    escaped_labels = [escape(label) for label in labels]

    def line(header: str, code: str, figures: Figures) -> dict:
        # The cells are joined here, escaped, so that the template loops over rows only
        # (a province's 40 agencies x 14 cells were most of the page's rendering time).
        row_cells = cells(figures)
        html = "".join(
            f'<td data-label="{label}">{escape(text)}</td>'
            for label, (_label, text) in zip(escaped_labels, row_cells, strict=True)
        )
        return {"header": header, "code": code, "cells": row_cells, "cells_html": mark_safe(html)}  # noqa: S308

    groups: list[tuple[str, int]] = []
    for group in (column[1] for column in COLUMNS):
        if group is None:
            continue
        if groups and groups[-1][0] == str(group):
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        else:
            groups.append((str(group), 1))
    return FiguresTable(
        table_id=table_id,
        caption=str(caption),
        first_column=str(first_column),
        groups=groups,
        singles=[str(column[2]) for column in COLUMNS if column[1] is None],
        headings=[str(column[2]) for column in COLUMNS if column[1] is not None],
        rows=[line(row.name, getattr(row, "procedure_code", ""), row) for row in rows],
        total=line(str(_("Tổng cộng toàn tỉnh")), "", total) if total else None,
    )


@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    """``/thong-ke/``: dossiers per agency for a period (default: this year to date), with charts.

    Query string (all optional): ``co_quan`` (agency slug), ``nam`` (year), ``ky`` (``q1``–``q4``,
    ``t1``–``t12``), ``tu_ngay`` and ``den_ngay`` (ISO dates, at most a year apart). An invalid
    filter answers 400 with the messages and no figures.
    """
    today = statistics_today()
    form = StatisticsFilterForm(request.GET or None, agencies=statistics_agencies(), today=today)
    context = {"form": form, "today": today}
    if request.GET and not form.is_valid():
        return render(request, "services/statistics/page.html", context, status=400)
    if form.is_bound:
        period, agency = form.cleaned_data["period"], form.cleaned_data["agency"]
    else:
        period, agency = period_of(year=today.year, today=today), None
    figures = agency_figures(period=period, agency=agency, today=today)
    chart = _chart_data(figures)
    if agency is None:
        tables = [
            figures_table(
                figures.rows,
                table_id="stats-agencies",
                caption=_("Theo cơ quan tiếp nhận, kèm tổng cộng toàn tỉnh"),
                first_column=_("Cơ quan"),
                total=figures.totals,
            )
        ]
    else:
        tables = [
            figures_table(
                figures.rows, table_id="stats-agency", caption=_("Số liệu của cơ quan"), first_column=_("Cơ quan")
            ),
            figures_table(
                figures.procedures,
                table_id="stats-procedures",
                caption=_("Theo thủ tục hành chính"),
                first_column=_("Thủ tục"),
            ),
        ]
    separators = (get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR"))
    totals = figures.totals
    rate = totals.on_time_rate
    context.update(
        figures=figures,
        tables=[table for table in tables if table.rows],
        chart=chart,
        summary=[
            ("received", _("Tiếp nhận"), figure_text(totals.received, separators)),
            ("processed", _("Đã giải quyết"), figure_text(totals.processed, separators)),
            ("on_time_rate", _("Tỷ lệ giải quyết đúng hạn"), _percent_text(rate, separators)),
            (
                "in_progress",
                _("Đang giải quyết (quá hạn)"),
                f"{figure_text(totals.in_progress, separators)} ({figure_text(totals.in_progress_overdue, separators)})",
            ),
            ("online_share", _("Tỷ lệ nộp trực tuyến"), _percent_text(totals.online_share, separators)),
        ],
        chart_rows=[
            {
                "label": bar["label"],
                "in_time": figure_text(bar["in_time"], separators),
                "late": figure_text(bar["late"], separators),
                "rate": figure_text(percent(bar["in_time"], bar["in_time"] + bar["late"]), separators),
            }
            for bar in chart["bars"]
        ],
        channel_rows=[
            {
                "label": channel["label"],
                "text": figure_text(channel["value"], separators),
                "share": figure_text(percent(channel["value"], totals.received), separators),
            }
            for channel in chart["channels"]
        ],
        period_text=f"{date_format(period.start, 'd/m/Y')} – {date_format(period.end, 'd/m/Y')}",
    )
    return render(request, "services/statistics/page.html", context)


#: Columns of the online services table: attribute of ``ServiceRow`` and heading.
SERVICE_COLUMNS = [
    ("received_online", _("Hồ sơ trực tuyến đã tiếp nhận")),
    ("resolved", _("Đã giải quyết")),
    ("on_time_rate", _("Tỷ lệ đúng hạn (%)")),
    ("received_total", _("Tổng số hồ sơ (trực tuyến và không trực tuyến)")),
    ("online_share", _("Tỷ lệ trực tuyến (%)")),
]


@require_safe
def statistics_services_page(request: HttpRequest) -> HttpResponse:
    """``/thong-ke/dich-vu-truc-tuyen/``: each online service's figures year to date (``?nam=``, ``?trang=``)."""
    today = statistics_today()
    try:
        year = int(request.GET.get("nam") or today.year)
    except ValueError:
        year = 0
    try:
        page = max(int(request.GET.get("trang") or 1), 1)
    except ValueError:
        page = 1
    if not FIRST_YEAR <= year <= today.year:
        message = _("Hãy chọn một năm từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": today.year}
        context = {"year": today.year, "years": range(today.year, FIRST_YEAR - 1, -1), "error": message}
        return render(request, "services/statistics/services.html", context, status=400)
    # One row more than shown tells whether there is a next page without counting the groups.
    rows = service_figures(year=year, today=today, limit=SERVICES_PAGE_SIZE + 1, offset=(page - 1) * SERVICES_PAGE_SIZE)
    period = year_to_date(year, today)
    separators = (get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR"))
    labels = [str(label) for _attribute, label in SERVICE_COLUMNS]
    context = {
        "year": year,
        "years": range(today.year, FIRST_YEAR - 1, -1),
        "headings": labels,
        "rows": [
            {
                "code": row.procedure_code,
                "name": row.name,
                "cells": [
                    (label, figure_text(getattr(row, attribute), separators))
                    for label, (attribute, _label) in zip(labels, SERVICE_COLUMNS, strict=True)
                ],
            }
            for row in rows[:SERVICES_PAGE_SIZE]
        ],
        "page": page,
        "has_next": len(rows) > SERVICES_PAGE_SIZE,
        "period_text": f"{date_format(period[0], 'd/m/Y')} – {date_format(period[1], 'd/m/Y')}",
        "taken_at": snapshot.taken_at
        if (snapshot := figures_source(start=period[0], end=period[1], today=today)[0])
        else None,
    }
    return render(request, "services/statistics/services.html", context)


# -- JSON API (django-ninja, mounted at /api/statistics by cms.api) ------------------------

router = Router(tags=["statistics"])


class ReceivedOut(Schema):
    total: int
    online: int
    in_person: int
    post: int


class ProcessedOut(Schema):
    total: int
    early: int
    on_time: int
    late: int
    without_due_date: int


class InProgressOut(Schema):
    total: int
    on_time: int
    overdue: int


class FiguresOut(Schema):
    received: ReceivedOut
    processed: ProcessedOut
    in_progress: InProgressOut
    closed_without_result: int
    online_share: float | None
    on_time_rate: float | None


class FiguresRowOut(FiguresOut):
    key: str
    name: str


class AgencyOut(Schema):
    slug: str
    name: str


class AgencyStatisticsOut(Schema):
    start: date
    end: date
    today: date
    agency: AgencyOut | None
    by: Literal["agency", "procedure"]
    rows: list[FiguresRowOut]
    totals: FiguresOut
    taken_at: datetime | None = Field(None, description="khi số liệu lấy từ bản tổng hợp hằng giờ: thời điểm tổng hợp")


class ServiceOut(Schema):
    procedure_code: str
    name: str
    received_online: int
    resolved: int
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    on_time_rate: float | None
    received_total: int
    online_share: float | None


class ServiceStatisticsOut(Schema):
    year: int
    start: date | None
    end: date | None
    offset: int
    limit: int
    has_more: bool
    rows: list[ServiceOut]


class StatisticsError(Schema):
    detail: str


class AgencyQuery(Schema):
    start: date | None = None
    end: date | None = None
    agency: str | None = None
    by: Literal["agency", "procedure"] = "agency"


class ServiceQuery(Schema):
    year: int | None = None
    limit: int = 100
    offset: int = 0


def _number(value) -> float | None:
    # Decimals with one place: JSON numbers such as 87.5 (a float holds one decimal exactly enough).
    return None if value is None else float(value)


def figures_as_dict(figures: Figures) -> dict:
    """``FiguresOut`` of ``figures``."""
    return {
        "received": {
            "total": figures.received,
            "online": figures.received_online,
            "in_person": figures.received_in_person,
            "post": figures.received_post,
        },
        "processed": {
            "total": figures.processed,
            "early": figures.processed_early,
            "on_time": figures.processed_on_time,
            "late": figures.processed_late,
            "without_due_date": figures.processed_undated,
        },
        "in_progress": {
            "total": figures.in_progress,
            "on_time": figures.in_progress_on_time,
            "overdue": figures.in_progress_overdue,
        },
        "closed_without_result": figures.closed_without_result,
        "online_share": _number(figures.online_share),
        "on_time_rate": _number(figures.on_time_rate),
    }


@router.get(
    "/agencies",
    response={200: AgencyStatisticsOut, 400: StatisticsError, 404: StatisticsError},
    summary="Thống kê hồ sơ theo cơ quan (hoặc theo thủ tục) trong một kỳ",
)
def agencies_api(request: HttpRequest, query: Query[AgencyQuery]):
    """Dossiers received, processed early / on time / late, in progress on time / overdue, per agency.

    - `start`, `end`: the period as local dates (Asia/Ho_Chi_Minh), inclusive, at most 366 days;
      default 1 January of this year to today. A dossier counts in the period of the local date
      it was submitted.
    - `agency`: an agency's slug (as in `/thong-ke/?co_quan=`); default every agency.
    - `by=procedure`: one row per procedure (national procedure code) instead of per agency.

    Processed = results ready or returned (national status 9/10); early / on time / late compare
    the local finish date with the due date. Refused, withdrawn and stopped dossiers (status
    3/7/8) are in `closed_without_result` only. In progress is overdue once today is after the
    due date, unless the time limit was suspended (supplement awaited) before it. `online_share`
    and `on_time_rate` are percentages with one decimal (`on_time_rate` over the processed
    dossiers that have a due date), `null` when there is nothing to divide. `key` is the agency
    slug or the procedure code. `totals` sums the rows. `today` is the day the figures were
    judged on: for whole months they come from the hourly snapshot (today or yesterday), and
    may be up to 5 minutes older than that in the cache.
    """
    today = statistics_today()
    start = query.start or date(today.year, 1, 1)
    end = query.end or max(today, start)
    try:
        period = custom_period(start, end, today=today)
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    agency = None
    if query.agency:
        agency = Agency.objects.filter(slug=query.agency).only("name", "slug").first()
        if agency is None:
            return Status(404, {"detail": str(_("Không có cơ quan này."))})
    if query.by == "procedure":
        snapshot, today = figures_source(start=start, end=end, today=today)
        taken_at = snapshot.taken_at if snapshot else None
        selection = {"start": start, "end": end, "agency": agency, "today": today, "snapshot": snapshot}
        key = f"{start}:{end}:{agency.pk if agency else '-'}:{today}:{snapshot.pk if snapshot else '-'}"
        procedures = _cached(f"statistics:v2:procedures:{key}", lambda: procedure_statistics(**selection))
        rows = [{"key": row.procedure_code, "name": row.name, **figures_as_dict(row)} for row in procedures]
        totals = (
            Figures.total(procedures)
            if len(procedures) < MAX_ROWS
            else _cached(f"statistics:v2:totals:{key}", lambda: province_totals(**selection))
        )
    else:
        figures = agency_figures(period=period, agency=agency, today=today, by_procedure=False)
        rows = [{"key": row.slug, "name": row.name, **figures_as_dict(row)} for row in figures.rows]
        totals, today, taken_at = figures.totals, figures.today, figures.taken_at
    return {
        "start": start,
        "end": end,
        "today": today,
        "agency": {"slug": agency.slug, "name": agency.name} if agency else None,
        "by": query.by,
        "rows": rows,
        "totals": figures_as_dict(totals),
        "taken_at": taken_at,
    }


@router.get(
    "/services",
    response={200: ServiceStatisticsOut, 400: StatisticsError},
    summary="Thống kê dịch vụ công trực tuyến từ đầu năm",
)
def services_api(request: HttpRequest, query: Query[ServiceQuery]):
    """Year to date per online service (procedures with at least one online dossier).

    - `year`: default this year; the period is 1 January to today (31 December of a past year).
    - `limit` (1–200, default 100) and `offset`: a page of rows, most online dossiers first;
      `has_more` says whether another page follows.

    Each row: online dossiers received, resolved (results ready or returned) early / on time /
    late, `on_time_rate` (% early or on time of those with a due date, one decimal), the
    procedure's dossiers over every channel (`received_total`) and the online share (%).
    """
    today = statistics_today()
    year = today.year if query.year is None else query.year
    if not FIRST_YEAR <= year <= today.year:
        return Status(
            400,
            {"detail": str(_("Năm thống kê từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": today.year})},
        )
    if not 1 <= query.limit <= API_MAX_LIMIT or query.offset < 0:
        return Status(400, {"detail": str(_("limit từ 1 đến %(max)s, offset không âm.") % {"max": API_MAX_LIMIT})})
    rows = service_figures(year=year, today=today, limit=query.limit + 1, offset=query.offset)
    period = year_to_date(year, today)
    return {
        "year": year,
        "start": period[0] if period else None,
        "end": period[1] if period else None,
        "offset": query.offset,
        "limit": query.limit,
        "has_more": len(rows) > query.limit,
        "rows": [
            {
                "procedure_code": row.procedure_code,
                "name": row.name,
                "received_online": row.received_online,
                "resolved": row.resolved,
                "resolved_early": row.resolved_early,
                "resolved_on_time": row.resolved_on_time,
                "resolved_late": row.resolved_late,
                "on_time_rate": _number(row.on_time_rate),
                "received_total": row.received_total,
                "online_share": _number(row.online_share),
            }
            for row in rows[: query.limit]
        ],
    }
