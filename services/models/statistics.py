"""Snapshots of the public dossier statistics (số liệu thống kê tổng hợp).

The public page ``/thong-ke/`` shows the province a year of dossiers. Counted live that is one
pass over every dossier of the year (about 500,000 at province scale, half a second on
PostgreSQL even from a covering index: docs/benchmarks.md "Statistics (issue 5)"). A snapshot
holds the same counts already grouped by month, agency, procedure and class (channel x
outcome), so a month-aligned period is summed from a few thousand rows instead.

A snapshot is taken by ``services.dossiers.statistics.statistics_snapshot_take`` (the command
``dossier_statistics_snapshot``, run hourly by cron); readers always use the newest complete one
and fall back to live counting when none is fresh enough.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatisticsSnapshot(models.Model):
    """One complete set of ``DossierMonthlyCount`` rows, as counted at ``taken_at``.

    ``today`` is the local date (Asia/Ho_Chi_Minh) the in-progress dossiers were judged against
    (overdue when their due date is before it): the snapshot's figures are those of that day.
    """

    taken_at = models.DateTimeField(_("thời điểm tổng hợp"))
    today = models.DateField(_("ngày tính quá hạn"))
    dossiers = models.PositiveIntegerField(_("số hồ sơ đã tổng hợp"), default=0)

    class Meta:
        verbose_name = _("bản tổng hợp thống kê")
        verbose_name_plural = _("bản tổng hợp thống kê")
        get_latest_by = "taken_at"

    def __str__(self):
        return f"{self.taken_at:%d/%m/%Y %H:%M}"


class DossierMonthlyCount(models.Model):
    """Dossiers submitted in one local month, of one agency and procedure, in one class.

    ``k`` is the class of ``services.dossiers.statistics``: ``channel index + 3 x outcome``
    (channels online / in person / post; outcomes closed, early, on time, late, undated, in
    progress, overdue), judged on the snapshot's ``today``. ``last_dossier_id`` is the newest
    dossier of the group, whose copied procedure name the statistics show.
    """

    snapshot = models.ForeignKey(StatisticsSnapshot, on_delete=models.CASCADE, related_name="counts")
    month = models.DateField(_("tháng (ngày đầu tháng)"))
    receiving_agency = models.ForeignKey("services.Agency", on_delete=models.CASCADE, related_name="+")
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20)
    k = models.PositiveSmallIntegerField(_("lớp (kênh x kết quả)"))
    dossiers = models.PositiveIntegerField(_("số hồ sơ"))
    last_dossier_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("số hồ sơ theo tháng")
        verbose_name_plural = _("số hồ sơ theo tháng")
        indexes = [
            models.Index(fields=["snapshot", "month", "receiving_agency"], name="monthly_count_period"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} {self.procedure_code} k={self.k}: {self.dossiers}"
