"""Vietnamese text analysis for citizen search, shared by both backends.

The same Python normalisation runs on documents and on queries (NFC, look-alike Đ mapped,
lower case), because Elasticsearch without the ICU plugin cannot normalise Unicode itself and
a phone keyboard may send NFD (case C03). Elasticsearch then indexes every word twice at the
same position, accented and folded (``asciifolding`` with ``preserve_original``), so "giấy"
and "giay" both match and phrase queries keep working (cases C01, C02, C06); a second
sub-field keeps only the accented form, so an accented query ranks exact-accent matches first.
No stop-word filter: after folding "thẻ" is "the" and "nợ" is "no" (case C06).
"""

import re

from services.text import fold, normalize_text

#: Elasticsearch index settings (analysis) used by ``search.documents``.
ANALYSIS = {
    "filter": {
        "vi_fold_keep": {"type": "asciifolding", "preserve_original": True},
        "vi_edge": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
    },
    "analyzer": {
        # accented + folded tokens at one position: the main text analyzer
        "vi_text": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "vi_fold_keep"]},
        # accents kept: to rank exact-accent matches first
        "vi_accented": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
        # folded only: query side of autocomplete and typo-tolerant matching
        "vi_folded": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
        # folded prefixes of each word: index side of autocomplete
        "vi_prefix": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding", "vi_edge"]},
    },
    "normalizer": {"vi_keyword": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
}

_WORD = re.compile(r"\w+", re.UNICODE)
_CODE = re.compile(r"^\d\.\d{1,6}$")
_QUOTED = re.compile(r'"([^"]+)"')
MAX_QUERY_LENGTH = 200


def normalize_query(text: str | None) -> str:
    """Query text as documents are indexed: NFC, look-alike Đ mapped, spaces folded, bounded length."""
    return normalize_text(text or "").replace("\n", " ")[:MAX_QUERY_LENGTH].strip()


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` (accents kept)."""
    return [w.lower() for w in _WORD.findall(normalize_text(text))]


def folded_words(text: str) -> list[str]:
    return [fold(w) for w in words(text)]


def split_phrases(query: str) -> tuple[list[str], str]:
    """Quoted phrases and the rest: '"thẻ bảo hiểm" y tế' -> (["thẻ bảo hiểm"], "y tế")."""
    phrases = [p.strip() for p in _QUOTED.findall(query) if p.strip()]
    rest = _QUOTED.sub(" ", query).replace('"', " ")
    return phrases, " ".join(rest.split())


def code_like(token: str) -> bool:
    """A national code or a prefix of one: "2.000635", "1.0011"."""
    return bool(_CODE.match(token))


def has_accents(text: str) -> bool:
    return fold(text) != normalize_text(text).lower()
