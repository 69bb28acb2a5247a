"""``python manage.py load_evaluation_demo``: rated demo dossiers and an agency's self-assessments.

Run after ``load_demo`` (it needs the demo catalogue's online forms). A thin shell over
``evaluation.demo.load_evaluation_demo``; running it again adds nothing.
"""

from django.core.management.base import BaseCommand

from evaluation.demo import load_evaluation_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu đánh giá trình diễn: đánh giá của người dân cho vài hồ sơ đã trả kết quả và tự đánh giá của cơ quan."

    def handle(self, *args, **options):
        created = load_evaluation_demo()
        self.stdout.write(
            f"Đánh giá của người dân: {created['evaluations']} mới; tự đánh giá của cơ quan: {created['self_assessments']} mới"
        )
