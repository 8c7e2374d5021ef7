"""The dialogue runner: reading the set (faults named by file and line), scoring a turn (entry,
outcome, language; aspects apart until the core reports them), playing a conversation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from benchmarks.dialogues import (
    Conversation,
    DialogueError,
    Turn,
    judge,
    read_dialogues,
    run_dialogues,
    score,
)
from benchmarks.harness import Observed
from bot.knowledge import KnowledgeBase

GOOD = """\
conversations:
  - id: en-palace
    language: en
    turns:
      - {say: "Where is the Mukden Palace?", entry: palace, outcome: answer, language: en}
      - {press: tomb, entry: tomb, outcome: answer, language: en}
      - {say: "how do i get there", entry: tomb, outcome: answer, aspect: access, language: en}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dialogues.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_conversations_and_turns(tmp_path: Path) -> None:
    [conversation] = read_dialogues(_write(tmp_path, GOOD))
    assert conversation.id == "en-palace"
    assert [t.say or t.press for t in conversation.turns] == [
        "Where is the Mukden Palace?",
        "tomb",
        "how do i get there",
    ]
    assert conversation.turns[2].aspect == "access"
    assert conversation.turns[1].line == 6


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("outcome: answer, aspect", "outcome: maybe, aspect", 7, "outcome must be one of"),
        ("{press: tomb,", "{say: hi, press: tomb,", 6, "exactly one of 'say' and 'press'"),
        ("language: en\n    turns", "language: fr\n    turns", 2, "language must be one of"),
        ("aspect: access", "aspekt: access", 7, "unknown field(s): aspekt"),
        ("entry: tomb, outcome: answer, language", "pick: 0, outcome: answer, language", 6, "pick"),
    ],
)
def test_faults_are_named_by_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(DialogueError) as caught:
        read_dialogues(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_broken_yaml_is_named_by_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "  - {say: [unclosed\n")
    with pytest.raises(DialogueError, match=r"dialogues\.yaml:\d+: not valid YAML"):
        read_dialogues(path)


TURN = Turn(1, "x", None, "palace", None, "answer", None, "en")


def _turn(**changes: Any) -> Turn:
    return replace(TURN, **changes)


CONVERSATION = Conversation("c", 1, "en", ())


def test_a_turn_needs_the_entry_the_outcome_and_the_language() -> None:
    right = Observed("palace", "answer", "en")
    assert judge(CONVERSATION, _turn(), right, ()).right
    assert not judge(CONVERSATION, _turn(), Observed("tomb", "answer", "en"), ()).right
    assert not judge(CONVERSATION, _turn(), Observed("palace", "answer", "ja"), ()).right
    offered = Observed(None, "suggest", "en", ("tomb", "palace"))
    assert not judge(CONVERSATION, _turn(), offered, ()).right
    assert judge(CONVERSATION, _turn(outcome="suggest"), offered, ()).right


def test_a_picked_number_must_open_that_suggestion() -> None:
    turn = _turn(entry=None, pick=2)
    assert judge(CONVERSATION, turn, Observed("palace", "answer", "en"), ("tomb", "palace")).right
    assert not judge(CONVERSATION, turn, Observed("tomb", "answer", "en"), ("tomb", "palace")).right
    assert not judge(CONVERSATION, turn, Observed(None, "unknown", "en"), ()).right


def test_aspects_count_apart_until_the_core_reports_them() -> None:
    turn = _turn(aspect="access")
    silent = judge(CONVERSATION, turn, Observed("palace", "answer", "en"), ())
    assert (silent.right, silent.aspect) == (True, "not yet supported")
    wrong = judge(CONVERSATION, turn, Observed("palace", "answer", "en", (), "hours", True), ())
    assert (wrong.right, wrong.aspect) == (False, "wrong")
    right = judge(CONVERSATION, turn, Observed("palace", "answer", "en", (), "access", True), ())
    assert (right.right, right.aspect) == (True, "right")
    scores = score([silent, wrong, right])
    assert (scores.aspect_turns, scores.aspects_unsupported, scores.aspects_right) == (3, 1, 1)


def test_plays_a_conversation_through_the_core(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    conversations = read_dialogues(_write(tmp_path, GOOD))
    results = run_dialogues(fixture_kb, conversations)
    assert [r.right for r in results[:2]] == [True, True]  # asked, then tapped a related entry
    assert results[2].aspect == "right"  # the follow-up is about the tapped entry


def test_a_missing_button_fails_the_turn_without_raising(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    text = GOOD.replace("{press: tomb, entry: tomb", "{press: greeting, entry: greeting")
    results = run_dialogues(fixture_kb, read_dialogues(_write(tmp_path, text)))
    assert not results[1].right
    assert "no button for greeting" in results[1].note
