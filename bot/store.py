"""Durable storage: language choices, conversation memory, the question log, feedback votes and
event reminders.

SQLite in WAL mode with synchronous=FULL: a write is on disk before the caller acknowledges it, so
killing the process loses nothing already answered. The schema is versioned (PRAGMA user_version)
and migrated forward on open. User ids are kept only as keyed hashes, except the chat id a
reminder must be delivered to.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DB_FILE = "hello-shenyang.sqlite3"

# A vote is tied to the voter's latest question that the entry answered (or was picked for)
# within this window: the 👍/👎 buttons sit under the answer, and a vote an hour later is more
# likely about the entry in general than about that one question.
VOTE_WINDOW = timedelta(hours=1)

# Each step moves the schema one version forward; never edit a released step, add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: language choices (what the first release of the bot stored)
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE preferences (
        user_key TEXT PRIMARY KEY, language TEXT NOT NULL, updated_at TEXT NOT NULL);
    """,
    # 2: the curator's loop and reminders
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, user_key TEXT NOT NULL,
        language TEXT NOT NULL, text TEXT NOT NULL, outcome TEXT NOT NULL, answer_id TEXT,
        candidates TEXT NOT NULL DEFAULT '[]', followed_id TEXT);
    CREATE INDEX questions_asked_at ON questions (asked_at);
    CREATE TABLE feedback (
        user_key TEXT NOT NULL, entry_id TEXT NOT NULL, vote INTEGER NOT NULL,
        voted_at TEXT NOT NULL, PRIMARY KEY (user_key, entry_id));
    CREATE TABLE reminders (
        id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, user_key TEXT NOT NULL,
        entry_id TEXT NOT NULL, language TEXT NOT NULL, remind_at TEXT NOT NULL,
        created_at TEXT NOT NULL, UNIQUE (chat_id, entry_id));
    """,
    # 3: honest quality signals for the report. `feedback` keeps only each user's latest vote per
    # entry, so a 👎 could not be tied to the answer it judged nor counted week by week: every vote
    # is now also logged with its time and the question it was about. Old votes are copied over,
    # tied to the voter's latest question that the entry answered or was picked for before the
    # vote. A pick now records when it happened (a rephrase within a minute rejects it).
    """
    ALTER TABLE questions ADD COLUMN followed_at TEXT;
    CREATE INDEX questions_user ON questions (user_key, asked_at);
    CREATE TABLE vote_log (
        id INTEGER PRIMARY KEY, user_key TEXT NOT NULL, entry_id TEXT NOT NULL,
        vote INTEGER NOT NULL, voted_at TEXT NOT NULL, question_id INTEGER);
    CREATE INDEX vote_log_voted_at ON vote_log (voted_at);
    INSERT INTO vote_log (user_key, entry_id, vote, voted_at, question_id)
        SELECT f.user_key, f.entry_id, f.vote, f.voted_at, (
            SELECT q.id FROM questions q WHERE q.user_key = f.user_key
            AND (q.answer_id = f.entry_id OR q.followed_id = f.entry_id)
            AND q.asked_at <= f.voted_at ORDER BY q.id DESC LIMIT 1)
        FROM feedback f ORDER BY f.voted_at;
    """,
    # 4: conversation memory: per user and chat, the language of the last clear message, the
    # last topic and the suggestions last offered (so "how do I get there?", "2" and "no" can
    # be understood, also after a restart)
    """
    CREATE TABLE conversations (
        user_key TEXT NOT NULL, chat_key TEXT NOT NULL, language TEXT, topic TEXT,
        topic_at TEXT, aspect TEXT, offered TEXT NOT NULL DEFAULT '', offered_at TEXT,
        updated_at TEXT NOT NULL, PRIMARY KEY (user_key, chat_key));
    """,
    # 5: following events (bot/follows.py): who follows which kind, with the chat to write to
    # (in clear, like a reminder's), and every new edition each follower was told about, so a
    # reload never tells anyone twice, also after a restart or a second reload.
    """
    CREATE TABLE follows (
        user_key TEXT NOT NULL, kind TEXT NOT NULL, chat_id INTEGER NOT NULL,
        language TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (user_key, kind));
    CREATE TABLE edition_notices (
        user_key TEXT NOT NULL, edition TEXT NOT NULL, entry_id TEXT NOT NULL,
        chat_id INTEGER NOT NULL, language TEXT NOT NULL, created_at TEXT NOT NULL,
        sent_at TEXT, PRIMARY KEY (user_key, edition));
    """,
    # 6: durable updates (bot/journal.py): an update is stored before Telegram is told it arrived
    # and marked done once answered; the payload is cleared then (it holds the user's text).
    # `sent` counts the messages of its reply Telegram accepted, not to send them again.
    """
    CREATE TABLE updates (
        update_id INTEGER PRIMARY KEY, received_at TEXT NOT NULL, payload TEXT,
        sent INTEGER NOT NULL DEFAULT 0, done_at TEXT);
    CREATE INDEX updates_pending ON updates (done_at, update_id);
    """,
    # 7: reminders belong to the user who set them, also in groups (two users in one group get
    # one each), and a failed delivery is retried: when to try next, since when it fails.
    """
    CREATE TABLE reminders_v6 (
        id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, user_key TEXT NOT NULL,
        entry_id TEXT NOT NULL, language TEXT NOT NULL, remind_at TEXT NOT NULL,
        created_at TEXT NOT NULL, retry_at TEXT, failing_since TEXT,
        UNIQUE (chat_id, user_key, entry_id));
    INSERT INTO reminders_v6 (id, chat_id, user_key, entry_id, language, remind_at, created_at)
        SELECT id, chat_id, user_key, entry_id, language, remind_at, created_at FROM reminders;
    DROP TABLE reminders;
    ALTER TABLE reminders_v6 RENAME TO reminders;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Candidate:
    """An entry offered for a question, with its score."""

    id: str
    score: float


@dataclass(frozen=True)
class QuestionRecord:
    """One logged question: what was asked, in which language, and what the bot did."""

    id: int
    asked_at: datetime
    language: str
    text: str
    outcome: str
    answer_id: str | None
    candidates: tuple[Candidate, ...]
    followed_id: str | None
    user_key: str = ""  # the asker's keyed hash: who asked again, who voted
    followed_at: datetime | None = None  # when the user picked followed_id (None before v3)


@dataclass(frozen=True)
class VoteRecord:
    """One 👍/👎 as cast, with the question it was about (None when no recent question)."""

    user_key: str
    entry_id: str
    up: bool
    voted_at: datetime
    question_id: int | None


@dataclass(frozen=True)
class Memory:
    """What the bot remembers of one user's conversation in one chat."""

    language: str | None = None  # of the user's most recent clear message
    topic: str | None = None  # the entry last answered or opened
    topic_at: datetime | None = None
    aspect: str | None = None  # what the user last asked about the topic (access, hours …)
    offered: tuple[str, ...] = ()  # the entries last offered as "Did you mean…"
    offered_at: datetime | None = None


@dataclass(frozen=True)
class Reminder:
    """An event reminder due at remind_at, in the language it was set in."""

    id: int
    chat_id: int
    entry_id: str
    language: str
    remind_at: datetime
    retry_at: datetime | None = None  # after a failed delivery: not before then
    failing_since: datetime | None = None  # the first failed delivery


def _memory_of(row: tuple[str | None, ...]) -> Memory:
    language, topic, topic_at, aspect, offered, offered_at = row
    return Memory(
        language,
        topic,
        datetime.fromisoformat(topic_at) if topic_at else None,
        aspect,
        tuple(offered.split()) if offered else (),
        datetime.fromisoformat(offered_at) if offered_at else None,
    )


REMINDER_COLUMNS = "id, chat_id, entry_id, language, remind_at, retry_at, failing_since"


def _reminder_of(row: tuple[Any, ...]) -> Reminder:
    moments = [datetime.fromisoformat(value) if value else None for value in row[4:]]
    remind_at, retry_at, failing_since = moments
    assert remind_at is not None  # NOT NULL in the schema
    return Reminder(row[0], row[1], row[2], row[3], remind_at, retry_at, failing_since)


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class Store:
    """The one place that reads and writes user data. Narrow on purpose: a PostgreSQL twin only
    needs these methods."""

    def __init__(self, path: Path, hash_key: bytes | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._migrate()
        self._key = hash_key or self._stored_key()

    @classmethod
    def in_directory(cls, directory: Path, hash_key: bytes | None = None) -> Store:
        """The store file in a data directory."""
        return cls(directory / DB_FILE, hash_key)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def schema_version(self) -> int:
        """The schema version on disk."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version()
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self._transaction() as db:
                for statement in MIGRATIONS[version - 1].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")

    def _stored_key(self) -> bytes:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'hash_key'").fetchone()
        if row:
            return bytes.fromhex(row[0])
        key = secrets.token_bytes(32)
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('hash_key', ?)", (key.hex(),))
        row = self._db.execute("SELECT value FROM meta WHERE key = 'hash_key'").fetchone()
        return bytes.fromhex(row[0])

    def user_key(self, user_id: int) -> str:
        """The keyed hash standing for a user id."""
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    # -- language choice -------------------------------------------------------------------------

    def language(self, user_id: int) -> str | None:
        """The user's saved reply language, if any."""
        row = self._db.execute(
            "SELECT language FROM preferences WHERE user_key = ?", (self.user_key(user_id),)
        ).fetchone()
        return str(row[0]) if row else None

    def set_language(self, user_id: int, language: str) -> None:
        """Save the user's reply language."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO preferences VALUES (?, ?, ?) ON CONFLICT (user_key) DO UPDATE "
                "SET language = excluded.language, updated_at = excluded.updated_at",
                (self.user_key(user_id), language, _iso(_now())),
            )

    # -- conversation memory -----------------------------------------------------------------------

    def memory(self, user_id: int, chat_id: int | None) -> Memory:
        """What is remembered of this user's conversation in this chat."""
        row = self._db.execute(
            "SELECT language, topic, topic_at, aspect, offered, offered_at FROM conversations "
            "WHERE user_key = ? AND chat_key = ?",
            (self.user_key(user_id), self._chat_key(chat_id)),
        ).fetchone()
        return _memory_of(row) if row else Memory()

    def save_memory(self, user_id: int, chat_id: int | None, memory: Memory) -> None:
        """Remember the conversation as it now stands."""
        values = (
            self.user_key(user_id),
            self._chat_key(chat_id),
            memory.language,
            memory.topic,
            _iso(memory.topic_at) if memory.topic_at else None,
            memory.aspect,
            " ".join(memory.offered),
            _iso(memory.offered_at) if memory.offered_at else None,
            _iso(_now()),
        )
        with self._transaction() as db:
            db.execute(
                "INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (user_key, chat_key) DO UPDATE SET language = excluded.language, "
                "topic = excluded.topic, topic_at = excluded.topic_at, aspect = excluded.aspect, "
                "offered = excluded.offered, offered_at = excluded.offered_at, "
                "updated_at = excluded.updated_at",
                values,
            )

    def _chat_key(self, chat_id: int | None) -> str:
        return "" if chat_id is None else self.user_key(chat_id)

    # -- questions ---------------------------------------------------------------------------------

    def record_question(
        self,
        user_id: int,
        language: str,
        text: str,
        outcome: str,
        answer_id: str | None,
        candidates: Sequence[Candidate],
        at: datetime | None = None,
    ) -> int:
        """Log a question, what the bot did and the entries it considered."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO questions (asked_at, user_key, language, text, outcome, answer_id, "
                "candidates) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _iso(at or _now()),
                    self.user_key(user_id),
                    language,
                    text[:1000],
                    outcome,
                    answer_id,
                    json.dumps([[c.id, c.score] for c in candidates]),
                ),
            )
            return int(cursor.lastrowid or 0)

    def record_followup(
        self, user_id: int, entry_id: str, within: timedelta, now: datetime | None = None
    ) -> bool:
        """Note that the user picked ``entry_id`` after their last unanswered question."""
        since = _iso((now or _now()) - within)
        with self._transaction() as db:
            row = db.execute(
                "SELECT id FROM questions WHERE user_key = ? AND outcome != 'answer' AND "
                "asked_at >= ? AND followed_id IS NULL ORDER BY id DESC LIMIT 1",
                (self.user_key(user_id), since),
            ).fetchone()
            if row is None:
                return False
            db.execute(
                "UPDATE questions SET followed_id = ?, followed_at = ? WHERE id = ?",
                (entry_id, _iso(now or _now()), row[0]),
            )
            return True

    def questions(self, since: datetime | None = None) -> list[QuestionRecord]:
        """Logged questions, oldest first, optionally since a moment."""
        rows = self._db.execute(
            "SELECT id, asked_at, language, text, outcome, answer_id, candidates, followed_id, "
            "user_key, followed_at FROM questions WHERE asked_at >= ? ORDER BY id",
            (_iso(since) if since else "",),
        ).fetchall()
        return [_question_record(row) for row in rows]

    def note_lacking(self, user_id: int, asked_at: datetime) -> None:
        """Log the user's question of ``asked_at`` as a gap: the entry it found does not say what
        was asked (no price, no hours), so the curators' report lists it with what to write."""
        with self._transaction() as db:
            db.execute(
                "UPDATE questions SET outcome = 'lacking' WHERE id = (SELECT MAX(id) FROM "
                "questions WHERE user_key = ? AND asked_at = ?) AND outcome = 'answer'",
                (self.user_key(user_id), _iso(asked_at)),
            )

    def expire_questions(self, older_than: timedelta) -> int:
        """Delete questions (and the vote log, which points at them) older than the retention."""
        cutoff = _iso(_now() - older_than)
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
            db.execute("DELETE FROM vote_log WHERE voted_at < ?", (cutoff,))
            return cursor.rowcount

    # -- feedback ----------------------------------------------------------------------------------

    def vote(self, user_id: int, entry_id: str, up: bool, at: datetime | None = None) -> None:
        """Keep the user's latest vote on the entry, and log this one with its question."""
        key, when, value = self.user_key(user_id), _iso(at or _now()), 1 if up else -1
        with self._transaction() as db:
            db.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?) ON CONFLICT (user_key, entry_id) "
                "DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                (key, entry_id, value, when),
            )
            row = db.execute(
                "SELECT id FROM questions WHERE user_key = ? AND (answer_id = ? OR "
                "followed_id = ?) AND asked_at <= ? AND asked_at >= ? ORDER BY id DESC LIMIT 1",
                (key, entry_id, entry_id, when, _iso((at or _now()) - VOTE_WINDOW)),
            ).fetchone()
            db.execute(
                "INSERT INTO vote_log (user_key, entry_id, vote, voted_at, question_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, entry_id, value, when, row[0] if row else None),
            )

    def vote_log(self, since: datetime | None = None) -> list[VoteRecord]:
        """Every vote cast since ``since``, oldest first (a changed vote appears twice)."""
        rows = self._db.execute(
            "SELECT user_key, entry_id, vote, voted_at, question_id FROM vote_log "
            "WHERE voted_at >= ? ORDER BY voted_at, id",
            (_iso(since) if since else "",),
        ).fetchall()
        return [
            VoteRecord(row[0], row[1], row[2] > 0, datetime.fromisoformat(row[3]), row[4])
            for row in rows
        ]

    def votes(self, since: datetime | None = None) -> dict[str, tuple[int, int]]:
        """entry id -> (👍 count, 👎 count), of the votes cast (or changed) since ``since``."""
        rows = self._db.execute(
            "SELECT entry_id, SUM(vote > 0), SUM(vote < 0) FROM feedback WHERE voted_at >= ? "
            "GROUP BY entry_id",
            (_iso(since) if since else "",),
        ).fetchall()
        return {row[0]: (int(row[1]), int(row[2])) for row in rows}

    # -- reminders ---------------------------------------------------------------------------------

    def add_reminder(
        self, chat_id: int, user_id: int, entry_id: str, language: str, remind_at: datetime
    ) -> Reminder:
        """Add (or move) the user's reminder for an event in a chat."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO reminders (chat_id, user_key, entry_id, language, remind_at, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, user_key, entry_id) DO UPDATE "
                "SET language = excluded.language, remind_at = excluded.remind_at",
                (
                    chat_id,
                    self.user_key(user_id),
                    entry_id,
                    language,
                    _iso(remind_at),
                    _iso(_now()),
                ),
            )
            row = db.execute(
                "SELECT id FROM reminders WHERE chat_id = ? AND user_key = ? AND entry_id = ?",
                (chat_id, self.user_key(user_id), entry_id),
            ).fetchone()
        return Reminder(int(row[0]), chat_id, entry_id, language, remind_at)

    def reminders(self, user_id: int | None = None) -> list[Reminder]:
        """Reminders, soonest first: all, or one user's."""
        query = f"SELECT {REMINDER_COLUMNS} FROM reminders"
        params: tuple[str, ...] = ()
        if user_id is not None:
            query += " WHERE user_key = ?"
            params = (self.user_key(user_id),)
        rows = self._db.execute(query + " ORDER BY remind_at, id", params).fetchall()
        return [_reminder_of(row) for row in rows]

    def delay_reminder(self, reminder_id: int, retry_at: datetime, failing_since: datetime) -> None:
        """Note a failed delivery: try again at ``retry_at``."""
        with self._transaction() as db:
            db.execute(
                "UPDATE reminders SET retry_at = ?, failing_since = ? WHERE id = ?",
                (_iso(retry_at), _iso(failing_since), reminder_id),
            )

    def remove_reminder(self, reminder_id: int, user_id: int | None = None) -> bool:
        """Delete a reminder (only the user's own when a user is given); whether it existed."""
        mine = "" if user_id is None else self.user_key(user_id)
        with self._transaction() as db:
            cursor = db.execute(
                "DELETE FROM reminders WHERE id = ? AND (? = '' OR user_key = ?)",
                (reminder_id, mine, mine),
            )
            return cursor.rowcount > 0

    # -- privacy -----------------------------------------------------------------------------------

    def forget(self, user_id: int) -> None:
        """Delete everything stored about a user."""
        key = self.user_key(user_id)
        with self._transaction() as db:
            tables = ("preferences", "questions", "feedback", "vote_log", "reminders")
            for table in (*tables, "conversations", "follows", "edition_notices"):
                db.execute(f"DELETE FROM {table} WHERE user_key = ?", (key,))


def _question_record(row: Sequence[Any]) -> QuestionRecord:
    """A logged question from its row of :meth:`Store.questions`."""
    return QuestionRecord(
        row[0],
        datetime.fromisoformat(row[1]),
        row[2],
        row[3],
        row[4],
        row[5],
        tuple(Candidate(c[0], c[1]) for c in json.loads(row[6])),
        row[7],
        row[8],
        datetime.fromisoformat(row[9]) if row[9] else None,
    )
