"""Which entries are worth scoring, and how much each unit of a query weighs."""

from __future__ import annotations

import numpy as np

from bot.candidates import candidates_for, unit_weights
from bot.index import UnitIndex, UnitKind


def test_rare_and_unseen_units_weigh_more_than_common_ones() -> None:
    kinds = np.array([UnitKind.WORD] * 3, dtype=np.int8)
    common, rare, unseen = unit_weights(100, np.array([50, 1, 0]), kinds).tolist()
    assert unseen > rare > common > 0
    trigram = unit_weights(100, np.array([1]), np.array([UnitKind.TRIGRAM], dtype=np.int8))
    assert trigram[0] < rare  # a trigram is a fraction of a word


def test_the_entries_holding_the_rarest_words_come_first() -> None:
    index = UnitIndex.build(["mukden palace tickets", "palace museum", "zhongjie shopping street"])
    query = index.query_units("mukden palace")
    frequencies = index.frequencies(query.codes)
    weights = unit_weights(3, frequencies, query.kinds)
    found = candidates_for(index, 3, query, weights, frequencies > 0).tolist()
    assert found[:2] == [0, 1]  # "mukden" singles out the first; "palace" brings the second
    assert 2 not in found  # nothing of the query is in the third


def test_a_misspelt_word_finds_the_entries_of_the_word_it_resembles() -> None:
    index = UnitIndex.build(["mukden palace tickets", "zhongjie shopping street"])
    query = index.query_units("mukdem")
    frequencies = index.frequencies(query.codes)
    weights = unit_weights(2, frequencies, query.kinds)
    assert candidates_for(index, 2, query, weights, frequencies > 0).tolist() == [0]
