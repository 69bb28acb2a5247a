"""JSON API of published evaluation results (django-ninja router mounted at ``/api/evaluation/``).

The same data as the pages under ``/danh-gia/ket-qua/`` (``evaluation.publication`` selectors):
only published periods, which never change. Scores are numbers with one decimal (``1.3``),
``null`` for an index without data (excluded from the total, Circular 01/2018 Art 15).
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from evaluation.models import AgencyResult, ResultPeriod
from evaluation.publication import (
    FIRST_YEAR,
    published_agency_results,
    published_period,
    published_periods,
    published_procedure_results,
)
from evaluation.scoring import DECISION_766_GROUPS
from services.models import AdministrativeTier, Agency

router = Router(tags=["evaluation"])
API_MAX_LIMIT = 1000
#: Largest ``offset`` accepted (far beyond any period's rows; keeps SQL ``LIMIT`` within 64 bits).
API_MAX_OFFSET = 1_000_000_000


class PeriodOut(Schema):
    year: int
    quarter: int | None
    label: str
    start: date
    end: date
    published_at: datetime | None
    dossiers: int


class IndicesOut(Schema):
    index_1: float | None
    index_2: float | None
    index_3: float | None
    index_4: float | None
    index_5: float | None = None
    index_6: float | None = None
    index_7: float | None
    index_8: float | None = None
    index_9: float | None = None


class Group766Out(Schema):
    key: str
    name: str
    max_points: int
    estimated_points: float | None


class AgencyResultOut(Schema):
    rank: int
    agency: str
    slug: str
    tier: str | None
    dossiers: int
    evaluations: int
    indices: IndicesOut
    total: float
    classification: str
    classification_label: str


class AgencyDetailOut(AgencyResultOut):
    decision_766_estimates: list[Group766Out]


class ProcedureResultOut(Schema):
    procedure_code: str
    procedure_name: str
    agency: str
    dossiers: int
    evaluations: int
    indices: IndicesOut
    total: float


class ResultsOut(Schema):
    period: PeriodOut
    tier: str | None
    rows: list[AgencyResultOut]


class AgencyResultsOut(Schema):
    period: PeriodOut
    agency: AgencyDetailOut
    procedures: list[ProcedureResultOut]


class ProceduresOut(Schema):
    period: PeriodOut
    offset: int
    limit: int
    has_more: bool
    rows: list[ProcedureResultOut]


class ResultsError(Schema):
    detail: str


class PeriodQuery(Schema):
    year: int
    quarter: int = Field(0, ge=0, le=4)


class AgenciesQuery(PeriodQuery):
    tier: str | None = None


class ProceduresQuery(PeriodQuery):
    agency: str | None = None
    code: str | None = None
    limit: int = 200
    offset: int = 0


def _number(value) -> float | None:
    return None if value is None else float(value)


def _period(period: ResultPeriod) -> dict:
    return {
        "year": period.year,
        "quarter": period.quarter or None,
        "label": period.label,
        "start": period.start,
        "end": period.end,
        "published_at": period.published_at,
        "dossiers": period.dossiers,
    }


def _indices(row, numbers) -> dict:
    return {f"index_{i}": _number(getattr(row, f"index_{i}")) for i in numbers}


def _agency(row: AgencyResult) -> dict:
    return {
        "rank": row.rank,
        "agency": row.agency_name,
        "slug": row.agency.slug,
        "tier": row.tier.code if row.tier else None,
        "dossiers": row.dossiers,
        "evaluations": row.evaluations,
        "indices": _indices(row, range(1, 10)),
        "total": float(row.total),
        "classification": row.classification,
        "classification_label": str(row.get_classification_display()),
    }


def _procedure(row) -> dict:
    return {
        "procedure_code": row.procedure_code,
        "procedure_name": row.procedure_name,
        "agency": row.agency_name,
        "dossiers": row.dossiers,
        "evaluations": row.evaluations,
        "indices": _indices(row, (1, 2, 3, 4, 7)),
        "total": float(row.total),
    }


def _not_published():
    return Status(404, {"detail": _("Kỳ này chưa được công bố kết quả đánh giá.")})


def _bad_year(year: int):
    """A 400 answer for a year no result can have (before 2018 or past 9999, which ``date`` cannot hold), else None."""
    if FIRST_YEAR <= year <= 9999:
        return None
    return Status(400, {"detail": _("Năm không hợp lệ: kết quả đánh giá có từ năm %(first)s.") % {"first": FIRST_YEAR}})


@router.get("/periods", response=list[PeriodOut], summary="Các kỳ đã công bố kết quả đánh giá")
def periods_api(request: HttpRequest):
    """Published periods, latest year first; `quarter` null is the whole year."""
    return [_period(period) for period in published_periods()]


@router.get(
    "/results",
    response={200: ResultsOut, 400: ResultsError, 404: ResultsError},
    summary="Kết quả đánh giá theo cơ quan trong một kỳ đã công bố",
)
def results_api(request: HttpRequest, query: Query[AgenciesQuery]):
    """Every agency's nine index scores, 18-point total, class and rank (Circular 01/2018 Art 15).

    - `year`, `quarter` (1–4, or 0 for the whole year): a published period, else 404.
    - `tier`: only agencies of this tier (code, e.g. `province`, `commune`), ranked within it;
      an unknown code answers 400 "Không có cấp này" (as the page does).
    - A year before 2018 or past 9999 answers 400.

    Classes: `excellent` Xuất sắc ≥ 15, `good` Tốt ≥ 12, `fair` Khá ≥ 9, `average` Trung bình
    ≥ 6, `poor` Yếu. Ties share a rank.
    """
    if error := _bad_year(query.year):
        return error
    if query.tier and not AdministrativeTier.objects.filter(code=query.tier).exists():
        return Status(400, {"detail": _("Không có cấp này; hãy chọn lại.")})
    period = published_period(year=query.year, quarter=query.quarter)
    if period is None:
        return _not_published()
    rows = published_agency_results(period, tier_code=query.tier or None)
    return {"period": _period(period), "tier": query.tier, "rows": [_agency(row) for row in rows]}


@router.get(
    "/results/agencies/{slug}",
    response={200: AgencyResultsOut, 400: ResultsError, 404: ResultsError},
    summary="Kết quả đánh giá của một cơ quan và các thủ tục của cơ quan",
)
def agency_results_api(request: HttpRequest, slug: str, query: Query[PeriodQuery]):
    """One agency's result and its procedures (indices 1, 2, 3, 4, 7, total of 10).

    `decision_766_estimates`: the Decision 766/QĐ-TTg groups estimated from the portal's data
    (maximum × share), `estimated_points` null where the portal holds no data; not official.
    """
    if error := _bad_year(query.year):
        return error
    period = published_period(year=query.year, quarter=query.quarter)
    if period is None:
        return _not_published()
    agency = Agency.objects.filter(slug=slug).first()
    row = (
        AgencyResult.objects.filter(period=period, agency=agency).select_related("tier", "agency").first()
        if agency
        else None
    )
    if row is None:
        return Status(404, {"detail": _("Cơ quan này không có kết quả trong kỳ.")})
    procedures = published_procedure_results(period, agency_id=agency.pk, limit=API_MAX_LIMIT)
    detail = _agency(row)
    detail["decision_766_estimates"] = [
        {
            "key": group["key"],
            "name": str(DECISION_766_GROUPS[group["key"]][1]),
            "max_points": group["max_points"],
            "estimated_points": _number(group["points"]),
        }
        for group in row.groups_766
    ]
    return {"period": _period(period), "agency": detail, "procedures": [_procedure(p) for p in procedures]}


@router.get(
    "/results/procedures",
    response={200: ProceduresOut, 400: ResultsError, 404: ResultsError},
    summary="Kết quả đánh giá theo thủ tục hành chính",
)
def procedure_results_api(request: HttpRequest, query: Query[ProceduresQuery]):
    """One row per procedure and agency, best total first; `agency` (slug) and `code` filter.

    `limit` 1–1000 (default 200) and `offset` page the rows; `has_more` says whether more follow.
    """
    if not 1 <= query.limit <= API_MAX_LIMIT or not 0 <= query.offset <= API_MAX_OFFSET:
        return Status(
            400,
            {
                "detail": _("limit từ 1 đến %(max)s, offset từ 0 đến %(offset)s.")
                % {"max": API_MAX_LIMIT, "offset": API_MAX_OFFSET}
            },
        )
    if error := _bad_year(query.year):
        return error
    period = published_period(year=query.year, quarter=query.quarter)
    if period is None:
        return _not_published()
    agency_id = None
    if query.agency:
        agency_id = Agency.objects.filter(slug=query.agency).values_list("pk", flat=True).first()
        if agency_id is None:
            return Status(404, {"detail": _("Không có cơ quan này.")})
    rows = published_procedure_results(
        period, agency_id=agency_id, procedure_code=query.code, limit=query.offset + query.limit + 1
    )[query.offset :]
    return {
        "period": _period(period),
        "offset": query.offset,
        "limit": query.limit,
        "has_more": len(rows) > query.limit,
        "rows": [_procedure(row) for row in rows[: query.limit]],
    }
