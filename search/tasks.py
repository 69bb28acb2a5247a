"""Background tasks keeping the search indexes in step (django-tasks).

Each task retries the Elasticsearch part a few times with a growing pause, logs every failure,
and never raises into an editor's request: the database entries are written first, so the
fallback is current even while Elasticsearch is down.
"""

import logging
import time

from django_tasks import task

logger = logging.getLogger(__name__)
RETRIES = 3
BACKOFF_SECONDS = 0.5


@task()
def sync_procedures(page_ids: list[int]) -> int:
    """Index (or remove) the procedure pages ``page_ids`` in both indexes; returns attempts used."""
    from search.indexing import sync_pages

    for attempt in range(1, RETRIES + 1):
        try:
            sync_pages(page_ids)
            return attempt
        except Exception:
            logger.exception(
                "Search index update failed (attempt %d of %d) for %d pages", attempt, RETRIES, len(page_ids)
            )
            if attempt < RETRIES:
                time.sleep(BACKOFF_SECONDS * attempt)
    logger.error("Search index update gave up for pages %s; run 'manage.py search_index update'", page_ids[:20])
    return RETRIES


def enqueue_sync(page_ids) -> None:
    """Enqueue a sync after the current transaction commits (never inside it)."""
    from django.db import transaction

    ids = sorted({int(i) for i in page_ids})
    if not ids:
        return

    def run():
        try:
            for start in range(0, len(ids), 1000):
                sync_procedures.enqueue(ids[start : start + 1000])
        except Exception:  # a broken queue must not break a publish
            logger.exception("Could not enqueue the search index update for %d pages", len(ids))

    transaction.on_commit(run)
