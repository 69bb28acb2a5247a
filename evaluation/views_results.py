"""Public evaluation results (kết quả đánh giá) under ``/danh-gia/ket-qua/``, with Excel/CSV export.

Decree 61/2018 Art 32 and Circular 01/2018 Art 15: the provincial office publishes the
results on the portal quarterly and yearly; the Quảng Bình portal's pattern (DOMAIN.md §5):
overall per agency with ranking and class, per agency with its indices and procedures, per
procedure, filter by period and tier, Excel export. Only **published** periods are shown
(``evaluation.publication.published_*``); published rows never change, so what a page reads is
cached for ``RESULTS_CACHE_SECONDS`` (default one hour) per period and filter.

Query string of every page: ``nam`` (year), ``ky`` (``""`` whole year, ``q1``–``q4``), ``cap``
(tier code); the procedures page also ``co_quan`` (agency slug) and ``ma`` (procedure code).
Default: the latest published period. Bad input (unknown year, tier or agency, malformed
code) answers 400 with Vietnamese messages; a period not published answers 404 with a message,
also for the downloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from evaluation import resources
from evaluation.models import AgencyResult, ResultPeriod
from evaluation.publication import (
    published_agency_results,
    published_periods,
    published_procedure_results,
)
from evaluation.scoring import DECISION_766_GROUPS, DOSSIER_INDICES, INDEX_NAMES
from services.models import AdministrativeTier, Agency

DEFAULT_CACHE_SECONDS = 3600
#: Most procedure rows one page shows (the export has them all, up to ``EXPORT_MAX_ROWS``).
PAGE_ROWS = 500
EXPORT_MAX_ROWS = 50_000
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
PARTS = {"": 0, "q1": 1, "q2": 2, "q3": 3, "q4": 4}


def _cached(key: str, compute):
    seconds = int(getattr(settings, "RESULTS_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
    if seconds <= 0:
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


class ResultsFilterForm(forms.Form):
    """Year, quarter (or the whole year) and tier; only published years are offered."""

    nam = forms.TypedChoiceField(
        label=_("Năm"), coerce=int, required=False, error_messages={"invalid_choice": _("Năm này chưa có kết quả.")}
    )
    ky = forms.ChoiceField(
        label=_("Kỳ đánh giá"),
        required=False,
        choices=[("", _("Cả năm")), *((f"q{q}", _("Quý %(q)s") % {"q": ROMAN[q]}) for q in range(1, 5))],
        error_messages={"invalid_choice": _("Hãy chọn cả năm hoặc một quý.")},
    )
    cap = forms.ChoiceField(
        label=_("Cấp cơ quan"),
        required=False,
        error_messages={"invalid_choice": _("Không có cấp này; hãy chọn lại.")},
    )

    def __init__(self, *args, periods: list[ResultPeriod], tiers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        years = sorted({period.year for period in periods}, reverse=True)
        self.fields["nam"].choices = [(year, str(year)) for year in years]
        self.fields["cap"].choices = [("", _("Tất cả các cấp")), *tiers]
        self.latest = max(periods, key=lambda p: (p.end, p.quarter == ResultPeriod.YEAR)) if periods else None

    def period_key(self) -> tuple[int, int] | None:
        """``(year, quarter)`` asked for, or the latest published; ``None`` when nothing is published."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("nam"):
            return data["nam"], PARTS[data.get("ky") or ""]
        if self.latest is None:
            return None
        if data.get("ky"):
            return self.latest.year, PARTS[data["ky"]]
        return self.latest.year, self.latest.quarter


def _key(period: ResultPeriod) -> str:
    """Cache key part of a published period: its publication moment too, so a key never outlives
    its rows, and the language, since the cached rows hold formatted numbers."""
    return f"{period.pk}:{period.published_at.timestamp() if period.published_at else '-'}:{get_language()}"


def _tiers() -> list[tuple[str, str]]:
    # Not cached: a handful of rows, and an administrator's new tier must be offered at once.
    return list(AdministrativeTier.objects.order_by("sort_order", "name").values_list("code", "name"))


def _periods() -> list[ResultPeriod]:
    # Not cached: a publication must show at once, and the query reads a few rows.
    return published_periods()


@dataclass
class Selection:
    """What a results request asked for: the bound form, the published period, the tier code."""

    form: ResultsFilterForm
    period: ResultPeriod | None
    tier: str
    status: int = 200


def _select(request: HttpRequest) -> Selection:
    periods = _periods()
    form = ResultsFilterForm(request.GET or None, periods=periods, tiers=_tiers())
    if form.is_bound and not form.is_valid():
        return Selection(form, None, "", status=400)
    key = form.period_key()
    tier = form.cleaned_data.get("cap", "") if form.is_bound else ""
    if key is None:
        return Selection(form, None, tier)
    period = next((p for p in periods if (p.year, p.quarter) == key), None)
    if not form.is_bound:
        # The default period: show it in the filter too.
        form.initial = {"nam": key[0], "ky": f"q{key[1]}" if key[1] else ""}
    return Selection(form, period, tier, status=200 if period else 404)


def _query(selection: Selection, **extra) -> str:
    from urllib.parse import urlencode

    period = selection.period
    params = {"nam": period.year, "ky": f"q{period.quarter}" if period.quarter else ""} if period else {}
    if selection.tier:
        params["cap"] = selection.tier
    params.update({key: value for key, value in extra.items() if value})
    return urlencode(params)


def score_text(value: Decimal | None) -> str:
    """A score with one decimal and the active language's separator ("1,3" in Vietnamese), "—" without data."""
    return "—" if value is None else f"{value:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def _agency_rows(period: ResultPeriod, tier: str) -> list[dict]:
    def compute():
        rows = published_agency_results(period, tier_code=tier or None)
        return [
            {
                "rank": row.rank,
                "slug": row.agency.slug,
                "name": row.agency_name,
                "tier": row.tier.name if row.tier else "",
                "dossiers": row.dossiers,
                "evaluations": row.evaluations,
                "indices": [score_text(getattr(row, f"index_{i}")) for i in range(1, 10)],
                "total": row.total,
                "total_text": score_text(row.total),
                "classification": row.get_classification_display(),
                "counted": sum(1 for i in range(1, 10) if getattr(row, f"index_{i}") is not None),
            }
            for row in rows
        ]

    return _cached(f"results:v1:agencies:{_key(period)}:{tier}", compute)


def _index_headings() -> list[dict]:
    return [{"number": i, "name": str(INDEX_NAMES[i])} for i in range(1, 10)]


def _render(request, template: str, context: dict, selection: Selection) -> HttpResponse:
    context.update(
        form=selection.form,
        period=selection.period,
        periods=_periods(),
        results_query=_query(selection),
        index_headings=_index_headings(),
    )
    return render(request, template, context, status=selection.status)


@require_safe
def results_overall(request: HttpRequest) -> HttpResponse:
    """``/danh-gia/ket-qua/``: every agency's 18-point total, class and rank for a published period, with a chart."""
    selection = _select(request)
    context: dict = {}
    if selection.period is not None:
        rows = _agency_rows(selection.period, selection.tier)
        context.update(
            rows=rows,
            chart={
                "labels": [row["name"] for row in rows],
                "values": [float(row["total"]) for row in rows],
                "max": 18,
                "label": str(_("Tổng điểm (tối đa 18)")),
            },
        )
    return _render(request, "evaluation/results/overall.html", context, selection)


@require_safe
def results_agency(request: HttpRequest, slug: str) -> HttpResponse:
    """``/danh-gia/ket-qua/co-quan/<slug>/``: one agency's nine indices, Decision 766 estimates and procedures."""
    agency = get_object_or_404(Agency.objects.only("name", "slug"), slug=slug)
    selection = _select(request)
    context: dict = {"agency": agency}
    if selection.period is not None:

        def compute():
            row = AgencyResult.objects.filter(period=selection.period, agency=agency).select_related("tier").first()
            procedures = published_procedure_results(selection.period, agency_id=agency.pk, limit=PAGE_ROWS)
            return row, procedures

        row, procedures = _cached(f"results:v1:agency:{_key(selection.period)}:{agency.pk}", compute)
        if row is None:
            selection.status = 404
        else:
            indices = [
                {
                    "number": i,
                    "name": str(INDEX_NAMES[i]),
                    "score": getattr(row, f"index_{i}"),
                    "tally": row.tallies.get(str(i)),
                }
                for i in range(1, 10)
            ]
            context.update(
                row=row,
                indices=indices,
                groups=[
                    {
                        "name": str(DECISION_766_GROUPS[g["key"]][1]),
                        "max": g["max_points"],
                        "points": score_text(Decimal(g["points"])) if g["points"] is not None else None,
                    }
                    for g in row.groups_766
                ],
                procedures=[_procedure_row(p) for p in procedures],
                chart={
                    "labels": [f"{_('Chỉ số')} {i['number']}" for i in indices if i["score"] is not None],
                    "values": [float(i["score"]) for i in indices if i["score"] is not None],
                    "max": 2,
                    "label": str(_("Điểm chỉ số (tối đa 2)")),
                },
            )
    return _render(request, "evaluation/results/agency.html", context, selection)


def _procedure_row(row) -> dict:
    return {
        "code": row.procedure_code,
        "name": row.procedure_name,
        "agency": row.agency_name,
        "dossiers": row.dossiers,
        "evaluations": row.evaluations,
        "indices": [score_text(getattr(row, f"index_{i}")) for i in DOSSIER_INDICES],
        "total": score_text(row.total),
    }


class ProcedureFilterForm(forms.Form):
    """Agency (slug of an existing agency, else the error "Không có cơ quan này.") and procedure code."""

    co_quan = forms.SlugField(
        label=_("Cơ quan (mã)"),
        required=False,
        max_length=255,
        error_messages={"invalid": _("Mã cơ quan chỉ gồm chữ không dấu, số và dấu gạch ngang.")},
    )
    ma = forms.CharField(label=_("Mã thủ tục"), required=False, max_length=20)

    def clean_co_quan(self) -> Agency | None:
        slug = self.cleaned_data.get("co_quan") or ""
        if not slug:
            return None
        agency = Agency.objects.filter(slug=slug).only("name", "slug").first()
        if agency is None:
            raise forms.ValidationError(_("Không có cơ quan này; hãy kiểm tra lại mã cơ quan."), code="unknown")
        return agency


def _procedure_filter(request: HttpRequest, selection: Selection) -> tuple[ProcedureFilterForm, Agency | None, str]:
    """The bound procedure filter, its agency and code; a malformed or unknown value sets status 400."""
    extra = ProcedureFilterForm(request.GET or None)
    if not extra.is_bound:
        return extra, None, ""
    if not extra.is_valid():
        selection.status = 400
        return extra, None, ""
    return extra, extra.cleaned_data["co_quan"], extra.cleaned_data.get("ma", "").strip()


@require_safe
def results_procedures(request: HttpRequest) -> HttpResponse:
    """``/danh-gia/ket-qua/thu-tuc/``: each procedure at each agency (indices 1, 2, 3, 4, 7, total of 10)."""
    selection = _select(request)
    extra, agency, code = _procedure_filter(request, selection)
    context: dict = {"agency": agency, "code": code, "page_rows": PAGE_ROWS, "extra_form": extra}
    if selection.period is not None and not extra.errors:
        rows = _cached(
            f"results:v1:procedures:{_key(selection.period)}:{agency.pk if agency else '-'}:{code}",
            lambda: [
                _procedure_row(p)
                for p in published_procedure_results(
                    selection.period, agency_id=agency.pk if agency else None, procedure_code=code, limit=PAGE_ROWS + 1
                )
            ],
        )
        context.update(rows=rows[:PAGE_ROWS], truncated=len(rows) > PAGE_ROWS)
    context["export_query"] = _query(selection, co_quan=agency.slug if agency else "", ma=code)
    return _render(request, "evaluation/results/procedures.html", context, selection)


@require_safe
def results_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """``/danh-gia/ket-qua/tai-ve/<co-quan|thu-tuc>.<xlsx|csv>``: the table of a published period as a file.

    The same query string as the pages. CSV is UTF-8 with a byte order mark; cells a spreadsheet
    would evaluate are prefixed with an apostrophe (``evaluation.resources``).
    """
    if table not in ("co-quan", "thu-tuc") or fmt not in resources.FORMATS:
        return _export_refused(request, 404, [_("Không có bảng kết quả này để tải về.")])
    selection = _select(request)
    extra, agency, code = _procedure_filter(request, selection)
    if selection.status == 400:
        errors = [str(e) for field in (*selection.form, *extra) for e in field.errors]
        return _export_refused(request, 400, errors)
    if selection.period is None:
        return _export_refused(request, 404, [_("Kỳ này chưa được công bố kết quả đánh giá.")])
    period = selection.period
    if table == "co-quan":
        data = resources.agency_results_export(
            published_agency_results(period, tier_code=selection.tier or None), fmt=fmt, period_label=period.label
        )
    else:
        rows = published_procedure_results(
            period, agency_id=agency.pk if agency else None, procedure_code=code, limit=EXPORT_MAX_ROWS
        )
        data = resources.procedure_results_export(rows, fmt=fmt, period_label=period.label)
    part = f"q{period.quarter}" if period.quarter else "nam"
    response = HttpResponse(data, content_type=resources.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="ket-qua-danh-gia-{table}-{period.year}-{part}.{fmt}"'
    return response


def _export_refused(request: HttpRequest, status: int, errors: list[str]) -> HttpResponse:
    """A page saying why no file is given: 400 for a malformed query, 404 for an unpublished period."""
    return render(
        request,
        "evaluation/results/export_refused.html",
        {"errors": errors, "periods": _periods()},
        status=status,
    )
