"""docs/knowledge-format.md stays true: every field documented, its examples load, its output is real."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import CATEGORIES, Entry, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "knowledge-format.md"
# Kept on the records for messages, not written by curators.
NOT_FIELDS = {"file", "line"}


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text of one `## ` section of the document."""
    return doc_text().split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def code_blocks(text: str, language: str) -> list[str]:
    """The fenced blocks of one language ("" for a block without one), in order."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)
    return [body for lang, body in blocks if lang == language]


def test_the_field_table_lists_every_entry_field() -> None:
    rows = re.findall(r"^\| `(\w+)` \|", section("Entry fields"), flags=re.MULTILINE)
    fields = {f.name for f in dataclasses.fields(Entry)} - NOT_FIELDS
    assert sorted(rows) == sorted(fields)
    headings = " ".join(re.findall(r"^### (.*)$", section("Entry fields"), flags=re.MULTILINE))
    assert [name for name in sorted(fields) if f"`{name}`" not in headings] == [], "no section"


def test_every_category_is_named() -> None:
    assert all(f"`{category}`" in section("Entry fields") for category in CATEGORIES)


def test_the_one_file_example_is_a_valid_knowledge_file(tmp_path: Path) -> None:
    (tmp_path / "example.yaml").write_text(code_blocks(section("One file"), "yaml")[0], "utf-8")
    result = load_knowledge(tmp_path)
    assert result.ok(strict=True), [str(p) for p in result.problems]


def test_the_checked_example_prints_what_the_document_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    checking = section("Checking your changes")
    entry = code_blocks(checking, "yaml")[0]
    shown = code_blocks(checking, "")[0].splitlines()
    assert shown[0] == "$ .venv/bin/python run_bot.py check --strict"
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "tourism.yaml").write_text(
        "category: tourism\nentries:\n" + entry, encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--strict", "--knowledge", "knowledge"]) == 1
    assert capsys.readouterr().out.splitlines() == shown[1:]


def test_readme_points_curators_to_the_document() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "[docs/knowledge-format.md](docs/knowledge-format.md)" in readme
    assert "shared/spec" not in readme


def test_the_sections_other_engineers_fill_are_there() -> None:
    for title in ("Facts", "Event series and editions", "Lexicon", "Other places"):
        assert section(title).strip()
