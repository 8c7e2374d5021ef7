"""`check` matches every question of every entry: one that finds another entry is a warning
naming both places, and fails --strict."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from bot.audit import answered_needs, unreachable_questions
from bot.cli import main
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matching import Matcher

from .conftest import FIXTURE_KB


def test_the_fixture_questions_all_find_their_entry(fixture_kb: KnowledgeBase) -> None:
    assert unreachable_questions(fixture_kb, Matcher.build(fixture_kb)) == []


def test_a_question_that_finds_another_entry_is_reported(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb)
    (kb / "extra.yaml").write_text(
        "category: tourism\nentries:\n  - id: gate\n"
        "    questions: {en: [Where is the Mukden Palace?, palace gate]}\n"
        "    answer: {en: The gate., zh: 门。, ja: 門。}\n    source: test\n",
        encoding="utf-8",
    )
    loaded = load_knowledge(kb).knowledge
    assert loaded is not None
    # The same question under two entries: one of them can never be reached by it.
    (problem,) = unreachable_questions(loaded, Matcher.build(loaded))
    text = str(problem)
    assert text.startswith(f"{kb / 'places.yaml'}:3: warning: entry 'palace'")
    assert "'Where is the Mukden Palace?' finds 'gate'" in text and "extra.yaml:3" in text
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--strict", "--knowledge", str(kb)])
    assert code == 1 and "finds 'gate'" in out.getvalue()


def test_a_missing_need_an_entry_is_asked_with_is_reported_by_check(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb)
    (kb / "_lexicon.yaml").write_text(
        "missing:\n  - id: tickets\n    label: {en: tickets}\n    terms: {en: [tickets]}\n",
        encoding="utf-8",
    )
    loaded = load_knowledge(kb)
    assert loaded.knowledge is not None and loaded.problems == ()  # not on every load: slow
    (problem,) = answered_needs(loaded.knowledge.lexicon, loaded.knowledge.entries)
    assert str(problem).startswith(f"{kb / '_lexicon.yaml'}:2: warning: missing 'tickets'")
    assert "entry 'palace' is asked with its terms" in str(problem)  # "palace tickets"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--strict", "--knowledge", str(kb)])
    assert code == 1 and "missing 'tickets'" in out.getvalue()
