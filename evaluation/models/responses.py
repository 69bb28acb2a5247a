"""What citizens answered: one evaluation per dossier, its answers, and anonymous feedback.

Rules: Decree 61/2018 Art 28–32 (who evaluates, through which channel), Circular 01/2018 Art
13–14 (indices and their 2 / 1 / 0 points), Circular 32/2017 (online-service satisfaction).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.models.surveys import SurveyKind, SurveyTemplate


class EvaluationChannel(models.TextChoices):
    """How the evaluation reached the system (Decree 61/2018 Art 30: online, device at the desk, paper)."""

    ONLINE = "online", _("Trực tuyến")
    KIOSK = "kiosk", _("Thiết bị đánh giá tại Bộ phận Một cửa")
    PAPER = "paper", _("Phiếu giấy, cán bộ nhập")


class Evaluation(models.Model):
    """One citizen's evaluation (đánh giá) of how one dossier was handled.

    At most one per dossier: the one-to-one key on ``dossier`` is enforced by the database, so
    a second answer, even sent at the same moment, is refused (case C17, survey part).
    ``template``/``template_revision`` are the 9-index questions as the citizen saw them;
    ``satisfaction_template``/``satisfaction_revision`` the Circular 32/2017 questions, asked
    only for dossiers filed online (else empty). ``agency`` and ``procedure_code`` are copied
    from the dossier at submission so results group without joining dossiers.
    """

    dossier = models.OneToOneField(
        "services.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="evaluation"
    )
    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("phiếu đánh giá"), on_delete=models.PROTECT, related_name="evaluations"
    )
    template_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    satisfaction_template = models.ForeignKey(
        SurveyTemplate,
        verbose_name=_("phiếu mức độ hài lòng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="satisfaction_evaluations",
    )
    satisfaction_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "services.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="evaluations"
    )
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("thời điểm đánh giá"))
    channel = models.CharField(
        _("kênh đánh giá"), max_length=20, choices=EvaluationChannel.choices, default=EvaluationChannel.ONLINE
    )
    comment = models.TextField(_("ý kiến khác"), blank=True)
    #: The officer who typed in a paper form (channel ``paper``); empty for the citizen's own rating.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("đánh giá của người dân")
        verbose_name_plural = _("đánh giá của người dân")
        indexes = [
            models.Index(fields=["agency", "submitted_at"], name="evaluation_agency_submitted"),
            models.Index(fields=["procedure_code", "submitted_at"], name="evaluation_procedure_submitted"),
        ]

    def __str__(self):
        return f"{_('Đánh giá hồ sơ')} {self.dossier_id}"

    def get_entered_by_display(self) -> str:
        """Who typed in a paper form, family name first (the admin's inspect view shows this)."""
        from services.dossiers.selectors import person_name

        return person_name(self.entered_by)


class EvaluationAnswer(models.Model):
    """The answer to one question of an evaluation.

    ``index`` is the official index (1–9) the question scores, else empty; ``score`` the points:
    2 / 1 / 0 for an index question (Circular 01/2018 Art 14), 2 = Rất hài lòng, 1 = Hài lòng,
    0 = Chưa hài lòng for Circular 32/2017 satisfaction, empty when the question is not scored.
    ``kind`` is the kind of the template the question belongs to; ``value`` the raw answer
    (``{"option", "label"}``, a list of them, ``{"rating", "points"}`` or text).
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    kind = models.CharField(_("loại phiếu"), max_length=30, choices=SurveyKind.choices)
    question_id = models.CharField(_("mã câu hỏi"), max_length=50)
    index = models.PositiveSmallIntegerField(_("chỉ số"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("điểm"), null=True, blank=True)
    value = models.JSONField(_("câu trả lời"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "id"]
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "kind", "question_id"], name="evaluation_answer_unique_question"
            ),
            models.CheckConstraint(
                condition=Q(index__isnull=True) | Q(index__gte=1, index__lte=9, score__lte=2),
                name="evaluation_answer_index_range",
            ),
        ]
        indexes = [models.Index(fields=["kind", "index"], name="evaluation_answer_kind_index")]

    def __str__(self):
        return f"{self.evaluation_id} {self.question_id}={self.score}"


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("Chờ xem xét")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    REJECTED = "rejected", _("Không phù hợp (quảng cáo, xúc phạm…)")


class GeneralFeedback(models.Model):
    """Anonymous feedback (góp ý) about the service in general, without a dossier.

    No personal data is asked. ``ratings`` is ``{"overall": 0–2}`` on the satisfaction scale
    (2 = Rất hài lòng, 1 = Hài lòng, 0 = Chưa hài lòng) when given. Staff moderate it.
    """

    agency = models.ForeignKey(
        "services.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    procedure = models.ForeignKey(
        "services.ProcedurePage",
        verbose_name=_("thủ tục"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    text = models.TextField(_("nội dung góp ý"))
    ratings = models.JSONField(_("đánh giá"), default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    moderated_at = models.DateTimeField(_("thời điểm xem xét"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("góp ý chung")
        verbose_name_plural = _("góp ý chung")

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.text[:40]}"
