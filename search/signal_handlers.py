"""Publish, unpublish, move and delete of procedure pages update the search indexes after commit.

Imports announce their pages once through ``services.signals.catalogue_imported`` and are
indexed in bulk.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.models import SearchSynonym
from search.tasks import enqueue_sync
from services.models import ProcedurePage
from services.signals import catalogue_imported


@receiver(page_published)
@receiver(page_unpublished)
def on_publish_change(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, ProcedurePage):
        enqueue_sync([instance.pk])


@receiver(post_page_move)
def on_move(sender, instance, **kwargs):
    # A move changes the URL of the page and of any descendants that are procedures.
    ids = ProcedurePage.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
    enqueue_sync(list(ids))


@receiver(post_delete, sender=ProcedurePage)
def on_delete(sender, instance, **kwargs):
    enqueue_sync([instance.pk])


@receiver(catalogue_imported)
def on_import(sender, page_ids, **kwargs):
    enqueue_sync(page_ids)


@receiver(post_save, sender=SearchSynonym)
@receiver(post_delete, sender=SearchSynonym)
def on_synonym_change(sender, **kwargs):
    from django.core.cache import cache

    from search.queries import SYNONYM_CACHE_KEY

    cache.delete(SYNONYM_CACHE_KEY)
