"""Import and export of national online-service lists, and the plan's XLSX appendix.

``mandates_import`` reads a CSV (UTF-8, with or without BOM) or XLSX file whose header row is
Vietnamese (accents optional, any order): ``Số quyết định``, ``Ngày quyết định``, ``Phụ lục``,
``STT``, ``Mã thủ tục`` (optional), ``Tên dịch vụ công``, ``Lĩnh vực``, ``Bộ, ngành quản lý``,
``Mức độ`` (3/4, "Mức độ 3", "Một phần", "Toàn trình"), ``Cấp thực hiện`` ("Tỉnh; Xã").
Rows are keyed by (decision, appendix, STT): importing the same file again changes nothing, and
two rows of one file with the same key are an error naming both lines (the second would silently
overwrite the first). ``STT`` is a number: digits, optionally in dotted parts ("12", "1.2").
Every row is validated first; a file with any error writes nothing and the report lists each
failing row with its line number in the file and the column. Then new or changed items are
matched to the catalogue (``services.rollout.matching``).

Formula safety (OWASP CSV injection): on export every text cell a spreadsheet would evaluate
(``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading apostrophe; on import that apostrophe is
removed again, and a cell that still starts with ``=`` is refused (a formula is not a name).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import tablib
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from services.dossiers.resources import formula_safe
from services.models import AdministrativeTier, FieldOfWork
from services.rollout.models import NationalMandate, Plan
from services.rollout.selectors import plan_proposals
from services.text import clean_value, fold

#: Header of each column as the file names it → the resource field.
HEADERS = {
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "appendix": "Phụ lục",
    "item_number": "STT",
    "procedure_code": "Mã thủ tục",
    "service_name": "Tên dịch vụ công",
    "field_of_work_name": "Lĩnh vực",
    "managing_ministry": "Bộ, ngành quản lý",
    "target_level": "Mức độ",
    "tiers": "Cấp thực hiện",
}
REQUIRED = ("decision_number", "item_number", "service_name", "target_level")
_HEADER_KEYS = {fold(label): key for key, label in HEADERS.items()} | {key: key for key in HEADERS}
#: An item number (STT) of a national list: "7", "12", "1.2", "2.1.3".
ITEM_NUMBER = re.compile(r"^\d+(\.\d+)*$")


def unescape(value):
    """Text of a cell as imported: normalised, placeholders empty, the export's apostrophe removed."""
    if isinstance(value, (datetime, date)) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_value(str(value))
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        text = text[1:]
    return text


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = unescape(value)
        if isinstance(text, str) and text.startswith("="):
            raise ValueError(_("Ô chứa công thức bảng tính, không phải văn bản."))
        return text or ""


class VietnameseDateWidget(widgets.Widget):
    """dd/mm/yyyy, yyyy-mm-dd, a spreadsheet date cell or an Excel serial number (days since 1899-12-30)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = unescape(value)
        if not text:
            return None
        if isinstance(text, str) and text.isdigit() and 20000 < int(text) < 80000:
            return date(1899, 12, 30) + timedelta(days=int(text))
        for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.strptime(str(text), fmt).date()
            except ValueError:
                continue
        raise ValueError(_("Ngày “%(value)s” không đúng dạng ngày/tháng/năm.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return f"{value:%d/%m/%Y}" if value else ""


class LevelWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        from services.rollout.services import RolloutError, target_level_from

        try:
            return target_level_from(unescape(value))
        except RolloutError as error:
            raise ValueError(str(error)) from error

    def render(self, value, obj=None, **kwargs):
        return value.label if value else ""


class TiersWidget(widgets.ManyToManyWidget):
    """ "Tỉnh; Xã" or "tinh, xa" → tiers by code or by folded name ("Cấp Tỉnh" = "tỉnh")."""

    def __init__(self):
        super().__init__(AdministrativeTier, separator=";", field="code")

    def clean(self, value, row=None, **kwargs):
        text = unescape(value) or ""
        tiers = {}
        for tier in AdministrativeTier.objects.all():
            for key in (tier.code, fold(tier.name), fold(tier.name).removeprefix("cap ")):
                tiers[key] = tier
        found, unknown = [], []
        for part in str(text).replace(",", ";").split(";"):
            key = fold(part)
            if not key:
                continue
            tier = tiers.get(key) or tiers.get(key.removeprefix("cap "))
            (found.append(tier) if tier else unknown.append(part.strip()))
        if unknown:
            raise ValueError(_("Cấp thực hiện không rõ: %(tiers)s.") % {"tiers": ", ".join(unknown)})
        return found

    def render(self, value, obj=None, **kwargs):
        return "; ".join(t.name for t in value.all()) if value is not None else ""


class NationalMandateResource(resources.ModelResource):
    """One row per item of a national list; keyed by decision number, appendix and STT."""

    decision_number = fields.Field("decision_number", HEADERS["decision_number"], widget=TextWidget())
    decision_date = fields.Field("decision_date", HEADERS["decision_date"], widget=VietnameseDateWidget())
    appendix = fields.Field("appendix", HEADERS["appendix"], widget=TextWidget())
    item_number = fields.Field("item_number", HEADERS["item_number"], widget=TextWidget())
    procedure_code = fields.Field("procedure_code", HEADERS["procedure_code"], widget=TextWidget())
    service_name = fields.Field("service_name", HEADERS["service_name"], widget=TextWidget())
    field_of_work_name = fields.Field("field_of_work_name", HEADERS["field_of_work_name"], widget=TextWidget())
    managing_ministry = fields.Field("managing_ministry", HEADERS["managing_ministry"], widget=TextWidget())
    target_level = fields.Field("target_level", HEADERS["target_level"], widget=LevelWidget())
    tiers = fields.Field("tiers", HEADERS["tiers"], widget=TiersWidget())

    class Meta:
        model = NationalMandate
        fields = tuple(HEADERS)
        export_order = tuple(HEADERS)
        import_id_fields = ("decision_number", "appendix", "item_number")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = False  # mandates_import holds the transaction

    def before_save_instance(self, instance, row, **kwargs):
        if instance.field_of_work_name:
            instance.field_of_work = FieldOfWork.objects.filter(lookup_key=fold(instance.field_of_work_name)).first()
        if instance.pk:
            # A changed name or code means the old match no longer holds (unless settled by hand).
            old = NationalMandate.objects.filter(pk=instance.pk).values("service_name", "procedure_code").first()
            if old and (old["service_name"], old["procedure_code"]) != (instance.service_name, instance.procedure_code):
                instance.match_confirmed_at = None
                instance.match_confirmed_by = None
                if instance.match_method == NationalMandate.MatchMethod.MANUAL:
                    instance.match_method = NationalMandate.MatchMethod.NONE

    def export_field(self, field, instance, **kwargs):
        return formula_safe(super().export_field(field, instance, **kwargs))


@dataclass
class RowError:
    """A failing row: ``line`` in the file (the header is line 1), ``column`` header, ``message``."""

    line: int
    column: str
    message: str


@dataclass
class MandateImportReport:
    """Counts of an import (``new``, ``updated``, ``unchanged``), its row errors, items re-matched."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    matched: int = 0
    written: bool = False

    def summary(self) -> str:
        return _("mới %(new)s / cập nhật %(updated)s / không đổi %(unchanged)s / lỗi %(errors)s") % {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": len({e.line for e in self.errors}),
        }


class ImportFileError(Exception):
    """The file cannot be read as a list (format, header); ``str(error)`` is Vietnamese."""


def read_dataset(data: bytes, fmt: str) -> tablib.Dataset:
    """The file as a dataset with the resource's headers; ``fmt`` ``"csv"`` or ``"xlsx"``.

    Raises ``ImportFileError`` for another format, an unreadable file or missing required columns.
    """
    if fmt == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("Tệp CSV phải mã hóa UTF-8.")) from error
        dataset = tablib.Dataset().load(text, format="csv")
    elif fmt == "xlsx":
        try:
            dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
        except Exception as error:  # openpyxl raises many kinds for a broken workbook
            raise ImportFileError(_("Không đọc được tệp Excel.")) from error
    else:
        raise ImportFileError(_("Chỉ nhận tệp CSV hoặc XLSX."))
    headers = []
    for header in dataset.headers or []:
        key = _HEADER_KEYS.get(fold(str(header or "")))
        headers.append(HEADERS[key] if key else str(header or ""))
    missing = [HEADERS[key] for key in REQUIRED if HEADERS[key] not in headers]
    if missing:
        raise ImportFileError(_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})
    dataset.headers = headers
    for key in HEADERS:
        if HEADERS[key] not in headers:
            dataset.append_col([""] * len(dataset), header=HEADERS[key])
    return dataset


def mandates_import(*, data: bytes, fmt: str, dry_run: bool = False) -> MandateImportReport:
    """Imports a national list (see the module docstring); nothing is written if any row fails.

    Returns a ``MandateImportReport``; ``written`` is True when the rows were saved. Raises
    ``ImportFileError`` when the file itself cannot be read.
    """
    from services.rollout.services import mandates_match

    dataset = read_dataset(data, fmt)
    report = MandateImportReport()
    tiers = TiersWidget()
    first_line: dict[tuple, int] = {}
    for number, row in enumerate(dataset.dict, start=2):
        for key in REQUIRED:
            if not unescape(row.get(HEADERS[key])):
                report.errors.append(RowError(number, HEADERS[key], _("Không được để trống.")))
        item = str(unescape(row.get(HEADERS["item_number"])) or "")
        if item and not ITEM_NUMBER.match(item):
            report.errors.append(
                RowError(
                    number,
                    HEADERS["item_number"],
                    _("STT “%(value)s” phải là số, ví dụ 12 hoặc 1.2.") % {"value": item},
                )
            )
        key = tuple(
            str(unescape(row.get(HEADERS[name])) or "") for name in ("decision_number", "appendix", "item_number")
        )
        if key[0] and key[2]:
            if key in first_line:
                report.errors.append(
                    RowError(
                        number,
                        HEADERS["item_number"],
                        _(
                            "Dòng %(first)s và dòng %(line)s trùng số quyết định, phụ lục và STT "
                            "(%(decision)s, %(appendix)s, STT %(item)s); mỗi mục chỉ được có một dòng."
                        )
                        % {
                            "first": first_line[key],
                            "line": number,
                            "decision": key[0],
                            "appendix": key[1] or "—",
                            "item": key[2],
                        },
                    )
                )
            else:
                first_line[key] = number
        # Tiers are many-to-many: the library reads them only after saving a valid row, so a bad
        # tier would otherwise hide behind the row's other errors.
        try:
            tiers.clean(row.get(HEADERS["tiers"]))
        except ValueError as error:
            report.errors.append(RowError(number, HEADERS["tiers"], str(error)))
    seen = {(e.line, e.column) for e in report.errors}
    resource = NationalMandateResource()
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=True, raise_errors=False, collect_failed_rows=True)
        for invalid in result.invalid_rows:
            for name, messages in invalid.error_dict.items():
                column = HEADERS.get(name, "")
                if (invalid.number + 1, column) in seen:
                    continue  # already said in our own words
                for message in messages:
                    report.errors.append(RowError(invalid.number + 1, column, str(message)))
        for number, errors in result.row_errors():
            if (number + 1, HEADERS["tiers"]) in seen:
                continue
            for error in errors:
                report.errors.append(RowError(number + 1, "", str(error.error)))
        report.errors = sorted({(e.line, e.column, e.message): e for e in report.errors}.values(), key=lambda e: e.line)
        totals = result.totals
        report.new, report.updated, report.unchanged = totals["new"], totals["update"], totals["skip"]
        transaction.set_rollback(True)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=False, raise_errors=True)
        ids = [row.object_id for row in result.rows if row.import_type in ("new", "update")]
        report.matched = mandates_match(mandates=NationalMandate.objects.filter(pk__in=ids))
        report.written = True
    return report


def mandates_export(queryset, *, fmt: str) -> bytes:
    """The items as CSV (UTF-8 with BOM) or XLSX in the import's layout: re-importing changes nothing."""
    dataset = NationalMandateResource().export(queryset.prefetch_related("tiers").select_related("target_level"))
    if fmt == "csv":
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export("xlsx")


# -- the plan as an official appendix ------------------------------------------------------------

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def roman(number: int) -> str:
    """1 → "I" … 39 → "XXXIX" (section numbers of an appendix)."""
    tens, units = divmod(number, 10)
    return "X" * tens + (ROMAN[units - 1] if units else "")


PLAN_COLUMNS = [
    ("STT", 6),
    ("Tên dịch vụ công trực tuyến", 48),
    ("Mã thủ tục", 12),
    ("Lĩnh vực", 24),
    ("Cấp thực hiện", 12),
    ("Mức độ", 14),
    ("Số hồ sơ/năm", 12),
    ("Trạng thái", 16),
    ("Ghi chú", 36),
]


def plan_heading(plan: Plan) -> str:
    """The plan's own title in capitals, its period added when the title lacks it:
    "Kế hoạch DVC 2019–2020" → "KẾ HOẠCH DVC 2019–2020"; "Kế hoạch DVC" → "KẾ HOẠCH DVC GIAI ĐOẠN 2019–2020"."""
    title = plan.title.strip()
    if plan.period_label not in title:
        title = _("%(title)s giai đoạn %(period)s") % {"title": title, "period": plan.period_label}
    return title.upper()


def plan_appendix_xlsx(plan: Plan) -> bytes:
    """The plan as an XLSX appendix: title rows, then a header row and one section per agency
    (Roman numeral, agency name) with its services numbered 1, 2, 3… (STT).

    Title rows: "PHỤ LỤC", "DANH MỤC DỊCH VỤ CÔNG TRỰC TUYẾN THUỘC <the plan's title, upper case,
    with its period when the title does not say it>" (``plan_heading``), and "(Kèm theo Quyết định
    số … ngày … của Chủ tịch UBND tỉnh)" once approved. The
    note column names the national list item when the procedure is on one. Every text cell is
    formula-safe.
    """
    from services.rollout.checks import checks_for

    proposals = list(plan_proposals(plan))
    findings = checks_for(proposals)
    book = Workbook()
    sheet = book.active
    sheet.title = "Phu luc"
    width = len(PLAN_COLUMNS)
    last = get_column_letter(width)
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    if plan.approval_number:
        basis = _("(Kèm theo Quyết định số %(number)s ngày %(date)s của Chủ tịch Ủy ban nhân dân tỉnh)") % {
            "number": plan.approval_number,
            "date": f"{plan.approval_date:%d/%m/%Y}" if plan.approval_date else "…",
        }
    else:
        basis = _("(Dự thảo trình Chủ tịch Ủy ban nhân dân tỉnh)")
    titles = [
        (_("PHỤ LỤC"), Font(bold=True, size=13)),
        (_("DANH MỤC DỊCH VỤ CÔNG TRỰC TUYẾN THUỘC %(plan)s") % {"plan": plan_heading(plan)}, Font(bold=True, size=13)),
        (basis, Font(italic=True)),
    ]
    for row, (text, font) in enumerate(titles, start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row=row, column=1, value=formula_safe(str(text)))
        cell.font, cell.alignment = font, centre
    header_row = len(titles) + 2
    for col, (label, size) in enumerate(PLAN_COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=col, value=label)
        cell.font, cell.alignment, cell.border = bold, centre, border
        sheet.column_dimensions[get_column_letter(col)].width = size
    row = header_row + 1
    section, number, agency = 0, 0, None
    for proposal in proposals:
        if proposal.agency_id != agency:
            agency, section, number = proposal.agency_id, section + 1, 0
            sheet.cell(row=row, column=1, value=roman(section)).font = bold
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
            sheet.cell(row=row, column=2, value=formula_safe(proposal.agency.name)).font = bold
            for col in range(1, width + 1):
                sheet.cell(row=row, column=col).border = border
            row += 1
        number += 1
        national = [f.message for f in findings.get(proposal.pk, []) if f.code == "national"]
        values = [
            number,
            proposal.procedure.name,
            proposal.procedure.code,
            "; ".join(w.name for w in proposal.procedure.fields_of_work.all()),
            proposal.tier.name if proposal.tier else "",
            proposal.target_level.label,
            proposal.yearly_volume,
            proposal.get_status_display(),
            " ".join(national),
        ]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=formula_safe(value))
            cell.alignment, cell.border = (centre if col in (1, 3, 5, 6, 7) else wrap), border
        row += 1
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
