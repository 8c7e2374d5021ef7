"""The durable store: round trips, migrations from an old schema, crash safety, privacy."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store import DB_FILE, MIGRATIONS, SCHEMA_VERSION, Candidate, Store


def test_round_trips(store: Store) -> None:
    store.set_language(42, "ja")
    store.set_language(42, "zh")
    assert store.language(42) == "zh" and store.language(7) is None
    at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    store.record_question(
        42, "zh", "故宫几点开门", "suggest", None, [Candidate("palace", 48.5)], at
    )
    (question,) = store.questions()
    assert (question.asked_at, question.text, question.outcome) == (at, "故宫几点开门", "suggest")
    assert question.candidates == (Candidate("palace", 48.5),)
    store.vote(42, "palace", up=True)
    store.vote(43, "palace", up=False)
    assert store.votes() == {"palace": (1, 1)}
    remind_at = datetime(2030, 8, 31, 1, 0, tzinfo=UTC)
    reminder = store.add_reminder(1001, 42, "fair", "zh", remind_at)
    assert store.reminders(42) == [reminder] and store.reminders(43) == []
    assert not store.remove_reminder(reminder.id, user_id=43)
    assert store.remove_reminder(reminder.id, user_id=42) and store.reminders() == []


def test_user_ids_are_stored_as_keyed_hashes(tmp_path: Path) -> None:
    store = Store.in_directory(tmp_path)
    store.set_language(123456789, "en")
    store.vote(123456789, "palace", up=True)
    store.close()
    raw = (
        (tmp_path / DB_FILE).read_bytes() + (tmp_path / (DB_FILE + "-wal")).read_bytes()
        if (tmp_path / (DB_FILE + "-wal")).exists()
        else (tmp_path / DB_FILE).read_bytes()
    )
    assert b"123456789" not in raw
    assert Store.in_directory(tmp_path).language(123456789) == "en"  # same key after reopening


def test_migrates_an_old_schema_keeping_data(tmp_path: Path) -> None:
    path = tmp_path / DB_FILE
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0])
    old.execute("PRAGMA user_version = 1")
    old.execute("INSERT INTO meta VALUES ('hash_key', ?)", (bytes(32).hex(),))
    store_v1_key = Store(tmp_path / "scratch.sqlite3", hash_key=bytes(32)).user_key(5)
    old.execute(
        "INSERT INTO preferences VALUES (?, 'ja', '2024-01-01T00:00:00+00:00')", (store_v1_key,)
    )
    old.commit()
    old.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION == 7
    assert store.language(5) == "ja"
    store.vote(5, "palace", up=True)
    assert store.votes() == {"palace": (1, 0)}


def test_migrating_from_version_2_keeps_votes_and_ties_them_to_their_question(
    tmp_path: Path,
) -> None:
    path = tmp_path / DB_FILE
    key = Store(tmp_path / "scratch.sqlite3", hash_key=bytes(32)).user_key(5)
    old = sqlite3.connect(path)
    for step in MIGRATIONS[:2]:
        old.executescript(step)
    old.execute("PRAGMA user_version = 2")
    old.execute("INSERT INTO meta VALUES ('hash_key', ?)", (bytes(32).hex(),))
    rows = [  # (asked_at, answer_id, followed_id)
        ("2026-11-01T10:00:00+00:00", "palace", None),
        ("2026-11-01T10:05:00+00:00", None, "palace"),
        ("2026-11-01T10:10:00+00:00", "taxi", None),
    ]
    for asked_at, answer_id, followed_id in rows:
        old.execute(
            "INSERT INTO questions (asked_at, user_key, language, text, outcome, answer_id, "
            "followed_id) VALUES (?, ?, 'en', 'q', 'answer', ?, ?)",
            (asked_at, key, answer_id, followed_id),
        )
    old.execute(
        "INSERT INTO feedback VALUES (?, 'palace', -1, '2026-11-01T10:20:00+00:00')", (key,)
    )
    old.execute("INSERT INTO feedback VALUES (?, 'metro', 1, '2026-11-01T10:30:00+00:00')", (key,))
    old.commit()
    old.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION
    (first, second, _third) = store.questions()
    assert first.user_key == key and first.followed_at is None
    assert store.votes() == {"palace": (0, 1), "metro": (1, 0)}
    voted = datetime(2026, 11, 1, 10, 20, tzinfo=UTC)
    assert [(v.entry_id, v.up, v.voted_at, v.question_id) for v in store.vote_log()] == [
        ("palace", False, voted, second.id),  # the latest question the entry was given for
        ("metro", True, voted + timedelta(minutes=10), None),
    ]


def test_a_vote_is_logged_with_the_question_it_judges(store: Store) -> None:
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    first = store.record_question(1, "en", "palace?", "answer", "palace", [], at)
    store.record_question(1, "en", "taxi?", "answer", "taxi", [], at + timedelta(minutes=1))
    picked = store.record_question(1, "en", "tomb?", "suggest", None, [], at + timedelta(minutes=2))
    assert store.record_followup(1, "tomb", timedelta(minutes=5), now=at + timedelta(minutes=3))
    store.vote(1, "palace", up=False, at=at + timedelta(minutes=4))
    store.vote(1, "tomb", up=True, at=at + timedelta(minutes=5))
    store.vote(1, "palace", up=True, at=at + timedelta(hours=2))  # too late to judge that answer
    store.vote(2, "palace", up=True, at=at + timedelta(minutes=4))  # another user's vote
    log = store.vote_log()
    assert [(v.entry_id, v.up, v.question_id) for v in log] == [
        ("palace", False, first),
        ("palace", True, None),
        ("tomb", True, picked),
        ("palace", True, None),
    ]
    assert store.votes() == {"palace": (2, 0), "tomb": (1, 0)}
    assert store.questions()[2].followed_at == at + timedelta(minutes=3)
    assert store.vote_log(at + timedelta(hours=1)) == log[3:]


def test_fresh_store_is_at_the_latest_schema(store: Store) -> None:
    assert store.schema_version() == SCHEMA_VERSION


def test_acknowledged_writes_survive_a_kill(tmp_path: Path) -> None:
    # A child process writes, reports each write, and is killed mid-stream with SIGKILL.
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        from pathlib import Path
        from bot.store import Store
        store = Store.in_directory(Path({str(tmp_path)!r}))
        i = 0
        while True:
            store.vote(i, "palace", up=True)
            print(i, flush=True)
            i += 1
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    acknowledged = -1
    for line in child.stdout:
        acknowledged = int(line)
        if acknowledged >= 50:
            break
    child.kill()
    child.wait(timeout=10)
    up, _down = Store.in_directory(tmp_path).votes()["palace"]
    assert up >= acknowledged + 1


def test_retention_expires_old_questions(store: Store) -> None:
    now = datetime.now(UTC)
    store.record_question(1, "en", "old", "unknown", None, [], now - timedelta(days=400))
    store.record_question(1, "en", "new", "unknown", None, [], now)
    store.vote(1, "palace", up=False, at=now - timedelta(days=400))
    store.vote(1, "palace", up=True, at=now)
    assert store.expire_questions(timedelta(days=180)) == 1
    assert [q.text for q in store.questions()] == ["new"]
    assert [v.up for v in store.vote_log()] == [True]  # the vote log expires with the questions


def test_forget_removes_only_that_user(store: Store) -> None:
    for user in (1, 2):
        store.set_language(user, "en")
        store.record_question(user, "en", f"q{user}", "answer", "palace", [])
        store.vote(user, "palace", up=True)
        store.add_reminder(user, user, "fair", "en", datetime(2030, 1, 1, tzinfo=UTC))
    store.forget(1)
    assert [v.user_key for v in store.vote_log()] == [store.user_key(2)]
    assert store.language(1) is None and store.language(2) == "en"
    assert [q.text for q in store.questions()] == ["q2"]
    assert store.votes() == {"palace": (1, 0)}
    assert [r.chat_id for r in store.reminders()] == [2]


def test_votes_can_be_limited_to_a_period(store: Store) -> None:
    store.vote(1, "palace", up=False)
    assert store.votes(datetime.now(UTC) - timedelta(days=1)) == {"palace": (0, 1)}
    assert store.votes(datetime.now(UTC) + timedelta(days=1)) == {}


def test_a_hash_key_from_the_environment_stays_out_of_the_database(tmp_path: Path) -> None:
    from bot.config import Settings

    settings = Settings.from_env({"BOT_HASH_KEY": "s3cret", "BOT_DATA_DIR": str(tmp_path)})
    assert settings.hash_key == b"s3cret" and "s3cret" not in repr(settings)
    store = Store.in_directory(tmp_path, settings.hash_key)
    store.set_language(7, "ja")
    rows = store._db.execute("SELECT key FROM meta").fetchall()
    assert ("hash_key",) not in rows
    other_key = Store(tmp_path / "other.sqlite3")
    assert other_key.user_key(7) != store.user_key(7)
    assert Store.in_directory(tmp_path, b"s3cret").language(7) == "ja"


def test_a_gap_is_noted_on_that_answer_only(store: Store) -> None:
    at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    store.record_question(42, "en", "how much is it", "answer", "palace", [], at)
    store.record_question(43, "en", "how much is it", "answer", "palace", [], at)
    store.record_question(42, "en", "parking?", "unknown", None, [], at + timedelta(seconds=1))
    store.note_lacking(42, at)
    store.note_lacking(42, at + timedelta(seconds=1))  # not known is no answer to mark
    assert [q.outcome for q in store.questions()] == ["lacking", "answer", "unknown"]
