"""An agency's quarterly self-assessment (tự đánh giá) of the unit indices 5, 6, 8, 9.

Rules: Decree 61/2018 Art 29 (the agency assesses itself), Circular 01/2018 Art 13–14 (indices
5, 6, 8, 9 and their 2 / 1 / 0 points). Entered by the agency's leader in the admin; once
submitted it is locked (``evaluation.services`` refuses edits, the admin shows it read-only).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.blocks import SELF_ASSESSMENT_INDICES
from evaluation.models.surveys import SurveyTemplate


class SelfAssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")


class SelfAssessment(models.Model):
    """One agency's self-assessment for one quarter (``year``, ``quarter`` 1–4), one per quarter.

    ``template``/``template_revision``: the criteria it was answered on. ``created_by``/
    ``updated_by``/``submitted_by`` with their moments are the audit of who entered what when.
    """

    agency = models.ForeignKey(
        "services.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=SelfAssessmentStatus.choices, default=SelfAssessmentStatus.DRAFT
    )
    template = models.ForeignKey(
        SurveyTemplate,
        verbose_name=_("phiếu tự đánh giá"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_assessments",
    )
    template_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-quarter", "agency__name"]
        verbose_name = _("tự đánh giá của cơ quan")
        verbose_name_plural = _("tự đánh giá của cơ quan")
        permissions = [("view_all_selfassessments", _("Xem tự đánh giá của mọi cơ quan (cấp tỉnh)"))]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "quarter"], name="self_assessment_unique_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="self_assessment_quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.agency} — {_('Quý')} {self.quarter}/{self.year}"

    @property
    def is_locked(self) -> bool:
        """True once submitted: nothing may change any more."""
        return self.status == SelfAssessmentStatus.SUBMITTED


class SelfAssessmentAnswer(models.Model):
    """The agency's score (0–2) for one unit index (5, 6, 8 or 9) and the evidence it cites."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    index = models.PositiveSmallIntegerField(_("chỉ số"))
    question_id = models.CharField(_("mã câu hỏi"), max_length=50, blank=True)
    score = models.PositiveSmallIntegerField(_("điểm"))
    #: The option chosen, as the template worded it when answered.
    option = models.JSONField(_("lựa chọn"), default=dict, blank=True)
    evidence = models.TextField(_("căn cứ, minh chứng"), blank=True)

    class Meta:
        ordering = ["self_assessment", "index"]
        verbose_name = _("điểm tự đánh giá")
        verbose_name_plural = _("điểm tự đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "index"], name="self_assessment_answer_unique_index"),
            models.CheckConstraint(
                condition=Q(index__in=SELF_ASSESSMENT_INDICES) & Q(score__lte=2),
                name="self_assessment_answer_index_score",
            ),
        ]

    def __str__(self):
        return f"{self.self_assessment_id} {self.index}={self.score}"
