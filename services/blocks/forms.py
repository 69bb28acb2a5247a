"""Fields editors build online service forms from (biểu mẫu điện tử, Circular 32/2017 Art 9).

Each block is a question of the form. Besides its StreamField definition, a block knows how to
become Django form fields (``form_fields``) and how to turn the cleaned values into the
self-describing answer stored on the dossier (``answer``): ``{"id", "type", "label", "value"}``
with ``value`` plain JSON (text, number as string, ISO date, list of options, dict for an
address). Files are not answers: ``FileFieldBlock`` answers describe the attachment slot and
the uploaded files are ``DossierAttachment`` rows.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from services.validators import IdDocumentType, validate_id_number, validate_phone

#: File kinds a component may accept, detected from the content's magic bytes
#: (``services.dossiers.uploads``); the extension alone is never trusted (case C15).
FILE_TYPE_CHOICES = [
    ("pdf", "PDF"),
    ("jpg", "JPEG"),
    ("png", "PNG"),
    ("docx", "Word (.docx)"),
    ("doc", "Word 97–2003 (.doc)"),
    ("xlsx", "Excel (.xlsx)"),
    ("odt", "OpenDocument (.odt)"),
]
DEFAULT_FILE_TYPES = ["pdf", "jpg", "png"]


def split_options(text: str) -> list[str]:
    """The options of a choice question: one per line, commas kept inside an option (case C13).

    "UBND xã, phường, thị trấn\\nUBND huyện, thị xã" -> two options; blank lines and
    surrounding spaces are dropped and a repeated option is kept once.
    """
    options: list[str] = []
    for line in (text or "").splitlines():
        option = " ".join(line.split())
        if option and option not in options:
            options.append(option)
    return options


class FormFieldBlock(blocks.StructBlock):
    """A question: label, help text shown under it, and whether an answer is required."""

    label = blocks.CharBlock(max_length=500, label=_("Câu hỏi / nhãn"))
    help_text = blocks.TextBlock(required=False, label=_("Hướng dẫn"), help_text=_("Hiện dưới ô nhập."))
    required = blocks.BooleanBlock(required=False, default=True, label=_("Bắt buộc"))

    answer_type = "text"

    class Meta:
        icon = "form"

    # -- runtime: the citizen's form -------------------------------------------------------

    def base_kwargs(self, value) -> dict:
        return {"label": value["label"], "help_text": value.get("help_text") or "", "required": value["required"]}

    def form_fields(self, value, key: str) -> dict[str, forms.Field]:
        """Django form fields for this question, keyed by their names in the form."""
        return {key: self.make_field(value)}

    def make_field(self, value) -> forms.Field:
        raise NotImplementedError

    def answer(self, value, key: str, cleaned_data: dict):
        """The JSON value stored for this question on the dossier."""
        return cleaned_data.get(key)


class ShortTextFieldBlock(FormFieldBlock):
    max_length = blocks.IntegerBlock(default=255, min_value=1, max_value=1000, label=_("Số ký tự tối đa"))

    class Meta:
        icon = "pilcrow"
        label = _("Văn bản ngắn")

    def make_field(self, value):
        return forms.CharField(max_length=value.get("max_length") or 255, **self.base_kwargs(value))


class LongTextFieldBlock(FormFieldBlock):
    max_length = blocks.IntegerBlock(default=5000, min_value=1, max_value=100_000, label=_("Số ký tự tối đa"))

    class Meta:
        icon = "doc-full"
        label = _("Văn bản dài")

    def make_field(self, value):
        limit = value.get("max_length") or 5000
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **self.base_kwargs(value))
        # Validated, but not rendered as the maxlength attribute: a pasted text that is too long
        # should come back with a message, not be cut silently by the browser (case C15).
        field.validators.append(MaxLengthValidator(limit))
        return field


class NumberFieldBlock(FormFieldBlock):
    min_value = blocks.DecimalBlock(required=False, label=_("Giá trị nhỏ nhất"))
    max_value = blocks.DecimalBlock(required=False, label=_("Giá trị lớn nhất"))
    unit = blocks.CharBlock(required=False, max_length=50, label=_("Đơn vị"), help_text=_("Ví dụ: m², đồng, người."))

    answer_type = "number"

    class Meta:
        icon = "order"
        label = _("Số")

    def make_field(self, value):
        kwargs = self.base_kwargs(value)
        if value.get("unit"):
            kwargs["label"] = f"{value['label']} ({value['unit']})"
        return forms.DecimalField(
            min_value=value.get("min_value"),
            max_value=value.get("max_value"),
            max_digits=20,
            decimal_places=4,
            localize=True,
            **kwargs,
        )

    def answer(self, value, key, cleaned_data):
        number = cleaned_data.get(key)
        return None if number is None else str(Decimal(number).normalize())


class DateFieldBlock(FormFieldBlock):
    answer_type = "date"

    class Meta:
        icon = "date"
        label = _("Ngày tháng")

    def make_field(self, value):
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
            **self.base_kwargs(value),
        )

    def answer(self, value, key, cleaned_data):
        day = cleaned_data.get(key)
        return day.isoformat() if day else None


class ChoiceFieldBlock(FormFieldBlock):
    options = blocks.TextBlock(
        label=_("Các lựa chọn"),
        help_text=_("Mỗi dòng một lựa chọn; dấu phẩy trong một dòng là một phần của lựa chọn đó."),
    )
    multiple = blocks.BooleanBlock(required=False, label=_("Chọn được nhiều"))

    answer_type = "choice"

    class Meta:
        icon = "list-ul"
        label = _("Lựa chọn")

    def make_field(self, value):
        choices = [(option, option) for option in split_options(value["options"])]
        if value.get("multiple"):
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **self.base_kwargs(value)
            )
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **self.base_kwargs(value))


class CheckboxFieldBlock(FormFieldBlock):
    """A box to tick, e.g. "Tôi cam đoan những thông tin khai trên là đúng sự thật"."""

    answer_type = "checkbox"

    class Meta:
        icon = "tick-inverse"
        label = _("Ô đánh dấu (cam đoan)")

    def make_field(self, value):
        return forms.BooleanField(**self.base_kwargs(value))

    def answer(self, value, key, cleaned_data):
        return bool(cleaned_data.get(key))


class IdNumberFieldBlock(FormFieldBlock):
    """An identity document number of someone other than the applicant (e.g. the child, the spouse)."""

    accepted = blocks.MultipleChoiceBlock(
        choices=IdDocumentType.choices,
        default=[IdDocumentType.CCCD, IdDocumentType.CMND, IdDocumentType.PASSPORT],
        label=_("Loại giấy tờ chấp nhận"),
    )

    answer_type = "id_number"

    class Meta:
        icon = "user"
        label = _("Số giấy tờ tùy thân")

    def form_fields(self, value, key):
        accepted = value.get("accepted") or [IdDocumentType.CCCD]
        kwargs = self.base_kwargs(value)
        return {
            f"{key}-type": forms.ChoiceField(
                label=_("Loại giấy tờ: %(label)s") % {"label": value["label"]},
                choices=[(kind, IdDocumentType(kind).label) for kind in accepted],
                initial=accepted[0],
                required=kwargs["required"],
            ),
            key: forms.CharField(max_length=20, **kwargs),
        }

    def answer(self, value, key, cleaned_data):
        number = cleaned_data.get(key)
        return {"type": cleaned_data.get(f"{key}-type"), "number": number} if number else None

    def clean_pair(self, key: str, cleaned_data: dict) -> dict[str, ValidationError]:
        """Checks the number against its document type; returns errors by field name."""
        number, kind = cleaned_data.get(key), cleaned_data.get(f"{key}-type")
        if not number:
            return {}
        try:
            cleaned_data[key] = validate_id_number(kind, number)
        except ValidationError as error:
            return {key: error}
        return {}


class PhoneFieldBlock(FormFieldBlock):
    answer_type = "phone"

    class Meta:
        icon = "mail"
        label = _("Số điện thoại")

    def make_field(self, value):
        return PhoneField(**self.base_kwargs(value))


class EmailFieldBlock(FormFieldBlock):
    answer_type = "email"

    class Meta:
        icon = "mail"
        label = _("Thư điện tử")

    def make_field(self, value):
        return forms.EmailField(**self.base_kwargs(value))


class AddressFieldBlock(FormFieldBlock):
    """An address in the two-tier administration since 1 July 2025: province, commune, street."""

    answer_type = "address"

    class Meta:
        icon = "site"
        label = _("Địa chỉ")

    def form_fields(self, value, key):
        kwargs = self.base_kwargs(value)
        required = kwargs["required"]
        return {
            f"{key}-province": forms.CharField(
                label=_("%(label)s — Tỉnh, thành phố") % {"label": value["label"]},
                max_length=100,
                required=required,
                initial=getattr(settings, "PORTAL_PROVINCE", ""),
            ),
            f"{key}-commune": forms.CharField(
                label=_("%(label)s — Xã, phường, đặc khu") % {"label": value["label"]},
                max_length=100,
                required=required,
            ),
            f"{key}-street": forms.CharField(
                label=_("%(label)s — Số nhà, đường, thôn, tổ dân phố") % {"label": value["label"]},
                max_length=255,
                required=required,
                help_text=kwargs["help_text"],
            ),
        }

    def answer(self, value, key, cleaned_data):
        parts = {part: cleaned_data.get(f"{key}-{part}") or "" for part in ("street", "commune", "province")}
        return parts if any(parts.values()) else None


class FileFieldBlock(FormFieldBlock):
    """An upload slot for one dossier component (thành phần hồ sơ), with its accepted kinds and size."""

    accepted_types = blocks.MultipleChoiceBlock(
        choices=FILE_TYPE_CHOICES, default=DEFAULT_FILE_TYPES, label=_("Loại tệp chấp nhận")
    )
    max_size_mb = blocks.DecimalBlock(
        default=Decimal("5"), min_value=Decimal("0.1"), max_value=Decimal("50"), label=_("Dung lượng tối đa (MB)")
    )
    multiple = blocks.BooleanBlock(required=False, label=_("Cho phép nhiều tệp"))
    copies_note = blocks.CharBlock(
        required=False,
        max_length=255,
        label=_("Bản chính / bản sao"),
        help_text=_("Ví dụ: 01 bản chính; bản sao có chứng thực hoặc bản chụp kèm bản chính để đối chiếu."),
    )

    answer_type = "file"

    class Meta:
        icon = "doc-full-inverse"
        label = _("Tệp đính kèm (thành phần hồ sơ)")

    def form_fields(self, value, key):
        from services.dossiers.uploads import UploadField

        kwargs = self.base_kwargs(value)
        if value.get("copies_note"):
            kwargs["help_text"] = " ".join(filter(None, [kwargs["help_text"], value["copies_note"]]))
        return {
            key: UploadField(
                accepted=value.get("accepted_types") or DEFAULT_FILE_TYPES,
                max_bytes=int(Decimal(value.get("max_size_mb") or 5) * 1024 * 1024),
                multiple=bool(value.get("multiple")),
                **kwargs,
            )
        }

    def answer(self, value, key, cleaned_data):
        files = cleaned_data.get(key) or []
        return [upload.original_name for upload in files]


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return validate_phone(value) if value else value

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "tel", "autocomplete": "tel"}


FORM_FIELD_BLOCKS = [
    ("short_text", ShortTextFieldBlock()),
    ("long_text", LongTextFieldBlock()),
    ("number", NumberFieldBlock()),
    ("date", DateFieldBlock()),
    ("choice", ChoiceFieldBlock()),
    ("checkbox", CheckboxFieldBlock()),
    ("id_number", IdNumberFieldBlock()),
    ("phone", PhoneFieldBlock()),
    ("email", EmailFieldBlock()),
    ("address", AddressFieldBlock()),
    ("file", FileFieldBlock()),
]
