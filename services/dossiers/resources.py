"""Export of dossier lists (danh sách hồ sơ) from the back office with django-import-export.

``dossier_export`` turns a queryset (the officer's filtered, agency-scoped list) into XLSX or
CSV bytes. The CSV starts with a UTF-8 byte order mark so that Excel, which otherwise reads a
CSV in the machine's ANSI code page, shows Vietnamese letters.

Formula safety: a cell that a spreadsheet would read as a formula (text starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return, OWASP "CSV injection") is written with a
leading apostrophe, so the applicant's typed name stays readable and is never evaluated.
``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` is on as well, but it only drops one leading ``=``:
``==1+1``, ``+cmd|…`` or ``@SUM(…)`` would survive it, and it rewrites the applicant's name.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX

from services.dossiers.backoffice import dossier_timeliness
from services.models import Dossier

#: Characters that make a spreadsheet read a cell as a formula (or as a DDE command).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

FORMATS = {"xlsx": XLSX, "csv": CSV}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
UTF8_BOM = "\ufeff"


def formula_safe(value):
    """``value`` unchanged, except text a spreadsheet would evaluate, prefixed with ``'``."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    return f"{value:%d/%m/%Y}"


class DossierResource(resources.ModelResource):
    """One row per dossier: what the tracking ledger (form 06) lists, with status and timeliness.

    Dates are written as Vietnamese text (dd/mm/YYYY, Vietnamese time) because the library's
    formula escaping turns every cell into text anyway; the id number is not exported (the list
    leaves the system, and the code with the id number opens the public tracking page).
    """

    code = fields.Field(attribute="code", column_name=_("Mã hồ sơ"))
    applicant = fields.Field(attribute="applicant_name", column_name=_("Người nộp"))
    procedure_code = fields.Field(attribute="procedure_code", column_name=_("Mã thủ tục"))
    procedure_name = fields.Field(attribute="procedure_name", column_name=_("Tên thủ tục"))
    agency = fields.Field(column_name=_("Cơ quan tiếp nhận"))
    channel = fields.Field(column_name=_("Hình thức nộp"))
    status = fields.Field(column_name=_("Trạng thái"))
    submitted = fields.Field(column_name=_("Thời điểm nộp"))
    received_on = fields.Field(column_name=_("Ngày tiếp nhận"))
    due = fields.Field(column_name=_("Hẹn trả kết quả"))
    finished = fields.Field(column_name=_("Có kết quả"))
    returned = fields.Field(column_name=_("Đã trả kết quả"))
    timeliness = fields.Field(column_name=_("Tiến độ"))

    class Meta:
        model = Dossier
        fields = (
            "code",
            "applicant",
            "procedure_code",
            "procedure_name",
            "agency",
            "channel",
            "status",
            "submitted",
            "received_on",
            "due",
            "finished",
            "returned",
            "timeliness",
        )
        export_order = fields

    def __init__(self, *, today: date | None = None, **kwargs):
        super().__init__(**kwargs)
        self.today = today or timezone.localdate()

    def dehydrate_agency(self, dossier: Dossier) -> str:
        return dossier.receiving_agency.name

    def dehydrate_channel(self, dossier: Dossier) -> str:
        return str(dossier.get_channel_display())

    def dehydrate_status(self, dossier: Dossier) -> str:
        return dossier.status.name

    def dehydrate_submitted(self, dossier: Dossier) -> str:
        return _date(dossier.submitted_at)

    def dehydrate_received_on(self, dossier: Dossier) -> str:
        return _date(dossier.received_on)

    def dehydrate_due(self, dossier: Dossier) -> str:
        return _date(dossier.due_date)

    def dehydrate_finished(self, dossier: Dossier) -> str:
        return _date(dossier.finished_at)

    def dehydrate_returned(self, dossier: Dossier) -> str:
        return _date(dossier.returned_at)

    def dehydrate_timeliness(self, dossier: Dossier) -> str:
        value = dossier_timeliness(dossier, today=self.today)  # the list's rule, apology included
        return str(value.label) if value else ""

    def export_field(self, field, instance, **kwargs):
        return formula_safe(super().export_field(field, instance, **kwargs))

    def get_export_headers(self, *args, **kwargs):
        return [str(header) for header in super().get_export_headers(*args, **kwargs)]


def dossier_export(queryset: QuerySet[Dossier], *, fmt: str, today: date | None = None) -> bytes:
    """``queryset`` as a spreadsheet: ``fmt`` is ``"xlsx"`` or ``"csv"`` (``KeyError`` otherwise).

    The caller scopes and filters the queryset (``dossiers_for_user`` plus the list's filters)
    and bounds its size. CSV is UTF-8 with a byte order mark; XLSX is one sheet with a header row.
    """
    format_class = FORMATS[fmt]
    queryset = queryset.select_related("receiving_agency", "status")
    dataset = DossierResource(today=today).export(queryset)
    data = format_class().export_data(dataset)
    if fmt == "csv":
        return (UTF8_BOM + data).encode("utf-8")
    return data
