"""Following events in the store (bot/follows.py): all or kinds, unfollow, /forget, and a notice
claimed once per follower and edition."""

from __future__ import annotations

from pathlib import Path

from bot.events import Dated
from bot.follows import Follows
from bot.knowledge import load_knowledge_or_raise
from bot.store import Store

from .support.series_kb import write_series_kb


def editions(tmp_path: Path) -> list[Dated]:
    kb = load_knowledge_or_raise(write_series_kb(tmp_path / "kb"))
    return [Dated(e, e.editions[-1].event) for e in kb.entries if e.editions]


def test_all_replaces_kinds_and_a_kind_replaces_all(store: Store) -> None:
    follows = Follows(store)
    follows.follow(1, 10, "sports", "en")
    follows.follow(1, 10, "culture", "en")
    assert follows.following(1) == ("culture", "sports")
    follows.follow(1, 10, "all", "en")
    assert follows.following(1) == ("all",)
    follows.follow(1, 10, "business", "en")
    assert follows.following(1) == ("business",)
    assert follows.unfollow(1) and follows.following(1) == () and not follows.unfollow(1)


def test_each_follower_hears_of_an_edition_once(store: Store, tmp_path: Path) -> None:
    follows = Follows(store)
    follows.follow(1, 10, "all", "ja")
    follows.follow(2, 20, "sports", "en")
    found = editions(tmp_path)  # ice festival (culture), marathon (sports), expo (business)
    assert follows.announce(found) == 3 + 1
    notices = follows.due()
    assert sorted((n.chat_id, n.entry_id) for n in notices) == [
        (10, "expo"),
        (10, "ice-festival"),
        (10, "marathon"),
        (20, "marathon"),
    ]
    assert {n.language for n in notices if n.chat_id == 10} == {"ja"}
    assert follows.due() == []
    assert follows.announce(found) == 0  # again, and after reopening the store
    reopened = Store(store.path)
    assert Follows(reopened).announce(found) == 0
    reopened.close()


def test_forget_removes_the_subscription(store: Store, tmp_path: Path) -> None:
    follows = Follows(store)
    follows.follow(1, 10, "all", "en")
    store.forget(1)
    assert follows.following(1) == ()
    assert follows.announce(editions(tmp_path)) == 0
