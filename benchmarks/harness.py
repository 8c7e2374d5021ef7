"""The conversation core as the evaluation meets it: an assistant built the way the bots build
theirs, a clock the evaluation moves, and what a reply shows a user (the entry answered, the
suggestions offered, the language).

This is the only benchmark module that reads a :class:`Reply`'s buttons; it decodes them with the
core's own codec (:mod:`bot.actions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import actions
from bot.assistant import Assistant, User
from bot.config import LOCALES_DIR
from bot.i18n import load_catalogs
from bot.knowledge import KnowledgeBase
from bot.replies import Reply
from bot.store import Store

# Outcomes a turn can end in; "switch" is a language changed on request ("reply in English").
OUTCOMES = ("answer", "suggest", "unknown", "switch")
LANGUAGES = ("zh", "ja", "en")
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # fixed, so runs are repeatable

# Button kinds that open an entry (entry or related button, suggestion) and the kind that only an
# answered entry carries (feedback thumbs).
_OPENS_ENTRY = (actions.OpenEntry.PREFIX, actions.PickSuggestion.PREFIX)
_SUGGESTION = actions.PickSuggestion.PREFIX
_FEEDBACK = actions.Vote.PREFIX


class Clock:
    """The assistant's "now": starts at :data:`START` and moves only when told to."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@dataclass(frozen=True)
class Observed:
    """What a user meets after one message or tap."""

    entry: str | None  # the entry answered directly
    outcome: str  # one of OUTCOMES
    language: str
    suggestions: tuple[str, ...] = ()
    aspect: str | None = None
    aspect_reported: bool = False  # the core says which aspect it answered (None = none asked)


def build_assistant(knowledge: KnowledgeBase, directory: Path, clock: Clock) -> Assistant:
    """The core as ``bot.assistant.open_assistant`` builds it, on a store in ``directory``."""
    return Assistant(knowledge, load_catalogs(LOCALES_DIR), Store.in_directory(directory), clock)


def new_user(user_id: int, telegram_language: str | None = None) -> User:
    """A user the assistant has never seen, in a private chat."""
    return User(user_id, telegram_language, chat_id=user_id)


def _entry_buttons(reply: Reply) -> list[tuple[str, str, str]]:
    """(kind, entry id, action) for every button that names an entry."""
    found = []
    for row in reply.buttons:
        for button in row:
            action = actions.parse(button.action)
            entry_id = getattr(action, "entry_id", None)
            if action is not None and isinstance(entry_id, str) and button.action:
                found.append((action.PREFIX, entry_id, button.action))
    return found


def button_for(reply: Reply, entry_id: str) -> str | None:
    """The action of the button in ``reply`` that opens ``entry_id``, if there is one."""
    for kind, shown, action in _entry_buttons(reply):
        if shown == entry_id and kind in _OPENS_ENTRY:
            return action
    return None


def observe(reply: Reply, switched: bool) -> Observed:
    """Read a reply as the user sees it. ``switched``: the saved language changed in this turn.

    A core that reports its own ``outcome``, ``entry_id`` and ``aspect`` on the reply is taken at
    its word; otherwise the buttons tell: feedback thumbs mean an answered entry, suggestion
    buttons a "Did you mean…"."""
    reported = getattr(reply, "outcome", None)
    aspect = getattr(reply, "aspect", None)
    has_aspect = hasattr(reply, "aspect")
    buttons = _entry_buttons(reply)
    suggestions = tuple(entry for kind, entry, _a in buttons if kind == _SUGGESTION)
    if reported is not None:
        outcome = str(getattr(reported, "value", reported))
        entry = getattr(reply, "entry_id", None)
        return Observed(entry, outcome, reply.language, suggestions, aspect, has_aspect)
    answered = next((entry for kind, entry, _a in buttons if kind == _FEEDBACK), None)
    if answered is not None:
        return Observed(answered, "answer", reply.language, (), aspect, has_aspect)
    if suggestions:
        return Observed(None, "suggest", reply.language, suggestions, aspect, has_aspect)
    return Observed(None, "switch" if switched else "unknown", reply.language, (), None, has_aspect)


def ask(assistant: Assistant, user: User, text: str) -> tuple[Reply, Observed]:
    """Send typed text as ``user``: the reply and how it reads."""
    before = assistant.store.language(user.id)
    reply = assistant.ask(user, text)
    return reply, observe(reply, assistant.store.language(user.id) != before)


def press(assistant: Assistant, user: User, action: str) -> tuple[Reply, Observed]:
    """Tap a button as ``user``: the reply and how it reads."""
    before = assistant.store.language(user.id)
    reply = assistant.press(user, action)
    return reply, observe(reply, assistant.store.language(user.id) != before)
