"""One typed message as the conversation core reads it (bot.conversation), and what the
conversation remembers, in one value the core's helpers share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.i18n import Voice
from bot.store import Memory


@dataclass(frozen=True)
class Turn:
    """One typed message: who, what, in which voice, and what the conversation remembers."""

    user_id: int
    chat_id: int | None
    text: str
    voice: Voice
    memory: Memory
    now: datetime


def fresh(moment: datetime | None, now: datetime, span: timedelta) -> bool:
    """Whether something remembered at ``moment`` is still within the conversation's span."""
    return moment is not None and now - moment <= span
