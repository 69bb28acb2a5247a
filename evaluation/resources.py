"""Excel (XLSX) and CSV export of published results with django-import-export.

The same formula safety and byte order mark as the dossier export
(``services.dossiers.resources``): a cell a spreadsheet would evaluate (``=``, ``+``, ``-``,
``@``, tab, CR) gets a leading apostrophe, and the CSV starts with a UTF-8 BOM so Excel shows
Vietnamese letters. Scores are written as text with a decimal comma ("1,3"), as published;
an index without data is an empty cell.
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
    """A score as published: "1,3", empty for an index without data."""

    def render(self, value, obj=None, **kwargs):
        return _score(value)


def _index(i: int) -> fields.Field:
    return fields.Field(attribute=f"index_{i}", column_name=_("Chỉ số %(n)s") % {"n": i}, widget=ScoreWidget())


class AgencyResultResource(_SafeResource):
    """One row per agency: rank, name, tier, dossiers, the nine indices, total of 18, class."""

    rank = fields.Field(attribute="rank", column_name=_("Xếp hạng"))
    agency = fields.Field(attribute="agency_name", column_name=_("Cơ quan"))
    tier = fields.Field(column_name=_("Cấp"))
    dossiers = fields.Field(attribute="dossiers", column_name=_("Số hồ sơ đã giải quyết"))
    evaluations = fields.Field(attribute="evaluations", column_name=_("Số hồ sơ được đánh giá"))
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
    dossiers = fields.Field(attribute="dossiers", column_name=_("Số hồ sơ đã giải quyết"))
    evaluations = fields.Field(attribute="evaluations", column_name=_("Số hồ sơ được đánh giá"))
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


def _export(resource: _SafeResource, rows, fmt: str) -> bytes:
    data = FORMATS[fmt]().export_data(resource.export(rows))
    if fmt == "csv":
        return (UTF8_BOM + data).encode("utf-8")
    return data


def agency_results_export(rows: list[AgencyResult], *, fmt: str) -> bytes:
    """``rows`` (``published_agency_results``) as XLSX or CSV bytes; ``KeyError`` for another ``fmt``."""
    return _export(AgencyResultResource(), rows, fmt)


def procedure_results_export(rows: list[ProcedureResult], *, fmt: str) -> bytes:
    """``rows`` (``published_procedure_results``) as XLSX or CSV bytes; ``KeyError`` for another ``fmt``."""
    return _export(ProcedureResultResource(), rows, fmt)
