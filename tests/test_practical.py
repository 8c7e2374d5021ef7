"""The practical set's runner: reading it (faults named by file and line) and the off-topic rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.harness import Observed
from benchmarks.practical import (
    PracticalError,
    PracticalQuestion,
    PracticalResult,
    read_practical,
    run_practical,
    score_by_language,
)
from bot.knowledge import KnowledgeBase

HEADER = "lang\tquestion\trelevant\tmust_mention\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "practical.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_relevant_entries_and_notes(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + "en\tWhere can I change money?\t\tbanks, passport\n"
        "ja\t故宮への行き方\tpalace, tomb\tmetro line 1\n",
    )
    first, second = read_practical(path)
    assert (first.relevant, first.must_mention) == (frozenset(), "banks, passport")
    assert second.relevant == frozenset({"palace", "tomb"})
    assert (second.language, second.line) == ("ja", 3)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("lang\tquestion\trelevant\n", 1),
        (HEADER + "en\tok?\t\tnote\nfr\tquoi ?\t\tnote\n", 3),
        (HEADER + "en\tno note?\t\t\n", 2),
    ],
)
def test_faults_are_named_by_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(PracticalError) as caught:
        read_practical(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_only_a_direct_answer_outside_the_relevant_list_is_off_topic() -> None:
    question = PracticalQuestion(2, "en", "q", frozenset({"palace"}), "note")
    assert not PracticalResult(question, Observed("palace", "answer", "en")).off_topic
    assert PracticalResult(question, Observed("tomb", "answer", "en")).off_topic
    assert not PracticalResult(question, Observed(None, "suggest", "en", ("tomb",))).off_topic
    assert not PracticalResult(question, Observed(None, "unknown", "en")).off_topic


def test_runs_questions_through_the_core(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + "en\tWhere is the Mukden Palace?\ttomb\ta map\n"
        "en\tWhere is the Mukden Palace?\tpalace\ta map\n",
    )
    results = run_practical(fixture_kb, read_practical(path))
    assert [r.off_topic for r in results] == [True, False]
    scores = score_by_language(results)
    assert (scores["en"].count, scores["en"].answered, scores["en"].off_topic) == (2, 2, 1)
    assert scores["all"].off_topic_share == 0.5
