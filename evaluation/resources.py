"""Excel (XLSX) and CSV export of published results with django-import-export.

The same formula safety and byte order mark as the dossier export
(``services.dossiers.resources``): a cell a spreadsheet would evaluate (``=``, ``+``, ``-``,
``@``, tab, CR) gets a leading apostrophe, and the CSV starts with a UTF-8 BOM so Excel shows
Vietnamese letters. In CSV, scores are text with a decimal comma ("1,3"), as published; in
XLSX every number (rank, dossiers, scores) is a number cell (1.3, shown by the reader's locale),
so the sheet can be sorted and summed, and the sheet is named after the table and period
(``sheet_title``) instead of tablib's "Tablib Dataset". An index without data is an empty cell.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from evaluation.models import AgencyResult, ProcedureResult
from evaluation.scoring import DOSSIER_INDICES
from services.dossiers.resources import CONTENT_TYPES, FORMATS, UTF8_BOM, formula_safe

__all__ = ["CONTENT_TYPES", "FORMATS", "agency_results_export", "procedure_results_export"]


def _score(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


class _SafeResource(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        return formula_safe(super().export_field(field, instance, **kwargs))

    def get_export_headers(self, *args, **kwargs):
        return [str(header) for header in super().get_export_headers(*args, **kwargs)]


class ScoreWidget(widgets.Widget):
    """A score as published: "1,3" (CSV) or the number 1.3 (XLSX, ``force_native_type``), empty for no data."""

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return "" if value is None else float(round(Decimal(value), 1))
        return _score(value)


def _count(attribute: str, label) -> fields.Field:
    """A whole number: text in CSV, a number cell in XLSX."""
    return fields.Field(attribute=attribute, column_name=label, widget=widgets.IntegerWidget())


def _index(i: int) -> fields.Field:
    return fields.Field(attribute=f"index_{i}", column_name=_("Chỉ số %(n)s") % {"n": i}, widget=ScoreWidget())


class AgencyResultResource(_SafeResource):
    """One row per agency: rank, name, tier, dossiers, the nine indices, total of 18, class."""

    rank = _count("rank", _("Xếp hạng"))
    agency = fields.Field(attribute="agency_name", column_name=_("Cơ quan"))
    tier = fields.Field(column_name=_("Cấp"))
    dossiers = _count("dossiers", _("Số hồ sơ đã giải quyết"))
    evaluations = _count("evaluations", _("Số hồ sơ được đánh giá"))
    index_1 = _index(1)
    index_2 = _index(2)
    index_3 = _index(3)
    index_4 = _index(4)
    index_5 = _index(5)
    index_6 = _index(6)
    index_7 = _index(7)
    index_8 = _index(8)
    index_9 = _index(9)
    total = fields.Field(attribute="total", column_name=_("Tổng điểm (tối đa 18)"), widget=ScoreWidget())
    classification = fields.Field(column_name=_("Xếp loại"))

    class Meta:
        model = AgencyResult
        fields = (
            "rank",
            "agency",
            "tier",
            "dossiers",
            "evaluations",
            *(f"index_{i}" for i in range(1, 10)),
            "total",
            "classification",
        )
        export_order = fields

    def dehydrate_tier(self, row: AgencyResult) -> str:
        return row.tier.name if row.tier else ""

    def dehydrate_classification(self, row: AgencyResult) -> str:
        return str(row.get_classification_display())


class ProcedureResultResource(_SafeResource):
    """One row per procedure and agency: indices 1, 2, 3, 4, 7 and their total of 10."""

    procedure_code = fields.Field(attribute="procedure_code", column_name=_("Mã thủ tục"))
    procedure_name = fields.Field(attribute="procedure_name", column_name=_("Tên thủ tục"))
    agency = fields.Field(attribute="agency_name", column_name=_("Cơ quan"))
    dossiers = _count("dossiers", _("Số hồ sơ đã giải quyết"))
    evaluations = _count("evaluations", _("Số hồ sơ được đánh giá"))
    index_1 = _index(1)
    index_2 = _index(2)
    index_3 = _index(3)
    index_4 = _index(4)
    index_7 = _index(7)
    total = fields.Field(attribute="total", column_name=_("Tổng điểm (tối đa 10)"), widget=ScoreWidget())

    class Meta:
        model = ProcedureResult
        fields = (
            "procedure_code",
            "procedure_name",
            "agency",
            "dossiers",
            "evaluations",
            *(f"index_{i}" for i in DOSSIER_INDICES),
            "total",
        )
        export_order = fields


#: Characters a worksheet name may not hold (Excel), and its longest length.
_SHEET_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})
SHEET_TITLE_MAX = 31


def sheet_title(table: str, period_label: str = "") -> str:
    """A worksheet name: ``table`` ("Cơ quan") and ``period_label`` ("Quý III năm 2026"), at most 31
    characters without ``[]:*?/\\`` (Excel's rules), e.g. "Cơ quan - Quý III năm 2026"."""
    title = f"{table} - {period_label}" if period_label else table
    return title.translate(_SHEET_FORBIDDEN)[:SHEET_TITLE_MAX].strip()


def _export(resource: _SafeResource, rows, fmt: str, title: str) -> bytes:
    if fmt == "csv":
        return (UTF8_BOM + FORMATS[fmt]().export_data(resource.export(rows))).encode("utf-8")
    if fmt not in FORMATS:
        raise KeyError(fmt)
    # Numbers stay numbers (``force_native_type``); tablib writes the sheet directly, because
    # import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT turns every cell into text. Formula
    # safety is ``formula_safe``'s apostrophe on each text cell (``_SafeResource``).
    dataset = resource.export(rows, force_native_type=True)
    dataset.title = title
    return dataset.export("xlsx")


def agency_results_export(rows: list[AgencyResult], *, fmt: str, period_label: str = "") -> bytes:
    """``rows`` (``published_agency_results``) as XLSX or CSV bytes; ``KeyError`` for another ``fmt``.

    The XLSX sheet is named "Cơ quan - <period_label>" (``sheet_title``)."""
    return _export(AgencyResultResource(), rows, fmt, sheet_title(str(_("Cơ quan")), period_label))


def procedure_results_export(rows: list[ProcedureResult], *, fmt: str, period_label: str = "") -> bytes:
    """``rows`` (``published_procedure_results``) as XLSX or CSV bytes; ``KeyError`` for another ``fmt``.

    The XLSX sheet is named "Thủ tục - <period_label>" (``sheet_title``)."""
    return _export(ProcedureResultResource(), rows, fmt, sheet_title(str(_("Thủ tục")), period_label))
