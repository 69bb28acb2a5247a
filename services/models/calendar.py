"""The working-day calendar's editable part: days the government moves each year.

Public holidays (New Year, lunar Tết, Hùng Kings' day, 30/4, 1/5, 2/9 and their statutory
substitutes) come from the maintained ``holidays`` library (Labour Code 2019 Art 112); the
yearly announcements of make-up working days (làm bù) and extra days off (nghỉ bù / nghỉ thêm)
are entered here by administrators, and override the library for their date.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarAdjustment(models.Model):
    """One date whose working status differs from the statutory calendar.

    ``kind`` is ``day_off`` (an extra day off, e.g. a bridge day before Tết) or ``working_day``
    (a Saturday announced as a make-up working day).
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ (nghỉ bù, nghỉ thêm)")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("nội dung"), max_length=255, blank=True)
    source = models.CharField(
        _("văn bản công bố"), max_length=255, blank=True, help_text=_("Ví dụ: Thông báo 6150/TB-LĐTBXH.")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("lịch nghỉ, làm bù")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
