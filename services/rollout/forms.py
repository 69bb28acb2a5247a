"""Forms of the roll-out admin pages: proposal, plan, actions, list import and match review."""

from django import forms
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import Agency, OnlineServiceForm, OnlineServiceLevel, ProcedurePage, Subject
from services.rollout.models import MAX_YEARLY_VOLUME, TARGET_LEVELS, YEARLY_VOLUME_TOO_LARGE, Proposal
from services.rollout.selectors import TARGET_CLASSIFICATIONS, provincial_procedures, target_levels
from services.workdays import LOCAL_TZ


class TargetLevelField(forms.ModelChoiceField):
    """The two classes of Decree 42/2022, named with the level they replaced: "Một phần (mức độ 3)",
    "Toàn trình (mức độ 4)"."""

    def label_from_instance(self, obj):
        legacy = dict(TARGET_CLASSIFICATIONS).get(obj.classification)
        name = obj.get_classification_display()
        return _("%(name)s (mức độ %(legacy)s)") % {"name": name, "legacy": legacy} if legacy else name


class ProposalForm(forms.Form):
    """A proposal: the procedure by its national code, the target level, Circular 02/2017 criteria."""

    agency = forms.ModelChoiceField(
        label=_("Cơ quan đề xuất"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        help_text=_("Chỉ cơ quan tổng hợp chọn được cơ quan khác; để trống là cơ quan của tài khoản."),
    )
    code = forms.CharField(label=_("Mã thủ tục"), max_length=20, help_text=_("Mã quốc gia, ví dụ 1.001193."))
    target_level = TargetLevelField(
        label=_("Mức độ đề xuất"),
        queryset=OnlineServiceLevel.objects.none(),
        empty_label=_("— Chọn mức độ —"),
        error_messages={"required": _("Chọn mức độ đề xuất."), "invalid_choice": _("Chọn mức độ đề xuất.")},
    )
    yearly_volume = forms.IntegerField(
        label=_("Số hồ sơ trung bình một năm"),
        min_value=0,
        max_value=MAX_YEARLY_VOLUME,
        error_messages={
            "max_value": YEARLY_VOLUME_TOO_LARGE,
            "min_value": _("Số hồ sơ một năm phải là số không âm."),
            "invalid": _("Nhập một số nguyên."),
        },
    )
    subjects = forms.ModelMultipleChoiceField(
        label=_("Đối tượng thực hiện"),
        queryset=Subject.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    readiness = forms.ChoiceField(
        label=_("Mức độ sẵn sàng"), choices=Proposal.Readiness.choices, widget=forms.RadioSelect
    )
    whole_process_online = forms.BooleanField(
        label=_("Thực hiện được toàn bộ quy trình trên môi trường mạng (kể cả thanh toán, trả kết quả)"),
        required=False,
    )
    rationale = forms.CharField(label=_("Lý do đề xuất"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, can_choose_agency: bool = False, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        levels = target_levels()
        self.fields["target_level"].queryset = OnlineServiceLevel.objects.filter(
            TARGET_LEVELS, pk__in=[row.pk for row in levels.values()]
        ).order_by(Case(When(classification="partial", then=0), default=1))  # một phần, then toàn trình
        # A proposal made at "Mức độ 4" or any other label of a class shows as that class's choice.
        current = self.initial.get("target_level")
        if isinstance(current, OnlineServiceLevel) and current.classification in levels:
            self.initial["target_level"] = levels[current.classification]
        if not can_choose_agency or editing:
            del self.fields["agency"]
        if editing:
            del self.fields["code"]

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        procedure = provincial_procedures().filter(code=code).first()
        if procedure is None:
            raise forms.ValidationError(_("Không có thủ tục nào mã %(code)s trong danh mục.") % {"code": code})
        self.procedure = procedure
        return code


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=255)
    start_year = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    submission_deadline = forms.DateField(
        label=_("Hạn trình Chủ tịch UBND tỉnh"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_submission_deadline(self):
        """A new plan cannot already be overdue: the deadline is today or later (local date)."""
        deadline = self.cleaned_data["submission_deadline"]
        today = timezone.localdate(timezone=LOCAL_TZ)
        if deadline < today:
            raise forms.ValidationError(
                _("Hạn trình đã qua; chọn một ngày từ hôm nay (%(today)s) trở đi.") % {"today": f"{today:%d/%m/%Y}"}
            )
        return deadline

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Năm kết thúc phải từ năm bắt đầu trở đi."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(NoteForm):
    plan = forms.ModelChoiceField(label=_("Kế hoạch"), queryset=None, empty_label=None)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


class DeployForm(NoteForm):
    form = forms.ModelChoiceField(label=_("Biểu mẫu điện tử đã xuất bản"), queryset=None, empty_label=None)

    def __init__(self, *args, procedure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = OnlineServiceForm.objects.filter(live=True, procedure__isnull=True) | (
            OnlineServiceForm.objects.filter(live=True, procedure=procedure)
        )


class ApproveForm(NoteForm):
    decision_number = forms.CharField(label=_("Số quyết định phê duyệt"), max_length=50)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=forms.DateInput(attrs={"type": "date"}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh mục (CSV hoặc XLSX)"))
    confirm = forms.BooleanField(
        label=_("Ghi vào cơ sở dữ liệu (bỏ chọn để chỉ kiểm tra)"), required=False, initial=False
    )


class MatchForm(forms.Form):
    """Review of one list item: keep the proposed procedure, choose another by code, or none."""

    choice = forms.ChoiceField(label=_("Kết quả đối chiếu"), widget=forms.RadioSelect)
    code = forms.CharField(label=_("Mã thủ tục khác"), max_length=20, required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(c.procedure_id), f"{c.code} – {c.name} ({c.score})") for c in candidates]
        self.fields["choice"].choices = choices + [
            ("code", _("Thủ tục khác (nhập mã)")),
            ("none", _("Không có thủ tục tương ứng")),
        ]

    def clean(self):
        data = super().clean()
        if data.get("choice") == "code":
            code = (data.get("code") or "").strip()
            procedure = provincial_procedures().filter(code=code).first()
            if procedure is None:
                raise forms.ValidationError(_("Không có thủ tục nào mã %(code)s trong danh mục.") % {"code": code})
            data["procedure"] = procedure
        elif data.get("choice") and data["choice"] != "none":
            data["procedure"] = ProcedurePage.objects.filter(pk=int(data["choice"])).first()
        return data
