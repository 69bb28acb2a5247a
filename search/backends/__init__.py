"""Search backends: Elasticsearch when configured and reachable, the database otherwise.

Both answer ``search(params) -> SearchResult`` and ``suggest(text, limit) -> list[dict]`` with
the same folding, synonyms, filters and facets; the shared test suite runs against both.
"""

import logging

from django.conf import settings

from search.backends.database import DatabaseBackend

logger = logging.getLogger(__name__)
_es_backend = None


def elasticsearch_backend():
    """The Elasticsearch backend when ``ELASTICSEARCH_URL`` is set, else ``None``."""
    global _es_backend
    url = settings.ELASTICSEARCH_URL
    if not url:
        return None
    if (
        _es_backend is None
        or _es_backend.url != url
        or _es_backend.prefix != settings.SEARCH_INDEX_PREFIX
        or _es_backend.query_timeout != settings.SEARCH_QUERY_TIMEOUT
    ):
        from search.backends.elastic import ElasticsearchBackend

        _es_backend = ElasticsearchBackend(url)
    return _es_backend


class FallbackBackend:
    """Elasticsearch with the database as a safety net for each call."""

    def __init__(self, primary, secondary):
        self.primary, self.secondary = primary, secondary

    def search(self, params):
        try:
            return self.primary.search(params)
        except Exception as exc:  # connection refused, timeout, 5xx: never a 500 for the citizen
            logger.warning("Elasticsearch search failed, answering from the database: %s", exc)
            result = self.secondary.search(params)
            result.degraded = True
            return result

    def suggest(self, text, limit):
        try:
            return self.primary.suggest(text, limit)
        except Exception as exc:
            logger.warning("Elasticsearch suggest failed, answering from the database: %s", exc)
            return self.secondary.suggest(text, limit)


def get_backend():
    """``(backend, degraded)``: degraded is True when Elasticsearch is configured but down."""
    es = elasticsearch_backend()
    if es is None:
        return DatabaseBackend(), False
    if not es.available():
        logger.warning("Elasticsearch at %s is unreachable: searching the database", es.url)
        return DatabaseBackend(), True
    return FallbackBackend(es, DatabaseBackend()), False
