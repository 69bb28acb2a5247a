"""Survey templates (phiếu khảo sát, đánh giá): the questions citizens and agencies answer.

A template is a snippet with drafts, revisions, locking and preview: editors build it from the
named question blocks of ``evaluation.blocks``, say what it is for (``kind``), when it applies
(``valid_from``–``valid_until``) and to which procedures and agencies (none = all). Citizens are
only ever served the published version: with ``DraftStateMixin`` Wagtail keeps unpublished edits
in revisions and leaves the row as last published, so ``SurveyTemplate.objects.live()`` is what
applies, and every evaluation keeps the revision it was answered on.

Which template applies to a dossier: ``evaluation.selectors.template_for``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from evaluation.blocks import CITIZEN_INDICES, QUESTION_BLOCKS, SELF_ASSESSMENT_INDICES


class SurveyKind(models.TextChoices):
    """What a template measures, and so who answers it and how it is scored."""

    #: Citizen questions of the 9-index evaluation (Circular 01/2018 Art 13–14: indices 1, 3, 4, 7).
    CITIZEN_INDEX = "citizen_index", _("Đánh giá giải quyết TTHC (Thông tư 01/2018)")
    #: Satisfaction with an online service, 3 levels (Circular 32/2017): asked for online dossiers.
    ONLINE_SATISFACTION = "online_satisfaction", _("Mức độ hài lòng dịch vụ công trực tuyến (Thông tư 32/2017)")
    #: The unit indices an agency assesses each quarter (5, 6, 8, 9).
    SELF_ASSESSMENT = "self_assessment", _("Tự đánh giá của cơ quan, đơn vị")


#: Indices a template of each kind may score; a kind absent here scores none.
KIND_INDICES = {
    SurveyKind.CITIZEN_INDEX: CITIZEN_INDICES,
    SurveyKind.SELF_ASSESSMENT: SELF_ASSESSMENT_INDICES,
}


class SurveyTemplateQuerySet(models.QuerySet):
    def live(self):
        """Published templates: the only ones anyone is asked to answer."""
        return self.filter(live=True)


class SurveyTemplate(DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel):
    """A survey form: questions (``questions``, blocks of ``evaluation.blocks``) and where it applies.

    ``valid_from``/``valid_until`` are calendar dates, both included (until empty = open-ended).
    ``procedures``/``agencies`` narrow it to some procedures or agencies; empty means all.
    The ``question_id`` of each question is unique in the template and stays the same across
    revisions; an index-tied question's options are worth 2 / 1 / 0 points.
    """

    name = models.CharField(_("tên phiếu"), max_length=255)
    kind = models.CharField(_("loại phiếu"), max_length=30, choices=SurveyKind.choices)
    intro = models.TextField(_("lời giới thiệu"), blank=True)
    questions = StreamField(QUESTION_BLOCKS, verbose_name=_("câu hỏi"), blank=True)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_until = models.DateField(
        _("áp dụng đến ngày"), null=True, blank=True, help_text=_("Để trống nếu chưa có ngày kết thúc.")
    )
    procedures = ParentalManyToManyField(
        "services.ProcedurePage",
        verbose_name=_("thủ tục áp dụng"),
        blank=True,
        related_name="survey_templates",
        help_text=_("Để trống: áp dụng cho mọi thủ tục."),
    )
    agencies = ParentalManyToManyField(
        "services.Agency",
        verbose_name=_("cơ quan áp dụng"),
        blank=True,
        related_name="survey_templates",
        help_text=_("Để trống: áp dụng cho mọi cơ quan."),
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=500, blank=True)

    objects = SurveyTemplateQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("legal_basis"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
                FieldPanel("procedures", widget=forms.SelectMultiple(attrs={"size": 8})),
                FieldPanel("agencies", widget=forms.SelectMultiple(attrs={"size": 8})),
            ],
            heading=_("Phạm vi áp dụng"),
        ),
        FieldPanel("questions"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("kind")]

    class Meta:
        verbose_name = _("phiếu khảo sát")
        verbose_name_plural = _("phiếu khảo sát")
        ordering = ["kind", "-valid_from", "name"]

    def __str__(self):
        return self.name

    # -- validation ---------------------------------------------------------------------------

    def clean(self):
        """Refuses a period that ends before it starts, repeated question ids, and indices the kind does not score.

        A citizen template scores indices 1, 3, 4, 7, a self-assessment 5, 6, 8, 9, each at most
        once; a self-assessment is made of index questions only (each becomes a line of the
        agency's quarterly assessment); an online-satisfaction template ties no index.
        """
        super().clean()
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu áp dụng.")
        problems = self.question_problems()
        if problems:
            errors["questions"] = problems
        if errors:
            raise ValidationError(errors)

    def question_problems(self) -> list[str]:
        """Vietnamese messages about the questions as a whole (empty list: valid)."""
        problems = []
        ids, indices = [], []
        allowed = KIND_INDICES.get(self.kind, ())
        for block in self.questions:
            value = block.value
            ids.append(value["question_id"])
            index = value.get("index")
            if index is None:
                if self.kind == SurveyKind.SELF_ASSESSMENT:
                    problems.append(
                        _("Câu “%(text)s”: phiếu tự đánh giá chỉ gồm câu hỏi gắn chỉ số 5, 6, 8, 9.")
                        % {"text": value["text"]}
                    )
                continue
            indices.append(index)
            if index not in allowed:
                problems.append(
                    _("Câu “%(text)s”: loại phiếu này không chấm chỉ số %(index)s (được: %(allowed)s).")
                    % {
                        "text": value["text"],
                        "index": index,
                        "allowed": ", ".join(map(str, allowed)) or _("không chỉ số nào"),
                    }
                )
        for repeated in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(_("Mã câu hỏi “%(id)s” bị trùng.") % {"id": repeated})
        for repeated in sorted({i for i in indices if indices.count(i) > 1}):
            problems.append(_("Chỉ số %(index)s được hỏi hơn một lần.") % {"index": repeated})
        return problems

    # -- reading ------------------------------------------------------------------------------

    def applies_on(self, day) -> bool:
        """True when ``day`` (a date) falls in ``valid_from``–``valid_until``, both included."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def question_map(self) -> dict:
        """``{question_id: (block, value)}`` of the questions, in order."""
        return {block.value["question_id"]: (block.block, block.value) for block in self.questions}

    # -- preview ------------------------------------------------------------------------------

    def get_preview_template(self, request, mode_name):
        return "evaluation/survey_preview.html"

    def get_preview_context(self, request, mode_name):
        from evaluation.forms import SurveyForm

        context = super().get_preview_context(request, mode_name)
        context["form"] = SurveyForm(templates=[self])
        return context
