"""``python manage.py export_catalogue [--catalogue SLUG] --format csv|xlsx|json|jsonl [-o FILE]``."""

import sys

from django.core.management.base import BaseCommand, CommandError

from services.catalogue.services import catalogue_export
from services.models import ProcedureIndexPage


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục theo định dạng của cổng (nhập lại sẽ được đúng danh mục này)."

    def add_arguments(self, parser):
        parser.add_argument("--catalogue", default="thu-tuc-hanh-chinh", help="Slug của trang danh mục")
        parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx", "json", "jsonl"], default="csv")
        parser.add_argument("-o", "--output", help="Tệp ghi ra (mặc định: đầu ra chuẩn)")

    def handle(self, *args, catalogue, fmt, output, **options):
        root = ProcedureIndexPage.objects.filter(slug=catalogue).first()
        if root is None:
            raise CommandError(f"Không có danh mục với slug {catalogue!r}.")
        data = catalogue_export(catalogue=root, fmt=fmt)
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
            self.stderr.write(f"Đã ghi {output} ({len(data)} byte).")
        else:
            sys.stdout.buffer.write(data)
