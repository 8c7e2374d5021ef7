"""Quality floors on the evaluation set: a matching regression fails CI."""

from __future__ import annotations

import pytest

from benchmarks.evaluate import Scores, evaluate, read_questions
from bot.knowledge import KnowledgeBase
from bot.matching import SURE_SCORE, Matcher


@pytest.fixture(scope="module")
def scores(shipped_kb: KnowledgeBase) -> Scores:
    return evaluate(Matcher.build(shipped_kb), read_questions())


def test_evaluation_set_is_big_and_balanced() -> None:
    questions = read_questions()
    assert len(questions) >= 200
    for lang in ("zh", "ja", "en"):
        assert sum(q.language == lang for q in questions) >= 60
    assert sum(q.expected == "-" for q in questions) >= 40


def test_precision_floors(scores: Scores) -> None:
    for lang, figures in scores.by_language.items():
        assert figures.p_at_1 >= 0.9, (lang, figures)
        assert figures.p_at_3 >= 0.97, (lang, figures)
        assert figures.mrr >= 0.93, (lang, figures)
    assert scores.overall.answered_right >= 0.86, scores.overall


def test_out_of_scope_rejection_floor(scores: Scores) -> None:
    assert scores.rejection >= 0.92, [m for m in scores.misses if m.startswith("OOS")]


def test_language_accuracy_floor(scores: Scores) -> None:
    assert scores.language_accuracy >= 0.98


def test_a_higher_score_means_a_likelier_right_answer(scores: Scores) -> None:
    bands = [band for band in scores.calibration if band.count >= 10]
    precisions = [band.precision for band in bands]
    assert precisions == sorted(precisions), scores.calibration
    assert all(band.precision >= 0.9 for band in bands if band.low >= SURE_SCORE), bands
