"""``python manage.py load_demo``: the team's demo catalogue and a demo administrator."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from services.demo.loader import load_demo


class Command(BaseCommand):
    help = "Nạp danh mục trình diễn (cơ quan, lĩnh vực, mẫu đơn, thủ tục, hướng dẫn) và tài khoản quản trị demo."

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Không tạo tài khoản quản trị demo")

    def handle(self, *args, no_admin, **options):
        report = load_demo()
        self.stdout.write(f"Thủ tục demo: {report.summary()}")
        if report.errors:
            for row in report.errors:
                self.stderr.write(f"dòng {row.line}: {row.message}")
        if not no_admin:
            username = os.environ.get("DEMO_ADMIN_USER", "admin")
            password = os.environ.get("DEMO_ADMIN_PASSWORD", "dichvucong-demo")
            User = get_user_model()
            if not User.objects.filter(username=username).exists():
                User.objects.create_superuser(username=username, email="admin@example.invalid", password=password)
                self.stdout.write(f"Tài khoản quản trị demo: {username} / {password}")
