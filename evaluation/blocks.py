"""Questions editors build survey templates from (phiếu khảo sát, đánh giá).

Each block is one question with a stable ``question_id`` (a slug kept across edits, so answers
stay tied to their question) and an optional official ``index`` (chỉ số 1–9 of Circular
01/2018 Art 13–14). Besides its StreamField definition, a block knows:

- ``form_fields(value, key)``: the Django form fields the citizen (or agency leader) answers;
- ``answer(value, key, cleaned_data)``: ``(score, raw)``: the points the answer is worth
  (``None`` when the question is not scored) and the plain JSON kept as the raw answer.

Scores: index questions give the official 2 / 1 / 0 points (Circular 01/2018 Art 14); the
online-service satisfaction of Circular 32/2017 is stored on the same scale, 2 = Rất hài lòng,
1 = Hài lòng, 0 = Chưa hài lòng. A rating scale (e.g. a province's 5-point scale) maps to that
scale through two thresholds, or stays unscored.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, validate_slug
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

#: The nine official indices (DOMAIN.md §5, Circular 01/2018 Art 14).
INDEX_LABELS = {
    1: _("Tổng thời gian giải quyết hồ sơ so với thời gian quy định"),
    2: _("Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết"),
    3: _("Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ"),
    4: _("Số cơ quan, đơn vị phải liên hệ để hoàn thiện hồ sơ"),
    5: _("Thực hiện tiếp nhận, trả kết quả tại Bộ phận Một cửa"),
    6: _("Công khai thủ tục hành chính"),
    7: _("Thái độ của cán bộ, công chức, viên chức khi hướng dẫn, tiếp nhận, giải quyết hồ sơ"),
    8: _("Tiếp nhận, xử lý phản ánh, kiến nghị"),
    9: _("Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến"),
}
#: Indices a citizen answers about one dossier; the system computes 2, 6, 8, 9 (and 1 from timestamps).
CITIZEN_INDICES = (1, 3, 4, 7)
#: Indices an agency assesses about itself each quarter (the unit indices).
SELF_ASSESSMENT_INDICES = (5, 6, 8, 9)
#: Official points of one index answer.
INDEX_SCORES = (0, 1, 2)


class OptionBlock(blocks.StructBlock):
    """One option of a choice question: a stable key, its text and the points it is worth."""

    key = blocks.CharBlock(
        max_length=50,
        validators=[validate_slug],
        label=_("Mã lựa chọn"),
        help_text=_("Chữ không dấu, số, gạch nối; không đổi khi sửa câu chữ để câu trả lời cũ vẫn đúng lựa chọn."),
    )
    label = blocks.CharBlock(max_length=500, label=_("Nội dung lựa chọn"))
    score = blocks.IntegerBlock(
        required=False,
        min_value=0,
        max_value=10,
        label=_("Điểm"),
        help_text=_("Câu hỏi gắn chỉ số: 2, 1 hoặc 0 điểm theo Thông tư 01/2018. Để trống nếu không chấm điểm."),
    )

    class Meta:
        icon = "radio-empty"
        label = _("Lựa chọn")


class QuestionBlock(blocks.StructBlock):
    """A question: stable id, optional official index, text, help and whether it is required."""

    question_id = blocks.CharBlock(
        max_length=50,
        validators=[validate_slug],
        label=_("Mã câu hỏi"),
        help_text=_("Không dấu, không trùng trong phiếu, giữ nguyên khi sửa câu chữ (ví dụ: thai-do-can-bo)."),
    )
    index = blocks.IntegerBlock(
        required=False,
        min_value=1,
        max_value=9,
        label=_("Chỉ số (1–9)"),
        help_text=_("Chỉ số đánh giá của Thông tư 01/2018 mà câu hỏi chấm điểm; để trống nếu không gắn chỉ số."),
    )
    text = blocks.CharBlock(max_length=500, label=_("Câu hỏi"))
    help_text = blocks.TextBlock(required=False, label=_("Hướng dẫn"), help_text=_("Hiện dưới câu hỏi."))
    required = blocks.BooleanBlock(required=False, default=True, label=_("Bắt buộc trả lời"))

    answer_type = "text"

    class Meta:
        icon = "help"
        template = "evaluation/blocks/question.html"

    def base_kwargs(self, value) -> dict:
        return {"label": value["text"], "help_text": value.get("help_text") or "", "required": bool(value["required"])}

    def form_fields(self, value, key: str) -> dict[str, forms.Field]:
        """Django form fields of this question, keyed by their names in the form (``key`` first)."""
        raise NotImplementedError

    def answer(self, value, key: str, cleaned_data: dict) -> tuple[int | None, object]:
        """``(score, raw)`` of the answer in ``cleaned_data``; ``raw`` is ``None`` when unanswered."""
        raise NotImplementedError

    def display(self, value, raw) -> str:
        """The answer ``raw`` as the citizen chose it, in words (for the read-only view)."""
        return "" if raw in (None, "", []) else str(raw)


def _option_errors(options) -> list[str]:
    keys = [option["key"] for option in options]
    errors = []
    if not options:
        errors.append(_("Câu hỏi lựa chọn phải có ít nhất một lựa chọn."))
    if len(set(keys)) != len(keys):
        errors.append(_("Mã lựa chọn bị trùng trong cùng câu hỏi."))
    return errors


class SingleChoiceQuestionBlock(QuestionBlock):
    """Choose one option; each option may carry points (the 2/1/0 of an index, the satisfaction level)."""

    options = blocks.ListBlock(OptionBlock(), label=_("Các lựa chọn"))

    answer_type = "single_choice"

    class Meta:
        icon = "list-ul"
        label = _("Chọn một (có điểm)")

    def clean(self, value):
        value = super().clean(value)
        errors = _option_errors(value["options"])
        if value.get("index") is not None:
            scores = [option.get("score") for option in value["options"]]
            if any(score not in INDEX_SCORES for score in scores):
                errors.append(_("Câu hỏi gắn chỉ số: mỗi lựa chọn phải có điểm 2, 1 hoặc 0."))
        if errors:
            raise StructBlockValidationError(non_block_errors=ValidationError(errors))
        return value

    def form_fields(self, value, key):
        choices = [(option["key"], option["label"]) for option in value["options"]]
        return {key: forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **self.base_kwargs(value))}

    def answer(self, value, key, cleaned_data):
        chosen = cleaned_data.get(key)
        option = next((o for o in value["options"] if o["key"] == chosen), None)
        if option is None:
            return None, None
        return option.get("score"), {"option": option["key"], "label": option["label"]}

    def display(self, value, raw):
        return raw.get("label", "") if isinstance(raw, dict) else ""


class MultipleChoiceQuestionBlock(QuestionBlock):
    """Choose any number of options; not scored."""

    options = blocks.ListBlock(OptionBlock(), label=_("Các lựa chọn"))

    answer_type = "multiple_choice"

    class Meta:
        icon = "tick-inverse"
        label = _("Chọn nhiều")

    def clean(self, value):
        value = super().clean(value)
        errors = _option_errors(value["options"])
        if value.get("index") is not None:
            errors.append(_("Câu hỏi chọn nhiều không chấm điểm nên không gắn chỉ số."))
        if errors:
            raise StructBlockValidationError(non_block_errors=ValidationError(errors))
        return value

    def form_fields(self, value, key):
        choices = [(option["key"], option["label"]) for option in value["options"]]
        return {
            key: forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **self.base_kwargs(value)
            )
        }

    def answer(self, value, key, cleaned_data):
        chosen = set(cleaned_data.get(key) or [])
        picked = [{"option": o["key"], "label": o["label"]} for o in value["options"] if o["key"] in chosen]
        return None, (picked or None)

    def display(self, value, raw):
        return "; ".join(item.get("label", "") for item in raw or [])


class RatingScaleQuestionBlock(QuestionBlock):
    """A rating from 1 to ``points`` (e.g. the 5-point scale some provinces use).

    With both thresholds set the rating is scored on the 3-level scale of Circular 32/2017:
    2 (Rất hài lòng) from ``very_satisfied_from``, 1 (Hài lòng) from ``satisfied_from``, else 0;
    without them it is not scored.
    """

    points = blocks.IntegerBlock(default=5, min_value=3, max_value=10, label=_("Số mức"))
    low_label = blocks.CharBlock(max_length=100, default="Rất không hài lòng", label=_("Nhãn mức thấp nhất"))
    high_label = blocks.CharBlock(max_length=100, default="Rất hài lòng", label=_("Nhãn mức cao nhất"))
    satisfied_from = blocks.IntegerBlock(required=False, min_value=1, max_value=10, label=_("“Hài lòng” từ mức"))
    very_satisfied_from = blocks.IntegerBlock(
        required=False, min_value=1, max_value=10, label=_("“Rất hài lòng” từ mức")
    )

    answer_type = "rating"

    class Meta:
        icon = "pick"
        label = _("Thang điểm")

    def clean(self, value):
        value = super().clean(value)
        errors = []
        low, high, points = value.get("satisfied_from"), value.get("very_satisfied_from"), value["points"]
        if (low is None) != (high is None):
            errors.append(_("Nhập cả hai mức “Hài lòng” và “Rất hài lòng”, hoặc để trống cả hai."))
        elif low is not None and not (1 <= low < high <= points):
            errors.append(_("Cần 1 ≤ mức “Hài lòng” < mức “Rất hài lòng” ≤ số mức."))
        if value.get("index") is not None:
            errors.append(_("Thang điểm không cho điểm 2/1/0 chính thức nên không gắn chỉ số."))
        if errors:
            raise StructBlockValidationError(non_block_errors=ValidationError(errors))
        return value

    def form_fields(self, value, key):
        points = value["points"]
        choices = []
        for n in range(1, points + 1):
            label = str(n)
            if n == 1:
                label = f"1 – {value['low_label']}"
            elif n == points:
                label = f"{points} – {value['high_label']}"
            choices.append((str(n), label))
        return {
            key: forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, **self.base_kwargs(value)
            )
        }

    def answer(self, value, key, cleaned_data):
        rating = cleaned_data.get(key)
        if rating in (None, ""):
            return None, None
        rating = int(rating)
        low, high = value.get("satisfied_from"), value.get("very_satisfied_from")
        score = None
        if low is not None and high is not None:
            score = 2 if rating >= high else 1 if rating >= low else 0
        return score, {"rating": rating, "points": value["points"]}

    def display(self, value, raw):
        return f"{raw['rating']}/{raw['points']}" if isinstance(raw, dict) else ""


class FreeTextQuestionBlock(QuestionBlock):
    """An open answer in the citizen's own words; not scored."""

    max_length = blocks.IntegerBlock(default=2000, min_value=1, max_value=10_000, label=_("Số ký tự tối đa"))

    answer_type = "free_text"

    class Meta:
        icon = "pilcrow"
        label = _("Trả lời tự do")

    def clean(self, value):
        value = super().clean(value)
        if value.get("index") is not None:
            raise StructBlockValidationError(
                non_block_errors=ValidationError([_("Câu trả lời tự do không chấm điểm nên không gắn chỉ số.")])
            )
        return value

    def form_fields(self, value, key):
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **self.base_kwargs(value))
        field.validators.append(MaxLengthValidator(value.get("max_length") or 2000))
        return {key: field}

    def answer(self, value, key, cleaned_data):
        text = (cleaned_data.get(key) or "").strip()
        return None, (text or None)


QUESTION_BLOCKS = [
    ("single_choice", SingleChoiceQuestionBlock()),
    ("multiple_choice", MultipleChoiceQuestionBlock()),
    ("rating", RatingScaleQuestionBlock()),
    ("free_text", FreeTextQuestionBlock()),
]
