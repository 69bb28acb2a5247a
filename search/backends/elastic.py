"""Elasticsearch backend (elasticsearch-dsl) with alias-swapping rebuilds.

Two timeouts: a citizen's query gives up after ``SEARCH_QUERY_TIMEOUT`` seconds (the database
then answers, flagged degraded); writes (rebuilds, publish/import syncs) run in the background
and wait up to :data:`BULK_TIMEOUT` seconds per request, because a 500-document bulk request
can take longer than a citizen should ever wait.
"""

import logging
import time

from django.conf import settings
from django.utils import timezone
from elasticsearch import Elasticsearch, helpers
from elasticsearch_dsl import Q, Search

from search.analysis import ANALYSIS
from search.documents import ProcedureDocument, alias_name, document_body
from search.queries import FACET_FIELDS, FACETS, SearchResult, bounded_page, es_query, parse

logger = logging.getLogger(__name__)
AVAILABILITY_TTL = 5.0  # seconds a reachability answer is trusted
BULK_TIMEOUT = 60.0  # seconds per write request (bulk, create, refresh, alias swap, delete)
BULK_CHUNK = 500  # documents per bulk request


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str):
        self.url = url
        self.prefix = settings.SEARCH_INDEX_PREFIX
        self.query_timeout = settings.SEARCH_QUERY_TIMEOUT
        # A timeout is not retried: the citizen gets the database answer instead.
        self.client = Elasticsearch(url, request_timeout=self.query_timeout, max_retries=1, retry_on_timeout=False)
        self._available_at = (0.0, False)

    @property
    def writer(self) -> Elasticsearch:
        """The client for index writes: the same connection, :data:`BULK_TIMEOUT` per request."""
        return self.client.options(request_timeout=BULK_TIMEOUT)

    # -- index management ------------------------------------------------------------------

    @property
    def alias(self) -> str:
        return alias_name()

    def available(self) -> bool:
        checked_at, ok = self._available_at
        if time.monotonic() - checked_at < AVAILABILITY_TTL:
            return ok
        try:
            ok = bool(self.client.options(request_timeout=1).ping())
        except Exception:
            ok = False
        self._available_at = (time.monotonic(), ok)
        return ok

    def index_body(self) -> dict:
        mapping = ProcedureDocument._doc_type.mapping.to_dict()
        return {
            "settings": {"number_of_shards": 1, "number_of_replicas": 0, "analysis": ANALYSIS},
            "mappings": mapping,
        }

    def create_index(self) -> str:
        name = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        self.writer.indices.create(index=name, **self.index_body())
        return name

    def ensure_index(self) -> None:
        if not self.writer.indices.exists_alias(name=self.alias):
            self.writer.indices.put_alias(index=self.create_index(), name=self.alias)

    def rebuild(self, docs) -> tuple[str, int]:
        """Fill a new index with ``docs`` (an iterable of prepared documents), then point the
        alias at it in one atomic action and drop the old indexes. Returns (index, count).

        If anything fails before the alias moves (a bulk request, a document refused, ``docs``
        itself raising), the new index is deleted and the error re-raised: the alias keeps
        pointing at the old index, and no half-filled index is left behind.
        """
        writer = self.writer
        new = self.create_index()
        try:
            count = 0
            for ok, _ in helpers.streaming_bulk(
                writer, (self._action(d, new) for d in docs), chunk_size=BULK_CHUNK, raise_on_error=True
            ):
                count += ok
            writer.indices.refresh(index=new)
            old = (
                list(writer.indices.get_alias(name=self.alias)) if writer.indices.exists_alias(name=self.alias) else []
            )
            actions = [{"remove": {"index": i, "alias": self.alias}} for i in old] + [
                {"add": {"index": new, "alias": self.alias}}
            ]
            writer.indices.update_aliases(actions=actions)
        except BaseException:
            logger.warning("Search index rebuild failed: deleting the new index %s; %s is unchanged", new, self.alias)
            try:
                writer.indices.delete(index=new, ignore_unavailable=True)
            except Exception:
                logger.exception("Could not delete the half-built search index %s", new)
            raise
        for index in old:
            writer.indices.delete(index=index)
        return new, count

    def _action(self, doc: dict, index: str) -> dict:
        return {"_index": index, "_id": str(doc["id"]), "_source": document_body(doc)}

    def index_documents(self, docs: list[dict]) -> None:
        if not docs:
            return
        self.ensure_index()
        helpers.bulk(
            self.writer, (self._action(d, self.alias) for d in docs), chunk_size=BULK_CHUNK, refresh="wait_for"
        )

    def delete_documents(self, ids) -> None:
        if not ids:
            return
        self.ensure_index()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": str(i)} for i in ids)
        helpers.bulk(self.writer, actions, chunk_size=BULK_CHUNK, raise_on_error=False, refresh="wait_for")

    # -- queries ---------------------------------------------------------------------------

    def _search(self):
        return Search(using=self.client, index=self.alias)

    def search(self, params) -> SearchResult:
        parsed = parse(params.q)
        s = self._search().query(es_query(parsed))
        for name, value in params.filters.items():
            s = s.filter("term", **{FACET_FIELDS[name]: value})
        for name in FACETS:
            s.aggs.bucket(name, "terms", field=FACET_FIELDS[name], size=100)
        s = s.highlight(
            "name", "body", fragment_size=160, number_of_fragments=1, pre_tags=["<mark>"], post_tags=["</mark>"]
        )
        s = s.extra(track_total_hits=True)
        if not parsed.text:
            s = s.sort("name.sort")
        count_response = s[0:0].execute()
        count = count_response.hits.total.value
        page, num_pages, message = bounded_page(count, params)
        start = (page - 1) * params.per_page
        response = s[start : start + params.per_page].execute()
        results = []
        for hit in response:
            highlight = getattr(hit.meta, "highlight", None)
            fragment = ""
            if highlight is not None:
                fragment = (getattr(highlight, "name", None) or getattr(highlight, "body", None) or [""])[0]
            results.append(
                {
                    "code": hit.code,
                    "name": hit.name,
                    "url": hit.url,
                    "level": hit.level_label,
                    "agency": "; ".join(hit.agencies or []),
                    "field": "; ".join(hit.fields or []),
                    "highlight": fragment,
                }
            )
        facets = {
            name: [{"value": b.key, "count": b.doc_count} for b in count_response.aggregations[name].buckets]
            for name in FACETS
        }
        return SearchResult(count, page, num_pages, results, facets, self.name, message=message)

    def suggest(self, text: str, limit: int) -> list[dict]:
        parsed = parse(text)
        should = [Q("match", **{"name.suggest": {"query": text, "operator": "and"}})]
        should += [Q("prefix", code={"value": c, "boost": 10}) for c in parsed.codes]
        s = self._search().query(Q("bool", should=should, minimum_should_match=1)).source(["code", "name", "url"])
        return [{"code": h.code, "name": h.name, "url": h.url} for h in s[:limit].execute()]
