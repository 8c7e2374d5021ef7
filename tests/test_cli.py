"""The `ask` contract (shared/spec/knowledge-format.md) and the no-token start."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

from .conftest import FIXTURE_KB

ROOT = Path(__file__).resolve().parent.parent


def test_ask_json_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--knowledge", str(FIXTURE_KB), "--json", "瀋陽故宮の入場料は?"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert list(record) == ["query", "language", "answer_id", "confidence", "matches"]
    assert record["query"] == "瀋陽故宮の入場料は?"
    assert 0.75 <= record["confidence"] <= 1
    assert record["language"] == "ja"
    assert record["answer_id"] == "palace"
    assert record["matches"][0]["id"] == "palace"
    assert set(record["matches"][0]) == {"id", "score", "question"}
    assert 0 <= record["matches"][0]["score"] <= 100


def test_ask_json_reads_a_chatty_message_as_the_bot_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "Hi! Coming to Shenyang in January for a trade fair. What is the weather like in January?"
    )
    assert main(["ask", "--json", text]) == 0  # the shipped knowledge base
    record = json.loads(capsys.readouterr().out)
    assert record["answer_id"] == "best-season" and record["query"] == text


def test_ask_limit_lang_and_null_answer(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["ask", "--knowledge", str(FIXTURE_KB), "--json", "--lang", "zh", "--limit", "1"]
    assert main([*argv, "quantum xylophone"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["language"] == "zh"
    assert record["answer_id"] is None
    assert len(record["matches"]) <= 1


def test_ask_batch_is_json_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO("hello\n\n沈阳故宫在哪里\n".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["ask", "--knowledge", str(FIXTURE_KB), "--json", "--batch", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["answer_id"] for r in records] == ["greeting", "palace"]
    assert [r["language"] for r in records] == ["en", "zh"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello\n\xff\xfe broken\n", "batch.txt:2: the file is not UTF-8 text"),
        (None, "batch.txt: cannot read the file: No such file or directory"),
    ],
)
def test_ask_batch_that_cannot_be_read_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    batch = tmp_path / "batch.txt"
    if content is not None:
        batch.write_bytes(content)
    assert main(["ask", "--knowledge", str(FIXTURE_KB), "--batch", str(batch)]) == 2
    assert message in capsys.readouterr().err


def test_ask_plain_shows_answer_and_runners_up(capsys: pytest.CaptureFixture[str]) -> None:
    question = "Where is the Mukden Palace? and Beiling"
    assert main(["ask", "--knowledge", str(FIXTURE_KB), question]) == 0
    out = capsys.readouterr().out
    assert "The palace is in Shenhe district." in out  # as the user sees it: no ** or tags
    assert "<b>" not in out
    assert "runners-up: tomb" in out


def test_no_token_starts_console_and_says_how_to_connect(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "BOT_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "run_bot.py"],
        cwd=ROOT,
        input="こんにちは\n/quit\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and "@BotFather" in done.stderr
    assert "[1]" in done.stdout  # the topic menu as numbered choices
    assert "こんにちは" in done.stdout or "ようこそ" in done.stdout


# -- report ------------------------------------------------------------------------------------


@pytest.fixture
def report_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with two users' questions from yesterday, against the fixture KB."""
    from datetime import UTC, datetime, timedelta

    from bot.store import Candidate, Store

    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", str(FIXTURE_KB))
    monkeypatch.setenv("BOT_HASH_KEY", "test")
    monkeypatch.delenv("BOT_REPORT_LANG", raising=False)
    store = Store.in_directory(tmp_path, b"test")
    yesterday = datetime.now(UTC) - timedelta(days=1)
    for user, text in ((1, "北陵公园怎么走"), (2, "北陵公园怎么走？")):
        offered = [Candidate("tomb", 50.0)]
        store.record_question(user, "zh", text, "suggest", None, offered, at=yesterday)
    store.close()
    return tmp_path


@pytest.mark.parametrize(
    ("env", "args", "heading", "entry"),
    [
        (None, [], "你好，沈阳 — 知识库运营报告", "把这些问法加到“北陵公园”条目"),
        ("en", [], "Hello, Shenyang — curator report", "Add these phrasings to “Beiling Park”"),
        ("en", ["--lang", "ja"], "Hello, Shenyang — ナレッジ運用レポート", "「北陵公園」に追加"),
    ],
)
def test_report_language(
    report_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: str | None,
    args: list[str],
    heading: str,
    entry: str,
) -> None:
    if env:
        monkeypatch.setenv("BOT_REPORT_LANG", env)
    assert main(["report", *args]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == heading
    assert entry in out  # two users, one need, consistently offered "tomb" first


def test_report_writes_html_and_csv(report_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, sheet = report_env / "report.html", report_env / "report.csv"
    assert main(["report", "--lang", "en", "--html", str(page), "--csv", str(sheet)]) == 0
    assert '<html lang="en">' in page.read_text(encoding="utf-8")
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbfRank,")
    assert f"CSV: {sheet}" in capsys.readouterr().out


def test_report_refuses_an_unknown_language(
    report_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_REPORT_LANG", "fr")
    assert main(["report"]) == 2
    assert "BOT_REPORT_LANG='fr'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--lang", "ko"])
    assert exit_info.value.code == 2
