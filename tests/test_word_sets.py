"""Word-set closeness gives exactly what rapidfuzz's extractOne with token_set_ratio gives."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from rapidfuzz import fuzz, process

from bot.word_sets import WordPart, WordTable

# Words to draw texts from: CJK characters (one a word, as split for word sets), English words
# sharing letters, single letters and digits, and a word holding CJK (never split so, but allowed).
_WORDS = [*"沈阳故宫门票怎么去のはです", "ticket", "tickets", "palace", "mukden", "museum"]
_WORDS += ["a", "5", "5a", "e", "open", "hours", "ope", "wifi", "沈阳", "ß", "café"]


# White space as str.split and rapidfuzz have it, a line break and a lone surrogate.
_SPACES = [" ", " ", " ", "  ", "\t", "\n", "\u3000", "\x1c", "\u2029"]
_WORDS += ["\ud800", "x\ud800"]


def _text(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(1, 9))
    return "".join(word + rng.choice(_SPACES) for word in words).strip(rng.choice(["", " "]))


def _expected(query: str, texts: list[str]) -> tuple[float, int]:
    found = process.extractOne(query, texts, scorer=fuzz.token_set_ratio)
    assert found is not None
    return found[1], found[2]


@pytest.mark.parametrize("seed", range(20))
def test_best_is_extract_one_to_the_bit(seed: int) -> None:
    rng = random.Random(seed)
    texts = [_text(rng) for _ in range(60)]
    table = WordTable.build(texts)
    for _ in range(40):
        query = _text(rng)
        groups = [rng.sample(range(len(texts)), rng.randint(1, 12)) for _ in range(5)]
        expected = [_expected(query, [texts[i] for i in group]) for group in groups]
        assert table.best(query, groups) == expected


def test_ties_go_to_the_first_text_and_subsets_score_100() -> None:
    table = WordTable.build(["沈 阳 故 宫", "故 宫 门 票", "沈 阳", "palace tickets"])
    assert table.best("故 宫 在 哪", [[0, 1], [1, 0]]) == [
        _expected("故 宫 在 哪", ["沈 阳 故 宫", "故 宫 门 票"]),
        _expected("故 宫 在 哪", ["故 宫 门 票", "沈 阳 故 宫"]),
    ]
    assert table.best("沈 阳 故 宫 门 票", [[3, 2, 0]]) == [(100.0, 1)]


def test_a_query_without_words_scores_0_and_a_text_without_words_is_refused() -> None:
    table = WordTable.build(["palace tickets"])
    assert table.best("  ", [[0]]) == [(0.0, 0)]
    assert table.best("palace", []) == []
    assert WordTable.build([]).best("palace", []) == []
    assert table.best("unknown words", [[0]]) == [_expected("unknown words", ["palace tickets"])]
    with pytest.raises(ValueError, match="without words"):
        WordTable.build(["palace", " "])


def test_white_space_rapidfuzz_reads_otherwise_than_str_split_is_left_to_it() -> None:
    table = WordTable.build(["a b", "沈 a b"])
    for query in ("a\xa0b", "沈\x85b a"):
        assert table.best(query, [[0, 1]]) == [_expected(query, ["a b", "沈 a b"])]
    with pytest.raises(ValueError, match="U\\+00A0"):
        WordTable.build(["a\xa0b"])


def assert_same_table(joined: WordTable, built: WordTable) -> None:
    assert joined.texts == built.texts
    assert list(joined.numbers.items()) == list(built.numbers.items())
    for field in ("lengths", "words", "texts_at"):
        one, other = getattr(joined, field), getattr(built, field)
        assert one.dtype == other.dtype and one.tolist() == other.tolist()


@pytest.mark.parametrize("seed", range(10))
def test_a_table_joined_from_parts_is_the_table_built_at_once(seed: int) -> None:
    rng = random.Random(seed)
    texts = [_text(rng) for _ in range(30)]
    # The later parts meet longer words in another order than the whole does.
    texts += ["open hours café", "hours open", "café tickets open"]
    built = WordTable.build(texts)
    cuts = sorted(rng.sample(range(len(texts) + 1), rng.randint(0, 6)))
    bounds = [0, *cuts, len(texts)]
    joined = WordTable.joined([WordPart.of(texts[a:b]) for a, b in pairwise(bounds)])
    assert_same_table(joined, built)
    query = _text(rng)
    groups = [rng.sample(range(len(texts)), rng.randint(1, 12)) for _ in range(5)]
    assert joined.best(query, groups) == built.best(query, groups)


def test_a_joined_table_scores_each_text_at_its_place_in_the_whole() -> None:
    joined = WordTable.joined([WordPart.of(["tickets palace"]), WordPart.of(["palace", "沈 阳"])])
    assert joined.best("palace", [[0, 1], [2]]) == [(100.0, 0), (0.0, 0)]
    assert_same_table(WordTable.joined([]), WordTable.build([]))
