"""``python manage.py load_rollout_demo``: the roll-out planning demo (after ``load_demo``)."""

from django.core.management.base import BaseCommand

from services.rollout.demo import load_rollout_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn kế hoạch DVC trực tuyến (danh mục quốc gia mẫu, đề xuất, kế hoạch 2019–2020)."

    def handle(self, *args, **options):
        result = load_rollout_demo()
        for key, value in result.items():
            self.stdout.write(f"{key}: {value}")
