"""Which entries are worth scoring for a query, and how much each unit of a query weighs: the
first step of a match, before the entries found are compared with the query (bot/matching.py).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from bot.index import QueryUnits, UnitIndex, UnitKind

# How telling one unit of each kind is, before its rarity: a trigram is a fraction of a word.
_KIND_WEIGHTS = {
    UnitKind.CJK_CHAR: 0.6,
    UnitKind.CJK_PAIR: 1.0,
    UnitKind.WORD: 1.0,
    UnitKind.TRIGRAM: 0.35,
    # Hiragana is mostly grammar (の, です, について): unseen endings must not look like an unknown
    # topic, nor shared ones like the same topic. Chosen on the evaluation set, where answered-
    # and-right rose from 0.842 to 0.846 and out-of-scope rejection from 0.902 to 0.961.
    UnitKind.HIRAGANA_CHAR: 0.3,
    UnitKind.HIRAGANA_PAIR: 0.25,
    UnitKind.HALF_HIRAGANA_PAIR: 0.3,
    UnitKind.FUNCTION_WORD: 0.8,
}
# Units that pick the candidates, by kind; single characters and trigrams are too common.
SELECTIVE = np.isin(
    np.arange(len(UnitKind)),
    [UnitKind.WORD, UnitKind.CJK_PAIR, UnitKind.HIRAGANA_PAIR, UnitKind.HALF_HIRAGANA_PAIR],
)
SELECTIVE.flags.writeable = False
_CANDIDATES = 12
_COMMON_POSTINGS = 500
_SPELLING_MIN_LENGTH = 4  # shorter unknown words are not looked up as typos
_SPELLING_CANDIDATES = 3
_SPELLING_SIMILARITY = 0.5


def unit_weights(
    size: int, frequencies: npt.NDArray[np.int64], kinds: npt.NDArray[np.int8]
) -> npt.NDArray[np.float64]:
    """Inverse document frequency in a base of ``size`` entries × how telling this kind of unit
    is; unseen units (0.5 documents) weigh the most, which is what sinks out-of-scope questions."""
    size = max(size, 1)
    return np.array(
        [
            math.log(1 + size / (frequency or 0.5)) * _KIND_WEIGHTS[kind]
            for frequency, kind in zip(frequencies.tolist(), kinds.tolist(), strict=True)
        ]
    )


def candidates_for(
    index: UnitIndex,
    size: int,
    query: QueryUnits,
    weights: npt.NDArray[np.float64],
    present: npt.NDArray[np.bool_],
) -> npt.NDArray[np.int64]:
    """The entries worth scoring: those holding the query's most selective units (words and
    CJK pairs, or for a misspelt word the known words it resembles), by summed weight."""
    selective = present & SELECTIVE[query.kinds]
    if not selective.any():  # a one-character query ("嗨"): its characters must do
        selective = present
    walk = [(int(query.codes[i]), float(weights[i])) for i in np.flatnonzero(selective)]
    for i, word in query.unseen_words.items():
        if len(word) >= _SPELLING_MIN_LENGTH:
            similar = index.similar_words(word, _SPELLING_CANDIDATES, _SPELLING_SIMILARITY)
            walk += [(code, float(weights[i])) for code in similar]
    if not walk:
        return np.empty(0, dtype=np.int64)
    holding = index.entries_holding(np.array([code for code, _ in walk], np.uint64))
    # Units present in a large share of a big base say little and cost a long postings walk:
    # they still count in the coverage, but only the rarer units pick the candidates.
    weighted = zip(holding, (weight for _, weight in walk), strict=True)
    lists = sorted(weighted, key=lambda item: len(item[0]))
    common = max(_COMMON_POSTINGS, size // 5)
    walked = [lists[0], *(item for item in lists[1:] if len(item[0]) <= common)]
    positions = np.concatenate([entries for entries, _ in walked])
    accumulated = np.bincount(
        positions, np.repeat([weight for _, weight in walked], [len(e) for e, _ in walked])
    )
    # Ties go to the entry met first in the rarest lists.
    first_met = np.full(len(accumulated), len(positions))
    np.minimum.at(first_met, positions, np.arange(len(positions)))
    found = np.flatnonzero(accumulated)
    order = np.lexsort((first_met[found], -accumulated[found]))
    return found[order[:_CANDIDATES]]
