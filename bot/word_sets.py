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

The words of some texts are numbered in a :class:`WordPart`, and :meth:`WordTable.joined` puts
parts together into the table, to the bit, that one part of all their texts gives, renumbering
arrays only: splitting and numbering the words is the part's work (bot.index_pieces).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

Ints = npt.NDArray[np.int64]

# A word's characters as bits of one number, to see that two sets of words share none: equal
# bits may be a shared character (then rapidfuzz is asked), different bits never are. Characters
# from U+2E80 on (CJK) share one bit: in text split for word sets they stand alone, one a word.
_HIGH = 0x2E80
_BITS = 62  # bits 0–62: an int64
# Columns of WordTable.texts_at: where a text's words start, how many, the text's length with
# one space between them, their characters beyond one each, and their characters as bits (of
# all, and of the words of two characters or more).
_START, _COUNT, _JOINED, _EXTRA, _ALL_BITS, _LONG_BITS = range(6)
# Is code point i white space, as str.split has it? None is from U+3001 on.
_IS_SPACE = np.array([chr(point).isspace() for point in range(0x3001)])
_IS_SPACE.flags.writeable = False
# White space to str.split that rapidfuzz (3.14) takes for white space only in text holding a
# character past U+00FF: a text holding one is refused, a query holding one left to rapidfuzz.
_QUIRKS = ("\x85", "\xa0")


@dataclass(frozen=True, eq=False)
class WordPart:
    """The words of some texts, numbered for them alone: what :meth:`WordTable.joined` puts
    together. Numbers: words of one character by code point, then longer ones in the order
    met."""

    texts: tuple[str, ...]
    chars: Ints  # the words of one character, their code points ascending
    longer: tuple[str, ...]  # the longer words, in the order met
    long_bits: Ints  # the longer words' characters as bits (_bits)
    words: npt.NDArray[np.int32]  # each text's distinct words' numbers, ascending, end to end
    texts_at: Ints  # per text, the columns of WordTable.texts_at (_START from the part's first)

    @classmethod
    def of(cls, texts: Sequence[str]) -> WordPart:
        """Number the words of ``texts``, each of which must hold a word."""
        numbers, counts, flat = _numbered(texts)
        if not counts.all():
            raise ValueError("a text without words")
        # Each text's distinct words, by one sort of (text, word) numbers.
        pairs = np.repeat(np.arange(len(texts), dtype=np.int64), counts) << 32 | flat
        pairs.sort()
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))[: len(pairs)]]
        words = (pairs & 0xFFFFFFFF).astype(np.int32)
        counts = np.bincount(pairs >> 32, minlength=len(texts))
        starts = np.cumsum(counts) - counts
        lengths = _lengths(numbers)
        bits = np.fromiter(map(_bits, numbers), np.int64, len(numbers))
        columns = np.zeros((len(texts), 6), dtype=np.int64)
        if len(texts):
            sizes = np.add.reduceat(lengths[words], starts)
            long_bits = np.where(lengths > 1, bits, 0)
            columns[:, _START], columns[:, _COUNT] = starts, counts
            columns[:, _JOINED], columns[:, _EXTRA] = sizes + counts - 1, sizes - counts
            columns[:, _ALL_BITS] = np.bitwise_or.reduceat(bits[words], starts)
            columns[:, _LONG_BITS] = np.bitwise_or.reduceat(long_bits[words], starts)
        singles = int(np.count_nonzero(lengths == 1))
        chars = np.fromiter(map(ord, islice(numbers, singles)), np.int64, singles)
        longer = tuple(islice(numbers, singles, None))
        return cls(tuple(texts), chars, longer, bits[singles:], words, columns)


@dataclass(frozen=True, eq=False)
class WordTable:
    """The distinct words of many texts, numbered, with what token_set_ratio reads of them."""

    texts: tuple[str, ...]
    numbers: Mapping[str, int]  # word → number
    lengths: Ints  # per word number: its characters
    words: npt.NDArray[np.int32]  # each text's distinct words' numbers, texts end to end
    texts_at: Ints  # per text, the columns above

    @classmethod
    def build(cls, texts: Sequence[str]) -> WordTable:
        """Number the words of ``texts``, each of which must hold a word."""
        return cls.joined([WordPart.of(texts)])

    @classmethod
    def joined(cls, parts: Sequence[WordPart]) -> WordTable:
        """The table of the parts' texts end to end: the same, to the bit, as :meth:`build` of
        all their texts, so that a part whose texts have not changed need not be read again."""
        # Words of one character numbered by code point, then longer ones in the order met:
        # the parts' own orders, end to end, give it.
        chars = _distinct(np.concatenate([np.empty(0, np.int64), *(p.chars for p in parts)]))
        longer = list(dict.fromkeys(chain.from_iterable(part.longer for part in parts)))
        numbers = dict(zip(map(chr, chars.tolist()), range(len(chars)), strict=True))
        numbers.update(zip(longer, range(len(chars), len(chars) + len(longer)), strict=True))
        lengths = np.concatenate((np.ones(len(chars), np.int64), _lengths(longer)))
        bits = np.concatenate((_char_bits(chars), np.zeros(len(longer), np.int64)))
        words, columns = [np.empty(0, np.int32)], [np.empty((0, 6), np.int64)]
        for part in parts:
            own = np.concatenate(
                (
                    np.searchsorted(chars, part.chars),
                    np.fromiter(map(numbers.__getitem__, part.longer), np.int64, len(part.longer)),
                )
            )
            bits[own[len(part.chars) :]] = part.long_bits
            words.append(_in_order(own, part))
            columns.append(part.texts_at)
        table = np.concatenate(columns)
        counts = table[:, _COUNT]
        table[:, _START] = np.cumsum(counts) - counts
        texts = tuple(chain.from_iterable(part.texts for part in parts))
        return cls(texts, MappingProxyType(numbers), lengths, np.concatenate(words), table)

    def best(self, query: str, groups: Sequence[Sequence[int]]) -> list[tuple[float, int]]:
        """For each group of text numbers (none empty), the best token_set_ratio of ``query``
        with one of its texts and the first place in the group reaching it."""
        asked = frozenset(query.split())
        if not asked or not groups:
            return [(0.0, 0) for _ in groups]
        if any(quirk in query for quirk in _QUIRKS):
            return [_extract_one(query, [self.texts[i] for i in group]) for group in groups]
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


def _numbered(texts: Sequence[str]) -> tuple[dict[str, int], Ints, Ints]:
    """The distinct words of ``texts`` numbered, how many words each text has, and their
    numbers, texts end to end. Read from the code points of all texts at once, a word of one
    character (four in five: CJK is split apart) by its code point: splitting the 220,000
    phrasings of 10,000 entries and numbering every word through a dictionary took 1.2 s of
    CPU, and all of them split at once 300 MB."""
    corpus = "\n".join(texts)  # a line break separates words, as a space does
    if any(quirk in corpus for quirk in _QUIRKS):
        raise ValueError("a text holding U+0085 or U+00A0")
    points = np.frombuffer(corpus.encode("utf-32-le", "surrogatepass"), np.uint32)
    edges = np.diff(_inside_words(points), prepend=False, append=False)
    edges = np.flatnonzero(edges).astype(np.int32)  # 13 MB less at 10,000 entries
    starts, ends = edges[0::2], edges[1::2]  # each word's first character and one past its last
    codes = points[starts].astype(np.int64)
    del points
    text_ends = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)) + 1)
    counts = np.diff(np.searchsorted(starts, text_ends), prepend=0)
    longer = np.flatnonzero(ends - starts > 1)
    written = list(_slices(corpus, starts[longer], ends[longer]))
    del corpus, edges, starts, ends
    # Longer words are numbered past every code point met, in the order met.
    met = list(dict.fromkeys(written))
    past = int(codes.max(initial=-1)) + 1
    number = {word: past + i for i, word in enumerate(met)}
    codes[longer] = np.fromiter(map(number.__getitem__, written), np.int64, len(written))
    present = np.zeros(past + len(met), dtype=np.bool_)
    present[codes] = True
    numbers = {
        chr(code) if code < past else met[code - past]: rank
        for rank, code in enumerate(np.flatnonzero(present).tolist())
    }
    return numbers, counts, (np.cumsum(present) - 1)[codes]


def _slices(text: str, starts: Ints, ends: Ints) -> Iterator[str]:
    """``text[starts[i]:ends[i]]`` for each i, a few thousand positions made numbers at a time
    (all at once took 23 MB at 10,000 entries)."""
    for low in range(0, len(starts), 4096):
        spans = zip(starts[low : low + 4096].tolist(), ends[low : low + 4096].tolist(), strict=True)
        yield from (text[start:end] for start, end in spans)


def _inside_words(points: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """Is each code point part of a word, not white space as str.split has it? Compared, and
    only the few in the range of other white space looked up: looking all up took 50 MB at
    10,000 entries."""
    inside: npt.NDArray[np.bool_] = (points > 32) | (points < 9) | ((points > 13) & (points < 28))
    rare = np.flatnonzero((points >= 0x85) & (points < len(_IS_SPACE)))
    inside[rare] = ~_IS_SPACE[points[rare]]
    return inside


def _extract_one(query: str, texts: list[str]) -> tuple[float, int]:
    """rapidfuzz's best token_set_ratio of ``query`` with one of ``texts``, and which."""
    found = process.extractOne(query, texts, scorer=fuzz.token_set_ratio)
    return (found[1], found[2]) if found else (0.0, 0)


def _lengths(words: Iterable[str]) -> Ints:
    """Each word's characters."""
    listed = list(words)
    return np.fromiter(map(len, listed), np.int64, len(listed))


def _char_bits(points: Ints) -> Ints:
    """:func:`_bits` of words of one character, from their code points."""
    places = np.where(points < _HIGH, points % _BITS, _BITS)
    return np.left_shift(np.int64(1), places)


def _in_order(own: Ints, part: WordPart) -> npt.NDArray[np.int32]:
    """A part's texts' words by their numbers ``own`` in the table, each text's ascending: if the
    part's longer words were met in another order in the table, the numbers are sorted again."""
    words = own[part.words]
    if bool((np.diff(own) > 0).all()):
        return words.astype(np.int32)
    owners = np.repeat(np.arange(len(part.texts_at), dtype=np.int64), part.texts_at[:, _COUNT])
    pairs = owners << 32 | words
    pairs.sort()
    return (pairs & 0xFFFFFFFF).astype(np.int32)


def _distinct(values: Ints) -> Ints:
    """The distinct values, ascending (np.unique hashes since numpy 2.3: ten times slower)."""
    values.sort()
    kept: Ints = values[np.concatenate(([True], values[1:] != values[:-1]))[: len(values)]]
    return kept


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
    differing words may share characters; there, the best it can be, else -1.

    In rapidfuzz's terms, with A and B the lengths of the texts' words joined, and s that of the
    shared words joined with the space after them: ab = A - s, ba = B - s, and the length sum is
    A + B whatever is shared."""
    known = [table.numbers[word] for word in asked if word in table.numbers]
    # A shared word counts 1 << 32 (words) + its length and a space (s): both in one sum.
    mine = np.zeros(len(table.numbers), dtype=np.int64)
    mine[known] = (1 << 32) + 1 + table.lengths[known]
    columns = table.texts_at[rows]
    counts = columns[:, _COUNT]
    firsts = np.cumsum(counts) - counts
    at = np.repeat(columns[:, _START] - firsts, counts) + np.arange(firsts[-1] + counts[-1])
    both = np.add.reduceat(mine[table.words[at]], firsts)
    shared, sect_and = both >> 32, both & 0xFFFFFFFF
    count, length = len(asked), sum(map(len, asked))
    joined, other = length + count - 1, columns[:, _JOINED]
    lensum, fewer, shorter = joined + other, np.minimum(counts, count), np.minimum(other, joined)
    some = shared > 0
    # sect with the shorter of ab and ba: the better of the two, as the ratio falls with length.
    side = np.where(some, _ratio(1 + shorter - sect_and, shorter + sect_and - 1), 0.0)
    # Differing words that share no character (each of one character, or no character in
    # common as the bits tell): the edit distance is all but the spaces both have.
    asked_bits = asked_long = 0
    for word in asked:
        asked_bits |= _bits(word)
        asked_long |= _bits(word) if len(word) > 1 else 0
    extra = sect_and - 2 * shared  # the shared words' characters beyond one each
    apart = (extra == length - count) & (extra == columns[:, _EXTRA])
    apart |= (columns[:, _ALL_BITS] & asked_long | columns[:, _LONG_BITS] & asked_bits) == 0
    # Of the two texts, all but the shared words, both spaces after them and the spaces between
    # the differing words both have; otherwise at least the difference in length.
    kept = sect_and - shared + fewer - 1
    distance = np.where(apart, lensum - 2 * kept, np.abs(other - joined))
    scores = np.maximum(_ratio(distance, lensum), side)
    full = some & (shared == fewer)  # one text's words hold all the other's
    scores[full] = 100.0
    unsure = ~(apart | full)
    return np.where(unsure, -1.0, scores), np.where(unsure, scores, -1.0)


def _ratio(distance: Ints, lensum: Ints) -> npt.NDArray[np.float64]:
    """rapidfuzz's similarity from a distance, 100 - 100 * distance / lensum, in the same
    floating-point steps."""
    ratio: npt.NDArray[np.float64] = 100 - 100 * distance / np.maximum(lensum, 1)
    return ratio
