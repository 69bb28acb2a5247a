"""Citizen search requests: parsing, synonyms, the Elasticsearch query, pagination bounds.

Views call :func:`search_procedures` and :func:`suggest_procedures`; they pick the backend
(Elasticsearch, or the database when it is not configured or not reachable) and return the
same shapes either way.
"""

import math
import re
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
#: A provincial code as the province's portal prints it: the national base code followed by
#: the province's suffix ("1.003695.000.00.00.H36", "1.012275.H36"). Citizens copy it from
#: the portal; it stands for its national base code (the code the catalogue is keyed on).
PROVINCIAL_CODE = re.compile(r"^(\d\.\d{6})\.[0-9A-Za-z.]*[0-9A-Za-z]$")


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
    #: The query (outside quotes) with a synonym term replaced by one of its official phrases,
    #: one string per (term, phrase): "CCHN dược" -> "chứng chỉ hành nghề dược". Both backends
    #: treat each as another reading of the query, so the citizen's other words still count.
    rewrites: list[str] = field(default_factory=list)


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

        table = []
        for synonym in SearchSynonym.objects.filter(active=True):
            term_words = words(synonym.term)
            # Folded word by word, as queries are (folded_words), once here rather than per query.
            table.append((" ".join(term_words), " ".join(fold(w) for w in term_words), synonym.expansion_list))
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


def synonym_rewrites(text: str) -> list[str]:
    """The query with each synonym term it holds replaced by each of the term's official phrases,
    and, when it holds several terms, with all of them replaced (each by its first phrase).

    Same matching rule as :func:`expand_synonyms` (whole words; an accented query must carry the
    term's own accents): "mất sổ đỏ" -> ["mất giấy chứng nhận quyền sử dụng đất", "mất đăng ký
    đất đai"]; "cấp đổi GCN QSDĐ" -> [..., "cấp đổi giấy chứng nhận quyền sử dụng đất"].
    Expanding a term alone ("CCHN" -> "chứng chỉ hành nghề") would rank every practising
    certificate alike for "CCHN dược"; the rewrite keeps "dược" in the query.
    """
    accented = words(text)
    folded = folded_words(text)
    check_accents = has_accents(text)
    found = []  # (start, length, official phrases) of each term, first occurrence
    for term, term_folded, phrases in synonym_table():
        term_words = term.split()
        key = term_folded.split()
        n = len(key)
        for i in range(len(folded) - n + 1):
            if folded[i : i + n] == key and not (check_accents and accented[i : i + n] != term_words):
                found.append((i, n, phrases))
                break
    # A term inside a longer one found ("sổ đỏ" in "sang tên sổ đỏ") yields to it.
    found = [(i, n, p) for i, n, p in found if not any(m > n and j <= i and i + n <= j + m for j, m, _ in found)]
    out = []
    for i, n, phrases in found:
        for phrase in phrases:
            rewrite = " ".join([*accented[:i], phrase, *accented[i + n :]])
            if rewrite not in out:
                out.append(rewrite)
    # All terms at once: longest first, skipping a term that overlaps one already replaced.
    chosen = []
    for i, n, phrases in sorted(found, key=lambda f: (-f[1], f[0])):
        if all(i + n <= j or j + m <= i for j, m, _ in chosen):
            chosen.append((i, n, phrases))
    if len(chosen) > 1:
        parts, position = [], 0
        for i, n, phrases in sorted(chosen):
            parts += [*accented[position:i], phrases[0]]
            position = i + n
        combined = " ".join([*parts, *accented[position:]])
        if combined not in out:
            out.append(combined)
    return out


def parse(text: str) -> ParsedQuery:
    text = normalize_query(text)
    # Provincial codes stand for their national base code and are not words of the query.
    provincial = [m.group(1) for m in map(PROVINCIAL_CODE.match, text.split()) if m]
    searched = " ".join(t for t in text.split() if not PROVINCIAL_CODE.match(t)) if provincial else text
    phrases, rest = split_phrases(searched)
    tokens = words(rest)
    folded = folded_words(searched)
    codes = [t for t in searched.split() if code_like(t)]
    codes += [c for c in provincial if c not in codes]
    return ParsedQuery(
        text, phrases, rest, tokens, folded, codes, expand_synonyms(searched), synonym_rewrites(rest) if rest else []
    )


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
#: How many of a query's words a partial match in the name must hold (Elasticsearch
#: ``minimum_should_match`` syntax): every word of a one- or two-word query, 75 % (rounded down)
#: from three words on. A partial match forgives a filler word ("xin", "làm") or a typo too
#: short to correct; two-word queries stay strict, or "giấy phép" would match every name with
#: "giấy". The database fallback applies the same rule (:func:`partial_match_count`).
PARTIAL_MATCH = "2<75%"


def partial_match_count(n: int) -> int:
    """Words (of ``n``) a partial match must hold: :data:`PARTIAL_MATCH` computed in Python."""
    return n if n <= 2 else math.floor(n * 0.75)


def typo_allowance(word: str) -> int:
    """Edits forgiven in a word, as Elasticsearch's ``AUTO:4,7``: none under 4 letters, 1 up to 6, then 2."""
    return 0 if len(word) < 4 else 1 if len(word) < 7 else 2


def _name_phrase(text: str, boost: float, fuzzy: bool):
    """The words of ``text`` side by side and in order in the (folded) name, each within its typo
    allowance when ``fuzzy``: "dang ky khai sinhh" matches "Thủ tục đăng ký khai sinh" but not
    "Đăng ký lại khai sinh". The database fallback scores the same contiguous phrase of its
    typo-corrected words (``DatabaseBackend._score``). ``None`` for fewer than two words."""
    folded = folded_words(text)
    if len(folded) < 2:
        return None
    clauses = []
    for word in folded:
        edits = typo_allowance(word) if fuzzy else 0
        if edits:
            fuzzy_word = {"fuzzy": {"name.folded": {"value": word, "fuzziness": edits, "prefix_length": 1}}}
            clauses.append({"span_multi": {"match": fuzzy_word}})
        else:
            clauses.append({"span_term": {"name.folded": word}})
    return Q("span_near", clauses=clauses, slop=0, in_order=True, boost=boost)


def _reading_clauses(text: str, typed: bool) -> list:
    """Clauses for one reading of the query: the words as typed (``typed``) or a synonym rewrite.

    Every word somewhere (AND across fields, the name weighing most); the words as a phrase in
    the name, with one word of slack; the words side by side in the name. The words as typed
    also match partially: all (or, from three words, 75 %) of them in the name, each within
    its typo allowance.
    """
    clauses = [
        Q("multi_match", query=text, fields=TEXT_FIELDS, type="cross_fields", operator="and", boost=3),
        Q("match_phrase", name={"query": text, "slop": 1, "boost": 6}),
    ]
    if typed:
        # Partial match on the name only (the database fallback applies the same rule): a
        # partial match over all the text mostly adds noise (and "giay phep" would match "giải
        # … pháp" in any body with fuzziness).
        name_words = {"query": text, "fuzziness": "AUTO:4,7", "prefix_length": 1, "minimum_should_match": PARTIAL_MATCH}
        clauses.append(Q("match", **{"name.folded": {**name_words, "boost": 1.5}}))
    adjacent = _name_phrase(text, boost=4, fuzzy=typed)
    if adjacent is not None:
        clauses.append(adjacent)
    return clauses


def es_query(parsed: ParsedQuery):
    """The relevance query: codes first, then the name, then everything else.

    - an exact national code (or the base code of a provincial code) scores far above any text
      match; a code prefix next;
    - every word must match somewhere (AND across fields), the name counting four times the
      body; a partial match in the name (all but a quarter of the words, from three words on,
      typos forgiven) counts a little;
    - the words as a phrase in the name add more, side by side (typos forgiven) more again;
      accent-exact words add more;
    - a synonym term rewrites the query into official words ("CCHN dược" -> "chứng chỉ hành
      nghề dược"), scored like the query itself; the official phrase alone in the name counts
      too (``bằng lái`` -> "giấy phép lái xe");
    - quoted phrases are required.
    """
    should = []
    for code in parsed.codes:
        should.append(Q("term", code={"value": code, "boost": 1000}))
        should.append(Q("prefix", code={"value": code, "boost": 200}))
    if parsed.rest:
        should += _reading_clauses(parsed.rest, typed=True)
    for rewrite in parsed.rewrites:
        should += _reading_clauses(rewrite, typed=False)
    for phrase in parsed.expansions:
        if phrase in parsed.rewrites:  # the term was the whole query: the rewrite covers it
            continue
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
    # A fallback inside the request (the server failed mid-search) has already set degraded.
    result.degraded = result.degraded or degraded
    return result


def suggest_procedures(q: str, limit: int = 8) -> list[dict]:
    """Up to ``limit`` ``{code, name, url}`` for what a citizen has typed (2 characters or more)."""
    from search.backends import get_backend

    text = normalize_query(q)
    if len(fold(text).replace(" ", "")) < 2:
        return []
    backend, _ = get_backend()
    return backend.suggest(text, limit)
