"""Vietnamese text normalisation shared by the catalogue, the importer and citizen search.

Every text that enters the system (editor input, imported rows, search queries) goes through
:func:`normalize_text`, so that NFD input from phone keyboards and crawled files, and
look-alike capital D letters, never split one word into two (cases C03, C05).
"""

import re
import unicodedata

from slugify import slugify as _slugify

# Letters that look like Vietnamese "Đ" but are other code points (case C05):
# U+00D0 ETH (Icelandic), U+0189 AFRICAN D, U+1D06 small capital ETH; and their lower cases.
LOOKALIKE_D = {"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ", "\u0256": "đ", "\u1d06": "đ"}

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200c\u200d\u2060\ufeff]")

#: Crawler sentinels and placeholders that mean "no value" in real catalogues.
PLACEHOLDER_PATTERNS = [
    re.compile(r"^noinfo$", re.I),
    re.compile(r"^không có thông tin\b.*$", re.I),
    re.compile(r"^không có\.?$", re.I),
    re.compile(r"^không quy định\.?$", re.I),
    re.compile(r"^n/?a$", re.I),
    re.compile(r"^-+$"),
]


def normalize_text(value: str | None) -> str:
    """Return ``value`` in NFC with look-alike Đ mapped, spaces folded, ends stripped.

    Line breaks are kept (steps and component lists rely on them); runs of spaces, tabs and
    non-breaking spaces inside a line become one space. ``None`` becomes ``""``.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    # str.replace, not str.translate: translate with a dict is ~100x slower on non-ASCII text.
    for lookalike, letter in LOOKALIKE_D.items():
        if lookalike in text:
            text = text.replace(lookalike, letter)
    text = _ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    # Collapse runs of blank lines to one.
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def clean_value(value) -> str:
    """Normalise ``value`` and turn placeholders ("NOINFO", "Không có thông tin…") into ``""``."""
    text = normalize_text(value)
    if any(p.match(text) for p in PLACEHOLDER_PATTERNS):
        return ""
    return text


def fold(value: str | None) -> str:
    """Lower-case, accent-free form of ``value``: "Đất đai" -> "dat dai" (case C04).

    Works on NFC or NFD input; "đ"/"Đ" (and look-alikes) become "d", letters with two marks
    lose both.
    """
    text = normalize_text(value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def slugify_vi(value: str, max_length: int = 100) -> str:
    """ASCII slug with proper Vietnamese transliteration (case C09, C05).

    "Cấp giấy phép xây dựng" -> "cap-giay-phep-xay-dung"; "ÐẮK LẮK - Cấp phép" (U+00D0) ->
    "dak-lak-cap-phep". Cut at a word boundary to at most ``max_length`` characters.
    """
    # save_order: never skip a long word to fit a later, shorter one in ("cap-giay-xay").
    return _slugify(fold(value), max_length=max_length, word_boundary=True, save_order=True) or "thu-tuc"
