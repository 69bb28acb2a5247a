"""Dossiers (hồ sơ) filed for a procedure, their files, status history and code sequences.

Rules: Decree 61/2018 and Circular 01/2018 (DOMAIN.md §4). Statuses are the national status
vocabulary kept as data (``DossierStatus``), so a renamed or added status needs no code change.
Uploaded files live in private storage (``PRIVATE_MEDIA_ROOT``), never under ``MEDIA_URL``.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from services.models.forms import OnlineServiceForm
from services.models.pages import ProcedurePage
from services.models.reference import Agency
from services.text import fold
from services.validators import IdDocumentType


class DossierStatus(models.Model):
    """A status of the national vocabulary (1 new … 10 result returned), kept as data.

    ``code`` is the number used to synchronise with the national portal; ``is_final`` marks the
    statuses after which nothing more happens (not accepted, withdrawn, stopped, returned).
    """

    code = models.PositiveSmallIntegerField(_("mã trạng thái"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    public_name = models.CharField(_("tên hiển thị cho người dân"), max_length=100)
    description = models.TextField(_("mô tả"), blank=True)
    is_final = models.BooleanField(_("kết thúc"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("trạng thái hồ sơ")
        verbose_name_plural = _("trạng thái hồ sơ")

    def __str__(self):
        return f"{self.code}. {self.name}"


class Channel(models.TextChoices):
    """How a dossier reached the agency (cách thức nộp, DOMAIN.md §2)."""

    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Dịch vụ bưu chính")


class Dossier(models.Model):
    """An application file (hồ sơ) submitted for one procedure.

    ``code`` is ``<receiving agency id>-YYMMDD-XXXX`` (Circular 01/2018 Art 6(2)). The procedure's
    code and name are copied at filing so the dossier reads the same after the catalogue changes.
    ``answers`` is the list of ``{"id", "type", "label", "value"}`` of the form revision
    ``form_revision``. ``received_on`` is the reception date after the 15:00 cut-off rule and
    ``due_date`` the date the result is due (``time_limit`` in ``time_unit`` from it); both are
    ``None`` when the time limit cannot be computed.
    """

    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    procedure = models.ForeignKey(
        ProcedurePage, verbose_name=_("thủ tục"), on_delete=models.SET_NULL, null=True, related_name="dossiers"
    )
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20)
    procedure_name = models.TextField(_("tên thủ tục"))
    case_title = models.CharField(_("trường hợp"), max_length=1000, blank=True)
    online_form = models.ForeignKey(
        OnlineServiceForm, on_delete=models.SET_NULL, null=True, blank=True, related_name="dossiers"
    )
    form_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    receiving_agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.CharField(_("hình thức nộp"), max_length=20, choices=Channel.choices)

    applicant_name = models.CharField(_("người nộp"), max_length=255)
    #: ``applicant_name`` lower-cased without accents ("nguyen thi hoa"), set on save: officers
    #: search names as they type them, with or without accents.
    applicant_name_folded = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    applicant_id_type = models.CharField(_("loại giấy tờ"), max_length=20, choices=IdDocumentType.choices)
    applicant_id_number = models.CharField(_("số giấy tờ"), max_length=20, db_index=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.JSONField(_("địa chỉ"), default=dict, blank=True)
    answers = models.JSONField(_("nội dung tờ khai"), default=list, blank=True)

    status = models.ForeignKey(DossierStatus, verbose_name=_("trạng thái"), on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_on = models.DateField(_("ngày tiếp nhận (tính hạn)"), null=True, blank=True)
    time_limit = models.DecimalField(_("thời hạn giải quyết"), max_digits=7, decimal_places=1, null=True, blank=True)
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=20, blank=True)
    due_date = models.DateField(_("hẹn trả kết quả"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    #: One key per filled form: a second POST of the same form finds the first dossier (case C16).
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    # -- one-stop processing (Decree 61/2018 Art 18–21) ------------------------------------------
    accepted_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
    )
    #: The due date first given at acceptance; ``due_date`` differs after an apology (form 04).
    original_due_date = models.DateField(_("hẹn trả ban đầu"), null=True, blank=True)
    due_date_extended = models.BooleanField(_("đã gia hạn (phiếu xin lỗi)"), default=False)
    #: While a supplement is awaited during appraisal the time limit is suspended; it restarts
    #: in full from the day the complete dossier arrives (Decree 61/2018 Art 19(2)(c)).
    paused_at = models.DateTimeField(_("tạm dừng tính hạn từ"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        permissions = [
            ("receive_dossier", _("Tiếp nhận hồ sơ, trả kết quả (Bộ phận Một cửa)")),
            ("process_dossier", _("Thẩm định, xử lý hồ sơ")),
            ("decide_dossier", _("Phê duyệt kết quả, gia hạn, dừng xử lý (lãnh đạo)")),
            ("view_all_dossiers", _("Xem hồ sơ của mọi cơ quan (cấp tỉnh)")),
        ]
        indexes = [
            models.Index(fields=["receiving_agency", "submitted_at"], name="dossier_agency_submitted"),
            models.Index(fields=["status", "due_date"], name="dossier_status_due"),
            models.Index(fields=["receiving_agency", "status"], name="dossier_agency_status"),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.applicant_name_folded = fold(self.applicant_name)[:255]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "applicant_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "applicant_name_folded"}
        super().save(*args, **kwargs)

    @property
    def time_limit_due_date(self):
        """The date the dossier's timeliness is judged against (early / on time / late).

        The due date first given (``original_due_date``), else ``due_date``: an apology with a
        new date (form 04) moves the appointment, not the time limit; it is written for a
        dossier that will be overdue (DOMAIN.md §4), which stays late against its time limit
        (and Circular 01/2018 Art 13 index 1 compares with the time limit). A supplement
        restart sets both dates, so it is no extension.
        """
        return self.original_due_date or self.due_date

    @property
    def component_answers(self) -> list[dict]:
        return [answer for answer in self.answers if answer.get("type") == "file"]


class PrivateStorage(LazyObject):
    """File storage outside the public media directory: files are served by views that check access."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def get_private_storage():
    """The storage of dossier files (a callable, so migrations do not freeze a path)."""
    return private_storage


def attachment_path(instance: "DossierAttachment", filename: str) -> str:
    """``dossiers/YYYY/MM/<random>/<name>``: no dossier code or personal data in paths."""
    import uuid

    from django.utils import timezone

    return f"dossiers/{timezone.localtime():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class DossierAttachment(models.Model):
    """A file of a dossier component. ``original_name`` keeps the citizen's Vietnamese name (case C18)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    component = models.CharField(_("thành phần hồ sơ"), max_length=500)
    field_id = models.CharField(max_length=64, blank=True)
    file = models.FileField(storage=get_private_storage, upload_to=attachment_path, max_length=500)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")

    def __str__(self):
        return self.original_name


class DossierEvent(models.Model):
    """One entry of a dossier's history and audit trail: who, when, from which status to which."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    from_status = models.ForeignKey(DossierStatus, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_status = models.ForeignKey(DossierStatus, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    #: The workflow action recorded ("submit", "accept", "request_supplement", …).
    action = models.CharField(_("thao tác"), max_length=40, blank=True)
    #: Details of the action: missing items of a supplement request, a refusal's reason, the
    #: new due date of an apology… (the printed forms 02–04 read them).
    data = models.JSONField(default=dict, blank=True)
    #: A hand-over (form 05): who receives the dossier next and by when that step is due.
    handed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    step_due_date = models.DateField(_("hạn của bước"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")

    def __str__(self):
        return f"{self.dossier_id} {self.at:%Y-%m-%d %H:%M} → {self.to_status_id}"


class DossierCodeSequence(models.Model):
    """The last dossier number given by one agency on one day (the XXXX of the dossier code)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_code_sequence_unique")]

    def __str__(self):
        return f"{self.agency_id} {self.day:%y%m%d} {self.last}"


class Consultation(models.Model):
    """A request for the opinion of another unit during appraisal (lấy ý kiến), with its own deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị được hỏi ý kiến"), on_delete=models.PROTECT)
    question = models.TextField(_("nội dung xin ý kiến"))
    requested_at = models.DateTimeField(_("thời điểm gửi"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(_("hạn trả lời"))
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answer = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("xin ý kiến")
        verbose_name_plural = _("xin ý kiến")

    def __str__(self):
        return f"{self.dossier_id} → {self.agency_id}"


class OfficerProfile(models.Model):
    """The agency an officer (cán bộ) works for: officers see and act only on its dossiers."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer")
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="officers")

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self):
        return f"{self.user} ({self.agency})"
