"""Events in time (bot/events.py): coming up, expected and recently; the next and the last
edition; the month and kind views; what a reload newly announces."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.events import expected, last_edition, listing, new_editions, next_edition
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise

from .support.fake_request import NOW
from .support.series_kb import write_series_kb


@pytest.fixture
def series_kb(tmp_path: Path) -> KnowledgeBase:
    return load_knowledge_or_raise(write_series_kb(tmp_path / "kb"), strict=True)


def ids(dated: tuple[object, ...]) -> list[str]:
    return [d.entry.id for d in dated]  # type: ignore[attr-defined]


def test_coming_expected_and_recent_placement(series_kb: KnowledgeBase) -> None:
    found = listing(series_kb, NOW)
    assert ids(found.coming) == ["gala", "expo"]  # soonest first
    assert [(e.entry.id, e.year, e.month) for e in found.expected] == [
        ("ice-festival", 2026, 12),  # December is still ahead this year
        ("marathon", 2027, 9),
    ]
    # Latest first, and only the last twelve months: the 2024 festival and the 2025 marathon
    # are history.
    assert [(d.entry.id, d.event.start_day.isoformat()) for d in found.recent] == [
        ("expo", "2026-09-01"),
        ("ice-festival", "2025-12-28"),
    ]


def test_a_series_with_an_announced_edition_is_not_expected(series_kb: KnowledgeBase) -> None:
    expo = series_kb.get("expo")
    assert expo is not None
    coming = next_edition(expo, NOW)
    assert coming is not None and coming.start_day.isoformat() == "2027-09-01"
    assert expected(expo, NOW) is None
    last = last_edition(expo, NOW)
    assert last is not None and last.start_day.isoformat() == "2026-09-01"


def test_an_edition_under_way_is_still_coming_up(series_kb: KnowledgeBase) -> None:
    during = NOW.replace(year=2027, month=9, day=3)
    assert "expo" in ids(listing(series_kb, during).coming)
    assert "expo" not in ids(listing(series_kb, during + timedelta(days=3)).coming)


def test_a_past_edition_is_never_the_next_one(series_kb: KnowledgeBase) -> None:
    ice = series_kb.get("ice-festival")
    assert ice is not None
    assert next_edition(ice, NOW) is None
    last = last_edition(ice, NOW)
    assert last is not None and last.start_day.isoformat() == "2025-12-28"


def test_the_views_by_month_and_kind(series_kb: KnowledgeBase) -> None:
    this_month = listing(series_kb, NOW, "this-month")
    assert not (this_month.coming or this_month.expected or this_month.recent)
    december = listing(series_kb, NOW, "next-month")
    assert ids(december.coming) == ["gala"]
    assert [e.entry.id for e in december.expected] == ["ice-festival"]
    business = listing(series_kb, NOW, "business")
    assert ids(business.coming) == ["expo"] and ids(business.recent) == ["expo"]
    sports = listing(series_kb, NOW, "sports")
    assert not sports.coming and [e.entry.id for e in sports.expected] == ["marathon"]
    assert "gala" not in ids(listing(series_kb, NOW, "culture").coming)  # a gala has no kind


def test_next_month_in_august_is_september(series_kb: KnowledgeBase) -> None:
    august = NOW.replace(year=2027, month=8, day=10)
    september = listing(series_kb, august, "next-month")
    assert ids(september.coming) == ["expo"]
    assert [(e.entry.id, e.year) for e in september.expected] == [("marathon", 2027)]


def test_new_editions_are_what_a_reload_adds(tmp_path: Path, series_kb: KnowledgeBase) -> None:
    announced = load_knowledge_or_raise(write_series_kb(tmp_path / "new", announced=True))
    added = new_editions(series_kb, announced, NOW)
    assert [(d.entry.id, d.event.start_day.isoformat()) for d in added] == [
        ("ice-festival", "2026-12-12")
    ]
    assert new_editions(announced, announced, NOW) == ()
    assert new_editions(series_kb, series_kb, NOW) == ()
    later = listing(announced, NOW)
    assert ids(later.coming) == ["ice-festival", "gala", "expo"]
    assert "ice-festival" not in [e.entry.id for e in later.expected]
