"""The citizen's filing form: the applicant section every dossier needs, then the questions and
upload slots of the procedure's online service form (``OnlineServiceForm.fields``).

Field names of the questions are ``q-<block id>``: block ids survive edits of the form, so an
answer stays tied to its question across revisions.
"""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from services.blocks.forms import AddressFieldBlock, FileFieldBlock, IdNumberFieldBlock
from services.dossiers.services import Applicant
from services.models import OnlineServiceForm
from services.validators import IdDocumentType, validate_id_number, validate_phone

APPLICANT_SECTION = _("Thông tin người nộp hồ sơ")
QUESTIONS_SECTION = _("Nội dung tờ khai")
FILES_SECTION = _("Thành phần hồ sơ đính kèm")


class FilingForm(forms.Form):
    """Validates a filing; ``applicant()``, ``answers()`` and ``uploads()`` give what
    ``dossier_submit`` takes. Messages are Vietnamese and shown next to their fields."""

    applicant_name = forms.CharField(label=_("Họ và tên người nộp / tên tổ chức"), max_length=255)
    applicant_id_type = forms.ChoiceField(
        label=_("Loại giấy tờ tùy thân"), choices=IdDocumentType.choices, initial=IdDocumentType.CCCD
    )
    applicant_id_number = forms.CharField(
        label=_("Số giấy tờ"),
        max_length=20,
        help_text=_("Dùng cùng mã hồ sơ để tra cứu hồ sơ."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        help_text=_("Để nhận giấy tiếp nhận qua thư điện tử."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    applicant_province = forms.CharField(label=_("Tỉnh, thành phố"), max_length=100)
    applicant_commune = forms.CharField(label=_("Xã, phường, đặc khu"), max_length=100)
    applicant_street = forms.CharField(
        label=_("Số nhà, đường, thôn, tổ dân phố"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, online_form: OnlineServiceForm, **kwargs):
        super().__init__(*args, **kwargs)
        self.online_form = online_form
        self.fields["applicant_province"].initial = settings.PORTAL_PROVINCE
        self.fields["submission_key"].initial = uuid.uuid4()
        #: (block, key, [field names]) per question, in the editor's order.
        self.questions = []
        for child in online_form.fields:
            key = f"q-{child.id}"
            new_fields = child.block.form_fields(child.value, key)
            self.fields.update(new_fields)
            self.questions.append((child, key, list(new_fields)))

    # -- sections for the template --------------------------------------------------------

    def sections(self) -> list[tuple[str, list]]:
        applicant = [self[name] for name in self.fields if name.startswith("applicant_")]
        questions = [
            self[name]
            for child, key, names in self.questions
            if not isinstance(child.block, FileFieldBlock)
            for name in names
        ]
        files = [
            self[name]
            for child, key, names in self.questions
            if isinstance(child.block, FileFieldBlock)
            for name in names
        ]
        return [
            (title, fields)
            for title, fields in [
                (APPLICANT_SECTION, applicant),
                (QUESTIONS_SECTION, questions),
                (FILES_SECTION, files),
            ]
            if fields
        ]

    # -- validation -------------------------------------------------------------------------

    def clean_applicant_phone(self):
        return validate_phone(self.cleaned_data["applicant_phone"])

    def clean(self):
        cleaned = super().clean()
        number, kind = cleaned.get("applicant_id_number"), cleaned.get("applicant_id_type")
        if number and kind:
            try:
                cleaned["applicant_id_number"] = validate_id_number(kind, number)
            except ValidationError as error:
                self.add_error("applicant_id_number", error)
        for child, key, _names in self.questions:
            if isinstance(child.block, IdNumberFieldBlock):
                for name, error in child.block.clean_pair(key, cleaned).items():
                    self.add_error(name, error)
        total = sum(upload.size for _child, _key, uploads in self._uploads(cleaned) for upload in uploads)
        if total > settings.DOSSIER_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("Tổng dung lượng các tệp (%(size)s) vượt mức %(limit)s cho một hồ sơ.")
                % {"size": filesizeformat(total), "limit": filesizeformat(settings.DOSSIER_MAX_UPLOAD_BYTES)}
            )
        return cleaned

    def _uploads(self, cleaned):
        for child, key, _names in self.questions:
            if isinstance(child.block, FileFieldBlock):
                yield child, key, cleaned.get(key) or []

    # -- what dossier_submit takes ----------------------------------------------------------

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=" ".join(data["applicant_name"].split()),
            id_type=data["applicant_id_type"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data.get("applicant_email") or "",
            address={
                "street": data["applicant_street"],
                "commune": data["applicant_commune"],
                "province": data["applicant_province"],
            },
        )

    def answers(self) -> list[dict]:
        """``[{"id", "type", "label", "value"}]`` in the form's order (files: their names)."""
        return [
            {
                "id": child.id,
                "type": child.block.answer_type,
                "label": child.value["label"],
                "value": child.block.answer(child.value, key, self.cleaned_data),
            }
            for child, key, _names in self.questions
        ]

    def uploads(self) -> list[tuple[dict, object]]:
        slots = {answer["id"]: answer for answer in self.answers()}
        return [
            (slots[child.id], upload) for child, _key, uploads in self._uploads(self.cleaned_data) for upload in uploads
        ]

    @property
    def has_address_question(self) -> bool:
        return any(isinstance(child.block, AddressFieldBlock) for child, _k, _n in self.questions)
