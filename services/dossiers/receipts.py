"""The receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn trả kết quả) of a dossier.

Circular 01/2018/TT-VPCP form 01 (A5): the receiving agency, the dossier code, the applicant, the
procedure, the components received, when the dossier was received, the time limit, the due date
and where to collect the result, with a QR code of the public tracking link (the code may be
printed as a barcode or QR code, DOMAIN.md §4). ``receipt_context`` gathers the values once for the
HTML page, the e-mail and the PDF (``receipt_pdf``), so the three never disagree.

The PDF is drawn with fpdf2 in DejaVu Sans, bundled under ``services/static/fonts`` (its licence
is beside it) because the production image is not guaranteed to have a font with Vietnamese
letters. Reads only: nothing here writes to the database.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from services.models import Dossier
from services.templatetags.procedure_tags import time_limit as format_time_limit
from services.validators import IdDocumentType
from services.workdays import LOCAL_TZ

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_FAMILY = "DejaVuSans"

#: The public tracking page (built by the tracking work); used until its URL name exists.
TRACKING_PATH = "/tra-cuu-ho-so/"
TRACKING_URL_NAME = "dossier_lookup"

#: Error correction M (15%): survives a creased or slightly smudged print of an A5 slip.
QR_ERROR = "m"


@dataclass
class ReceivedFile:
    """One file of a component as the citizen named it (case C18)."""

    pk: int
    name: str
    size: int


@dataclass
class ReceivedComponent:
    """A dossier component (thành phần hồ sơ): the form's file question and the files sent for it."""

    number: int
    label: str
    files: list[ReceivedFile] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.files)


def tracking_url(code: str, *, request: HttpRequest | None = None) -> str:
    """The absolute public tracking link of dossier ``code``: ``<host>/tra-cuu-ho-so/?ma=<code>``.

    The host is the request's when there is one, otherwise ``settings.PORTAL_BASE_URL`` (background
    tasks have no request). Only the code goes in the URL, never the applicant's id number: the
    tracking page asks for it (DOMAIN.md §6, lookup without login by code and id number).
    """
    try:
        path = reverse(TRACKING_URL_NAME)
    except NoReverseMatch:
        path = TRACKING_PATH
    query = "?" + urlencode({"ma": code})
    if request is not None:
        return request.build_absolute_uri(path) + query
    base = getattr(settings, "PORTAL_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path + query


def qr_code(url: str) -> segno.QRCode:
    """The QR code (never a Micro QR, which phone cameras rarely read) of ``url``."""
    return segno.make(url, error=QR_ERROR, micro=False)


def qr_svg(url: str) -> str:
    """``url`` as an inline SVG QR code, sized by CSS (``viewBox`` only), 2-module quiet zone."""
    return qr_code(url).svg_inline(scale=4, border=2, omitsize=True, svgclass="receipt__qr-code")


def qr_png(url: str) -> bytes:
    """``url`` as a black-on-white PNG QR code, 8 pixels a module, 2-module quiet zone."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def receipt_filename(code: str) -> str:
    return f"giay-tiep-nhan-{code}.pdf"


def weekday_name(day: date) -> str:
    """The Vietnamese name of ``day``'s weekday: "Thứ Hai" … "Thứ Bảy", "Chủ nhật"."""
    names = (_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật"))
    return names[day.weekday()]


def masked_id_number(number: str) -> str:
    """The id number with all but its last 4 characters hidden ("068090001234" -> "********1234").

    The code and the full id number together open the public tracking page, and a receipt is
    printed, e-mailed and photographed: it carries the code, so it must not carry the full id.
    """
    number = number or ""
    visible = 4 if len(number) >= 8 else 2
    return "*" * max(0, len(number) - visible) + number[-visible:]


def _id_type_label(kind: str) -> str:
    """The document's name without the form's hint ("Chứng minh nhân dân (9 số)" -> "Chứng minh nhân dân")."""
    label = str(IdDocumentType(kind).label) if kind in IdDocumentType.values else kind
    return re.sub(r"\s*\([^)]*\)$", "", label)


def _address_text(address: dict) -> str:
    parts = [address.get(key, "") for key in ("street", "commune", "province")] if isinstance(address, dict) else []
    return ", ".join(part.strip() for part in parts if part and part.strip())


def _components(dossier: Dossier) -> list[ReceivedComponent]:
    """The form's file questions in the form's order, each with the files stored for it."""
    attachments = list(dossier.attachments.all())
    components = []
    for number, answer in enumerate(dossier.component_answers, start=1):
        label = answer.get("label") or ""
        # Files are tied to their question by id; by label for rows written without one.
        files = [a for a in attachments if (a.field_id == answer.get("id") if a.field_id else a.component == label)]
        components.append(
            ReceivedComponent(
                number=number,
                label=label,
                files=[ReceivedFile(pk=a.pk, name=a.original_name, size=a.size) for a in files],
            )
        )
    return components


def receipt_context(dossier: Dossier, *, tracking_url: str) -> dict:
    """Everything form 01 shows for ``dossier`` (Circular 01/2018 form 01), as display values.

    Args:
        dossier: a filed ``Dossier`` (its agency, procedure and attachments are read).
        tracking_url: the absolute public tracking link (``tracking_url()``), put in the QR code.

    Returns a dict with ``code``, ``agency`` (``name``, ``parent_name``, ``address``),
    ``applicant`` (``name``, ``id_type``, ``id_number`` masked, ``phone``, ``email``, ``address``),
    ``procedure_code``, ``procedure_name``, ``case_title``, ``channel``, ``status``,
    ``components`` (``ReceivedComponent`` list) and ``file_count``, ``received_at``
    ("dd/mm/YYYY HH:MM", Vietnamese time: acceptance, else filing), ``received_on`` (the reception date the time limit
    counts from, "dd/mm/YYYY", only when it is not the day of ``received_at``: after 15:00 or on a
    day off, Decree 61/2018 Art 20), ``time_limit`` ("15 ngày làm việc" or ""), ``due_date``
    ("dd/mm/YYYY" or ""; the appointment given at acceptance, ``original_due_date``),
    ``due_weekday`` ("Thứ Ba" or ""), ``rescheduled_to`` ("Thứ Tư, 13/05/2026" once the date was
    moved by an apology, form 04, else ""), ``collect_at`` (lines: agency with
    its address, then the procedure's submission address when it says something else),
    ``place_date`` ("Lâm Đồng, ngày 23 tháng 04 năm 2026"), ``tracking_url`` and ``qr_svg``
    (inline SVG of ``tracking_url``). Labels follow the active language; the values are data.
    """
    agency = dossier.receiving_agency
    # Once accepted, the receipt is the one the desk issued: received when the complete dossier
    # was accepted (after a supplement at reception, not when first filed), with the appointment
    # given then; a later apology (form 04) is added as a new date, not written over it.
    submitted = timezone.localtime(dossier.accepted_at or dossier.submitted_at, LOCAL_TZ)
    received_on = dossier.received_on
    due = dossier.original_due_date or dossier.due_date
    rescheduled = dossier.due_date if dossier.due_date_extended and dossier.due_date != due else None
    components = _components(dossier)

    collect_at = [", ".join(part for part in (agency.name, agency.address.strip()) if part)]
    submission_address = (dossier.procedure.submission_address.strip() if dossier.procedure else "") or ""
    if submission_address and submission_address not in collect_at[0]:
        collect_at.append(submission_address)

    limit = ""
    if dossier.time_limit is not None:
        limit = format_time_limit({"time_limit": dossier.time_limit, "time_unit": dossier.time_unit})

    return {
        "code": dossier.code,
        "agency": {
            "name": agency.name,
            "parent_name": agency.parent.name if agency.parent_id else "",
            "address": agency.address.strip(),
        },
        "applicant": {
            "name": dossier.applicant_name,
            "id_type": _id_type_label(dossier.applicant_id_type),
            "id_number": masked_id_number(dossier.applicant_id_number),
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": _address_text(dossier.applicant_address),
        },
        "procedure_code": dossier.procedure_code,
        "procedure_name": dossier.procedure_name,
        "case_title": dossier.case_title,
        "channel": dossier.get_channel_display(),
        "status": dossier.status.public_name or dossier.status.name,
        "components": components,
        "file_count": sum(c.count for c in components),
        "received_at": f"{submitted:%d/%m/%Y %H:%M}",
        "received_on": f"{received_on:%d/%m/%Y}" if received_on and received_on != submitted.date() else "",
        "time_limit": limit,
        "due_date": f"{due:%d/%m/%Y}" if due else "",
        "due_weekday": weekday_name(due) if due else "",
        "rescheduled_to": f"{weekday_name(rescheduled)}, {rescheduled:%d/%m/%Y}" if rescheduled else "",
        "collect_at": collect_at,
        "place_date": _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s")
        % {
            "place": settings.PORTAL_PROVINCE,
            "day": f"{submitted:%d}",
            "month": f"{submitted:%m}",
            "year": f"{submitted:%Y}",
        },
        "tracking_url": tracking_url,
        "qr_svg": qr_svg(tracking_url),
    }


# -- PDF ------------------------------------------------------------------------------------

#: A5 portrait with 10 mm margins, as the printable page (``@page { size: A5; margin: 10mm }``).
PAGE_MARGIN = 10
LINE = 4.6  # mm per line of 9 pt text
QR_SIZE = 30  # mm: scans from a phone held 20–30 cm away


class _ReceiptPDF(FPDF):
    def __init__(self):
        # A5 as numbers: fpdf2 warns that its "A5" changed in 2.8.5 (it is 148 × 210 mm now).
        super().__init__(orientation="P", unit="mm", format=(148, 210))
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.set_auto_page_break(True, margin=PAGE_MARGIN)
        self.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def text_line(self, text: str, *, size: float = 9, bold: bool = False, align: str = "L", h: float = LINE):
        self.set_font(FONT_FAMILY, "B" if bold else "", size)
        self.multi_cell(self.content_width, h, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def labelled(self, label: str, value: str, *, bold_value: bool = False):
        """Writes the label in bold, then the value, wrapped over as many lines as needed."""
        self.set_x(self.l_margin)
        self.set_font(FONT_FAMILY, "B", 9)
        self.write(LINE, f"{label}: ")
        self.set_font(FONT_FAMILY, "B" if bold_value else "", 9)
        self.write(LINE, value or "—")
        self.ln(LINE)

    def heading(self, text: str):
        self.ln(1)
        self.text_line(text, size=9.5, bold=True, h=5)


def receipt_pdf(dossier: Dossier, *, tracking_url: str) -> bytes:
    """The receipt of ``dossier`` as an A5 PDF (Circular 01/2018 form 01), Vietnamese text.

    Args:
        dossier: a filed ``Dossier``.
        tracking_url: the absolute tracking link printed under the QR code and encoded in it.

    Returns the PDF bytes. The labels follow the active language: callers that send the PDF
    out of a request (the e-mail task) activate Vietnamese first.
    """
    c = receipt_context(dossier, tracking_url=tracking_url)
    pdf = _ReceiptPDF()
    pdf.set_title(_("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") + f" {c['code']}")
    pdf.set_author(c["agency"]["name"])
    pdf.set_creator(settings.WAGTAIL_SITE_NAME)
    pdf.set_lang("vi")
    pdf.set_creation_date(dossier.submitted_at)
    pdf.add_page()

    # Header: agency on the left, national title and motto on the right (form 01 layout).
    left_w, gap = 52.0, 2.0
    right_w = pdf.content_width - left_w - gap
    top = pdf.get_y()
    pdf.set_font(FONT_FAMILY, "", 8)
    if c["agency"]["parent_name"]:
        pdf.multi_cell(left_w, 4, c["agency"]["parent_name"].upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT_FAMILY, "B", 8)
    pdf.multi_cell(left_w, 4, c["agency"]["name"].upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    left_bottom = pdf.get_y()
    pdf.line(pdf.l_margin + left_w / 2 - 10, left_bottom + 1, pdf.l_margin + left_w / 2 + 10, left_bottom + 1)

    right_x = pdf.l_margin + left_w + gap
    pdf.set_xy(right_x, top)
    pdf.set_font(FONT_FAMILY, "B", 7.5)
    pdf.multi_cell(right_w, 4, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT_FAMILY, "B", 8)
    pdf.multi_cell(right_w, 4, _("Độc lập - Tự do - Hạnh phúc"), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    right_bottom = pdf.get_y()
    pdf.line(right_x + right_w / 2 - 17, right_bottom + 1, right_x + right_w / 2 + 17, right_bottom + 1)

    pdf.set_xy(pdf.l_margin, max(left_bottom, right_bottom) + 3)
    pdf.text_line(c["place_date"], size=8.5, align="R")
    pdf.ln(3)
    pdf.text_line(_("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"), size=12, bold=True, align="C", h=6)
    pdf.text_line(_("Mã hồ sơ: %(code)s") % {"code": c["code"]}, size=10.5, bold=True, align="C", h=6)
    pdf.ln(2)

    applicant = c["applicant"]
    pdf.text_line(_("%(agency)s tiếp nhận hồ sơ của:") % {"agency": c["agency"]["name"]})
    pdf.labelled(_("Người nộp"), applicant["name"], bold_value=True)
    pdf.labelled(applicant["id_type"], applicant["id_number"])
    pdf.labelled(_("Địa chỉ"), applicant["address"])
    pdf.labelled(_("Số điện thoại"), applicant["phone"])
    if applicant["email"]:
        pdf.labelled(_("Thư điện tử"), applicant["email"])
    request_text = c["procedure_name"]
    if c["case_title"]:
        request_text += f" ({_('Trường hợp')}: {c['case_title']})"
    request_text += f" ({_('mã thủ tục')} {c['procedure_code']})"
    pdf.labelled(_("Nội dung yêu cầu giải quyết"), request_text)
    pdf.labelled(_("Hình thức nộp"), c["channel"])

    pdf.heading(_("1. Thành phần hồ sơ đã nộp"))
    pdf.set_font(FONT_FAMILY, "", 8.5)
    with pdf.table(
        col_widths=(8, 50, 55, 15),
        text_align=("CENTER", "LEFT", "LEFT", "CENTER"),
        line_height=4.2,
        padding=1,
        headings_style=FontFace(emphasis="BOLD", fill_color=(238, 238, 236)),
    ) as table:
        header = table.row()
        for title in (_("TT"), _("Thành phần hồ sơ"), _("Tệp đã nộp"), _("Số tệp")):
            header.cell(title)
        for component in c["components"]:
            row = table.row()
            row.cell(str(component.number))
            row.cell(component.label)
            row.cell("\n".join(f.name for f in component.files) or _("Không nộp"))
            row.cell(str(component.count))
    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.labelled(_("Tổng số tệp"), str(c["file_count"]))

    # Times and where to collect on the left, the QR code of the tracking link on the right;
    # a new page first if the QR code would not fit whole.
    if pdf.get_y() + QR_SIZE + 12 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 1.5
    qr_x = pdf.w - pdf.r_margin - QR_SIZE
    pdf.image(io.BytesIO(qr_png(tracking_url)), x=qr_x, y=top, w=QR_SIZE, h=QR_SIZE, alt_text=tracking_url)
    pdf.set_font(FONT_FAMILY, "", 7)
    pdf.set_xy(qr_x, top + QR_SIZE)
    pdf.multi_cell(QR_SIZE, 3, _("Quét mã để tra cứu hồ sơ"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    qr_bottom = pdf.get_y()
    pdf.set_y(top - 1.5)
    pdf.set_right_margin(PAGE_MARGIN + QR_SIZE + 4)

    pdf.heading(_("2. Thời gian"))
    pdf.labelled(_("Thời gian nhận hồ sơ"), c["received_at"])
    if c["received_on"]:
        pdf.labelled(_("Ngày tiếp nhận để tính thời hạn"), c["received_on"])
    pdf.labelled(_("Thời hạn giải quyết theo quy định"), c["time_limit"] or _("theo quy định của thủ tục"))
    if c["due_date"]:
        pdf.labelled(_("Ngày hẹn trả kết quả"), f"{c['due_weekday']}, {c['due_date']}", bold_value=True)
        if c["rescheduled_to"]:
            pdf.labelled(_("Đã hẹn lại (phiếu xin lỗi, mẫu 04)"), c["rescheduled_to"], bold_value=True)
    else:
        pdf.labelled(_("Ngày hẹn trả kết quả"), _("cơ quan tiếp nhận sẽ thông báo"))

    pdf.heading(_("3. Nơi nhận kết quả"))
    pdf.set_font(FONT_FAMILY, "", 9)
    for line in c["collect_at"]:
        pdf.text_line(line)
    pdf.set_right_margin(PAGE_MARGIN)
    pdf.set_y(max(pdf.get_y(), qr_bottom))

    pdf.heading(_("4. Tra cứu hồ sơ"))
    pdf.set_font(FONT_FAMILY, "", 8.5)
    pdf.multi_cell(
        pdf.content_width,
        4.2,
        _(
            "Quét mã QR hoặc truy cập địa chỉ dưới đây, nhập mã hồ sơ và số giấy tờ "
            "đã khai để theo dõi tình trạng giải quyết hồ sơ:"
        ),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.multi_cell(
        pdf.content_width,
        4.2,
        tracking_url,
        align="L",
        link=tracking_url,
        wrapmode="CHAR",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, "", 7.5)
    pdf.multi_cell(
        pdf.content_width,
        3.6,
        _(
            "Hồ sơ nộp trực tuyến trên %(site)s. Nếu hồ sơ chưa đầy đủ, cơ quan tiếp nhận sẽ hướng dẫn "
            "bổ sung một lần và ngày hẹn trả kết quả được tính lại từ khi nhận đủ hồ sơ."
        )
        % {"site": settings.WAGTAIL_SITE_NAME},
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())
