"""When the best entry only seems to lead: pure rules over a ranking's evidence and names."""

from __future__ import annotations

from dataclasses import replace

from bot.ties import named_alike, renamed

from .support.evidence import CLEAR

# Both explain the query alike; the first leads by 8 points and its keyword names it.
EVEN = replace(CLEAR, lead=8.0, runner_up_coverage=CLEAR.coverage)


def test_the_same_keywords_explaining_the_same_words_are_a_tie() -> None:
    assert named_alike(EVEN, {"shopping street"}, {"shopping street"})
    assert not named_alike(EVEN, {"shopping street", "中街"}, {"shopping street"})
    assert not named_alike(EVEN, set(), set())  # no keyword: the lead of 8 stands


def test_a_runner_up_explaining_less_is_no_tie() -> None:
    assert not named_alike(replace(EVEN, runner_up_coverage=0.6), {"x"}, {"x"})


def test_a_close_lead_on_the_same_words_with_no_name_is_a_tie() -> None:
    close = replace(EVEN, lead=3.0, specificity=0.0)
    assert named_alike(close, set(), set())
    assert not named_alike(replace(close, lead=6.0), set(), set())
    assert not named_alike(replace(close, specificity=0.9), set(), set())  # the first is named


def test_below_a_certain_score_a_runner_up_explaining_nearly_as_much_is_a_tie() -> None:
    # "qing emperor tombs shenyang": the two tombs at 72.9 and 70.4, explaining 0.63 and 0.62.
    tombs = replace(CLEAR, top=72.9, lead=2.5, coverage=0.63, runner_up_coverage=0.62)
    tombs = replace(tombs, specificity=0.0)
    assert named_alike(tombs, set(), set())
    assert named_alike(replace(tombs, lead=5.5), set(), set())  # wider than the same words
    assert not named_alike(replace(tombs, lead=6.5), set(), set())  # clearly ahead
    assert not named_alike(replace(tombs, runner_up_coverage=0.5), set(), set())
    assert not named_alike(replace(tombs, specificity=0.9), set(), set())  # a name says which
    # "the palace": the palace 93.9, Zhongjie 88.7, both explaining all of it.
    palace = replace(tombs, top=93.9, lead=5.2, coverage=1.0, runner_up_coverage=1.0)
    assert not named_alike(palace, set(), set())


def test_a_phrasing_with_the_querys_name_put_in_is_the_query() -> None:
    assert renamed("太原街好逛吗", "中街好逛吗", ["太原街"], ["中街"])
    assert not renamed("太原街在哪里", "中街好逛吗", ["太原街"], ["中街"])
    assert not renamed("太原街好逛吗", "中街好逛吗", [], ["中街"])
