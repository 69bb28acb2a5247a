"""Validators of what citizens type on online service forms: id numbers and phone numbers.

Messages are Vietnamese (the citizen reads them next to the field); each validator returns the
normalised value so dossiers store one spelling.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdDocumentType(models.TextChoices):
    """Identity documents an applicant files with (DOMAIN.md §4).

    ``cccd``: citizen identity card / căn cước, 12 digits (Law on Identification 2023);
    ``cmnd``: the old 9-digit identity card; ``passport``: one letter and 7 digits;
    ``tax_code``: enterprise tax code, 10 digits or 10 + "-" + 3 for a branch.
    """

    CCCD = "cccd", _("Căn cước / Căn cước công dân (12 số)")
    CMND = "cmnd", _("Chứng minh nhân dân (9 số)")
    PASSPORT = "passport", _("Hộ chiếu")
    TAX_CODE = "tax_code", _("Mã số thuế (tổ chức, doanh nghiệp)")


_SEPARATORS = re.compile(r"[\s.\-]")
_ID_PATTERNS = {
    IdDocumentType.CCCD: (re.compile(r"\d{12}"), _("Số căn cước gồm đúng 12 chữ số.")),
    IdDocumentType.CMND: (re.compile(r"\d{9}"), _("Số chứng minh nhân dân gồm đúng 9 chữ số.")),
    IdDocumentType.PASSPORT: (
        re.compile(r"[A-Z]\d{7}"),
        _("Số hộ chiếu gồm một chữ cái và 7 chữ số, ví dụ C1234567."),
    ),
    IdDocumentType.TAX_CODE: (
        re.compile(r"\d{10}(\d{3})?"),
        _("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (0101234567-001)."),
    ),
}


def normalize_id_number(value: str) -> str:
    """``value`` without spaces, dots and dashes, upper-cased ("c 123.4567" -> "C1234567")."""
    return _SEPARATORS.sub("", value or "").upper()


def validate_id_number(kind: str, value: str) -> str:
    """The normalised id number of ``kind`` (an ``IdDocumentType`` value).

    The first three digits of a 12-digit card are the province of birth registration
    (001–096), so "000…" cannot be a real card.

    Raises:
        ValidationError: the number does not have the shape of ``kind``, or ``kind`` is unknown.
    """
    number = normalize_id_number(value)
    try:
        pattern, message = _ID_PATTERNS[IdDocumentType(kind)]
    except ValueError:
        raise ValidationError(_("Chọn loại giấy tờ tùy thân."), code="id_type") from None
    if not pattern.fullmatch(number):
        raise ValidationError(message, code="id_number")
    if kind == IdDocumentType.CCCD and not 1 <= int(number[:3]) <= 96:
        raise ValidationError(_("Ba chữ số đầu của số căn cước là mã tỉnh (001–096)."), code="id_number")
    return number


#: Mobile 03x/05x/07x/08x/09x + 8 digits, landline 02xx + 8 digits (numbering plan since 2018).
_PHONE = re.compile(r"0(?:[35789]\d{8}|2\d{9})")


def validate_phone(value: str) -> str:
    """A Vietnamese phone number normalised to its national form ("+84 912 345 678" -> "0912345678").

    Raises:
        ValidationError: not a Vietnamese mobile (10 digits) or landline (11 digits) number.
    """
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not _PHONE.fullmatch(digits):
        raise ValidationError(
            _("Số điện thoại chưa đúng: di động 10 chữ số (ví dụ 0912 345 678), cố định 11 chữ số."),
            code="phone",
        )
    return digits
