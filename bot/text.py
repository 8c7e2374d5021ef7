"""Text normalisation shared by the loader, the language picker and the matcher.

Everything that compares text goes through :func:`normalize`, so that full-width and half-width
forms, case, punctuation, emoji and the three ways of writing the same Han character
(Japanese 瀋陽, Traditional 瀋陽/沈陽, Simplified 沈阳) all meet in one form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import opencc

_NOT_WORD = re.compile(r"[\W_]+")  # punctuation, symbols (emoji), spaces, controls
_NOT_WORD_KEEP_LINES = re.compile(r"[^\w\n]+")  # the same but "_", which is rare: faster
_NOT_WORD_OR_UNDERSCORE_KEEP_LINES = re.compile(r"(?:[^\w\n]|_)+")
# Characters from which numpy collapses non-word runs faster than a regular expression, making
# its table of word characters (10 ms) included: about the phrasings of 500 entries.
_NUMPY_FROM = 200_000


@cache
def _converters() -> tuple[opencc.OpenCC, opencc.OpenCC]:
    # Japanese shinjitai -> Traditional first (気 -> 氣), then Traditional -> Simplified (氣 -> 气).
    return opencc.OpenCC("jp2t"), opencc.OpenCC("t2s")


@cache
def _form_readers() -> tuple[opencc.OpenCC, opencc.OpenCC]:
    # Simplified -> Traditional, Traditional -> Japanese shinjitai: to tell whose form a
    # character is, beside the two converters above.
    return opencc.OpenCC("s2t"), opencc.OpenCC("t2jp")


# The scripts written without spaces between words, as code point ranges. The matcher compares
# them character by character; the language picker reads them. One table, so both agree.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
HIRAGANA_RANGE = (0x3041, 0x309F)
# Hiragana and Katakana, Katakana phonetic extensions, half-width katakana.
KANA_RANGES = ((0x3041, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9D))
HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))
CJK_RANGES = tuple(sorted(HAN_RANGES + KANA_RANGES + HANGUL_RANGES))


def char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """The inside of a regex character class matching these code point ranges."""
    return "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges)


_HAN = re.compile(f"[{char_class(HAN_RANGES)}]")
_CJK = re.compile(f"[{char_class(CJK_RANGES)}]")


def _within(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def is_han(char: str) -> bool:
    """Whether a character is a Han ideograph."""
    return _within(char, HAN_RANGES)


def is_kana(char: str) -> bool:
    """Whether a character is hiragana or katakana."""
    return _within(char, KANA_RANGES)


def is_hiragana(char: str) -> bool:
    """Whether a character is hiragana."""
    return HIRAGANA_RANGE[0] <= ord(char) <= HIRAGANA_RANGE[1]


def is_hangul(char: str) -> bool:
    """Whether a character is Korean hangul."""
    return _within(char, HANGUL_RANGES)


def has_cjk(text: str) -> bool:
    """Whether a text holds any CJK character."""
    return _CJK.search(text) is not None


def unify_han(text: str) -> str:
    """Map Japanese and Traditional Han forms to Simplified Chinese (瀋陽 -> 沈阳)."""
    if not _HAN.search(text):
        return text
    jp_to_trad, trad_to_simp = _converters()
    return str(trad_to_simp.convert(jp_to_trad.convert(text)))


@cache
def is_japanese_form(char: str) -> bool:
    """True for Han characters written this way only in Japanese (気, 発, 駅, 広), not in Chinese."""
    if not is_han(char):
        return False
    jp_to_trad, trad_to_simp = _converters()
    traditional = str(jp_to_trad.convert(char))
    simplified = str(trad_to_simp.convert(traditional))
    # 気 → 氣 → 气: a shinjitai whose traditional form Chinese simplifies to something else.
    # Not 学 (學 → 学, also Simplified), 為 (itself Traditional Chinese) or 研 (硏, a variant).
    return (
        traditional != char
        and str(trad_to_simp.convert(char)) == char
        and simplified not in (char, traditional)
    )


@cache
def is_simplified_form(char: str) -> bool:
    """True for Han characters written this way only in Simplified Chinese (阳, 宫, 这), not Japanese."""
    if not is_han(char):
        return False
    simp_to_trad, trad_to_jp = _form_readers()
    traditional = str(simp_to_trad.convert(char))
    # 阳 → 陽, written 陽 in Japanese too. Not 内 (內 in Traditional, but 内 in Japanese).
    return traditional != char and str(trad_to_jp.convert(traditional)) != char


def strip_controls(text: str) -> str:
    """Drop control and format characters (keeps newlines and tabs as spaces)."""
    return "".join(
        " " if ch in "\n\r\t" else ch
        for ch in text
        if ch in "\n\r\t" or unicodedata.category(ch)[0] != "C"
    )


def normalize(text: str) -> str:
    """The comparison form of a text: NFKC, case-folded, one Han form, no punctuation or emoji."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return unify_han(_NOT_WORD.sub(" ", folded).strip())


def normalize_many(texts: Sequence[str]) -> list[str]:
    """``[normalize(t) for t in texts]``, done on one joined string: an index normalizes
    hundreds of thousands of phrasings, and the per-call overhead is most of the cost."""
    if not texts:
        return []
    joined = "\n".join(texts)
    if joined.count("\n") >= len(texts):  # a text has a line break of its own: a space
        joined = "\n".join(t.replace("\n", " ") for t in texts)
    folded = unicodedata.normalize("NFKC", joined).casefold()
    return unify_han(_words_spaced(folded)).split("\n")


@cache
def _word_table() -> npt.NDArray[np.bool_]:
    """Is code point i (below U+10000) a word character, as ``\\w`` in a regular expression
    but ``_``? Made once, in 10–20 ms (hence _NUMPY_FROM)."""
    table = np.fromiter(map(str.isalnum, map(chr, range(0x10000))), np.bool_, 0x10000)
    table.flags.writeable = False
    return table


def _words_spaced(folded: str) -> str:
    """``folded`` with each run of characters other than words and line breaks made one space,
    and no space at the ends of a line: what ``_NOT_WORD`` does, on all lines at once."""
    if len(folded) < _NUMPY_FROM:
        words = _NOT_WORD_OR_UNDERSCORE_KEEP_LINES if "_" in folded else _NOT_WORD_KEEP_LINES
        return words.sub(" ", folded).replace(" \n", "\n").replace("\n ", "\n").strip(" ")
    return _words_spaced_numpy(folded)


def _words_spaced_numpy(folded: str) -> str:
    """:func:`_words_spaced` with numpy: the regular expression took 0.15 to 0.25 s of CPU on
    the 3.9 million characters of the phrasings of 10,000 synthetic entries, this 0.05 s."""
    points = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), np.uint32)
    word = _word_table()[np.minimum(points, 0xFFFF)]
    astral = np.flatnonzero(points > 0xFFFF)  # emoji, rare Han: few
    word[astral] = [chr(point).isalnum() for point in points[astral].tolist()]
    blank = ~word & (points != ord("\n"))
    first = blank.copy()
    first[1:] &= ~blank[:-1]  # the first of each run of blanks stands for the run
    kept = np.where(blank, np.uint32(ord(" ")), points)[~blank | first]
    space = kept == ord(" ")
    at_end = np.zeros(len(kept), dtype=np.bool_)  # a space at a line's start or end goes
    at_end[:1] = at_end[-1:] = True
    at_end[1:] |= kept[:-1] == ord("\n")
    at_end[:-1] |= kept[1:] == ord("\n")
    return bytes(kept[~(space & at_end)].tobytes()).decode("utf-32-le", "surrogatepass")


def normal_forms(texts: Iterable[str]) -> Mapping[str, str]:
    """Each distinct text mapped to :func:`normalize` of it. Loading makes one for every
    question and keyword, which the checker and the matcher both read: normalizing them twice
    was 0.35 s of CPU at 10,000 entries (benchmarks/bench_loading.py)."""
    distinct = list(dict.fromkeys(texts))
    return MappingProxyType(dict(zip(distinct, normalize_many(distinct), strict=True)))
