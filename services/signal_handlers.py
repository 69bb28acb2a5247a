"""Keep Wagtail's own search index (admin search) and reference index current for procedures.

Editors' saves index one page after commit; imports mark their saves with ``_bulk_import`` and
index all written pages in one bulk call when ``catalogue_imported`` fires.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends

from services.models import ProcedurePage
from services.signals import catalogue_imported

logger = logging.getLogger(__name__)


def _index(pages):
    for backend in get_search_backends():
        try:
            backend.add_bulk(ProcedurePage, pages)
        except Exception:  # an index outage must never block an editor or an import
            logger.exception("Updating the Wagtail search index failed for %d procedure pages", len(pages))


@receiver(post_save, sender=ProcedurePage)
def index_procedure_on_save(sender, instance, raw=False, **kwargs):
    if raw or getattr(instance, "_bulk_import", False):
        return
    pk = instance.pk
    transaction.on_commit(lambda: _index(list(ProcedurePage.objects.filter(pk=pk))))


@receiver(post_delete, sender=ProcedurePage)
def unindex_procedure_on_delete(sender, instance, **kwargs):
    for backend in get_search_backends():
        try:
            backend.delete(instance)
        except Exception:
            logger.exception("Removing procedure %s from the Wagtail search index failed", instance.pk)


@receiver(catalogue_imported)
def index_imported_procedures(sender, page_ids, with_documents=(), **kwargs):
    def run():
        for start in range(0, len(page_ids), 500):
            _index(list(ProcedurePage.objects.filter(pk__in=page_ids[start : start + 500])))
        # Form templates are documents: record where they are used, as an editor's save would.
        for page in ProcedurePage.objects.filter(pk__in=with_documents):
            ReferenceIndex.create_or_update_for_object(page)

    transaction.on_commit(run)
