"""Loader and checker: records, FILE:LINE errors, warnings vs --strict, odd files."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.knowledge import KnowledgeBase, collector_paused, load_knowledge

ROOT = Path(__file__).resolve().parent.parent

GOOD_ENTRY = """\
category: tourism
entries:
  - id: palace
    questions:
      zh: [沈阳故宫在哪里]
      ja: [瀋陽故宮はどこですか]
      en: [Where is the Mukden Palace?, Shenyang Imperial Palace tickets]
    answer:
      zh: 在沈河区。
      ja: 瀋河区にあります。
      en: In Shenhe district.
    source: test
"""


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def messages(directory: Path) -> list[str]:
    """The problems, after checking that libyaml and the pure-Python loader agree on them."""
    problems = load_knowledge(directory).problems
    assert load_knowledge(directory, libyaml=False).problems == problems
    return [str(p) for p in problems]


def test_fixture_round_trip(fixture_kb: KnowledgeBase) -> None:
    palace = fixture_kb.get("palace")
    assert palace is not None
    assert palace.category == "tourism"
    assert palace.questions["en"] == ("Where is the Mukden Palace?", "palace tickets")
    assert palace.keywords["zh"] == ("故宫",)
    assert palace.answer["en"].startswith("The palace is in **Shenhe** district.")
    assert palace.related == ("tomb",)
    assert palace.links[0].url == "https://example.org/palace"
    assert palace.links[0].title["ja"] == "公式サイト"
    assert palace.location is not None
    assert (palace.location.lat, palace.location.lon) == (41.7968, 123.4556)
    assert palace.updated == date(2026, 11, 1)
    assert palace.file.endswith("places.yaml") and palace.line == 3
    fair = fixture_kb.get("future-fair")
    assert fair is not None and fair.event is not None
    assert isinstance(fair.event.start, datetime)
    assert fair.event.timezone == "Asia/Shanghai"
    assert fixture_kb.get("greeting") is not None
    assert fixture_kb.get("greeting").category == "general"  # type: ignore[union-attr]
    assert {e.id for e in fixture_kb.events} == {"tokyo-event", "future-fair"}
    tomb = fixture_kb.get("tomb")
    assert tomb is not None and tomb.title["ja"] == "北陵公園"
    assert palace.title == {}  # optional


def test_records_are_immutable(fixture_kb: KnowledgeBase) -> None:
    palace = fixture_kb.get("palace")
    assert palace is not None
    with pytest.raises(AttributeError):
        palace.id = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        palace.answer["en"] = "changed"  # type: ignore[index]


def test_question_mark_in_flow_list_is_accepted(tmp_path: Path) -> None:
    # The format's own example writes `en: [Where is the Mukden Palace?, …]`.
    write(tmp_path, "a.yaml", GOOD_ENTRY)
    result = load_knowledge(tmp_path)
    assert result.ok(strict=True), result.problems
    assert result.knowledge is not None
    palace = result.knowledge.get("palace")
    assert palace is not None and palace.questions["en"][0] == "Where is the Mukden Palace?"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (
            "category: tourism\nentries:\n  - id: a\n    questions: {en: [x]\n",
            5,
            "YAML syntax error",
        ),
        (GOOD_ENTRY + "extra: 1\n", 13, "unknown top-level key 'extra'"),
        (GOOD_ENTRY.replace("  - id: palace\n", "  - \n"), 4, "entry without 'id'"),
        (
            GOOD_ENTRY.replace("      en: In Shenhe district.\n", "")
            .replace("      zh: 在沈河区。\n      ja: 瀋河区にあります。\n", "")
            .replace("    answer:\n", ""),
            3,
            "entry 'palace': no answer",
        ),
        (
            GOOD_ENTRY.replace("    source: test\n", "    source: test\n    related: [nowhere]\n"),
            3,
            "related id 'nowhere' does not exist",
        ),
        (
            GOOD_ENTRY + "    links:\n      - url: http://example.org\n",
            14,
            "must be an https:// URL",
        ),
        (
            GOOD_ENTRY + "    location: {lat: 91, lon: 10}\n",
            13,
            "location.lat 91.0 is out of range",
        ),
        (
            GOOD_ENTRY + "    event: {start: 2023-06-20, end: 2023-06-19}\n",
            13,
            "event ends (2023-06-19) before it starts (2023-06-20)",
        ),
        (
            GOOD_ENTRY + "    event: {start: 2023-06-20, timezone: Mars/Olympus}\n",
            13,
            "unknown timezone 'Mars/Olympus'",
        ),
        (
            GOOD_ENTRY.replace("category: tourism", "category: shopping"),
            1,
            "unknown category 'shopping'",
        ),
        (
            GOOD_ENTRY.replace("category: tourism", "category: general")
            + "    location: {lat: 41.8, lon: 123.4}\n",
            3,
            "a place (it has 'location') cannot be in category 'general'",
        ),
        (GOOD_ENTRY.replace("id: palace", "id: Palace_1"), 3, "id may only contain"),
        # Repeated keys: YAML keeps one value silently; the checker names both lines.
        (GOOD_ENTRY + "    id: other\n", 13, "duplicate key 'id' (first at line 3)"),
        (GOOD_ENTRY + "    answer: {en: x}\n", 13, "duplicate key 'answer' (first at line 8)"),
        ("category: culture\n" + GOOD_ENTRY, 2, "duplicate key 'category' (first at line 1)"),
        (
            GOOD_ENTRY.replace("      en: In", "      zh: 又一个。\n      en: In"),
            11,
            "duplicate key 'zh' (first at line 9)",
        ),
        # Numbers beyond float's range, and beyond int's 4,300 digits.
        (GOOD_ENTRY + f"    location: {{lat: 1{'0' * 400}, lon: 10}}\n", 13, "is out of range"),
        (
            GOOD_ENTRY + "    location: {lat: 1.0e+400, lon: 0}\n",
            13,
            "location.lat 1.0e+400 is out",
        ),
        (GOOD_ENTRY + f"    location: {{lat: 1{'0' * 5000}, lon: 1}}\n", 13, "must be a number"),
        (GOOD_ENTRY + "    location: {lat: .nan, lon: 10}\n", 13, "location.lat .nan is out"),
        (GOOD_ENTRY + "    location: {lon: 10}\n", 13, "location.lat is missing"),
        # Nesting: a RecursionError in PyYAML's composer before.
        (
            GOOD_ENTRY + "    related: " + "[" * 5000 + "]" * 5000 + "\n",
            13,
            "nested more than 1,000 levels deep",
        ),
        (GOOD_ENTRY + "    related: " + "[" * 900 + "]" * 900 + "\n", 13, "must be plain text"),
        ("- " * 5000 + "x\n", 1, "nested more than 4,000 levels deep"),
        (GOOD_ENTRY + "    related: &a [*a]\n", 13, "related: each item must be plain text"),
        (GOOD_ENTRY + "    ? [a, b]\n    : c\n", 13, "a key must be plain text"),
        (GOOD_ENTRY + "    source: x\x01y\n", 13, "control character U+0001 is not allowed"),
        (
            GOOD_ENTRY + "    event: {start: 2023-06-20, timezone: ../../etc/passwd}\n",
            13,
            "unknown",
        ),
        (GOOD_ENTRY + "    event: {start: 2023-02-30}\n", 13, "event.start must be a date"),
    ],
)
def test_hard_errors_name_file_line_and_field(
    tmp_path: Path, text: str, line: int, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "kb/tourism.yaml", text)
    found = [m for m in messages(tmp_path / "kb") if fragment in m]
    assert found, messages(tmp_path / "kb")
    assert found[0].startswith(f"{path}:{line}: "), found[0]
    assert main(["check", "--knowledge", str(tmp_path / "kb")]) == 1
    assert fragment in capsys.readouterr().out


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://exa mple.org/", "it contains a space"),
        ("https://example.org/<script>", "it contains '<'"),
        ('"https://example.org/\\x01"', "it contains '\\x01'"),
        ('"https://example.org/\\u200b"', "it contains '\\u200b'"),
        ("https:///path-without-host", "it has no valid host name"),
        ("https://-bad-.example.org/", "it has no valid host name"),
        ("https://example.org:99999/", "the port must be a number"),
        ("https://example.org/100%", "'%' must be followed by two hex digits"),
        ("javascript:alert(1)", "must be an https:// URL"),
    ],
)
def test_links_telegram_would_refuse_are_errors(tmp_path: Path, url: str, reason: str) -> None:
    write(tmp_path, "a.yaml", GOOD_ENTRY + f"    links:\n      - url: {url}\n")
    found = [m for m in messages(tmp_path) if "link '" in m]
    assert len(found) == 1 and reason in found[0] and ":14: entry 'palace': " in found[0], found


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org",
        "https://zh.wikipedia.org/wiki/沈阳故宫",
        "https://example.org/a%20b?q=1&r=2#top",
        "https://例え.jp/",
        "https://example.org:8443/",
    ],
)
def test_valid_links_pass(tmp_path: Path, url: str) -> None:
    write(tmp_path, "a.yaml", GOOD_ENTRY + f"    links:\n      - url: {url}\n")
    result = load_knowledge(tmp_path)
    assert result.ok(strict=True), result.problems
    assert result.knowledge is not None
    assert result.knowledge.entries[0].links[0].url == url


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aZ09-.:/?#%@_~ é例\tK")), max_size=30).map(
        lambda tail: "https://" + tail
    )
)
def test_the_quick_look_at_a_url_never_passes_what_the_full_check_refuses(url: str) -> None:
    from bot.fields import _PLAIN_URL, _url_problem

    if _PLAIN_URL.match(url):
        assert _url_problem(url) is None, url


def test_link_out_of_the_folder_is_refused_unread(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.yaml", "secret_key: hunter2\n")
    kb = tmp_path / "kb"
    write(kb, "a.yaml", GOOD_ENTRY)
    (kb / "b.yaml").symlink_to(outside)
    (kb / "folder").symlink_to(outside.parent, target_is_directory=True)
    (kb / "inside.yaml").symlink_to(kb / "a.yaml")  # a link within the folder is read
    found = messages(kb)
    assert not any("secret" in m or "outside/" in m for m in found), found
    assert f"{kb / 'b.yaml'}:1: is a link to a file outside the knowledge folder" in found[0]
    assert any(m.startswith(f"{kb / 'folder'}:0: is a link to a folder outside") for m in found)
    assert any("inside.yaml:3: duplicate id 'palace'" in m for m in found)


def test_file_name_that_is_not_utf8_is_printable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"caf\xe9.yaml")
    write(tmp_path, name, GOOD_ENTRY)
    result = load_knowledge(tmp_path)
    assert result.knowledge is not None
    assert [str(p) for p in result.warnings] == [
        f"{tmp_path}/caf\ufffd.yaml:1: warning: the file name is not UTF-8: rename it"
    ]
    assert result.knowledge.entries[0].file == f"{tmp_path}/caf\ufffd.yaml"
    assert main(["check", "--knowledge", str(tmp_path), "--strict"]) == 1
    assert "caf\ufffd.yaml:1:" in capsys.readouterr().out


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD_ENTRY)
    write(tmp_path, "sub/b.yaml", GOOD_ENTRY.replace("沈阳故宫在哪里", "故宫"))
    result = load_knowledge(tmp_path)
    assert result.knowledge is None
    assert any("duplicate id 'palace'" in str(p) and "b.yaml:3" in str(p) for p in result.errors)


def test_missing_translation_is_a_warning_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "a.yaml", GOOD_ENTRY.replace("      ja: 瀋河区にあります。\n", ""))
    result = load_knowledge(tmp_path)
    assert result.knowledge is not None and not result.errors
    assert [p.message for p in result.warnings] == ["entry 'palace': answer.ja is missing"]
    assert main(["check", "--knowledge", str(tmp_path)]) == 0
    assert main(["check", "--knowledge", str(tmp_path), "--strict"]) == 1
    assert "answer.ja is missing" in capsys.readouterr().out


def test_same_phrasing_in_two_entries_is_a_warning(tmp_path: Path) -> None:
    second = GOOD_ENTRY.replace("id: palace", "id: palace-two").replace("category: tourism\n", "")
    second = second.replace("entries:\n", "")
    write(tmp_path, "a.yaml", GOOD_ENTRY + second)
    result = load_knowledge(tmp_path)
    assert result.knowledge is not None
    assert any("also a question of 'palace'" in p.message for p in result.warnings)
    assert not result.ok(strict=True)


def test_languages_come_from_meta(tmp_path: Path) -> None:
    write(tmp_path, "_meta.yaml", "languages: [en]\n")
    write(tmp_path, "a.yaml", GOOD_ENTRY.replace("      ja: 瀋河区にあります。\n", ""))
    result = load_knowledge(tmp_path)
    assert result.ok(strict=True), result.problems
    assert result.knowledge is not None and result.knowledge.languages == ("en",)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "the file is a list"),
        (b"category: tourism\nentries: []\n# \xff\xfe broken\n", "not UTF-8"),
        ("category: tourism\n", "missing 'entries:'"),
        ("category: tourism\nentries: 5\n", "'entries' must be a list"),
        ("category: tourism\nentries:\n  - just a string\n", "an entry must be a mapping"),
    ],
)
def test_odd_files_give_clear_errors(tmp_path: Path, content: str | bytes, fragment: str) -> None:
    write(tmp_path, "odd.yaml", content)
    result = load_knowledge(tmp_path)
    assert result.knowledge is None
    assert any(fragment in str(p) and "odd.yaml:" in str(p) for p in result.errors), result.errors


def test_huge_file_is_refused_not_parsed(tmp_path: Path) -> None:
    write(tmp_path, "huge.yaml", "category: tourism\nentries:\n" + "# filler\n" * 300_000)
    result = load_knowledge(tmp_path)
    assert result.knowledge is None
    assert "file is too large" in str(result.errors[0])


def test_missing_directory(tmp_path: Path) -> None:
    result = load_knowledge(tmp_path / "nope")
    assert result.knowledge is None and "not found" in str(result.errors[0])


def test_shipped_knowledge_passes_strict_check() -> None:
    done = subprocess.run(
        [sys.executable, "run_bot.py", "check", "--strict"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK: ")


def test_broken_file_never_gives_a_traceback(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "category: [unclosed\n")
    done = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "check", "--knowledge", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "a.yaml:" in done.stdout


@pytest.mark.parametrize(
    ("facts", "line", "fragment"),
    [
        ("    facts: [a, b]\n", 13, "facts must be a mapping"),
        ("    facts:\n      address: {en: 1 Road}\n", 14, "facts.address needs zh"),
        ("    facts:\n      website: http://x.org\n", 14, "facts.website"),
        ("    facts:\n      hourz: {en: 9-5}\n", 14, "facts: unknown field 'hourz'"),
    ],
)
def test_facts_problems_name_file_and_line(
    tmp_path: Path, facts: str, line: int, fragment: str
) -> None:
    write(tmp_path, "a.yaml", GOOD_ENTRY + facts)
    found = [str(p) for p in load_knowledge(tmp_path).problems]
    assert any(f"a.yaml:{line}: " in p and fragment in p for p in found), found


def test_facts_are_read_per_language(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        GOOD_ENTRY
        + "    facts:\n      address: {zh: 沈阳路171号, en: 171 Shenyang Road}\n"
        + "      website: https://example.org/\n      phone: '+86 24 1234'\n",
    )
    knowledge = load_knowledge(tmp_path).knowledge
    assert knowledge is not None
    facts = knowledge.entries[0].facts
    assert facts is not None and facts.address["zh"] == "沈阳路171号"
    assert (facts.website, facts.phone) == ("https://example.org/", "+86 24 1234")


def test_shipped_answers_stay_short_on_a_phone(shipped_kb: KnowledgeBase) -> None:
    # A full entry is at most 900 characters in Chinese and Japanese, 1,400 in English.
    limits = {"zh": 900, "ja": 900, "en": 1400}
    too_long = [
        (entry.id, lang, len(text))
        for entry in shipped_kb.entries
        for lang, text in entry.answer.items()
        if len(text) > limits[lang]
    ]
    assert too_long == []


def test_what_a_load_makes_is_frozen_until_the_next_load() -> None:
    # Frozen, the collector does not walk it; unfrozen at the next load, what that load replaces
    # can be collected.
    gc.unfreeze()
    with collector_paused():
        assert not gc.isenabled()
        made = [[n] for n in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made)
    with collector_paused():
        assert gc.get_freeze_count() == 0
    gc.unfreeze()


def test_a_collector_switched_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
