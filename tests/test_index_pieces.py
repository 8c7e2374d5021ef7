"""The index put together from pieces is, to the bit, the index built at once, wherever the
knowledge base is cut; a piece is one knowledge file's run of entries."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from bot.index_pieces import IndexPiece, by_file, joined
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.matching import BuiltIndex, Matcher

SHIPPED_KB = Path(__file__).resolve().parent.parent / "knowledge"


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return load_knowledge_or_raise(SHIPPED_KB)


def assert_same(one: BuiltIndex, other: BuiltIndex) -> None:
    assert one.entries == other.entries
    units, built_units = one.units, other.units
    for field in ("units", "offsets", "postings"):
        assert getattr(units, field).tolist() == getattr(built_units, field).tolist()
    for field in ("words", "trigram_codes", "spelling"):
        assert list(getattr(units, field).items()) == list(getattr(built_units, field).items())
    words, built_words = one.words, other.words
    assert words.texts == built_words.texts
    assert list(words.numbers.items()) == list(built_words.numbers.items())
    for field in ("lengths", "words", "texts_at"):
        assert getattr(words, field).tolist() == getattr(built_words, field).tolist()


def test_the_pieces_of_the_files_make_the_index_built_at_once(shipped: KnowledgeBase) -> None:
    pieces = [IndexPiece.of(entries, shipped.normal) for entries in by_file(shipped.entries)]
    assert len(pieces) > 3
    assert_same(joined(pieces), BuiltIndex.of(shipped))


@pytest.mark.parametrize("cuts", [[], [1], [5, 6, 40], [0, 0, 100]])
def test_pieces_cut_anywhere_make_the_same_index(shipped: KnowledgeBase, cuts: list[int]) -> None:
    bounds = [0, *cuts, len(shipped.entries)]
    entries = shipped.entries
    pieces = [IndexPiece.of(entries[a:b], shipped.normal) for a, b in pairwise(bounds)]
    assert_same(joined(pieces), BuiltIndex.of(shipped))


def test_a_matcher_of_joined_pieces_answers_as_a_built_one(shipped: KnowledgeBase) -> None:
    runs = by_file(shipped.entries)[::-1]  # the files in another order
    pieces = [IndexPiece.of(entries, shipped.normal) for entries in runs]
    matcher = Matcher(joined(pieces), shipped.lexicon)
    entries = tuple(entry for run in runs for entry in run)
    built = Matcher.build(KnowledgeBase.of(entries, shipped.languages, shipped.lexicon))
    questions = ["沈阳故宫门票多少钱", "mukdem palace opening hours", "タクシーの乗り方", "xyzzy"]
    questions += [text for entry in entries[::9] for text in entry.phrasings[:1]]
    assert [matcher.match(q) for q in questions] == [built.match(q) for q in questions]
    assert [matcher.named_in(q) for q in questions] == [built.named_in(q) for q in questions]


def test_a_piece_is_a_run_of_entries_of_one_file(shipped: KnowledgeBase) -> None:
    runs = by_file(shipped.entries)
    assert [entry for run in runs for entry in run] == list(shipped.entries)
    assert all(len({entry.file for entry in run}) == 1 for run in runs)
    assert all(one[0].file != other[0].file for one, other in pairwise(runs))
    assert by_file([]) == []


def test_no_pieces_make_an_empty_index() -> None:
    index = joined([])
    assert index.entries == () and not len(index.units.postings) and not index.words.texts
