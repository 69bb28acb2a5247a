"""``manage.py evaluation_results recompute|publish --year 2026 [--quarter 1] [--user admin]``.

A thin shell over ``evaluation.publication``: ``recompute`` scores a quarter (``--quarter``
1–4) or the whole year (no ``--quarter``) as a preview; ``publish`` publishes a closed period in
the name of ``--user`` (required: the audit records who published). Prints the period, the
dossiers scored and the time taken; a refused request exits with its Vietnamese message.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from evaluation.publication import ResultsError, results_publish, results_recompute


class Command(BaseCommand):
    help = "Tính lại (recompute) hoặc công bố (publish) kết quả đánh giá một quý hoặc một năm."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["recompute", "publish"])
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, default=0, help="1–4; bỏ trống: cả năm")
        parser.add_argument("--user", help="tên đăng nhập của người công bố (bắt buộc khi publish)")

    def handle(self, *args, action, year, quarter, user, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"Không có người dùng {user}.")
        elif action == "publish":
            raise CommandError("Cần --user: người công bố được ghi lại.")
        started = time.perf_counter()
        try:
            if action == "publish":
                period = results_publish(year=year, quarter=quarter, user=account)
            else:
                period = results_recompute(year=year, quarter=quarter, user=account)
        except ResultsError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{period.label}: {period.get_status_display()}, {period.dossiers} hồ sơ, "
            f"{time.perf_counter() - started:.2f} s"
        )
