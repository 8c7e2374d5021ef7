"""Word-set closeness of a query to many texts at once: rapidfuzz's ``fuzz.token_set_ratio``, with
for each group of texts the best score and the first text reaching it, to the bit what
``process.extractOne(query, group, scorer=fuzz.token_set_ratio)`` gives.

Why not rapidfuzz itself: those calls were 57 % of a query's instructions, 17,000 instructions a
pair (rapidfuzz splits, sorts and joins both texts, then builds an edit-distance table). Most
pairs are CJK text split into characters, and there the score follows from counts alone: texts
that share no character but the spaces between words have an edit distance set by their lengths.
So the texts' words are numbered once, a query's are counted against all the texts of its
candidates in a few array operations, and rapidfuzz is asked only about pairs whose differing
words share characters (English with English) and whose best case could still win.

token_set_ratio, as rapidfuzz computes it: words are white-space separated and counted once;
``sect`` the words both texts hold, ``ab`` and ``ba`` those only one holds, each sorted and joined
with spaces. 100 when one text's words hold all the other's; otherwise the better of the
similarity of ``sect ab`` with ``sect ba`` (the edit distance of ``ab`` and ``ba``) and, with
words in common, of ``sect`` with each of them (their difference in length).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

Ints = npt.NDArray[np.int64]
Bits = npt.NDArray[np.uint64]

# A word's characters as bits of one number, to see that two sets of words share none: equal
# bits may be a shared character (then rapidfuzz is asked), different bits never are. Characters
# from U+2E80 on (CJK) share one bit: in text split for word sets they stand alone, one a word.
_HIGH = 0x2E80
_BITS = 63


@dataclass(frozen=True, eq=False)
class WordTable:
    """The distinct words of many texts, numbered, with what token_set_ratio reads of them."""

    texts: tuple[str, ...]
    numbers: dict[str, int]  # word → number
    words: Ints  # each text's distinct words' numbers, texts end to end
    weighed: Ints  # for each of those: 1 << 32 | its length, to count words and characters at once
    starts: Ints  # text i's words are words[starts[i]:starts[i] + counts[i]]
    counts: Ints  # per text: distinct words
    sizes: Ints  # per text: its distinct words' characters summed
    bits: Bits  # per text: its characters as bits (``_bits``)
    long_bits: Bits  # per text: the characters of its words of two characters or more

    @classmethod
    def build(cls, texts: Sequence[str]) -> WordTable:
        """Number the words of ``texts``, each of which must hold a word."""
        split = [frozenset(text.split()) for text in texts]
        if not all(split):
            raise ValueError("a text without words")
        numbers = {word: i for i, word in enumerate(dict.fromkeys(chain.from_iterable(split)))}
        counts = np.fromiter(map(len, split), np.int64, len(split))
        words = np.fromiter(map(numbers.__getitem__, chain.from_iterable(split)), np.int64)
        lengths = np.fromiter(map(len, numbers), np.int64, len(numbers))[words]
        starts = np.cumsum(counts) - counts
        sizes = np.add.reduceat(lengths, starts) if len(texts) else counts
        every = np.fromiter((_bits(w) for ws in split for w in ws), np.uint64, len(words))
        long = np.where(lengths > 1, every, np.uint64(0))
        return cls(
            tuple(texts),
            numbers,
            words,
            1 << 32 | lengths,
            starts,
            counts,
            sizes,
            *(np.bitwise_or.reduceat(b, starts) if len(texts) else b for b in (every, long)),
        )

    def best(self, query: str, groups: Sequence[Sequence[int]]) -> list[tuple[float, int]]:
        """For each group of text numbers (none empty), the best token_set_ratio of ``query``
        with one of its texts and the first place in the group reaching it."""
        asked = frozenset(query.split())
        if not asked or not groups:
            return [(0.0, 0) for _ in groups]
        sizes = np.fromiter(map(len, groups), np.int64, len(groups))
        firsts = np.cumsum(sizes) - sizes
        rows = list(chain.from_iterable(groups))
        scores, bounds = _scores(self, asked, np.array(rows, dtype=np.int64))
        # The rest are worked out by rapidfuzz, where their best case could win.
        known_tops = np.repeat(np.maximum.reduceat(scores, firsts), sizes)
        for i in np.flatnonzero(bounds >= known_tops).tolist():
            scores[i] = fuzz.token_set_ratio(query, self.texts[rows[i]])
        tops = np.maximum.reduceat(scores, firsts)
        reaching = np.flatnonzero(scores == np.repeat(tops, sizes))
        places = reaching[np.searchsorted(reaching, firsts)] - firsts
        return list(zip(tops.tolist(), places.tolist(), strict=True))


def _bits(word: str) -> int:
    """A word's characters as bits: equal characters give equal bits."""
    value = 0
    for char in word:
        point = ord(char)
        value |= 1 << (point % _BITS if point < _HIGH else _BITS)
    return value


def _scores(
    table: WordTable, asked: frozenset[str], rows: Ints
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """token_set_ratio of the query's words ``asked`` with each text of ``rows``, -1 where the
    differing words may share characters; there, the best it can be, else -1."""
    mine = np.zeros(len(table.numbers), dtype=np.bool_)
    mine[[table.numbers[word] for word in asked if word in table.numbers]] = True
    counts = table.counts[rows]
    firsts = np.cumsum(counts) - counts
    at = np.repeat(table.starts[rows] - firsts, counts) + np.arange(firsts[-1] + counts[-1])
    both = np.add.reduceat(table.weighed[at] * mine[table.words[at]], firsts)
    shared, shared_length = both >> 32, both & 0xFFFFFFFF
    count, length = len(asked), sum(map(len, asked))
    # Differing words joined with spaces: "ab" (the query's) and "ba" (the text's).
    only_asked, only_text = length - shared_length, table.sizes[rows] - shared_length
    ab, ba = only_asked + count - shared - 1, only_text + counts - shared - 1
    sect_and = shared_length + shared  # sect with the space after it, when there is a sect
    lensum = 2 * sect_and + ab + ba
    side = np.where(
        shared > 0,
        np.maximum(_ratio(1 + ab, 2 * sect_and - 1 + ab), _ratio(1 + ba, 2 * sect_and - 1 + ba)),
        0.0,
    )
    # Differing words that share no character (each of one character, or no character in
    # common as the bits tell): the edit distance is all but the spaces both have.
    asked_bits = asked_long = 0
    for word in asked:
        asked_bits |= _bits(word)
        asked_long |= _bits(word) if len(word) > 1 else 0
    apart = (only_asked == count - shared) & (only_text == counts - shared)
    apart |= (
        np.uint64(asked_long) & table.bits[rows] | np.uint64(asked_bits) & table.long_bits[rows]
    ) == 0
    spaces = np.minimum(count - shared, counts - shared) - 1
    distance = np.where(apart, ab + ba - 2 * spaces, np.abs(ab - ba))
    scores = np.maximum(_ratio(distance, lensum), side)
    full = (shared > 0) & ((shared == count) | (shared == counts))
    scores[full] = 100.0
    unsure = ~apart & ~full
    return np.where(unsure, -1.0, scores), np.where(unsure, scores, -1.0)


def _ratio(distance: Ints, lensum: Ints) -> npt.NDArray[np.float64]:
    """rapidfuzz's similarity from a distance, 100 - 100 * distance / lensum, in the same
    floating-point steps."""
    ratio: npt.NDArray[np.float64] = 100 - 100 * distance / np.maximum(lensum, 1)
    return ratio
