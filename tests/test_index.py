from __future__ import annotations

from itertools import pairwise

import numpy as np

from bot.index import (
    UnitIndex,
    UnitKind,
    UnitPart,
    split_and_tell_cjk,
    split_cjk,
    stem,
    trigrams,
)
from bot.text import has_cjk


def positions(index: UnitIndex, code: int) -> list[int]:
    return index.entries_holding(np.array([code], dtype=np.uint64))[0].tolist()


def test_cjk_characters_pairs_words_and_trigrams_are_all_units() -> None:
    index = UnitIndex.build(["故宫 palace", "故宫博物院", "palaces museum"])
    query = index.query_units("故宫 palace")
    kinds = [UnitKind(k) for k in query.kinds]
    assert kinds.count(UnitKind.CJK_CHAR) == 2
    assert kinds.count(UnitKind.CJK_PAIR) == 1
    assert kinds.count(UnitKind.WORD) == 1
    assert kinds.count(UnitKind.TRIGRAM) == len(trigrams("palace"))
    # 故, 宫 and 故宫 are in entries 0 and 1; "palace" (stemmed "palaces" too) in 0 and 2.
    assert index.frequencies(query.codes).tolist() == [2] * len(query)
    assert positions(index, index.words["palace"]) == [0, 2]
    assert not query.unseen_words


def test_words_unknown_to_the_index_are_unseen_and_kept_for_spelling() -> None:
    index = UnitIndex.build(["mukden palace"])
    query = index.query_units("mukdem")
    assert dict(query.unseen_words) == {0: "mukdem"}
    assert index.frequencies(query.codes)[0] == 0
    assert index.similar_words("mukdem", limit=3, similarity=0.5) == [index.words["mukden"]]
    assert index.similar_words("xylophone", limit=3, similarity=0.5) == []


def test_pairs_never_cross_the_boundary_between_two_texts() -> None:
    index = UnitIndex.build(["故", "宫"])
    pair = index.query_units("故宫")
    assert index.frequencies(pair.codes).tolist() == [1, 1, 0]  # 故, 宫, but no entry holds 故宫


def test_holds_answers_for_every_unit_and_entry() -> None:
    index = UnitIndex.build(["故宫", "北陵", "故宫 北陵"])
    query = index.query_units("故宫")
    held = index.holds(query.codes, np.array([0, 1, 2]))
    assert held.tolist() == [[True, False, True]] * 3


def test_an_empty_index_knows_nothing_and_never_raises() -> None:
    index = UnitIndex.build([])
    query = index.query_units("故宫 palace")
    assert index.frequencies(query.codes).tolist() == [0] * len(query)
    assert index.holds(query.codes[:0], np.array([], dtype=np.int64)).shape == (0, 0)
    assert positions(index, index.query_units("故宫").codes[2]) == []


def test_the_same_texts_give_the_same_index() -> None:
    texts = ["tickets for the palace", "museum hours", "故宫门票"]
    first, second = UnitIndex.build(texts), UnitIndex.build(texts)
    assert first.postings.tolist() == second.postings.tolist()
    assert dict(first.words) == dict(second.words)


def test_stems_and_trigrams() -> None:
    assert stem("tickets") == "ticket"
    assert stem("glass") == "glass"
    assert stem("bus") == "bus"
    assert trigrams("ab") == ()
    assert trigrams("pal") == ("#pa", "pal", "al#")


def test_split_cjk_sets_cjk_characters_apart_as_words() -> None:
    assert split_cjk(["沈阳故宫 tickets", "abc沈阳def", "hello", ""]) == [
        "沈 阳 故 宫 tickets",
        "abc 沈 阳 def",
        "hello",
        "",
    ]
    assert split_cjk([]) == []


def test_english_function_words_are_told_apart_and_have_no_trigrams() -> None:
    index = UnitIndex.build(["hunnan technology city what is it", "palace open"])
    query = index.query_units("is it open")
    kinds = [UnitKind(k) for k in query.kinds.tolist()]
    assert kinds.count(UnitKind.FUNCTION_WORD) == 2
    assert kinds.count(UnitKind.WORD) == 1
    assert kinds.count(UnitKind.TRIGRAM) == len(trigrams("open"))


def test_split_and_tell_cjk_tells_each_text_as_has_cjk_does() -> None:
    texts = ["沈阳故宫", "palace", "", "tickets 故宫", "かな", "한국", "x", "\ud800 沈", ""]
    split, held = split_and_tell_cjk(texts)
    assert split == split_cjk(texts)
    assert held == [has_cjk(text) for text in texts]
    assert held == [True, False, False, True, True, True, False, True, False]
    assert split_and_tell_cjk([]) == ([], [])


def assert_same_index(joined: UnitIndex, built: UnitIndex) -> None:
    assert joined.units.tolist() == built.units.tolist()
    assert joined.offsets.tolist() == built.offsets.tolist()
    assert joined.postings.tolist() == built.postings.tolist()
    for field in ("words", "trigram_codes", "spelling"):
        assert list(getattr(joined, field).items()) == list(getattr(built, field).items())


# Words met in one order in one part and in another in the next, a word repeated, stems
# ("palaces" is "palace"), trigrams twice in a word ("banana"), CJK, and a part without texts.
_TEXTS = [
    "mukden palace tickets",
    "故宫门票 palaces banana",
    "",
    "tickets mukden museum 故宫",
    "banana ananas 北陵公园",
    "hours of the palace museum",
]


def test_an_index_joined_from_parts_is_the_index_built_at_once() -> None:
    built = UnitIndex.build(_TEXTS)
    for cuts in ([], [1], [2, 2], [0, 3, 5], [1, 2, 3, 4, 5], [6]):
        bounds = [0, *cuts, len(_TEXTS)]
        parts = [UnitPart.of(_TEXTS[a:b]) for a, b in pairwise(bounds)]
        assert_same_index(UnitIndex.joined(parts), built)


def test_a_joined_index_finds_each_entry_at_its_place_in_the_whole() -> None:
    index = UnitIndex.joined([UnitPart.of(["palace"]), UnitPart.of(["museum", "palace museum"])])
    assert positions(index, index.words["palace"]) == [0, 2]
    assert positions(index, index.words["museum"]) == [1, 2]
    assert index.similar_words("palase", limit=3, similarity=0.5) == [index.words["palace"]]


def test_no_parts_make_an_empty_index() -> None:
    assert_same_index(UnitIndex.joined([]), UnitIndex.build([]))


def test_a_stems_repeated_trigram_counts_once_for_spelling() -> None:
    index = UnitIndex.build(["banana bandana"])
    assert index.spelling["ana"] == ("banana", "bandana")
    assert index.similar_words("bananas", limit=3, similarity=0.5)[0] == index.words["banana"]
