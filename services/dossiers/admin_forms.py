"""Forms of the one-stop back office: a workflow action's inputs, counter/postal intake, the ledger period.

They validate and shape input only; the writes are the workflow functions
(``services.dossiers.workflow``) that the views call with ``cleaned_data``. Labels and messages
are Vietnamese (officers read them).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.dossiers import backoffice
from services.dossiers.services import Applicant
from services.models import Agency, Channel, Dossier
from services.validators import IdDocumentType, validate_id_number, validate_phone
from services.workdays import LOCAL_TZ


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class LinesField(forms.CharField):
    """A textarea whose non-blank lines become a list (``missing`` of a supplement request)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return backoffice.person(user)


# -- workflow actions ----------------------------------------------------------------------------


def _action_field(name: str, dossier: Dossier) -> forms.Field:
    """The form field of a workflow function's keyword ``name`` (``Action.fields``)."""
    if name == "note":
        return forms.CharField(
            label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
        )
    if name == "missing":
        return LinesField(
            label=_("Giấy tờ, nội dung cần bổ sung"),
            help_text=_("Mỗi dòng một mục; liệt kê đầy đủ trong một lần yêu cầu."),
        )
    if name == "reason":
        return forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    if name == "assignee":
        return OfficerChoiceField(
            label=_("Cán bộ được giao"),
            queryset=backoffice.assignable_officers(dossier.receiving_agency),
            empty_label=_("— Chọn cán bộ —"),
        )
    if name == "step_due_date":
        return forms.DateField(label=_("Hạn của bước xử lý"), required=False, widget=DateInput())
    if name == "agency":
        return forms.ModelChoiceField(
            label=_("Đơn vị được hỏi ý kiến"),
            queryset=backoffice.consultable_agencies(dossier),
            empty_label=_("— Chọn đơn vị —"),
        )
    if name == "question":
        return forms.CharField(
            label=_("Nội dung xin ý kiến"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
        )
    if name == "due_date":
        return forms.DateField(label=_("Hạn trả lời"), widget=DateInput())
    if name == "amount_vnd":
        return forms.IntegerField(label=_("Số tiền (đồng)"), min_value=0, max_value=10**13)
    if name == "new_due_date":
        return forms.DateField(label=_("Ngày hẹn trả kết quả mới"), widget=DateInput())
    raise KeyError(f"no form field for workflow argument {name!r}")


class ActionForm(forms.Form):
    """The inputs of one workflow ``Action`` on ``dossier``: one field per ``action.fields`` name.

    ``cleaned_data`` is exactly the keyword arguments ``workflow.perform`` passes on.
    """

    def __init__(self, *args, action, dossier: Dossier, **kwargs):
        kwargs.setdefault("prefix", action.name)
        super().__init__(*args, **kwargs)
        self.action = action
        for name in action.fields:
            self.fields[name] = _action_field(name, dossier)


class ConsultationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Ý kiến trả lời"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


# -- counter and postal intake ---------------------------------------------------------------------


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Mã hoặc tên thủ tục"),
        min_length=2,
        max_length=200,
        help_text=_("Ví dụ: 1.009994 hoặc “giấy phép xây dựng”."),
    )


class IntakeForm(forms.Form):
    """A dossier received at the desk or by post, for ``procedure``'s case ``case``.

    ``agencies`` are the receiving agencies the officer may enter dossiers for: their own
    (fixed) or, for a provincial administrator, one chosen among the procedure's agencies.
    """

    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.IN_PERSON.value, Channel.IN_PERSON.label), (Channel.POST.value, Channel.POST.label)],
        initial=Channel.IN_PERSON.value,
        widget=forms.RadioSelect,
    )
    agency = forms.ModelChoiceField(label=_("Cơ quan tiếp nhận"), queryset=Agency.objects.none())
    #: Entering the same form twice returns the first dossier (``workflow.dossier_intake``).
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    applicant_name = forms.CharField(label=_("Họ và tên người nộp / tên tổ chức"), max_length=255)
    applicant_id_type = forms.ChoiceField(
        label=_("Loại giấy tờ tùy thân"), choices=IdDocumentType.choices, initial=IdDocumentType.CCCD
    )
    applicant_id_number = forms.CharField(label=_("Số giấy tờ"), max_length=20)
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_province = forms.CharField(label=_("Tỉnh, thành phố"), max_length=100, required=False)
    applicant_commune = forms.CharField(label=_("Xã, phường, đặc khu"), max_length=100, required=False)
    applicant_street = forms.CharField(label=_("Số nhà, đường, thôn, tổ dân phố"), max_length=255, required=False)
    components = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ đã nhận"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Đánh dấu từng giấy tờ đã nhận (bản giấy)."),
    )
    other_components = LinesField(
        label=_("Giấy tờ khác đã nhận"),
        required=False,
        help_text=_("Mỗi dòng một giấy tờ không có trong danh sách trên."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case: dict, agencies, province: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = uuid.uuid4()
        self.case = case
        self.fields["components"].choices = [(name, name) for name in case["components"]]
        self.fields["agency"].queryset = agencies
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first().pk
            self.fields["agency"].widget = forms.HiddenInput()
        self.fields["applicant_province"].initial = province

    def clean_applicant_phone(self):
        phone = self.cleaned_data["applicant_phone"]
        return validate_phone(phone) if phone else ""

    def clean(self):
        cleaned = super().clean()
        number, kind = cleaned.get("applicant_id_number"), cleaned.get("applicant_id_type")
        if number and kind:
            try:
                cleaned["applicant_id_number"] = validate_id_number(kind, number)
            except ValidationError as error:
                self.add_error("applicant_id_number", error)
        names = list(cleaned.get("components") or []) + list(cleaned.get("other_components") or [])
        if not names:
            raise ValidationError(_("Đánh dấu ít nhất một thành phần hồ sơ đã nhận."))
        cleaned["component_names"] = names
        return cleaned

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        address = {
            "province": data["applicant_province"],
            "commune": data["applicant_commune"],
            "street": data["applicant_street"],
        }
        return Applicant(
            name=" ".join(data["applicant_name"].split()),
            id_type=data["applicant_id_type"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address={key: value for key, value in address.items() if value},
        )


# -- tracking ledger (form 06) ----------------------------------------------------------------------


class LedgerForm(forms.Form):
    """The period of the tracking ledger (form 06); ``agency`` only for users who see every agency."""

    #: A ledger covers at most a year: a printed book, not a statistics query.
    MAX_DAYS = 366

    tu = forms.DateField(label=_("Từ ngày"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    den = forms.DateField(label=_("Đến ngày"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    co_quan = forms.ModelChoiceField(
        label=_("Cơ quan"), queryset=Agency.objects.none(), required=False, empty_label=_("Mọi cơ quan")
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["co_quan"]
        else:
            self.fields["co_quan"].queryset = agencies

    @staticmethod
    def default_period(today: date | None = None) -> dict:
        today = today or timezone.localdate(timezone=LOCAL_TZ)
        return {"tu": today.replace(day=1), "den": today}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu"), cleaned.get("den")
        if start and end:
            if end < start:
                raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
            if end - start > timedelta(days=self.MAX_DAYS):
                raise ValidationError(_("Sổ theo dõi in tối đa một năm; hãy chọn khoảng thời gian ngắn hơn."))
            refusal = backoffice.period_refusal(start, end, today=timezone.localdate(timezone=LOCAL_TZ))
            if refusal:
                raise ValidationError(refusal)
        return cleaned
