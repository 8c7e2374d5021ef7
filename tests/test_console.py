from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.console import ConsoleSession, run_console, system_language
from bot.replies import html_to_plain

from .conftest import FIXTURE_KB
from .support.buttons import bare


def test_console_numbers_buttons_and_follows_them(assistant: Assistant, tmp_path: Path) -> None:
    out = io.StringIO()
    session = ConsoleSession(assistant, out, save_dir=tmp_path)
    assert session.handle("瀋陽故宮はどこですか")
    assert "瀋河区にあります" in out.getvalue()
    labels = [b.label for b in session.choices]
    session.handle(str(labels.index("📍 地図") + 1))
    assert "41.7968" in out.getvalue()
    session.handle("/events")
    session.handle(str([bare(b.action or "") for b in session.choices].index("e:future-fair") + 1))
    session.handle(
        str([bare(b.action or "") for b in session.choices].index("ics:future-fair") + 1)
    )
    assert (tmp_path / "future-fair.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert not session.handle("/quit")


def test_html_to_plain() -> None:
    assert html_to_plain("<b>a</b> &lt;b&gt; <i>c</i>") == "a <b> c"


def test_run_console_with_language(tmp_path: Path) -> None:
    settings = Settings(knowledge_dir=FIXTURE_KB, data_dir=tmp_path)
    out = io.StringIO()
    code = run_console(settings, "zh", stdin=io.StringIO("Mukden Palace\n"), out=out)
    assert code == 0
    assert "故宫在沈河区" in out.getvalue()  # --lang zh decides for a name that is no sentence


def _press(session: ConsoleSession, prefix: str) -> None:
    """Type the number of the first button whose data starts with ``prefix``."""
    data = [b.action or "" for b in session.choices]
    session.handle(str(next(i for i, d in enumerate(data, 1) if d.startswith(prefix))))


def test_console_sets_lists_and_cancels_a_reminder(assistant: Assistant, tmp_path: Path) -> None:
    out = io.StringIO()
    session = ConsoleSession(assistant, out, save_dir=tmp_path)
    session.handle("/events")
    _press(session, "e:future-fair")
    _press(session, "rm:future-fair")
    assert "I will remind you on" in out.getvalue()
    session.handle("/reminders")
    assert "Your reminders" in out.getvalue()
    _press(session, "rmx:")
    shown = out.getvalue()
    assert "Reminder cancelled." in shown and "no longer available" not in shown
    assert assistant.store.reminders() == []
    assert "You have no event reminders" in shown.rsplit("Reminder cancelled.", 1)[1]


def test_console_commands_go_through_the_core(assistant: Assistant) -> None:
    out = io.StringIO()
    session = ConsoleSession(assistant, out)
    session.handle("/nonsense")  # an unknown command gets the help, as on Telegram
    assert "How to ask" in out.getvalue()
    session.handle("/report")  # admin-only: the console user is no admin
    assert "Questions:" not in out.getvalue()


def test_the_first_clear_message_sets_the_console_language(assistant: Assistant) -> None:
    out = io.StringIO()
    session = ConsoleSession(assistant, out)
    session.handle("/topics")  # nothing said yet, no client language: English
    assert "Choose a topic:" in out.getvalue()
    session.handle("瀋陽故宮はどこですか")
    session.handle(str([bare(b.action or "") for b in session.choices].index("e:tomb") + 1))
    session.handle("/topics")
    transcript = out.getvalue()
    assert "北陵公園は皇姑区にあります" in transcript  # the tap stays Japanese
    assert transcript.rstrip().split("\n")[-1].strip().startswith("[")  # ends with the menu
    assert "テーマを選んでください" in transcript.rsplit("北陵公園は皇姑区", 1)[1]


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),  # LC_ALL wins, as in libc
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "de_DE.UTF-8"}, None),
        ({}, None),
    ],
)
def test_the_terminal_language_stands_for_a_client_language(
    environ: dict[str, str], language: str | None
) -> None:
    assert system_language(environ) == language


def test_a_japanese_terminal_greets_in_japanese(assistant: Assistant) -> None:
    out = io.StringIO()
    session = ConsoleSession(assistant, out, system_language="ja")
    session.show(assistant.start(session.user))
    assert "観光" in out.getvalue()  # the menus had been English before a clear message
