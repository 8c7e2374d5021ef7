"""Checks beyond one field: sources that name a local file, time-sensitive facts gone stale."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from tests.test_knowledge import GOOD_ENTRY, write

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("source", "local"),
    [
        ("/home/li/docs/visa-rules.pdf", True),
        ("notes in ~/Downloads/visa.docx", True),
        ("file:///C:/Users/li/visa.pdf", True),
        ("C:\\\\Users\\\\li\\\\visa.docx", True),
        ("../drafts/visa.md", True),
        ("press release (seed: /work/shared/seed/release.txt)", True),
        ("National Immigration Administration, https://en.nia.gov.cn/n147418/index.html", False),
        ("This bot's /events listing", False),
        ("Ministry of Foreign Affairs / China Consular Service, 2025-11-03", False),
    ],
)
def test_a_source_naming_a_local_file_is_a_warning(
    tmp_path: Path, source: str, local: bool
) -> None:
    write(tmp_path, "a.yaml", GOOD_ENTRY.replace("source: test", f'source: "{source}"'))
    result = load_knowledge(tmp_path, today=TODAY)
    found = [str(p) for p in result.warnings if "names a file on someone's computer" in p.message]
    assert result.knowledge is not None
    assert len(found) == local, result.problems
    if local:
        assert found[0].startswith(f"{tmp_path}/a.yaml:12: warning: entry 'palace': source '")


def _entry(entry_id: str, extra: str = "") -> str:
    return GOOD_ENTRY.replace("id: palace", f"id: {entry_id}") + extra


@pytest.mark.parametrize(
    ("entry_id", "extra", "warning"),
    [
        (
            "business-visa",
            "    updated: 2026-05-31\n",
            "last checked 2026-05-31, more than 6 months",
        ),
        ("business-visa", "    updated: 2026-06-01\n", None),  # 183 days: not yet stale
        ("business-visa", "", "without 'updated'"),
        ("airport-bus-fares", "    updated: 2025-01-01\n", "last checked 2025-01-01"),
        ("palace", "    updated: 2025-01-01\n", None),
        ("palace", "    updated: 2025-01-01\n    time_sensitive: true\n", "last checked"),
        ("business-visa", "    updated: 2025-01-01\n    time_sensitive: no\n", None),
        ("visabot", "", None),  # words of the id, not letters
    ],
)
def test_time_sensitive_facts_go_stale_after_six_months(
    tmp_path: Path, entry_id: str, extra: str, warning: str | None
) -> None:
    write(tmp_path, "a.yaml", _entry(entry_id, extra))
    result = load_knowledge(tmp_path, today=TODAY)
    assert result.knowledge is not None, result.problems
    stale = [p for p in result.warnings if "time-sensitive facts" in p.message]
    if warning is None:
        assert stale == []
    else:
        assert len(stale) == 1 and warning in stale[0].message
        assert str(stale[0]).startswith(f"{tmp_path}/a.yaml:3: warning: entry '{entry_id}': ")
        assert not result.ok(strict=True)


def test_time_sensitive_must_be_true_or_false(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", _entry("palace", "    time_sensitive: sometimes\n"))
    result = load_knowledge(tmp_path, today=TODAY)
    assert [str(p) for p in result.errors] == [
        f"{tmp_path}/a.yaml:13: entry 'palace': time_sensitive must be true or false"
    ]


def test_a_question_shared_by_entries_is_reported_once_per_later_entry(tmp_path: Path) -> None:
    def entry(entry_id: str, *questions: str) -> str:
        listed = ", ".join(f'"{q}"' for q in questions)
        return (
            f"  - id: {entry_id}\n    questions: {{en: [{listed}]}}\n"
            f"    answer: {{en: An answer.}}\n    source: test\n"
        )

    body = "".join(
        (
            entry("first", "Where is the palace?", "WHERE is the palace"),
            entry("second", "where is the palace", "How old is it?"),
            entry("third", "how old is it", "Where is the Palace!"),
        )
    )
    write(tmp_path, "a.yaml", "category: tourism\nentries:\n" + body)
    shared = [
        str(p).replace(f"{tmp_path}/", "")
        for p in load_knowledge(tmp_path).problems
        if "also a question of" in p.message
    ]
    ambiguous = "is also a question of '{}' (a.yaml:{}); matching will be ambiguous"
    assert shared == [
        "a.yaml:7: warning: entry 'second': question 'where is the palace' "
        + ambiguous.format("first", 3),
        "a.yaml:11: warning: entry 'third': question 'how old is it' "
        + ambiguous.format("second", 7),
        "a.yaml:11: warning: entry 'third': question 'Where is the Palace!' "
        + ambiguous.format("first", 3),
    ]
