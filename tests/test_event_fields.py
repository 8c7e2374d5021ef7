"""Series and editions in the knowledge format (bot/event_fields.py): read into records, and
every mistake a FILE:LINE problem; the document's example prints what it shows."""

from __future__ import annotations

import re
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import load_knowledge

from .support.series_kb import write_series_kb
from .test_docs import code_blocks, section

ENTRY = """\
category: events
entries:
  - id: fest
    questions: {zh: [节日], ja: [祭り], en: [festival]}
    answer: {zh: 节日。, ja: 祭りです。, en: A festival.}
    source: test
"""


def problems(tmp_path: Path, extra: str) -> list[str]:
    (tmp_path / "events.yaml").write_text(ENTRY + extra, encoding="utf-8")
    return [str(p) for p in load_knowledge(tmp_path).problems]


def test_series_and_editions_become_records(tmp_path: Path) -> None:
    result = load_knowledge(write_series_kb(tmp_path))
    assert result.knowledge is not None and result.ok(strict=True), result.problems
    expo = result.knowledge.get("expo")
    assert expo is not None and expo.series is not None and expo.event is None
    assert (expo.series.kind, expo.series.month) == ("business", 9)
    assert expo.series.pattern["ja"] == "例年9月1日前後に開幕"
    first, second = expo.editions
    assert first.event.start == date(2026, 9, 1) and first.source == "release of 2026-09-02"
    assert isinstance(second.event.start, datetime) and second.line > first.line
    ice = result.knowledge.get("ice-festival")
    assert ice is not None and ice.series is not None and ice.series.link is not None
    assert ice.series.link.url == "https://example.org/ice"
    assert {e.id for e in result.knowledge.events} == {"ice-festival", "marathon", "expo", "gala"}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            """\
                series: {pattern: {en: usually in May}, kind: culture}
                editions:
                  - start: 2025-05-02
                    end: 2025-05-01
                    source: s
            """,
            "events.yaml:10: entry 'fest': editions[1] ends (2025-05-01) before it starts "
            "(2025-05-02)",
        ),
        (
            """\
                series: {pattern: {en: usually in May}, kind: culture}
                editions:
                  - start: 2025-05-02
                    timezone: Tokyo
                    source: s
            """,
            "events.yaml:10: entry 'fest': editions[1]: unknown timezone 'Tokyo'",
        ),
        (
            """\
                series: {pattern: {en: usually in May}, kind: culture}
                editions:
                  - start: 2025-05-02
            """,
            "events.yaml:9: entry 'fest': editions[1] has no source",
        ),
        (
            """\
                series: {pattern: {en: usually in May}, kind: party}
                editions: [{start: 2025-05-02, source: s}]
            """,
            "events.yaml:7: entry 'fest': series.kind 'party' is not one of",
        ),
        (
            """\
                series: {pattern: {en: usually in May}, kind: culture, month: 13}
                editions: [{start: 2025-05-02, source: s}]
            """,
            "events.yaml:7: entry 'fest': series.month '13' must be a month number",
        ),
        (
            """\
                series: {kind: culture, link: {url: "http://example.org/"}}
                editions: [{start: 2025-05-02, source: s}]
            """,
            "entry 'fest': series.pattern is missing",
        ),
        (
            """\
                event: {start: 2025-05-02}
                series: {pattern: {en: usually in May}, kind: culture}
                editions: [{start: 2025-05-02, source: s}]
            """,
            "events.yaml:7: entry 'fest': an entry has either event or series + editions",
        ),
        (
            """\
                editions: [{start: 2025-05-02, source: s}]
            """,
            "events.yaml:7: entry 'fest': editions need a series",
        ),
    ],
)
def test_bad_series_and_editions_are_file_line_errors(
    tmp_path: Path, extra: str, expected: str
) -> None:
    found = problems(tmp_path, textwrap.indent(textwrap.dedent(extra), "    "))
    assert any(expected in p and "warning" not in p for p in found), found
    assert load_knowledge(tmp_path).knowledge is None  # refused as a whole


def test_a_series_without_editions_is_a_warning(tmp_path: Path) -> None:
    extra = "    series: {pattern: {en: usually in May}, kind: culture}\n"
    found = problems(tmp_path, extra)
    assert any(
        re.search(r"events\.yaml:3: warning: entry 'fest': series has no edition yet", p)
        for p in found
    ), found
    result = load_knowledge(tmp_path)
    assert result.knowledge is not None and not result.ok(strict=True)


def test_the_documented_example_prints_what_the_document_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = section("Event series and editions")
    entry = code_blocks(text, "yaml")[1]
    shown = code_blocks(text, "")[0].splitlines()
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "events.yaml").write_text(
        "category: events\nentries:\n" + entry, encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--strict", "--knowledge", "knowledge"]) == 1
    assert capsys.readouterr().out.splitlines() == shown[1:]
