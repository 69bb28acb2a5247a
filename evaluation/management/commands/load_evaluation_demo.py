"""``python manage.py load_evaluation_demo``: a published quarter to look at and dossiers to rate.

Run after ``load_demo`` (it needs the demo catalogue's online forms and the demo administrator).
A thin shell over ``evaluation.demo.load_evaluation_demo``; running it again adds nothing. It
ends by printing the current quarter's returned dossiers nobody has rated yet, with the
applicant's id number, to type at ``/danh-gia/``.
"""

from django.core.management.base import BaseCommand

from evaluation.demo import load_evaluation_demo


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu đánh giá trình diễn: quý trước đã đánh giá, tự đánh giá và công bố kết quả; "
        "vài hồ sơ quý này đã trả kết quả, chưa đánh giá, để thử."
    )

    def handle(self, *args, **options):
        created = load_evaluation_demo()
        self.stdout.write(
            f"Hồ sơ trình diễn: {created['dossiers']} mới; đánh giá của người dân: {created['evaluations']} mới; "
            f"tự đánh giá của cơ quan: {created['self_assessments']} mới; "
            f"kỳ công bố: {created['published']} mới"
        )
        if created["to_rate"]:
            self.stdout.write("Hồ sơ chưa đánh giá, thử tại /danh-gia/ (mã hồ sơ — số giấy tờ của người nộp):")
            for code, id_number in created["to_rate"]:
                self.stdout.write(f"  {code} — {id_number}")
        else:
            self.stdout.write("Không còn hồ sơ trình diễn nào chưa đánh giá.")
