"""``python manage.py dossier_deadlines``: the daily reminder of dossiers due soon (for cron).

A thin shell over ``services.dossiers.deadlines``: run it every working morning, e.g.
``30 7 * * 1-5 manage.py dossier_deadlines``.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from services.dossiers.deadlines import dossiers_due_soon, notify_due_soon
from services.workdays import LOCAL_TZ


class Command(BaseCommand):
    help = "Gửi thư nhắc cán bộ các hồ sơ đến hạn trả kết quả trong 2 ngày làm việc tới."

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê hồ sơ, không gửi thư")

    def handle(self, *args, day: str | None = None, dry_run: bool = False, **options):
        try:
            today = date.fromisoformat(day) if day else timezone.localdate(timezone=LOCAL_TZ)
        except ValueError as error:
            raise CommandError(f"Ngày không hợp lệ: {day}") from error
        if dry_run:
            for dossier in dossiers_due_soon(today):
                self.stdout.write(f"{dossier.code}\t{dossier.due_date:%d/%m/%Y}\t{dossier.status.name}")
            return
        sent = notify_due_soon(today)
        self.stdout.write(f"Đã gửi {sent} thư nhắc hạn.")
