"""The Elasticsearch index of procedures (elasticsearch-dsl ``Document``).

One document per live, public procedure page (``search.indexing.prepare``). The index name
carries ``SEARCH_INDEX_PREFIX``; the application reads and writes through the alias
``<prefix>-procedures``, and a rebuild fills a new timestamped index and swaps the alias, so
searches never see a half-built index.
"""

from django.conf import settings
from elasticsearch_dsl import Boolean, Document, Keyword, Text, analyzer, normalizer, token_filter

from search.analysis import ANALYSIS

_fold_keep = token_filter("vi_fold_keep", **{k: v for k, v in ANALYSIS["filter"]["vi_fold_keep"].items()})
_edge = token_filter("vi_edge", **ANALYSIS["filter"]["vi_edge"])
vi_text = analyzer("vi_text", tokenizer="standard", filter=["lowercase", _fold_keep])
vi_accented = analyzer("vi_accented", tokenizer="standard", filter=["lowercase"])
vi_folded = analyzer("vi_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
vi_prefix = analyzer("vi_prefix", tokenizer="standard", filter=["lowercase", "asciifolding", _edge])
vi_keyword = normalizer("vi_keyword", filter=["lowercase", "asciifolding"])


def alias_name() -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-procedures"


class ProcedureDocument(Document):
    code = Keyword()
    provincial_code = Keyword()
    name = Text(
        analyzer=vi_text,
        fields={
            "accented": Text(analyzer=vi_accented),
            "folded": Text(analyzer=vi_folded),
            "suggest": Text(analyzer=vi_prefix, search_analyzer=vi_folded),
            "sort": Keyword(normalizer=vi_keyword),
        },
    )
    keywords = Text(analyzer=vi_text)
    fields = Text(analyzer=vi_text)
    agencies = Text(analyzer=vi_text)
    subjects = Text(analyzer=vi_text)
    body = Text(analyzer=vi_text)
    # Filled by search.indexing.prepare, not copy_to, so that it exists on every server.
    all_text = Text(analyzer=vi_folded)
    field_slugs = Keyword()
    agency_slugs = Keyword()
    tiers = Keyword()
    level = Keyword()
    level_label = Keyword()
    subject_keys = Keyword()
    online = Boolean()
    url = Keyword(index=False)

    class Index:
        name = "procedures"  # replaced per environment by index_for()
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def document_body(doc: dict) -> dict:
    """The JSON source stored for a prepared procedure (``search.indexing.prepare``)."""
    return {k: v for k, v in doc.items() if k != "id"}
