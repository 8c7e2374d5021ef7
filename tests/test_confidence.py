"""The confidence model: when the best entry is answered, and that it reads the figures the
matcher gives it."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from bot.confidence import MODEL, Evidence, Model
from bot.knowledge import KnowledgeBase
from bot.matching import Matcher, Outcome

from .support.evidence import CLEAR


def test_the_model_has_one_weight_per_figure_and_an_intercept() -> None:
    assert len(MODEL.weights) == len(fields(Evidence)) + 1
    assert len(CLEAR.figures()) == len(fields(Evidence))


def test_a_clear_question_is_answered_and_a_vague_one_is_not() -> None:
    assert MODEL.answers(CLEAR)
    vague = replace(CLEAR, coverage=0.2, specificity=0.0, unseen=0.5, lead=5.0, lead_third=6.0)
    assert not MODEL.answers(vague)


def test_explaining_more_of_the_question_means_more_confidence() -> None:
    confidences = [MODEL.confidence(replace(CLEAR, coverage=c)) for c in (0.2, 0.5, 0.8)]
    assert confidences == sorted(confidences) and confidences[0] < confidences[-1]


def test_words_the_base_never_saw_mean_less_confidence() -> None:
    assert MODEL.confidence(replace(CLEAR, unseen=0.6)) < MODEL.confidence(CLEAR)


def test_a_runner_up_within_the_least_lead_is_never_answered() -> None:
    tied = replace(CLEAR, top=99.0, lead=MODEL.least_lead - 0.1)
    assert MODEL.confidence(tied) > MODEL.threshold  # the model alone would answer
    assert not MODEL.answers(tied)


def test_a_high_clear_score_is_answered_whatever_the_model_says() -> None:
    doubting = Model(weights=(-50.0, *[0.0] * len(fields(Evidence))), threshold=0.75)
    assert doubting.confidence(CLEAR) < 0.01
    assert not doubting.answers(CLEAR)
    assert doubting.answers(replace(CLEAR, top=doubting.sure_score))


def test_a_high_score_on_too_little_said_is_not_sure() -> None:
    doubting = Model(weights=(-50.0, *[0.0] * len(fields(Evidence))), threshold=0.75)
    thin = replace(CLEAR, top=doubting.sure_score + 15, information=1.9, specificity=0.0)
    assert not doubting.answers(thin)
    assert doubting.answers(replace(thin, specificity=0.9))  # a name is enough said


def test_extreme_figures_do_not_overflow() -> None:
    huge = Model(weights=(1e6, *[1e6] * len(fields(Evidence))), threshold=0.5)
    assert huge.confidence(CLEAR) == pytest.approx(1.0)
    assert Model(weights=(-1e6, *[0.0] * 10), threshold=0.5).confidence(CLEAR) == pytest.approx(0)


def test_the_matcher_reports_its_evidence_and_follows_its_model(shipped_kb: KnowledgeBase) -> None:
    question = "How do I get to the Mukden Palace?"
    answered = Matcher.build(shipped_kb).match(question)
    assert answered.outcome is Outcome.ANSWER and answered.evidence is not None
    assert answered.evidence.top == answered.matches[0].score
    assert 0 < answered.evidence.coverage <= 1 and answered.evidence.specificity > 0.5
    # The same ranking under a model that never trusts anything below 101 points suggests.
    never = Model(weights=(-50.0, *[0.0] * len(fields(Evidence))), threshold=0.9, sure_score=101)
    doubted = Matcher.build(shipped_kb, never).match(question)
    assert doubted.outcome is Outcome.SUGGEST
    assert [m.id for m in doubted.matches] == [m.id for m in answered.matches]


def test_figures_mean_the_same_in_a_small_base(fixture_kb: KnowledgeBase) -> None:
    # Weight and breadth are measured against the base: a tiny base's entries are not all "narrow".
    result = Matcher.build(fixture_kb).match("Where is the Mukden Palace?")
    assert result.evidence is not None
    assert abs(result.evidence.breadth) < 1.0
    assert result.evidence.information > 1.0  # more than one word found in one entry
