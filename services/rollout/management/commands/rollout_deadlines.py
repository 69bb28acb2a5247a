"""``python manage.py rollout_deadlines``: the daily reminder of plans due to the Chairman (cron).

A thin shell over ``services.rollout.deadlines``, e.g. ``0 8 * * * manage.py rollout_deadlines``.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from services.rollout.deadlines import notify_plan_deadlines, plans_due_soon
from services.workdays import LOCAL_TZ


class Command(BaseCommand):
    help = "Nhắc cơ quan tổng hợp các kế hoạch DVC trực tuyến sắp đến hạn hoặc quá hạn trình Chủ tịch UBND tỉnh."

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không gửi thư")

    def handle(self, *args, day=None, dry_run=False, **options):
        try:
            today = date.fromisoformat(day) if day else timezone.localdate(timezone=LOCAL_TZ)
        except ValueError as error:
            raise CommandError(f"Ngày không hợp lệ: {day}") from error
        if dry_run:
            for item in plans_due_soon(today):
                self.stdout.write(f"{item.plan.title}\t{item.plan.submission_deadline:%d/%m/%Y}\t{item.days_left}")
            return
        self.stdout.write(f"Đã gửi {notify_plan_deadlines(today)} thư nhắc hạn.")
