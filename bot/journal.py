"""The update journal: every update from Telegram is written here before Telegram is told it
arrived, and marked done once it has been answered, so a crash loses nothing.

Telegram forgets an update once the bot acknowledges it (the next ``getUpdates`` offset in long
polling, the HTTP 200 in webhook mode). Before this journal the bot acknowledged updates as soon
as they were fetched and kept them only in memory: kill -9 during a burst of 500 questions lost
261. Now an update is acknowledged only after its row is committed (WAL, synchronous=FULL, one
transaction per update: about a millisecond on this machine), and on start the unfinished ones
are handed out again, oldest first.

The table lives in the store's SQLite file (migration 5 in bot/store.py) but this class has its
own connection: it is written from the event loop while the store answers the conversation, and
WAL lets both go on side by side. A done update keeps its row without the payload (the user's
text) for a day, so that Telegram delivering it again after a crash is recognised and ignored.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Done rows are kept this long to recognise an update Telegram sends again: it re-sends only
# those fetched but not acknowledged, which is seconds, never days.
KEEP_DONE = timedelta(days=1)


@dataclass(frozen=True)
class Pending:
    """An update stored but not yet answered: its id, when it arrived, the JSON as it came."""

    update_id: int
    received_at: datetime
    payload: str
    sent: int = 0  # messages of its reply already accepted by Telegram


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


class UpdateJournal:
    """Updates as they arrive and whether they were answered (the ``updates`` table)."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def add(self, update_id: int, payload: str, at: datetime | None = None) -> bool:
        """Store an update before it is acknowledged; False if it was stored before (Telegram
        sent it again, or it is being handed out again after a restart)."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO updates (update_id, received_at, payload) VALUES (?, ?, ?)",
            (update_id, _iso(at or datetime.now(UTC)), payload),
        )
        return cursor.rowcount > 0

    def is_done(self, update_id: int) -> bool:
        """Whether the update was answered already."""
        row = self._db.execute(
            "SELECT done_at IS NOT NULL FROM updates WHERE update_id = ?", (update_id,)
        ).fetchone()
        return bool(row and row[0])

    def sent(self, update_id: int, count: int) -> None:
        """``count`` messages of the update's reply were accepted by Telegram."""
        self._db.execute("UPDATE updates SET sent = ? WHERE update_id = ?", (count, update_id))

    def done(self, update_id: int, at: datetime | None = None) -> None:
        """The update was answered: forget its payload, remember that it is done."""
        self._db.execute(
            "UPDATE updates SET done_at = ?, payload = NULL WHERE update_id = ?",
            (_iso(at or datetime.now(UTC)), update_id),
        )

    def pending(self) -> list[Pending]:
        """Updates stored but not answered, oldest first."""
        rows = self._db.execute(
            "SELECT update_id, received_at, payload, sent FROM updates WHERE done_at IS NULL "
            "ORDER BY update_id"
        ).fetchall()
        return [Pending(row[0], datetime.fromisoformat(row[1]), row[2], row[3]) for row in rows]

    def prune(self, now: datetime | None = None) -> int:
        """Delete done rows older than :data:`KEEP_DONE`; how many."""
        cutoff = _iso((now or datetime.now(UTC)) - KEEP_DONE)
        cursor = self._db.execute(
            "DELETE FROM updates WHERE done_at IS NOT NULL AND done_at < ?", (cutoff,)
        )
        return cursor.rowcount
