"""Database fallback search: the same folding, synonyms, filters and facets, scored in Python.

Candidates come from the database (every folded word, or every word of a synonym rewrite or
of a synonym's official phrase, among the entry's words; from three words on, also 75 % of the
words in the name, as Elasticsearch's partial match; quoted phrases in the folded text); scoring,
filtering and facet counts run in Python over those candidates, with the same rules the
Elasticsearch query encodes:
exact code first, then the words in the name as a phrase, words in the name, accent-exact
words, words anywhere, each synonym rewrite scored like the query itself. Words not in the
catalogue's vocabulary are corrected to the closest one (typos).
"""

import difflib
import html
import re
import time
from functools import reduce
from operator import and_, or_

from django.db.models import Case, IntegerField, Q, Value, When

from search.analysis import folded_words, has_accents, words
from search.queries import FACETS, SearchResult, bounded_page, parse, partial_match_count
from services.text import fold

VOCABULARY_TTL = 60.0
_WORD = re.compile(r"\w+")
_vocabulary = {"at": 0.0, "words": frozenset(), "list": []}


def vocabulary() -> frozenset:
    """Distinct folded words of all entries, refreshed at most once a minute."""
    from search.models import ProcedureSearchEntry

    if time.monotonic() - _vocabulary["at"] > VOCABULARY_TTL:
        found = set()
        for text in ProcedureSearchEntry.objects.values_list("words_folded", flat=True).iterator(chunk_size=2000):
            found.update(text.split())
        _vocabulary.update(at=time.monotonic(), words=frozenset(found), list=sorted(found))
    return _vocabulary["words"]


def reset_vocabulary() -> None:
    _vocabulary["at"] = 0.0


def corrected(tokens: list[str]) -> list[str]:
    """Each token, or the closest catalogue word when the token is not in the catalogue."""
    vocab = vocabulary()
    out = []
    for token in tokens:
        if token in vocab or len(token) < 4 or token.isdigit():
            out.append(token)
            continue
        close = difflib.get_close_matches(token, _vocabulary["list"], n=1, cutoff=0.75)
        out.append(close[0] if close else token)
    return out


def _contains_all(tokens):
    """Entries holding every word of ``tokens`` (anywhere: their distinct words are searched)."""
    return reduce(and_, (Q(words_folded__contains=f" {t} ") for t in tokens))


def _partial_match(qs, tokens):
    """``(queryset, condition)``: entries whose name holds at least :func:`partial_match_count`
    of the distinct ``tokens`` (Elasticsearch's partial match on the name, ``PARTIAL_MATCH``), or
    ``None`` under three words (a two-word query needs both words, as on Elasticsearch). On the
    name only: it finds "Cấp bản sao Trích lục hộ tịch" for "trích lục hộ tịc" and the work
    permit for "xin giấy phép lao động…", and costs little (a body-wide count scanned every
    entry's whole text: seconds at 50,000 procedures)."""
    distinct = list(dict.fromkeys(tokens))
    if len(distinct) < 3:
        return qs, None
    held = reduce(
        lambda total, t: total + Case(When(name_folded__contains=f" {t} ", then=Value(1)), default=Value(0)),
        distinct,
        Value(0, output_field=IntegerField()),
    )
    return qs.alias(words_held=held), Q(words_held__gte=partial_match_count(len(distinct)))


class DatabaseBackend:
    name = "database"

    def _candidates(self, parsed):
        from search.models import ProcedureSearchEntry

        qs = ProcedureSearchEntry.objects.all()
        alternatives = []
        plain = [t for t in corrected(parsed.folded) if t not in parsed.codes]
        if plain:
            alternatives.append(_contains_all(plain))
            qs, partial = _partial_match(qs, plain)
            if partial is not None:
                alternatives.append(partial)
        readings = [corrected(folded_words(r)) for r in parsed.rewrites]
        for reading in readings:
            alternatives.append(_contains_all(reading))
        for phrase in parsed.expansions:
            alternatives.append(_contains_all([fold(w) for w in words(phrase)]))
        for code in parsed.codes:
            alternatives.append(Q(code__startswith=code))
        if alternatives:
            qs = qs.filter(reduce(or_, alternatives))
        for phrase in parsed.phrases:  # quoted: the words side by side, in order
            qs = qs.filter(text_folded__contains=f" {' '.join(folded_words(phrase))} ")
        return (
            qs.values(
                "page_id",
                "code",
                "name",
                "url",
                "name_folded",
                "words_folded",
                "level_label",
                "agency_names",
                "field_names",
                "facets",
            ),
            plain,
            readings,
        )

    def search(self, params) -> SearchResult:
        parsed = parse(params.q)
        rows, plain, readings = self._candidates(parsed)
        rows = list(rows)
        accented = [w for w in parsed.tokens if has_accents(w)]
        # An official phrase that is also a rewrite (the term was the whole query) is scored as
        # the rewrite, as the Elasticsearch query does.
        expansions = [[fold(w) for w in words(p)] for p in parsed.expansions if p not in parsed.rewrites]
        readings = [plain, *readings] if plain else readings
        scored = []
        for row in rows:
            if any(row["facets"].get(name, []).count(value) == 0 for name, value in params.filters.items()):
                continue
            # The entry's distinct words, padded with spaces: " w " in it is the word w.
            scored.append((self._score(row, parsed, readings, accented, expansions, row["words_folded"]), row))
        if parsed.text:
            scored.sort(key=lambda item: (-item[0], item[1]["name_folded"]))
        else:
            scored.sort(key=lambda item: item[1]["name_folded"])
        count = len(scored)
        page, num_pages, message = bounded_page(count, params)
        start = (page - 1) * params.per_page
        results = [
            {
                "code": row["code"],
                "name": row["name"],
                "url": row["url"],
                "level": row["level_label"],
                "agency": row["agency_names"],
                "field": row["field_names"],
                "highlight": self._highlight(
                    row["name"], {w for r in readings for w in r} | {w for p in expansions for w in p}
                ),
            }
            for _, row in scored[start : start + params.per_page]
        ]
        facets = {}
        for name in FACETS:
            counts = {}
            for _, row in scored:
                for value in row["facets"].get(name, []):
                    counts[value] = counts.get(value, 0) + 1
            facets[name] = [{"value": v, "count": c} for v, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        return SearchResult(count, page, num_pages, results, facets, self.name, message=message)

    @staticmethod
    def _score(row, parsed, readings, accented, expansions, text_words) -> float:
        """Code, then each reading of the query (the words as typed, each synonym rewrite) scored
        alike and added up, as the clauses of the Elasticsearch query add up.

        Phrases are looked up as " a b " in the space-padded folded name (the same as comparing
        word lists, without splitting each candidate's name), words as " w " in the entry's
        space-padded distinct words (``text_words``), which include the name's.
        """
        score = 0.0
        for code in parsed.codes:
            if row["code"] == code:
                score += 1000
            elif row["code"].startswith(code):
                score += 200
        name = row["name_folded"]
        name_words = name.split()
        name_set = set(name_words)
        for reading in readings:
            in_name = sum(1 for t in reading if t in name_set)
            in_text = in_name + sum(1 for t in reading if t not in name_set and f" {t} " in text_words)
            score += 30 * in_name / len(reading) + 5 * in_text / len(reading)
            if f" {' '.join(reading)} " in name:
                score += 40
            if in_name == len(reading):
                score += 20
        if accented:
            # Names are stored normalised (NFC, look-alike Đ mapped): lower case is enough.
            name_accented = set(_WORD.findall(row["name"].lower()))
            score += 10 * sum(1 for w in accented if w in name_accented) / len(accented)
        for phrase in expansions:
            if f" {' '.join(phrase)} " in name:
                score += 45
            elif all(f" {w} " in text_words for w in phrase):
                score += 8
        # Of two equal matches, the shorter name is the more specific procedure.
        return score + 5 / (1 + len(name_words) / 10)

    @staticmethod
    def _highlight(name: str, folded_terms: set) -> str:
        out = []
        for token in name.split(" "):
            core = fold(token.strip(".,;:()\"'"))
            escaped = html.escape(token)
            out.append(f"<mark>{escaped}</mark>" if core and core in folded_terms else escaped)
        return " ".join(out)

    def suggest(self, text: str, limit: int) -> list[dict]:
        from search.models import ProcedureSearchEntry

        parsed = parse(text)
        prefixes = [t for t in parsed.folded if t not in parsed.codes]
        qs = ProcedureSearchEntry.objects.all()
        if parsed.codes:
            qs = qs.filter(code__startswith=parsed.codes[0])
        if prefixes:
            longest = max(prefixes, key=len)
            qs = qs.filter(name_folded__contains=f" {longest}")
        found = []
        for row in qs.values("code", "name", "url", "name_folded")[:2000]:
            name_words = row["name_folded"].split()
            if all(any(w.startswith(p) for w in name_words) for p in prefixes):
                starts = bool(prefixes) and row["name_folded"].lstrip().startswith(" ".join(prefixes))
                found.append((not starts, len(name_words), row))
        found.sort(key=lambda item: (item[0], item[1], item[2]["name_folded"]))
        return [{"code": r["code"], "name": r["name"], "url": r["url"]} for _, _, r in found[:limit]]
