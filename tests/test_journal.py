"""The update journal: stored before acknowledged, handed out again until done."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.journal import UpdateJournal
from bot.store import DB_FILE, Store

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def journal_in(tmp_path: Path) -> UpdateJournal:
    store = Store.in_directory(tmp_path)  # creates the table (migration 5)
    store.close()
    return UpdateJournal(store.path)


def test_an_update_is_stored_once_and_pending_until_done(tmp_path: Path) -> None:
    journal = journal_in(tmp_path)
    assert journal.add(7, '{"update_id": 7}', at=T0)
    assert not journal.add(7, '{"update_id": 7}')  # Telegram sent it again
    assert journal.add(5, '{"update_id": 5}', at=T0 + timedelta(seconds=1))
    assert [p.update_id for p in journal.pending()] == [5, 7]  # oldest update first
    assert journal.pending()[1].received_at == T0
    journal.sent(7, 2)
    assert [p.sent for p in journal.pending()] == [0, 2]  # messages of its reply already sent
    journal.done(5)
    assert journal.is_done(5) and not journal.is_done(7) and not journal.is_done(99)
    assert [p.update_id for p in journal.pending()] == [7]


def test_pending_updates_survive_reopening_and_done_ones_lose_their_text(tmp_path: Path) -> None:
    journal = journal_in(tmp_path)
    journal.add(1, '{"text": "where is the palace"}')
    journal.add(2, '{"text": "private words"}')
    journal.done(2)
    journal.close()
    reopened = UpdateJournal(Store.in_directory(tmp_path).path)
    assert [(p.update_id, p.payload) for p in reopened.pending()] == [
        (1, '{"text": "where is the palace"}')
    ]
    assert reopened.is_done(2)
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        assert db.execute("SELECT payload FROM updates WHERE update_id = 2").fetchone() == (None,)


def test_done_rows_are_pruned_after_a_day(tmp_path: Path) -> None:
    journal = journal_in(tmp_path)
    journal.add(1, "{}")
    journal.add(2, "{}")
    journal.done(1, at=T0)
    assert journal.prune(now=T0 + timedelta(hours=23)) == 0
    assert journal.prune(now=T0 + timedelta(days=1, seconds=1)) == 1
    assert [p.update_id for p in journal.pending()] == [2]  # unfinished ones are never pruned
