"""``python manage.py dossier_statistics_snapshot``: recount the public statistics (for cron, hourly).

A thin shell over ``services.dossiers.statistics.statistics_snapshot_take``: e.g.
``5 * * * * manage.py dossier_statistics_snapshot``. The public pages use a snapshot taken
today or yesterday for whole-month periods and count live otherwise.
"""

from time import perf_counter

from django.core.management.base import BaseCommand

from services.dossiers.statistics import statistics_snapshot_take


class Command(BaseCommand):
    help = "Tổng hợp lại số liệu thống kê hồ sơ công khai (chạy hằng giờ)."

    def handle(self, *args, **options):
        started = perf_counter()
        snapshot = statistics_snapshot_take()
        self.stdout.write(
            f"Đã tổng hợp {snapshot.dossiers} hồ sơ ({snapshot.counts.count()} dòng) "
            f"trong {perf_counter() - started:.1f} giây."
        )
