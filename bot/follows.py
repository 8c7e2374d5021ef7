"""Following events, kept in the store's database (tables of migration 5 in bot/store.py):
who follows every event or one kind, and which new editions each follower has been told about.

A notice is claimed once per (follower, edition) with the table's primary key, so however often
a curator reloads, and across restarts, nobody hears of the same edition twice. Kept apart from
:class:`~bot.store.Store` (one responsibility, and that class is at its size limit); it opens a
short connection per call to the same file, which WAL lets run beside the store's own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.events import Dated, kind_of
from bot.store import Store

ALL = "all"


@dataclass(frozen=True)
class Notice:
    """A new edition to tell one follower about, in the language they followed in."""

    user_key: str
    chat_id: int
    language: str
    entry_id: str
    edition: str  # Dated.key


@dataclass(frozen=True)
class Follows:
    """The followers of one store."""

    store: Store

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.store.path, isolation_level=None, timeout=5)) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def follow(self, user_id: int, chat_id: int, kind: str, language: str) -> None:
        """Follow every event (replacing kinds) or one more kind (replacing "all")."""
        key = self.store.user_key(user_id)
        with self._transaction() as db:
            if kind == ALL:
                db.execute("DELETE FROM follows WHERE user_key = ?", (key,))
            else:
                db.execute("DELETE FROM follows WHERE user_key = ? AND kind = ?", (key, ALL))
            db.execute(
                "INSERT INTO follows VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_key, kind) "
                "DO UPDATE SET chat_id = excluded.chat_id, language = excluded.language",
                (key, kind, chat_id, language, _now()),
            )

    def unfollow(self, user_id: int) -> bool:
        """Stop following anything; whether the user followed something."""
        with self._transaction() as db:
            cursor = db.execute(
                "DELETE FROM follows WHERE user_key = ?", (self.store.user_key(user_id),)
            )
            return cursor.rowcount > 0

    def following(self, user_id: int) -> tuple[str, ...]:
        """What the user follows: "all", or kinds."""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT kind FROM follows WHERE user_key = ? ORDER BY kind",
                (self.store.user_key(user_id),),
            ).fetchall()
        return tuple(str(row[0]) for row in rows)

    def announce(self, editions: Sequence[Dated]) -> int:
        """Queue one notice per follower for each new edition of a kind they follow, unless
        they were told of it before; how many were queued."""
        queued = 0
        with self._transaction() as db:
            followers = db.execute("SELECT user_key, kind, chat_id, language FROM follows")
            for user_key, kind, chat_id, language in followers.fetchall():
                for dated in editions:
                    if kind != ALL and kind != kind_of(dated.entry):
                        continue
                    cursor = db.execute(
                        "INSERT OR IGNORE INTO edition_notices VALUES (?, ?, ?, ?, ?, ?, NULL)",
                        (user_key, dated.key, dated.entry.id, chat_id, language, _now()),
                    )
                    queued += cursor.rowcount
        return queued

    def due(self) -> list[Notice]:
        """Queued notices, each handed out once (marked sent as it is taken)."""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT user_key, chat_id, language, entry_id, edition FROM edition_notices "
                "WHERE sent_at IS NULL ORDER BY created_at"
            ).fetchall()
            db.execute("UPDATE edition_notices SET sent_at = ? WHERE sent_at IS NULL", (_now(),))
        return [Notice(*row) for row in rows]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
