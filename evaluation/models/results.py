"""Computed and published evaluation results (kết quả đánh giá) per period, agency, procedure and officer.

Rules: Circular 01/2018 Art 13–15 (indices, aggregation, classes), Decree 61/2018 Art 32 (the
results are published on the portal quarterly and yearly). Rows are written only by
``evaluation.publication`` (recompute, publish); once their period is published they never
change: a recompute of a published period is refused and the admin has no edit view. Names
are copied into the rows so a published table reads the same after an agency or officer is
renamed.

Index scores are ``Decimal`` with one decimal place, ``None`` for an index without data in
the period (excluded from the totals, Circular 01/2018 Art 15).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation.scoring import AgencyClass, OfficerBand


class PeriodStatus(models.TextChoices):
    COMPUTED = "computed", _("Đã tính, chưa công bố")
    PUBLISHED = "published", _("Đã công bố")


def _index_field(number: int) -> models.DecimalField:
    return models.DecimalField(_("chỉ số %(n)s") % {"n": number}, max_digits=2, decimal_places=1, null=True, blank=True)


class ResultPeriod(models.Model):
    """A quarter (``quarter`` 1–4) or a whole year (``quarter`` 0) of results, and its audit trail.

    ``start``–``end`` are the local dates (Asia/Ho_Chi_Minh) whose finished dossiers it scores.
    ``computed_*``: the last recompute; ``published_*``: who published it and when (after
    which nothing of the period changes).
    """

    YEAR = 0

    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý (0: cả năm)"))
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    status = models.CharField(_("tình trạng"), max_length=20, choices=PeriodStatus.choices)
    dossiers = models.PositiveIntegerField(_("số hồ sơ được chấm"), default=0)
    computed_at = models.DateTimeField(_("tính lúc"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tính"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người công bố"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("kỳ kết quả đánh giá")
        verbose_name_plural = _("kỳ kết quả đánh giá")
        permissions = [("publish_results", _("Tính và công bố kết quả đánh giá"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="result_period_unique"),
            models.CheckConstraint(condition=models.Q(quarter__lte=4), name="result_period_quarter_0_4"),
        ]

    def __str__(self):
        return str(self.label)

    @property
    def label(self) -> str:
        """``"Quý I năm 2026"`` or ``"Năm 2026"``."""
        if self.quarter == self.YEAR:
            return str(_("Năm %(year)s") % {"year": self.year})
        roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[self.quarter]
        return str(_("Quý %(q)s năm %(year)s") % {"q": roman, "year": self.year})

    @property
    def is_published(self) -> bool:
        return self.status == PeriodStatus.PUBLISHED


class ScoredRow(models.Model):
    """Fields shared by the result rows: dossiers scored, evaluations, and the raw tallies."""

    dossiers = models.PositiveIntegerField(_("số hồ sơ đã giải quyết"), default=0)
    evaluations = models.PositiveIntegerField(_("số hồ sơ được người dân đánh giá"), default=0)
    index_1 = _index_field(1)
    index_2 = _index_field(2)
    index_3 = _index_field(3)
    index_4 = _index_field(4)
    index_7 = _index_field(7)
    #: ``{"1": [sum of points, number of dossiers], …}``: what each index score divides.
    tallies = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class AgencyResult(ScoredRow):
    """One agency's nine index scores, 18-point total, class and rank in a period.

    ``rank`` is the competition rank among every agency of the period (ties share a rank);
    pages filtered by tier rank again within the tier. ``groups_766`` lists the Decision
    766/QĐ-TTg groups (``evaluation.scoring.decision_766_groups``), estimated or marked as not
    computable.
    """

    period = models.ForeignKey(ResultPeriod, on_delete=models.CASCADE, related_name="agency_results")
    agency = models.ForeignKey("services.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    agency_name = models.CharField(_("tên cơ quan"), max_length=500)
    tier = models.ForeignKey(
        "services.AdministrativeTier", verbose_name=_("cấp"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    index_5 = _index_field(5)
    index_6 = _index_field(6)
    index_8 = _index_field(8)
    index_9 = _index_field(9)
    total = models.DecimalField(_("tổng điểm (tối đa 18)"), max_digits=3, decimal_places=1)
    classification = models.CharField(_("xếp loại"), max_length=20, choices=AgencyClass.choices)
    rank = models.PositiveSmallIntegerField(_("xếp hạng"))
    groups_766 = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["period", "rank", "agency_name"]
        verbose_name = _("kết quả đánh giá cơ quan")
        verbose_name_plural = _("kết quả đánh giá cơ quan")
        constraints = [models.UniqueConstraint(fields=["period", "agency"], name="agency_result_unique")]

    def __str__(self):
        return f"{self.period}: {self.agency_name} {self.total}"


class ProcedureResult(ScoredRow):
    """One procedure's dossier indices (1, 2, 3, 4, 7) and their total (max 10) at one agency in a period."""

    period = models.ForeignKey(ResultPeriod, on_delete=models.CASCADE, related_name="procedure_results")
    agency = models.ForeignKey("services.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    agency_name = models.CharField(_("tên cơ quan"), max_length=500)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20)
    procedure_name = models.TextField(_("tên thủ tục"))
    total = models.DecimalField(_("tổng điểm (tối đa 10)"), max_digits=3, decimal_places=1)

    class Meta:
        ordering = ["period", "agency_name", "procedure_code"]
        verbose_name = _("kết quả đánh giá thủ tục")
        verbose_name_plural = _("kết quả đánh giá thủ tục")
        constraints = [
            models.UniqueConstraint(fields=["period", "agency", "procedure_code"], name="procedure_result_unique")
        ]
        indexes = [models.Index(fields=["period", "procedure_code"], name="procedure_result_code")]

    def __str__(self):
        return f"{self.period}: {self.procedure_code} {self.agency_name} {self.total}"


class OfficerResult(ScoredRow):
    """One processing officer's indices 1, 2, 3, 4, 7, total (max 10) and completion band in a period.

    Not shown on the public pages (officers' names are the agency's internal assessment);
    listed in the admin period page and its export.
    """

    period = models.ForeignKey(ResultPeriod, on_delete=models.CASCADE, related_name="officer_results")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    officer_name = models.CharField(_("tên cán bộ"), max_length=300)
    agency = models.ForeignKey("services.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    agency_name = models.CharField(_("tên cơ quan"), max_length=500)
    total = models.DecimalField(_("tổng điểm (tối đa 10)"), max_digits=3, decimal_places=1)
    band = models.CharField(_("mức độ hoàn thành"), max_length=20, choices=OfficerBand.choices)

    class Meta:
        ordering = ["period", "agency_name", "officer_name"]
        verbose_name = _("kết quả đánh giá cán bộ")
        verbose_name_plural = _("kết quả đánh giá cán bộ")

    def __str__(self):
        return f"{self.period}: {self.officer_name} {self.total}"
