"""Forms of the evaluation app: the survey a citizen answers (built from template blocks), the
anonymous feedback form and its bot protection, and the agency's self-assessment form.

Bot protection of the feedback form needs no external service and no image puzzle a blind
citizen could not solve: a honeypot field people never see, a signed timestamp that refuses a
form sent faster than a person can type (``FEEDBACK_MIN_SECONDS``) or older than a day, and a
rate limit per client in the view (``views.feedback``).
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from evaluation.models import SurveyTemplate
from services.models import Agency

SATISFACTION_CHOICES = [("2", _("Rất hài lòng")), ("1", _("Hài lòng")), ("0", _("Chưa hài lòng"))]


def field_key(kind: str, question_id: str) -> str:
    """The form field name of a question: ``<kind>__<question_id>`` (unique across the templates shown)."""
    return f"{kind}__{question_id}"


class SurveyForm(forms.Form):
    """The questions of ``templates`` (one section each, in order) and a free comment.

    Field names are ``field_key(template.kind, question_id)``; ``sections`` gives
    ``[(template, [bound fields])]`` for the page. Scoring is not done here but in
    ``evaluation.services.evaluation_submit``, which checks the answers again.
    """

    comment = forms.CharField(
        label=_("Ý kiến khác (nếu có)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Không ghi số giấy tờ hay thông tin cá nhân vào đây."),
    )

    def __init__(self, *args, templates: list[SurveyTemplate], **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = templates
        self._section_names: list[tuple[SurveyTemplate, list[str]]] = []
        comment = self.fields.pop("comment")
        for template in templates:
            names = []
            for block in template.questions:
                key = field_key(template.kind, block.value["question_id"])
                for name, field in block.block.form_fields(block.value, key).items():
                    self.fields[name] = field
                    names.append(name)
            self._section_names.append((template, names))
        self.fields["comment"] = comment

    @property
    def sections(self):
        return [(template, [self[name] for name in names]) for template, names in self._section_names]


class SignedTimestampField(forms.CharField):
    """A hidden field holding when the form was shown, signed so that a bot cannot forge it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


FEEDBACK_SALT = "evaluation.feedback.started"
#: A person needs more than this to read the form and write a sentence; bots post at once.
DEFAULT_FEEDBACK_MIN_SECONDS = 5
#: A form left open longer than this is refused (its signature expired): send it again.
FEEDBACK_MAX_AGE = 24 * 3600


def feedback_timestamp() -> str:
    """A fresh signed timestamp for the feedback form (seconds since the epoch)."""
    return signing.Signer(salt=FEEDBACK_SALT).sign(str(int(time.time())))


class FeedbackForm(forms.Form):
    """Anonymous general feedback: optional agency and satisfaction, the text, bot traps.

    ``website`` is the honeypot (hidden from people and from screen readers; filled only by
    bots): ``is_bot`` tells the view to drop the message quietly. ``started`` is the signed
    moment the form was shown: a form sent sooner than ``FEEDBACK_MIN_SECONDS`` (setting,
    default 5 s) or with a missing or forged signature is refused with a message.
    """

    agency = forms.ModelChoiceField(
        label=_("Cơ quan được góp ý (nếu có)"),
        queryset=Agency.objects.exclude(identifier="").order_by("name"),
        required=False,
        empty_label=_("— Góp ý chung, không riêng cơ quan nào —"),
    )
    overall = forms.TypedChoiceField(
        label=_("Mức độ hài lòng chung (nếu muốn)"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Nội dung góp ý"),
        min_length=10,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Góp ý không ghi tên. Xin đừng ghi số giấy tờ, số điện thoại hay thông tin cá nhân."),
        error_messages={
            "required": _("Nhập nội dung góp ý."),
            "min_length": _("Nội dung góp ý cần ít nhất %(limit_value)d ký tự (hiện có %(show_value)d)."),
            "max_length": _("Nội dung góp ý tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."),
        },
    )
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = SignedTimestampField()

    def __init__(self, *args, now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._now = now
        if not self.is_bound:
            self.initial["started"] = feedback_timestamp()

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_started(self) -> float:
        token = self.cleaned_data.get("started") or ""
        expired = forms.ValidationError(
            _("Phiên nhập góp ý đã hết hạn hoặc không hợp lệ. Vui lòng kiểm tra nội dung và gửi lại."),
            code="expired",
        )
        try:
            started = int(signing.Signer(salt=FEEDBACK_SALT).unsign(token))
        except (signing.BadSignature, ValueError):
            raise expired from None
        now = self._now if self._now is not None else time.time()
        if now - started > FEEDBACK_MAX_AGE:
            raise expired
        minimum = getattr(settings, "FEEDBACK_MIN_SECONDS", DEFAULT_FEEDBACK_MIN_SECONDS)
        if now - started < minimum:
            raise forms.ValidationError(
                _("Góp ý được gửi quá nhanh. Vui lòng đọc lại nội dung rồi bấm gửi lần nữa."), code="too_fast"
            )
        return started


#: Longest evidence text of one self-assessment index (characters).
EVIDENCE_MAX_LENGTH = 5000


class SelfAssessmentForm(forms.Form):
    """One choice (2 / 1 / 0 points) and the evidence for each index question of ``template``.

    Field names: ``score-<index>`` (option key) and ``evidence-<index>``; ``rows`` gives
    ``[(question value, score field, evidence field)]`` for the page.
    """

    def __init__(self, *args, template: SurveyTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self._rows = []
        for block in template.questions:
            value = block.value
            index = value.get("index")
            if index is None:
                continue
            choices = [(o["key"], f"{o['label']} ({o['score']} đ)") for o in value["options"]]
            self.fields[f"score-{index}"] = forms.ChoiceField(
                label=_("Chỉ số %(index)s. %(text)s") % {"index": index, "text": value["text"]},
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                help_text=value.get("help_text") or "",
            )
            self.fields[f"evidence-{index}"] = forms.CharField(
                label=_("Căn cứ, minh chứng cho chỉ số %(index)s") % {"index": index},
                required=False,
                max_length=EVIDENCE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _(
                        "Căn cứ, minh chứng tối đa %(limit_value)d ký tự (hiện có %(show_value)d); "
                        "hãy rút gọn hoặc ghi số, ngày văn bản thay cho toàn văn."
                    )
                },
            )
            self._rows.append((value, f"score-{index}", f"evidence-{index}"))

    @property
    def rows(self):
        return [(value, self[score], self[evidence]) for value, score, evidence in self._rows]

    def entries(self) -> dict[int, dict]:
        """``{index: {"option": key or "", "evidence": text}}`` of the cleaned form."""
        return {
            int(score.split("-")[1]): {
                "option": self.cleaned_data.get(score) or "",
                "evidence": (self.cleaned_data.get(evidence) or "").strip(),
            }
            for _value, score, evidence in self._rows
        }
