"""Reference data of the catalogue: online-service levels, tiers, fields of work, agencies, subjects.

Vocabulary changes with the law (levels 1–4 in Decree 43/2011, "toàn trình"/"một phần" in
Decree 42/2022; districts abolished 1 July 2025), so each of these is a data table with legacy
labels mapped, never an enum in code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.text import fold, normalize_text


class OnlineServiceLevel(models.Model):
    """A label a catalogue uses for a procedure's online-service level (mức độ DVC trực tuyến).

    Each label maps to the current classification of Decree 42/2022 and says whether citizens
    can file online. "Mức độ 3" -> partial (một phần), "Mức độ 4" -> full (toàn trình),
    "Mức độ 1/2" and "Còn lại" -> information only (DOMAIN.md §3).
    """

    class Classification(models.TextChoices):
        FULL = "full", _("Toàn trình")
        PARTIAL = "partial", _("Một phần")
        INFORMATION = "information", _("Cung cấp thông tin")

    label = models.CharField(_("nhãn"), max_length=100, unique=True)
    lookup_key = models.CharField(max_length=100, unique=True, editable=False)
    classification = models.CharField(_("phân loại"), max_length=20, choices=Classification.choices)
    allows_online_filing = models.BooleanField(_("cho phép nộp trực tuyến"), default=False)
    legacy_level = models.PositiveSmallIntegerField(_("mức độ cũ (NĐ 43/2011)"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "label"]
        verbose_name = _("mức độ dịch vụ công trực tuyến")
        verbose_name_plural = _("mức độ dịch vụ công trực tuyến")

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.label = normalize_text(self.label)
        self.lookup_key = fold(self.label)
        super().save(*args, **kwargs)

    @classmethod
    def resolve(cls, label: str) -> "OnlineServiceLevel | None":
        """The level whose label folds to the same text as ``label`` ("toan trinh" finds "Toàn trình")."""
        if not label:
            return None
        return cls.objects.filter(lookup_key=fold(label)).first()


class AdministrativeTier(models.Model):
    """An administrative tier (cấp thực hiện): ministry, province, district (historical), commune."""

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    active = models.BooleanField(_("còn áp dụng"), default=True, help_text=_("Cấp huyện hết hiệu lực từ 01/7/2025."))
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("cấp thực hiện")
        verbose_name_plural = _("cấp thực hiện")

    def __str__(self):
        return self.name


class FieldOfWork(models.Model):
    """A field of work (lĩnh vực), e.g. code ``G03-GD10`` or name only ("Hộ tịch")."""

    code = models.CharField(_("mã lĩnh vực"), max_length=50, blank=True, db_index=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=500)
    lookup_key = models.CharField(max_length=500, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from services.text import slugify_vi

        self.name = normalize_text(self.name)
        self.code = normalize_text(self.code)
        self.lookup_key = fold(self.name)
        if not self.slug:
            self.slug = unique_slug(type(self), slugify_vi(self.name, 100), exclude_pk=self.pk)
        super().save(*args, **kwargs)


class Agency(models.Model):
    """An implementing agency (cơ quan) with its QCVN 102:2016 identifier, tier and parent.

    ``identifier`` looks like ``000.00.00.H36`` (provincial People's Committee); it is optional
    because crawled catalogues name agencies without one.
    """

    name = models.CharField(_("tên cơ quan"), max_length=500)
    lookup_key = models.CharField(max_length=500, unique=True, editable=False)
    identifier = models.CharField(_("mã định danh (QCVN 102:2016)"), max_length=40, blank=True, db_index=True)
    tier = models.ForeignKey(
        AdministrativeTier, verbose_name=_("cấp"), null=True, blank=True, on_delete=models.SET_NULL
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    address = models.TextField(_("địa chỉ"), blank=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"], condition=~models.Q(identifier=""), name="agency_identifier_unique"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from services.text import slugify_vi

        self.name = normalize_text(self.name)
        self.identifier = normalize_text(self.identifier)
        self.lookup_key = fold(self.name)
        if not self.slug:
            self.slug = unique_slug(type(self), slugify_vi(self.name, 100), exclude_pk=self.pk)
        super().save(*args, **kwargs)


class Subject(models.Model):
    """A subject entitled to perform a procedure (đối tượng thực hiện): citizens, enterprises…"""

    name = models.CharField(_("tên"), max_length=500)
    lookup_key = models.CharField(max_length=500, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("đối tượng thực hiện")
        verbose_name_plural = _("đối tượng thực hiện")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.lookup_key = fold(self.name)
        super().save(*args, **kwargs)


def unique_slug(model, base: str, *, exclude_pk=None, field: str = "slug") -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free for ``model.field``."""
    candidate, n = base, 1
    qs = model._default_manager.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(**{field: candidate}).exists():
        n += 1
        candidate = f"{base[: 100 - len(str(n)) - 1]}-{n}"
    return candidate
