"""``python manage.py import_catalogue FILE [--source lamdong|dvcqg|bqp|native] [--dry-run]``."""

from django.core.management.base import BaseCommand, CommandError

from services.catalogue.readers import ReaderError
from services.catalogue.services import SOURCE_SCOPES, catalogue_get_or_create, catalogue_import


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục hành chính từ CSV/XLSX/JSON/JSONL (cập nhật theo mã thủ tục)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp (.csv, .xlsx, .json, .jsonl, có thể nén .gz)")
        parser.add_argument(
            "--source", choices=["lamdong", "dvcqg", "bqp", "native"], help="Nguồn dữ liệu (mặc định: tự nhận)"
        )
        parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx", "json", "jsonl"])
        parser.add_argument("--catalogue", help="Slug của trang danh mục đích (mặc định theo nguồn)")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi")
        parser.add_argument("--accept-valid-rows", action="store_true", help="Nhập các dòng hợp lệ dù tệp có dòng lỗi")
        parser.add_argument("--show", type=int, default=20, help="Số dòng lỗi tối đa in ra (mặc định 20)")

    def handle(self, *args, file, source, fmt, catalogue, dry_run, accept_valid_rows, show, **options):
        try:
            scope = SOURCE_SCOPES.get(source or "native", "provincial")
            target = catalogue_get_or_create(slug=catalogue, scope=scope)
            report = catalogue_import(
                source_file=file,
                catalogue=target,
                source=source,
                fmt=fmt,
                dry_run=dry_run,
                accept_valid_rows=accept_valid_rows,
            )
        except ReaderError as exc:
            raise CommandError(str(exc)) from exc
        if source is None and SOURCE_SCOPES.get(report.source) == "national" and catalogue is None:
            self.stderr.write(
                "Lưu ý: nguồn quốc gia được nhập vào danh mục của tỉnh; dùng --source để chọn danh mục quốc gia."
            )
        for row in report.errors[:show]:
            self.stderr.write(f"dòng {row.line} [{row.code}]: {row.message}")
        if len(report.errors) > show:
            self.stderr.write(f"… và {len(report.errors) - show} dòng lỗi khác")
        prefix = "[chạy thử] " if dry_run else ""
        self.stdout.write(f"{prefix}Nguồn: {report.source}. Danh mục: {target.url_path}. {report.summary()}")
        if report.aborted_reason and not dry_run:
            raise CommandError(report.aborted_reason)
