"""Reading replies as a user meets them: which button opens an entry, and what a reply is (an
answer, suggestions, a don't-know, a language switch)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.harness import Clock, ask, build_assistant, button_for, new_user, observe, press
from bot.knowledge import KnowledgeBase
from bot.replies import Button, Reply

ANSWER = Reply(
    "en",
    "Mukden Palace …",
    (
        (Button("🔗 UNESCO", url="https://whc.unesco.org/en/list/439"),),
        (Button("📍 Map", "map:mukden-palace"),),
        (Button("➡ Marshal Zhang's Mansion", "e:zhang-mansion"),),
        (Button("👍", "fb:mukden-palace:up"), Button("👎", "fb:mukden-palace:down")),
        (Button("☰ Topics", "menu"),),
    ),
)
SUGGESTIONS = Reply(
    "zh",
    "我不太确定…",
    ((Button("清昭陵", "s:zhaoling-tomb"),), (Button("清福陵", "s:fuling-tomb"),)),
)
MENU = Reply("ja", "申し訳ありません…", ((Button("💼 投資", "c:investment"),),))


def test_button_for_finds_the_button_that_opens_an_entry() -> None:
    assert button_for(ANSWER, "zhang-mansion") == "e:zhang-mansion"
    assert button_for(SUGGESTIONS, "fuling-tomb") == "s:fuling-tomb"


def test_button_for_ignores_buttons_that_do_not_open_the_entry() -> None:
    assert button_for(ANSWER, "mukden-palace") is None  # map and feedback only
    assert button_for(ANSWER, "qipanshan") is None
    assert button_for(MENU, "investment") is None


def test_observe_reads_answers_suggestions_and_the_rest() -> None:
    answered = observe(ANSWER, switched=False)
    assert (answered.entry, answered.outcome, answered.language) == (
        "mukden-palace",
        "answer",
        "en",
    )
    offered = observe(SUGGESTIONS, switched=False)
    assert (offered.outcome, offered.suggestions) == ("suggest", ("zhaoling-tomb", "fuling-tomb"))
    assert observe(MENU, switched=False).outcome == "unknown"
    assert observe(MENU, switched=True).outcome == "switch"


def test_observe_takes_a_reporting_core_at_its_word() -> None:
    reply = Reply("ja", "…", outcome="answer", entry_id="qipanshan", aspect="access")
    seen = observe(reply, switched=False)
    assert (seen.entry, seen.outcome, seen.aspect, seen.aspect_reported) == (
        "qipanshan",
        "answer",
        "access",
        True,
    )


def test_clock_moves_only_when_told() -> None:
    clock = Clock()
    start = clock()
    assert clock() == start
    clock.advance(45)
    assert (clock() - start).total_seconds() == 45 * 60


def test_ask_and_press_go_through_the_core(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    assistant = build_assistant(fixture_kb, tmp_path, Clock())
    user = new_user(1)
    reply, seen = ask(assistant, user, "Where is the Mukden Palace?")
    assert (seen.entry, seen.outcome, seen.language) == ("palace", "answer", "en")
    action = button_for(reply, "tomb")  # the related entry's button
    assert action is not None
    _reply, opened = press(assistant, user, action)
    assert (opened.entry, opened.outcome) == ("tomb", "answer")
    assistant.store.close()
