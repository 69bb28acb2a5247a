"""Builders for online filing tests: a procedure offered online with a published form, files.

Values are written from the spec, not read back from the code: the agency identifier
``000.00.12.H36``, a 15-working-day online time limit, a form with the questions citizens meet.
"""

import io
import uuid
import zipfile

from services.models import Agency, OnlineServiceForm
from tests.factories import ProcedurePageFactory, agency_role, case, level

AGENCY_ID = "000.00.12.H36"

# Smallest valid headers of each kind (magic bytes) followed by filler.
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def pdf_bytes(size: int) -> bytes:
    """A file of exactly ``size`` bytes that starts like a PDF."""
    return (PDF + b"0" * max(0, size - len(PDF)))[:size] if size >= len(PDF) else PDF[:size]


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def receiving_agency(identifier: str = AGENCY_ID, name: str = "Sở Xây dựng tỉnh Lâm Đồng") -> Agency:
    agency, _ = Agency.objects.get_or_create(
        identifier=identifier, defaults={"name": name, "address": "Số 36 Trần Phú, Đà Lạt"}
    )
    return agency


def online_case(*, time_limit=15, unit="working_days", title="") -> dict:
    block = case(channels=("in_person", "online"), title=title)
    for channel in block["value"]["channels"]:
        channel["time_limit"] = time_limit
        channel["time_unit"] = unit
    return block


FORM_FIELDS = [
    {
        "type": "short_text",
        "id": "11111111-0000-0000-0000-000000000001",
        "value": {"label": "Địa điểm xây dựng", "help_text": "", "required": True, "max_length": 255},
    },
    {
        "type": "long_text",
        "id": "11111111-0000-0000-0000-000000000002",
        "value": {"label": "Mô tả công trình", "help_text": "", "required": False, "max_length": 5000},
    },
    {
        "type": "choice",
        "id": "11111111-0000-0000-0000-000000000003",
        "value": {
            "label": "Cơ quan cấp",
            "help_text": "",
            "required": True,
            "multiple": False,
            "options": "UBND xã, phường, thị trấn\nUBND huyện, thị xã",
        },
    },
    {
        "type": "checkbox",
        "id": "11111111-0000-0000-0000-000000000004",
        "value": {
            "label": "Tôi cam đoan, những thông tin khai trên là đúng sự thật",
            "help_text": "",
            "required": True,
        },
    },
    {
        "type": "file",
        "id": "11111111-0000-0000-0000-000000000005",
        "value": {
            "label": "Đơn đề nghị cấp giấy phép xây dựng",
            "help_text": "",
            "required": True,
            "accepted_types": ["pdf", "docx"],
            "max_size_mb": "2.5",
            "multiple": False,
            "copies_note": "01 bản chính",
        },
    },
    {
        "type": "file",
        "id": "11111111-0000-0000-0000-000000000006",
        "value": {
            "label": "Bản vẽ thiết kế",
            "help_text": "",
            "required": False,
            "accepted_types": ["pdf", "jpg", "png"],
            "max_size_mb": "5",
            "multiple": True,
            "copies_note": "",
        },
    },
]


def online_procedure(catalogue, *, agency=None, time_limit=15, unit="working_days", **kwargs):
    """A live procedure at "Toàn trình" with an online channel of ``time_limit`` ``unit``."""
    agency = agency or receiving_agency()
    kwargs.setdefault("title", "Cấp giấy phép xây dựng nhà ở riêng lẻ")
    kwargs.setdefault("code", "1.009994")
    return ProcedurePageFactory(
        parent=catalogue,
        online_level=level("Toàn trình"),
        cases=[online_case(time_limit=time_limit, unit=unit)],
        agency_roles=[agency_role(agency)],
        **kwargs,
    )


def publish_form(
    procedure, *, fields=None, title="Tờ khai đề nghị cấp giấy phép xây dựng", **kwargs
) -> OnlineServiceForm:
    form = OnlineServiceForm(
        procedure=procedure, title=title, fields=fields if fields is not None else FORM_FIELDS, **kwargs
    )
    form.save()
    form.save_revision().publish()
    form.refresh_from_db()
    return form


def filing_data(**overrides) -> dict:
    """POST data of a valid filing of the ``FORM_FIELDS`` form (files not included)."""
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_type": "cccd",
        "applicant_id_number": "068090001234",
        "applicant_phone": "0912 345 678",
        "applicant_email": "an@example.vn",
        "applicant_province": "Lâm Đồng",
        "applicant_commune": "Phường Xuân Hương - Đà Lạt",
        "applicant_street": "12 Trần Phú",
        "submission_key": str(uuid.uuid4()),
        "q-11111111-0000-0000-0000-000000000001": "Thửa 123, tờ bản đồ 45",
        "q-11111111-0000-0000-0000-000000000002": "",
        "q-11111111-0000-0000-0000-000000000003": "UBND xã, phường, thị trấn",
        "q-11111111-0000-0000-0000-000000000004": "on",
    }
    data.update(overrides)
    return data


APPLICATION_FIELD = "q-11111111-0000-0000-0000-000000000005"
DRAWINGS_FIELD = "q-11111111-0000-0000-0000-000000000006"
