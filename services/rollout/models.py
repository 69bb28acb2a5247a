"""Models of roll-out planning: national mandates, agency proposals, the provincial plan, the audit trail.

Rules: DOMAIN.md §1 (the Quảng Bình 2019 story: Decisions 846/QĐ-TTg of 2017 and 877/QĐ-TTg of
2018, selection criteria of Circular 02/2017/TT-VPCP, a 2019–2020 plan the Chairman approves)
and §3 (levels: Decree 43/2011 level 3 → "một phần", level 4 → "toàn trình" in Decree 42/2022).
Target levels are ``services.OnlineServiceLevel`` rows (data with the legacy mapping), never an
enum: a proposal or a mandate points at "Mức độ 3", "Một phần"… and is compared through the
row's ``classification``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from services.models import AdministrativeTier, Agency, FieldOfWork, OnlineServiceForm, OnlineServiceLevel, Subject
from services.rollout.matching import AUTO_GAP, AUTO_SCORE
from services.text import fold, normalize_text

#: Order of the Decree 42/2022 classifications, lowest first: a level "reaches" a target when its
#: rank is at least the target's.
CLASSIFICATION_RANK = {"information": 0, "partial": 1, "full": 2}

TARGET_LEVELS = models.Q(classification__in=["partial", "full"])

#: Most dossiers a year a proposal may state: 100,000,000 (a whole province files a few million a
#: year); a larger figure is a typing mistake, and would not fit the database column.
MAX_YEARLY_VOLUME = 100_000_000
YEARLY_VOLUME_TOO_LARGE = _("Số hồ sơ một năm không được lớn hơn 100.000.000.")


class NationalMandate(models.Model):
    """One item of a national list of online services to deploy (danh mục DVC trực tuyến quốc gia).

    The lists of Decision 846/QĐ-TTg (2017) and 877/QĐ-TTg (2018) name services that ministries
    and provinces must offer at level 3 or 4; the province deploys the national service instead
    of building its own. The 2017–2018 lists predate stable procedure codes, so an item is matched
    to a catalogue procedure by code where the list gives one, else by Vietnamese name similarity
    (``services.rollout.matching``), and an administrator confirms or changes the match.
    """

    class MatchMethod(models.TextChoices):
        CODE = "code", _("Theo mã thủ tục")
        NAME = "name", _("Theo tên gần giống")
        MANUAL = "manual", _("Chọn tay")
        NONE = "none", _("Chưa đối chiếu được")

    decision_number = models.CharField(_("số quyết định"), max_length=50)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    appendix = models.CharField(_("phụ lục"), max_length=50, blank=True)
    item_number = models.CharField(_("số thứ tự"), max_length=20)
    procedure_code = models.CharField(
        _("mã thủ tục"), max_length=20, blank=True, help_text=_("Mã quốc gia d.dddddd nếu danh mục có ghi.")
    )
    service_name = models.TextField(_("tên dịch vụ công"))
    name_folded = models.TextField(editable=False, default="")
    field_of_work_name = models.CharField(_("lĩnh vực (theo danh mục)"), max_length=500, blank=True)
    field_of_work = models.ForeignKey(
        FieldOfWork, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    managing_ministry = models.CharField(_("bộ, ngành quản lý"), max_length=255, blank=True)
    target_level = models.ForeignKey(
        OnlineServiceLevel,
        verbose_name=_("mức độ phải triển khai"),
        on_delete=models.PROTECT,
        limit_choices_to=TARGET_LEVELS,
        related_name="+",
    )
    tiers = models.ManyToManyField(AdministrativeTier, verbose_name=_("cấp thực hiện"), blank=True, related_name="+")

    matched_procedure = models.ForeignKey(
        "services.ProcedurePage",
        verbose_name=_("thủ tục trong danh mục của tỉnh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    match_method = models.CharField(
        _("cách đối chiếu"), max_length=10, choices=MatchMethod.choices, default=MatchMethod.NONE
    )
    match_score = models.DecimalField(_("độ giống tên (0–100)"), max_digits=5, decimal_places=1, null=True, blank=True)
    match_automatic = models.BooleanField(
        _("khớp tự động đủ tin cậy"),
        default=False,
        help_text=format_lazy(
            _("Theo mã, hoặc tên giống từ {score} trở lên và hơn ứng viên thứ hai từ {gap} điểm."),
            score=f"{AUTO_SCORE:g}",
            gap=f"{AUTO_GAP:g}",
        ),
    )
    match_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    match_confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    imported_at = models.DateTimeField(_("thời điểm nhập"), auto_now=True)

    class Meta:
        ordering = ["decision_date", "decision_number", "appendix", "id"]
        verbose_name = _("dịch vụ trong danh mục quốc gia")
        verbose_name_plural = _("danh mục dịch vụ công trực tuyến quốc gia")
        constraints = [
            models.UniqueConstraint(
                fields=["decision_number", "appendix", "item_number"], name="rollout_mandate_item_unique"
            )
        ]
        permissions = [("manage_mandates", _("Nhập và đối chiếu danh mục dịch vụ quốc gia"))]

    def __str__(self):
        return f"{self.decision_number} – {self.item_number}. {self.service_name[:80]}"

    def save(self, *args, **kwargs):
        self.service_name = normalize_text(self.service_name)
        self.name_folded = fold(self.service_name)
        super().save(*args, **kwargs)

    @property
    def is_settled(self) -> bool:
        """True when the match can be relied on: by code, chosen by hand, confirmed, or automatic."""
        if not self.matched_procedure_id:
            return False
        return self.match_automatic or self.match_method == self.MatchMethod.MANUAL or bool(self.match_confirmed_at)

    @property
    def needs_review(self) -> bool:
        """A name match (or no match) nobody has confirmed yet."""
        return self.match_method in (self.MatchMethod.NAME, self.MatchMethod.NONE) and not self.match_confirmed_at


class Plan(models.Model):
    """The province's plan of online services for a period (kế hoạch triển khai DVC trực tuyến).

    Built by the aggregating department (Sở TT&TT with the provincial office) from accepted
    proposals, submitted to the Chairman before ``submission_deadline`` (30/9/2019 in the seed
    story) and approved by a decision (number and date).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang tổng hợp")
        SUBMITTED = "submitted", _("Đã trình Chủ tịch")
        APPROVED = "approved", _("Đã phê duyệt")

    title = models.CharField(_("tên kế hoạch"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    submission_deadline = models.DateField(_("hạn trình Chủ tịch UBND tỉnh"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    approval_number = models.CharField(_("số quyết định phê duyệt"), max_length=50, blank=True)
    approval_date = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("thời điểm trình"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_year", "-id"]
        verbose_name = _("kế hoạch triển khai DVC trực tuyến")
        verbose_name_plural = _("kế hoạch triển khai DVC trực tuyến")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")), name="rollout_plan_years")
        ]

    def __str__(self):
        return self.title

    @property
    def days_late(self) -> int:
        """Calendar days the plan reached the Chairman after ``submission_deadline`` (0: on time or
        not yet submitted), counted on the local (Asia/Ho_Chi_Minh) date of ``submitted_at``."""
        if not self.submitted_at:
            return 0
        from services.workdays import LOCAL_TZ

        return max(0, (self.submitted_at.astimezone(LOCAL_TZ).date() - self.submission_deadline).days)

    @property
    def period_label(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"


class Proposal(models.Model):
    """An agency's proposal to offer one procedure online at a target level (đề xuất DVC trực tuyến).

    The selection criteria of Circular 02/2017/TT-VPCP are kept as data: yearly transaction volume
    (dossiers per year), the subjects who use it, the agency's readiness, and whether the whole
    process can be done online (needed for "toàn trình"). ``tier`` is the proposing agency's tier
    when the proposal was made, so a procedure proposed at province and commune shows both.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Trả lại để bổ sung")
        ACCEPTED = "accepted", _("Đưa vào kế hoạch")
        APPROVED = "approved", _("Đã phê duyệt")
        DEPLOYED = "deployed", _("Đã triển khai")

    class Readiness(models.TextChoices):
        READY = "ready", _("Sẵn sàng (hạ tầng, nhân lực, quy trình)")
        PARTLY = "partly", _("Cần bổ sung một phần")
        NOT_READY = "not_ready", _("Chưa sẵn sàng")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan đề xuất"), on_delete=models.PROTECT, related_name="+")
    tier = models.ForeignKey(
        AdministrativeTier, verbose_name=_("cấp"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    procedure = models.ForeignKey(
        "services.ProcedurePage", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    target_level = models.ForeignKey(
        OnlineServiceLevel,
        verbose_name=_("mức độ đề xuất"),
        on_delete=models.PROTECT,
        limit_choices_to=TARGET_LEVELS,
        related_name="+",
    )
    yearly_volume = models.PositiveIntegerField(
        _("số hồ sơ trung bình một năm"),
        help_text=_("Tiêu chí lựa chọn theo Thông tư 02/2017/TT-VPCP."),
        validators=[MaxValueValidator(MAX_YEARLY_VOLUME, message=YEARLY_VOLUME_TOO_LARGE)],
    )
    subjects = models.ManyToManyField(Subject, verbose_name=_("đối tượng thực hiện"), blank=True, related_name="+")
    readiness = models.CharField(_("mức độ sẵn sàng"), max_length=20, choices=Readiness.choices)
    whole_process_online = models.BooleanField(
        _("thực hiện được toàn bộ quy trình trên môi trường mạng"),
        default=False,
        help_text=_("Kể cả thanh toán phí, lệ phí và trả kết quả trực tuyến hoặc qua bưu chính."),
    )
    rationale = models.TextField(_("lý do đề xuất"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    deployed_form = models.ForeignKey(
        OnlineServiceForm,
        verbose_name=_("biểu mẫu điện tử đã triển khai"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deployed_at = models.DateTimeField(_("thời điểm triển khai"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày sửa"), auto_now=True)

    class Meta:
        ordering = ["agency__name", "id"]
        verbose_name = _("đề xuất DVC trực tuyến")
        verbose_name_plural = _("đề xuất DVC trực tuyến")
        constraints = [
            # One live proposal per agency and procedure; a returned one is revised, not duplicated.
            models.UniqueConstraint(fields=["agency", "procedure"], name="rollout_proposal_agency_procedure")
        ]
        permissions = [
            ("propose_service", _("Đề xuất dịch vụ công trực tuyến cho cơ quan mình")),
            ("aggregate_proposals", _("Tổng hợp đề xuất, lập kế hoạch, triển khai")),
            ("approve_plan", _("Phê duyệt kế hoạch DVC trực tuyến (Chủ tịch UBND tỉnh)")),
        ]

    def __str__(self):
        return f"{self.agency} – {self.procedure_id}"


class RolloutEvent(models.Model):
    """One audited change of a proposal or a plan: who, when, from which status to which, and why."""

    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(_("từ trạng thái"), max_length=20, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("nhật ký kế hoạch DVC")
        verbose_name_plural = _("nhật ký kế hoạch DVC")

    def __str__(self):
        return f"{self.action} {self.from_status}→{self.to_status}"
