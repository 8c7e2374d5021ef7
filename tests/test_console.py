from __future__ import annotations

import io
from pathlib import Path

from bot.assistant import Assistant
from bot.config import Settings
from bot.console import ConsoleSession, run_console
from bot.replies import html_to_plain

from .conftest import FIXTURE_KB


def test_console_numbers_buttons_and_follows_them(assistant: Assistant, tmp_path: Path) -> None:
    out = io.StringIO()
    session = ConsoleSession(assistant, out, save_dir=tmp_path)
    assert session.handle("瀋陽故宮はどこですか")
    assert "瀋河区にあります" in out.getvalue()
    labels = [b.label for b in session.choices]
    session.handle(str(labels.index("📍 地図") + 1))
    assert "41.7968" in out.getvalue()
    session.handle("/events")
    session.handle(str([b.action for b in session.choices].index("e:future-fair") + 1))
    session.handle(str([b.action for b in session.choices].index("ics:future-fair") + 1))
    assert (tmp_path / "future-fair.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert not session.handle("/quit")


def test_html_to_plain() -> None:
    assert html_to_plain("<b>a</b> &lt;b&gt; <i>c</i>") == "a <b> c"


def test_run_console_with_language(tmp_path: Path) -> None:
    settings = Settings(knowledge_dir=FIXTURE_KB, data_dir=tmp_path)
    out = io.StringIO()
    code = run_console(settings, "zh", stdin=io.StringIO("Where is the Mukden Palace?\n"), out=out)
    assert code == 0
    assert "故宫在沈河区" in out.getvalue()  # --lang zh overrides the English text
