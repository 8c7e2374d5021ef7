"""The lexicon files are checked like the entries: every problem a FILE:LINE line."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.text import normalize

from .conftest import FIXTURE_KB


def kb_with(tmp_path: Path, name: str, text: str) -> list[str]:
    shutil.copytree(FIXTURE_KB, tmp_path / "kb")
    (tmp_path / "kb" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return [str(p) for p in load_knowledge(tmp_path / "kb").problems]


def test_the_fixture_lexicon_loads(tmp_path: Path) -> None:
    problems = kb_with(
        tmp_path,
        "_lexicon.yaml",
        """\
        aspects:
          - id: access
            label: {en: how to get there}
            terms: {en: [how do i get there], zh: [怎么去]}
        live:
          - id: forecast
            entry: palace
            terms: {en: [forecast]}
        concepts:
          - id: palace-words
            terms: {en: [imperial residence]}
        """,
    )
    assert problems == []
    lexicon = load_knowledge(tmp_path / "kb").knowledge
    assert lexicon is not None
    assert [a.id for a in lexicon.lexicon.aspects] == ["access"]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("nonsense: []\n", 1, "unknown section 'nonsense'"),
        ("aspects: {a: b}\n", 1, "aspects must be a list"),
        ("concepts:\n  - terms: {en: [x]}\n", 2, "each concept needs an 'id'"),
        ("aspects:\n  - id: hours\n    terms: {en: [hours]}\n", 2, "needs a 'label'"),
        ("concepts:\n  - id: empty\n    terms: {}\n", 2, "no terms"),
        ("live:\n  - id: x\n    entry: nowhere\n    terms: {en: [x]}\n", 2, "'nowhere' does not"),
        (
            "concepts:\n  - id: a\n    terms: {en: [same]}\n  - id: b\n    terms: {en: [same]}\n",
            4,
            "term 'same' is also in 'a'",
        ),
        ("concepts:\n  - id: a\n    terms: {en: [x]}\n    id: b\n", 4, "duplicate key 'id'"),
        ("missing:\n  - id: parking\n    terms: {en: [parking]}\n", 2, "needs a 'label'"),
        (
            "missing:\n  - id: p\n    label: {en: p}\n    entry: nowhere\n    terms: {en: [p]}\n",
            2,
            "missing 'p': entry 'nowhere' does not exist",
        ),
    ],
)
def test_lexicon_problems_name_file_and_line(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    problems = kb_with(tmp_path, "_lexicon.yaml", text)
    assert any(f"_lexicon.yaml:{line}: " in p and fragment in p for p in problems), problems


def test_missing_needs_load_with_their_labels(tmp_path: Path) -> None:
    text = "missing:\n  - id: parking\n    label: {en: parking}\n    terms: {en: [car park]}\n"
    assert kb_with(tmp_path, "_lexicon.yaml", text) == []
    loaded = load_knowledge(tmp_path / "kb").knowledge
    assert loaded is not None
    need = loaded.lexicon.missing_in("where is the car park of the palace")
    assert need is not None and (need.id, need.label["en"]) == ("parking", "parking")
    assert loaded.lexicon.missing_in("where is the palace") is None


def test_an_aspects_words_alone_load_and_are_checked(tmp_path: Path) -> None:
    text = (
        "aspects:\n  - id: location\n    label: {en: the address}\n"
        "    terms: {en: [where is it]}\n    alone: {en: [where]}\n"
    )
    assert kb_with(tmp_path, "_lexicon.yaml", text) == []
    loaded = load_knowledge(tmp_path / "kb").knowledge
    assert loaded is not None
    assert [a.id for a in loaded.lexicon.aspects_in("where")] == ["location"]
    wrong = text.replace("alone: {en: [where]}", "alone: {xx: [where]}")
    assert any(":5: " in p for p in kb_with(tmp_path / "again", "_lexicon.yaml", wrong))


def test_places_must_be_a_list_of_names(tmp_path: Path) -> None:
    problems = kb_with(tmp_path, "_places.yaml", "places: Beijing\n")
    assert any("_places.yaml:1: " in p and "list of lists" in p for p in problems), problems
    problems = kb_with(tmp_path / "again", "_places.yaml", "cities: [[Beijing]]\n")
    assert any("unknown section 'cities'" in p for p in problems), problems
    problems = kb_with(tmp_path / "home", "_places.yaml", "places: []\nhome: {a: b}\n")
    assert any("_places.yaml:2: " in p and "home must be a list" in p for p in problems), problems


def test_shenyangs_own_names_are_found_in_every_script(tmp_path: Path) -> None:
    text = "home: [Shenyang, 沈阳]\nplaces:\n  - [Osaka, 大阪]\n"
    assert not kb_with(tmp_path, "_places.yaml", text)
    loaded = load_knowledge(tmp_path / "kb").knowledge
    assert loaded is not None
    finder, places = loaded.lexicon.home_finder, loaded.lexicon.place_finder
    assert finder.found_in(normalize("瀋陽の故宮")) and finder.found_in(normalize("JETRO Shenyang"))
    assert not finder.found_in(normalize("大阪の本社")) and not places.found_in(normalize("沈阳"))
