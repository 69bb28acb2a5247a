"""``python manage.py search_index rebuild|update``: (re)build the citizen search indexes.

``rebuild`` fills a new Elasticsearch index and swaps the alias (no downtime) and rewrites the
database fallback entries; ``update`` re-syncs every procedure in place.
"""

from django.core.management.base import BaseCommand, CommandError

from search.backends import elasticsearch_backend
from search.indexing import indexable_pages, prepare, sync_pages
from search.models import ProcedureSearchEntry
from services.models import ProcedurePage


class Command(BaseCommand):
    help = "Xây dựng lại chỉ mục tìm kiếm thủ tục (Elasticsearch và bảng dự phòng trong CSDL)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "update"])

    def handle(self, *args, action, **options):
        ids = list(ProcedurePage.objects.values_list("pk", flat=True))
        if action == "update":
            for start in range(0, len(ids), 1000):
                sync_pages(ids[start : start + 1000])
            self.stdout.write(f"Đã cập nhật {len(ids)} thủ tục.")
            return
        es = elasticsearch_backend()
        # Database entries first (they are the fallback), then the new Elasticsearch index.
        self._rebuild_database()
        if es is None:
            self.stdout.write("Chưa cấu hình ELASTICSEARCH_URL: chỉ dựng lại bảng tìm kiếm trong CSDL.")
            return
        try:
            index, count = es.rebuild(prepare(p) for p in indexable_pages().iterator(chunk_size=500))
        except Exception as exc:
            raise CommandError(f"Không dựng lại được chỉ mục Elasticsearch: {exc}") from exc
        self.stdout.write(f"Chỉ mục {index}: {count} thủ tục; bí danh {es.alias} đã chuyển sang.")

    def _rebuild_database(self):
        from django.db import transaction

        from search.indexing import entry_values

        with transaction.atomic():
            ProcedureSearchEntry.objects.all().delete()
            batch = []
            for page in indexable_pages().iterator(chunk_size=500):
                batch.append(ProcedureSearchEntry(page_id=page.pk, **entry_values(prepare(page))))
                if len(batch) >= 500:
                    ProcedureSearchEntry.objects.bulk_create(batch)
                    batch = []
            ProcedureSearchEntry.objects.bulk_create(batch)
        self.stdout.write(f"Bảng tìm kiếm trong CSDL: {ProcedureSearchEntry.objects.count()} thủ tục.")
