"""``python manage.py import_mandates FILE [--dry-run]``: import a national online-service list.

A thin shell over ``services.rollout.resources.mandates_import`` (CSV or XLSX, Vietnamese headers).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services.rollout.resources import ImportFileError, mandates_import


class Command(BaseCommand):
    help = "Nhập danh mục dịch vụ công trực tuyến quốc gia (QĐ 846/QĐ-TTg, 877/QĐ-TTg) từ tệp CSV hoặc XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi")

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Không có tệp {file}")
        fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        try:
            report = mandates_import(data=path.read_bytes(), fmt=fmt, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.summary())
        for error in report.errors:
            self.stderr.write(
                f"dòng {error.line}" + (f", cột {error.column}" if error.column else "") + f": {error.message}"
            )
        if report.written:
            self.stdout.write(f"Đã đối chiếu lại {report.matched} mục.")
        if report.errors:
            raise CommandError("Tệp có lỗi nên chưa ghi gì.")
