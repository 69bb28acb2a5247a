"""Citizen search requests: parsing, synonyms, the Elasticsearch query, pagination bounds.

Views call :func:`search_procedures` and :func:`suggest_procedures`; they pick the backend
(Elasticsearch, or the database when it is not configured or not reachable) and return the
same shapes either way.
"""

import math
from dataclasses import dataclass, field

from django.core.cache import cache
from elasticsearch_dsl import Q

from search.analysis import code_like, folded_words, has_accents, normalize_query, split_phrases, words
from services.text import fold

PER_PAGE = 10
MAX_PER_PAGE = 50
#: Elasticsearch's default ``index.max_result_window``; no page beyond it is served (case C08).
MAX_WINDOW = 10_000
FACETS = ("field", "agency", "tier", "level", "subject")
FACET_FIELDS = {
    "field": "field_slugs",
    "agency": "agency_slugs",
    "tier": "tiers",
    "level": "level",
    "subject": "subject_keys",
}
SYNONYM_CACHE_KEY = "search:synonyms:v1"


class InvalidSearch(ValueError):
    """A request that cannot be answered (bad page number…); message in Vietnamese, HTTP 400."""


@dataclass
class SearchParams:
    q: str = ""
    filters: dict = field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE

    @classmethod
    def from_querydict(cls, data) -> "SearchParams":
        """Read ``q``, the facet filters, ``page`` and ``per_page``; raise InvalidSearch on bad numbers."""
        try:
            page = int(data.get("page") or 1)
            per_page = int(data.get("per_page") or PER_PAGE)
        except (TypeError, ValueError):
            raise InvalidSearch("Số trang phải là số nguyên dương.") from None
        if page < 1 or per_page < 1 or per_page > MAX_PER_PAGE:
            raise InvalidSearch(f"Số trang phải từ 1; mỗi trang từ 1 đến {MAX_PER_PAGE} kết quả.")
        filters = {name: str(data.get(name)).strip()[:120] for name in FACETS if data.get(name)}
        return cls(q=normalize_query(data.get("q")), filters=filters, page=page, per_page=per_page)


@dataclass
class ParsedQuery:
    text: str
    phrases: list[str]
    rest: str
    tokens: list[str]
    folded: list[str]
    codes: list[str]
    expansions: list[str]


@dataclass
class SearchResult:
    count: int
    page: int
    num_pages: int
    results: list[dict]
    facets: dict
    backend: str
    degraded: bool = False
    message: str = ""
    suggestions: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "page": self.page,
            "num_pages": self.num_pages,
            "results": self.results,
            "facets": self.facets,
            "backend": self.backend,
            "degraded": self.degraded,
            "message": self.message,
        }


def synonym_table() -> list[tuple[str, str, list[str]]]:
    """``(term words, folded term words, official phrases)``, cached until a synonym changes."""
    table = cache.get(SYNONYM_CACHE_KEY)
    if table is None:
        from search.models import SearchSynonym

        table = [
            (" ".join(words(s.term)), s.term_key, s.expansion_list) for s in SearchSynonym.objects.filter(active=True)
        ]
        cache.set(SYNONYM_CACHE_KEY, table, 3600)
    return table


def expand_synonyms(text: str) -> list[str]:
    """Official phrases for every synonym term that occurs as whole words in the query.

    An unaccented query matches the folded term ("so do" -> "sổ đỏ"); an accented query must
    carry the term's own accents, so "sơ đồ" does not expand to "sổ đỏ".
    """
    accented = f" {' '.join(words(text))} "
    folded = f" {' '.join(folded_words(text))} "
    out = []
    for term, term_folded, phrases in synonym_table():
        if f" {term_folded} " not in folded:
            continue
        if has_accents(text) and f" {term} " not in accented:
            continue
        out.extend(p for p in phrases if p not in out)
    return out


def parse(text: str) -> ParsedQuery:
    text = normalize_query(text)
    phrases, rest = split_phrases(text)
    tokens = words(rest)
    folded = folded_words(text)
    codes = [t for t in text.split() if code_like(t)]
    return ParsedQuery(text, phrases, rest, tokens, folded, codes, expand_synonyms(text))


def bounded_page(count: int, params: SearchParams) -> tuple[int, int, str]:
    """(page to serve, number of pages, message): a page past the end serves the last one (C08)."""
    reachable = min(count, MAX_WINDOW)
    num_pages = max(1, math.ceil(reachable / params.per_page))
    if params.page > num_pages:
        message = f"Chỉ có {num_pages} trang kết quả; đang hiển thị trang cuối."
        if count > MAX_WINDOW:
            message = f"Chỉ xem được {MAX_WINDOW} kết quả đầu; hãy thêm từ khóa hoặc bộ lọc. Đang hiển thị trang cuối."
        return num_pages, num_pages, message
    return params.page, num_pages, ""


# -- Elasticsearch ----------------------------------------------------------------------------

TEXT_FIELDS = ["name^4", "name.accented^2", "keywords^2", "fields^1.5", "agencies", "subjects", "body^0.5"]


def es_query(parsed: ParsedQuery):
    """The relevance query: codes first, then the name, then everything else.

    - an exact national code scores far above any text match; a code prefix next;
    - every word must match somewhere (AND across fields), with typo tolerance on the
      folded sub-field; the name counts four times the body;
    - the words as a phrase in the name add more; accent-exact words add more;
    - synonyms ("bằng lái" -> "giấy phép lái xe") are alternatives, as phrases on the name;
    - quoted phrases are required.
    """
    should = []
    for code in parsed.codes:
        should.append(Q("term", code={"value": code, "boost": 1000}))
        should.append(Q("prefix", code={"value": code, "boost": 200}))
    if parsed.rest:
        should.append(
            Q("multi_match", query=parsed.rest, fields=TEXT_FIELDS, type="cross_fields", operator="and", boost=3)
        )
        should.append(
            Q(
                "match",
                **{
                    "name.folded": {
                        "query": parsed.rest,
                        "fuzziness": "AUTO:4,7",
                        "prefix_length": 1,
                        "operator": "and",
                        "boost": 1.5,
                    }
                },
            )
        )
        should.append(
            Q(
                "match",
                **{
                    "all_text": {
                        "query": parsed.rest,
                        "fuzziness": "AUTO:4,7",
                        "prefix_length": 1,
                        "minimum_should_match": "75%",
                        "boost": 0.3,
                    }
                },
            )
        )
        should.append(Q("match_phrase", name={"query": parsed.rest, "slop": 1, "boost": 6}))
    for phrase in parsed.expansions:
        should.append(Q("match_phrase", name={"query": phrase, "slop": 1, "boost": 5}))
        should.append(Q("multi_match", query=phrase, fields=TEXT_FIELDS, operator="and", boost=1.5))
    must = [Q("multi_match", query=p, fields=["name", "keywords", "body"], type="phrase") for p in parsed.phrases]
    if not should and not must:
        return Q("match_all")
    return Q("bool", should=should, must=must, minimum_should_match=1 if should else 0)


def search_procedures(params: SearchParams) -> SearchResult:
    from search.backends import get_backend

    backend, degraded = get_backend()
    result = backend.search(params)
    result.degraded = degraded
    return result


def suggest_procedures(q: str, limit: int = 8) -> list[dict]:
    """Up to ``limit`` ``{code, name, url}`` for what a citizen has typed (2 characters or more)."""
    from search.backends import get_backend

    text = normalize_query(q)
    if len(fold(text).replace(" ", "")) < 2:
        return []
    backend, _ = get_backend()
    return backend.suggest(text, limit)
