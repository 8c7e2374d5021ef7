"""Property: whatever Telegram delivers — text in any script, commands, callback data this bot
never made, inline queries, edits, stickers, group chatter — no exception escapes a handler.
(benchmarks/fuzz_updates.py runs the same generator for 10,000 updates.)"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.actions import ACTIONS

from .conftest import StartBot
from .support.harness import Harness

_PREFIXES = [kind.PREFIX for kind in ACTIONS]
_TEXT = st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=300) | st.sampled_from(
    ["怎么去", "入場料は？", "no", "2", "日本語でお願いします", "/start palace", ""]
)
_DATA = st.one_of(
    st.text(max_size=80),
    st.builds(lambda p, rest: f"{p}:{rest}", st.sampled_from(_PREFIXES), st.text(max_size=70)),
    st.sampled_from(["e:palace:zh", "rmx:99", "fb:palace:up", "evf:sports", "taxi:palace:ja"]),
)
_COMMANDS = st.builds(
    lambda name, arg: f"/{name} {arg}".strip(),
    st.sampled_from(
        ["start", "help", "topics", "events", "lang", "reminders", "forget", "report", "x"]
    ),
    st.text(max_size=20),
)


def _payload(harness: Harness, kind: str, text: str, data: str, user: int, group: bool) -> Any:
    language = ("zh", "ja", "en", None, "ko")[user % 5]
    if kind == "text":
        return harness.message(text, user_id=user, language=language, group=group)
    if kind == "command":
        return harness.message(text or "/help", user_id=user, language=language, group=group)
    if kind == "button":
        return harness.callback(data or "x", user_id=user, language=language)
    if kind == "inline":
        return harness.inline_query(text[:200], user_id=user, language=language)
    if kind == "edit":
        update = harness.message(text or "?", user_id=user, language=language, group=group)
        update["edited_message"] = update.pop("message")
        return update
    sticker = {"file_id": "S", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False, "is_video": False, "type": "regular"}  # fmt: skip
    return harness.message(None, user_id=user, language=language, group=group, sticker=sticker)


UPDATE = st.tuples(
    st.sampled_from(["text", "command", "button", "inline", "edit", "sticker"]),
    _TEXT | _COMMANDS,
    _DATA,
    st.integers(min_value=1, max_value=40),
    st.booleans(),
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(UPDATE, min_size=5, max_size=10))
async def test_no_update_makes_an_exception_escape(
    start_bot: StartBot, batch: list[tuple[str, str, str, int, bool]]
) -> None:
    harness = await start_bot()
    for kind, text, data, user, group in batch:
        await harness.feed(_payload(harness, kind, text, data, user, group))
    assert harness.errors == []
