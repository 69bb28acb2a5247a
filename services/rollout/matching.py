"""Matching national-list items to the province's catalogue procedures (đối chiếu danh mục).

By code first: an item that carries a national code ``d.dddddd`` (or a provincial instance code,
whose first two dot parts are the base code) is matched to the live provincial procedure with
that code, score 100, method ``code``.

By name otherwise (the 2017–2018 lists predate stable codes). Both names are put in one *match
key*: ``services.text.fold`` (lower case, accents off, look-alike Đ mapped, NFC/NFD alike), the
leading word "thủ tục" dropped, punctuation turned into spaces. The score (0–100) is the larger of

- ``token_sort_ratio``: edit similarity of the two word lists sorted, so word order does not
  matter ("cấp lại giấy phép lái xe" vs "giấy phép lái xe, cấp lại");
- 90 when every word of the list's name is in the catalogue name, so the short names of the
  national lists ("Cấp phiếu lý lịch tư pháp") reach the catalogue's longer ones ("… cho công dân
  Việt Nam, người nước ngoài…"); 90, not 100, because containment also holds for a different,
  more specific procedure ("đăng ký khai sinh" ⊂ "đăng ký lại khai sinh"). Only in that
  direction, and on the words *with* their accents when the item has accents: folded, "lái" and
  "lại" or "hộ" and "hỗ" are one word, and "Tách hộ" would be "contained" in "… chia, tách trung
  tâm hỗ trợ…". An item typed without accents is compared folded.

Thresholds, measured with ``bench/rollout_matching.py`` (the ministries' 2,642 national
procedures matched by name alone against the 1,294 Lâm Đồng procedures, codes as ground truth;
figures in docs/rollout.md) and checked by hand on the sample list (tests/rollout/
test_matching.py):

- ``AUTO_SCORE`` 95 and a lead of ``AUTO_GAP`` 3 points over the second candidate: the match is
  taken (method ``name``), relied on by the checks, still listed for review until confirmed.
  Precision 90 % (214 right, 23 wrong, 11 of them a procedure of the same name under another
  code), recall 64.5 % of the 332 that have an answer; at 90 / 5 precision fell to 78 %, because
  issuing vs re-issuing ("cấp" / "cấp lại") or a branch vs the head office differ by one word.
  "đăng ký khai sinh" against "Thủ tục đăng ký khai sinh" scores 100 and "đăng ký lại khai
  sinh" 90: a clear lead.
- ``SUGGEST_SCORE`` 75 up to the automatic rule: the best candidate is kept as a suggestion
  (method ``name``) that an administrator must confirm; the duplication check ignores it.
  "đăng ký thường trú" vs "đăng ký tạm trú" scores 78.8; "Cấp phiếu lý lịch tư pháp" reaches the
  catalogue's longer name at 90: both wait for a person.
- under 75: no match (method ``none``); "đăng ký kết hôn" vs "đăng ký khai sinh" scores 56.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz, process

from services.text import fold, normalize_text

AUTO_SCORE = 95.0
AUTO_GAP = 3.0
SUGGEST_SCORE = 75.0
CONTAINED_SCORE = 90.0

_CODE = re.compile(r"^\s*(\d+\.\d{6})")
_PUNCT = re.compile(r"[^\w\s]+")
_LEADING = re.compile(r"^(thu tuc|tthc)\s+")
_LEADING_ACCENTED = re.compile(r"^(thủ tục|tthc)\s+")


def match_key(name: str) -> str:
    """The comparable form of a service name: "Thủ tục Đăng ký khai sinh." → "dang ky khai sinh"."""
    text = _PUNCT.sub(" ", fold(name))
    text = " ".join(text.split())
    return _LEADING.sub("", text)


def accented_words(name: str) -> frozenset[str]:
    """The words of ``name`` lower-cased with their accents: "Thủ tục Tách hộ" → {"tách", "hộ"}."""
    text = " ".join(_PUNCT.sub(" ", normalize_text(name).lower()).split())
    return frozenset(_LEADING_ACCENTED.sub("", text).split())


def has_accents(name: str) -> bool:
    return fold(name) != normalize_text(name).lower()


def base_code(code: str) -> str:
    """``"1.000948.000.00.00.H36"`` → ``"1.000948"``; ``""`` when ``code`` is not a procedure code."""
    found = _CODE.match(code or "")
    return found.group(1) if found else ""


def name_score(item_name: str, procedure_name: str) -> float:
    """Similarity of a list item's name to a procedure's name, 0–100 (see the module docstring)."""
    item_key, procedure_key = match_key(item_name), match_key(procedure_name)
    if has_accents(item_name):
        contained = accented_words(item_name) <= accented_words(procedure_name)
    else:
        contained = set(item_key.split()) <= set(procedure_key.split())
    return max(fuzz.token_sort_ratio(item_key, procedure_key), CONTAINED_SCORE if contained else 0.0)


@dataclass(frozen=True)
class Candidate:
    """A catalogue procedure and its score against one list item."""

    procedure_id: int
    code: str
    name: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    """Outcome for one item: ``method`` is ``code``, ``name`` or ``none``; ``automatic`` True when
    the match may be relied on without review (by code, or by name at ≥ ``AUTO_SCORE`` with a lead
    of ``AUTO_GAP`` points over the second candidate)."""

    procedure_id: int | None
    method: str
    score: Decimal | None
    automatic: bool


class Matcher:
    """Matches many items against one snapshot of the live provincial catalogue.

    The catalogue is read once (id, code, name of each live procedure under a provincial root),
    so matching a list of N items costs one query plus N rapidfuzz passes in C.
    """

    def __init__(self, procedures=None):
        if procedures is None:
            from services.rollout.selectors import provincial_procedures

            procedures = provincial_procedures().only("id", "code", "title", "full_name")
        self.rows = [(p.pk, p.code, p.full_name or p.title) for p in procedures]
        self.by_code: dict[str, int] = {}
        for pk, code, _name in self.rows:
            self.by_code.setdefault(code, pk)
        self.keys = {pk: match_key(name) for pk, _code, name in self.rows}
        self.words = {pk: frozenset(key.split()) for pk, key in self.keys.items()}
        self.accented = {pk: accented_words(name) for pk, _code, name in self.rows}
        self.info = {pk: (code, name) for pk, code, name in self.rows}

    def candidates(self, service_name: str, *, limit: int = 5) -> list[Candidate]:
        """The ``limit`` best procedures for ``service_name``, best first, score ≥ 50."""
        key = match_key(service_name)
        if not key or not self.keys:
            return []
        scores: dict[int, float] = {
            pk: score
            for _choice, score, pk in process.extract(
                key, self.keys, scorer=fuzz.token_sort_ratio, limit=None, score_cutoff=50
            )
        }
        if has_accents(service_name):
            words, against = accented_words(service_name), self.accented
        else:
            words, against = frozenset(key.split()), self.words
        for pk, procedure_words in against.items():
            if words <= procedure_words:
                scores[pk] = max(scores.get(pk, 0.0), CONTAINED_SCORE)
        best = sorted(scores.items(), key=lambda item: (-item[1], self.info[item[0]][0]))[:limit]
        return [Candidate(pk, self.info[pk][0], self.info[pk][1], round(score, 1)) for pk, score in best]

    def match(self, *, service_name: str, procedure_code: str = "") -> MatchResult:
        """The match of one item (see the module docstring for the rules and thresholds)."""
        code = base_code(procedure_code)
        if code and code in self.by_code:
            return MatchResult(self.by_code[code], "code", Decimal("100.0"), True)
        found = self.candidates(service_name, limit=2)
        if not found or found[0].score < SUGGEST_SCORE:
            return MatchResult(None, "none", Decimal(str(found[0].score)) if found else None, False)
        best = found[0]
        lead = best.score - (found[1].score if len(found) > 1 else 0.0)
        automatic = best.score >= AUTO_SCORE and lead >= AUTO_GAP
        return MatchResult(best.procedure_id, "name", Decimal(str(best.score)), automatic)
