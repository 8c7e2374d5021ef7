"""The evaluation sets: each loads, is big and balanced enough and names only shipped entries;
quality floors on the development and held-out sets fail CI on a matching regression; the
practical and dialogue runners run end to end (their figures are reported by `make eval`, not held
by floors)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from benchmarks import dialogues, practical
from benchmarks.evaluate import HELDOUT, OUT_OF_SCOPE, QUESTIONS, Scores, evaluate, read_questions
from benchmarks.harness import LANGUAGES
from bot.confidence import MODEL
from bot.knowledge import KnowledgeBase
from bot.render import RELATED_SHOWN
from bot.text import normalize


@pytest.fixture(scope="module")
def scores(shipped_kb: KnowledgeBase) -> Scores:
    return evaluate(shipped_kb, read_questions())


@pytest.fixture(scope="module")
def heldout(shipped_kb: KnowledgeBase) -> Scores:
    return evaluate(shipped_kb, read_questions(HELDOUT))


# -- development set (the only set used for tuning) ---------------------------------------------


def test_evaluation_set_is_big_and_balanced() -> None:
    questions = read_questions()
    assert len(questions) >= 600
    for lang in ("zh", "ja", "en"):
        assert sum(q.language == lang for q in questions) >= 150
    assert sum(q.expected == "-" for q in questions) >= 120


def test_precision_floors(scores: Scores) -> None:
    # Lowered when 285 real-life questions (long, chatty, typos, mixed scripts; 60 out of scope)
    # were added on 1 December 2026. Measured then, P@1 / P@3 / MRR: en .785/.951/.863,
    # ja .890/.977/.931, zh .924/.959/.947; answered-and-right .769 overall. Floors sit a little
    # below the weakest language: they catch regressions, they are not targets.
    # Answered-and-right: 0.763 -> 0.730 when the confidence model (bot/confidence.py) replaced
    # the score thresholds; with it, the development questions and practical questions together
    # had 471 -> 438 right and 51 -> 27 wrong direct answers. Floor = figure - 0.02.
    for lang, figures in scores.by_language.items():
        assert figures.p_at_1 >= 0.77, (lang, figures)
        assert figures.p_at_3 >= 0.94, (lang, figures)
        assert figures.mrr >= 0.85, (lang, figures)
    assert scores.overall.answered_right >= 0.71, scores.overall


def test_out_of_scope_rejection_floor(scores: Scores) -> None:
    # 0.900 of 481 on 2 December 2026, after 60 written beside covered topics were added (0.683
    # of them when written); floor = figure - 0.03.
    assert scores.rejection >= 0.87, [m for m in scores.misses if m.startswith("OOS")]


def test_language_accuracy_floor(scores: Scores) -> None:
    assert scores.language_accuracy >= 0.98


def test_a_higher_score_means_a_likelier_right_answer(scores: Scores) -> None:
    bands = [band for band in scores.calibration if band.count >= 10]
    precisions = [band.precision for band in bands]
    assert precisions == sorted(precisions), scores.calibration
    assert all(band.precision >= 0.9 for band in bands if band.low >= MODEL.sure_score), bands


# -- held-out set ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [QUESTIONS, HELDOUT], ids=["development", "held-out"])
def test_ranking_sets_have_the_columns_languages_and_shipped_entries(
    path: Path, shipped_kb: KnowledgeBase
) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        assert csv.DictReader(handle, delimiter="\t").fieldnames == ["lang", "expected", "question"]
    for question in read_questions(path):
        assert question.language in LANGUAGES, question
        assert question.text.strip(), question
        assert question.expected == OUT_OF_SCOPE or shipped_kb.get(question.expected), question


def test_heldout_set_is_big_balanced_and_about_a_fifth_out_of_scope() -> None:
    questions = read_questions(HELDOUT)
    assert len(questions) >= 330
    for lang in LANGUAGES:
        assert sum(q.language == lang for q in questions) >= 100, lang
    share = sum(q.expected == OUT_OF_SCOPE for q in questions) / len(questions)
    assert 0.18 <= share <= 0.27, share


def test_heldout_phrasings_are_not_copied_from_the_development_set_or_the_knowledge_base(
    shipped_kb: KnowledgeBase,
) -> None:
    seen = {normalize(q.text) for q in read_questions()}
    seen |= {normalize(q) for e in shipped_kb.entries for qs in e.questions.values() for q in qs}
    copied = [q.text for q in read_questions(HELDOUT) if normalize(q.text) in seen]
    assert not copied


# Floors: the figures measured on 1 December 2026 on the 66-entry knowledge base after relabeling
# (the held-out labels brought up to date with the 25 new entries, benchmarks/eval/
# CHANGES-2026-12.md), minus 0.02 and rounded down. Measured (P@1 / P@3 / MRR / answered-and-right
# / out-of-scope rejection): en .802/.931/.867/.386/.857, ja .858/.943/.903/.538/.933,
# zh .858/.967/.915/.392/.970; reply language 1.000. They catch regressions, they are not targets
# (the targets are answered-and-right >= 0.85, P@3 >= 0.97, rejection >= 0.95).
HELDOUT_FLOORS = {
    # en P@1, P@3, MRR: measured 0.762 / 0.901 / 0.832 after the 66 -> 95 relabel (two en questions
    # now expect laobian-dumplings and chicken-rack, eval/CHANGES-2026-12.md), floor = figure - 0.02.
    "en": (0.74, 0.88, 0.81, 0.36, 0.83),
    # ja rejection: 0.933 -> 0.900 (one of 30 more answered) when keywords began to count by how
    # specific they are, a change chosen on the development set, with which the held-out rejection
    # of all languages rose from 0.923 to 0.934; floor = figure - 0.02.
    "ja": (0.83, 0.92, 0.88, 0.51, 0.88),
    "zh": (0.83, 0.94, 0.89, 0.37, 0.93),  # one more OOS answered since clauses are read
}


def test_heldout_floors(heldout: Scores) -> None:
    assert set(heldout.by_language) == set(HELDOUT_FLOORS)
    for lang, (p_at_1, p_at_3, mrr, answered, rejection) in HELDOUT_FLOORS.items():
        figures = heldout.by_language[lang]
        assert figures.p_at_1 >= p_at_1, (lang, figures)
        assert figures.p_at_3 >= p_at_3, (lang, figures)
        assert figures.mrr >= mrr, (lang, figures)
        assert figures.answered_right >= answered, (lang, figures)
        assert figures.rejection >= rejection, (lang, figures)
        assert figures.language_accuracy >= 0.98, (lang, figures)


# -- practical set ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "size", "per_language", "outside"),
    [
        # Written when most of it was outside the knowledge base; 18 of 167 still are with 95
        # entries.
        (practical.PRACTICAL, 160, 50, 15),
        # Written with about half outside the knowledge base (100 of 208 on 1 December 2026).
        (practical.PRACTICAL_DEV, 180, 60, 90),
    ],
    ids=["held-out", "development"],
)
def test_practical_sets_are_big_cover_the_languages_and_name_shipped_entries(
    shipped_kb: KnowledgeBase, path: Path, size: int, per_language: int, outside: int
) -> None:
    questions = practical.read_practical(path)
    assert len(questions) >= size
    for lang in LANGUAGES:
        assert sum(q.language == lang for q in questions) >= per_language, lang
    assert practical.unknown_entries(questions, shipped_kb) == []
    assert sum(not q.relevant for q in questions) >= outside
    assert all(q.must_mention for q in questions)


def test_practical_runner_runs_end_to_end_on_a_sample(shipped_kb: KnowledgeBase) -> None:
    sample = [q for lang in LANGUAGES for q in practical.read_practical() if q.language == lang][
        ::20
    ]
    results = practical.run_practical(shipped_kb, sample)
    assert [r.question for r in results] == sample
    by_language = practical.score_by_language(results)
    assert by_language["all"].count == len(sample)
    assert {r.observed.outcome for r in results} <= {"answer", "suggest", "unknown", "switch"}


# -- dialogue set ----------------------------------------------------------------------------------


def _checked_dialogues(
    path: Path, at_least: int, shipped_kb: KnowledgeBase
) -> list[dialogues.Conversation]:
    """The conversations of a dialogue set, held to what every set needs: enough of them, 20 per
    language, unique ids, 2–5 turns each, shipped entries only."""
    conversations = dialogues.read_dialogues(path)
    assert len(conversations) >= at_least
    assert len({c.id for c in conversations}) == len(conversations)
    for lang in LANGUAGES:
        assert sum(c.language == lang for c in conversations) >= 20, lang
    assert all(2 <= len(c.turns) <= 5 for c in conversations)
    assert dialogues.unknown_entries(conversations, shipped_kb) == []
    return conversations


def test_dialogue_set_is_big_covers_the_languages_and_names_shipped_entries(
    shipped_kb: KnowledgeBase,
) -> None:
    conversations = _checked_dialogues(dialogues.DIALOGUES, 65, shipped_kb)
    turns = [t for c in conversations for t in c.turns]
    # Every kind of turn the issue asks for is there.
    assert sum(t.press is not None for t in turns) >= 6
    assert sum(t.pick is not None for t in turns) >= 3
    assert sum(t.outcome == "switch" for t in turns) >= 6
    assert sum(t.aspect is not None for t in turns) >= 25
    assert sum(t.after_minutes > 30 for t in turns) >= 3


DIALOGUES_DEV = dialogues.DIALOGUES_DEV


def test_development_dialogue_set_loads_covers_the_languages_and_names_shipped_entries(
    shipped_kb: KnowledgeBase,
) -> None:
    conversations = _checked_dialogues(DIALOGUES_DEV, 60, shipped_kb)
    # A tap needs a button: it follows an answer (a language switch shows only the topic menu)
    # and names one of the related entries that answer shows.
    for conversation in conversations:
        assert conversation.turns[0].press is None, conversation.id
        for before, turn in zip(conversation.turns, conversation.turns[1:], strict=False):
            if turn.press is None:
                continue
            answered = shipped_kb.get(before.entry or "")
            assert before.outcome == "answer" and answered is not None, (conversation.id, turn.line)
            assert turn.press in answered.related[:RELATED_SHOWN], (conversation.id, turn.line)


def test_dialogue_runner_plays_a_sample_end_to_end(shipped_kb: KnowledgeBase) -> None:
    conversations = dialogues.read_dialogues()
    sample = [c for c in conversations if any(t.press or t.pick for t in c.turns)][:4]
    sample += conversations[:2]
    results = dialogues.run_dialogues(shipped_kb, sample)
    assert len(results) == sum(len(c.turns) for c in sample)
    assert all(r.observed is not None or r.note for r in results)
    first = results[0]  # a plain question about a sight, in the user's language
    assert first.observed is not None and first.observed.language == first.turn.language
    scores = dialogues.score_by_language(results)
    assert scores["all"].turns == len(results)


def test_development_dialogue_floor(shipped_kb: KnowledgeBase) -> None:
    # Measured 0.897 of 195 turns on 1 December 2026 (0.708 when the set was written the same day,
    # before follow-ups learned English grammar, words pointing back and names beside aspects);
    # 0.864 of 700 on 2 December, after 85 conversations written as users chat were added (they
    # scored 0.656 and 0.655 when written); 0.831 of 1,001 later that day with 90 more (0.668 when
    # written); 0.787 of 1,870 with 180 more (d7-, d8-: 0.663 and 0.648 when written); 0.772 of
    # 2,942 later on 2 December with 240 more (d10-: 0.664 zh, 0.667 ja, 0.714 en when written);
    # floor = figure - 0.03.
    results = dialogues.run_dialogues(shipped_kb, dialogues.read_dialogues(DIALOGUES_DEV))
    assert dialogues.score_by_language(results)["all"].accuracy >= 0.74
