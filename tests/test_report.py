"""The curator's report: exact figures from a seeded store, grouping, rendering, periods."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.report import (
    DownvotedEntry,
    LanguageCount,
    PickedSuggestion,
    Report,
    build_report,
    near_duplicates,
    parse_since,
    render_html,
    render_text,
)
from bot.store import Candidate, Store
from bot.text import normalize

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # a Monday morning
SINCE = NOW - timedelta(days=7)  # 2025-03-03 09:00 UTC
SCRIPT = "Is there a <script>alert(1)</script> tour?"
WITHIN = timedelta(days=36500)  # record_followup looks back from the real clock


def at(day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, second, tzinfo=UTC)


def c(entry_id: str, score: float) -> Candidate:
    return Candidate(entry_id, score)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "report.sqlite3", hash_key=b"k" * 32)
    # (user, language, text, outcome, answer_id, candidates, asked_at), in order of asking.
    seed: list[tuple[int, str, str, str, str | None, list[Candidate], datetime]] = [
        # before the window: ignored even though it would join the Mukden group
        (
            90,
            "en",
            "Where is the Mukden Palace?",
            "suggest",
            None,
            [c("mukden-palace", 0.6)],
            at(2, 12),
        ),
        (91, "zh", "地铁几点停运", "unknown", None, [], at(3, 8, 59, 59)),
        # 2025-03-03
        (
            1,
            "en",
            "Where is the Mukden Palace?",
            "suggest",
            None,
            [c("mukden-palace", 0.6), c("zhongshan-square", 0.3)],
            at(3, 10),
        ),
        (2, "en", "How do I get a taxi?", "answer", "taxi", [c("taxi", 0.9)], at(3, 11)),
        # 2025-03-04
        (
            3,
            "en",
            "where is mukden palace",
            "unknown",
            None,
            [c("mukden-palace", 0.5)],
            at(4, 9, 30),
        ),
        (4, "ja", "瀋陽故宮はどこ", "suggest", None, [c("mukden-palace", 0.7)], at(4, 23, 59, 59)),
        # 2025-03-05 (the +08:00 question is 23:00 UTC, so still the 5th)
        (5, "ja", "瀋陽故宮はどこ？", "unknown", None, [], at(5, 0, 0, 0)),
        (
            6,
            "zh",
            "沈阳故宫在哪里",
            "unknown",
            None,
            [],
            datetime(2025, 3, 6, 7, 0, tzinfo=timezone(timedelta(hours=8))),
        ),
        # 2025-03-06
        (
            7,
            "en",
            "Where's the Mukden palace??",
            "suggest",
            None,
            [c("mukden-palace", 0.8), c("north-tomb", 0.4)],
            at(6, 8),
        ),
        (8, "zh", "沈阳故宫门票多少钱", "answer", "mukden-palace-tickets", [], at(6, 9)),
        # 2025-03-07
        (9, "zh", "地铁几点停运", "suggest", None, [c("metro-hours", 0.6)], at(7, 10)),
        (10, "en", SCRIPT, "unknown", None, [], at(7, 11)),
        # 2025-03-08
        (11, "zh", "地铁几点停运？", "suggest", None, [c("metro-hours", 0.7)], at(8, 10)),
        # 2025-03-09
        (12, "en", "Best hotpot near Zhongshan Square", "answer", "hotpot", [], at(9, 19)),
        # 2025-03-10, before NOW
        (13, "ja", "中街への行き方", "answer", "zhongjie", [], at(10, 8)),
        # after NOW: ignored
        (14, "en", "Where is the Mukden Palace?", "unknown", None, [], at(10, 10)),
    ]
    for user, language, text, outcome, answer_id, candidates, asked_at in seed:
        s.record_question(user, language, text, outcome, answer_id, candidates, at=asked_at)
    for user, entry in (
        (90, "mukden-palace"),
        (1, "mukden-palace"),
        (4, "mukden-palace"),
        (9, "metro-hours"),
        (11, "metro-hours"),
    ):
        assert s.record_followup(user, entry, within=WITHIN)
    for user in (1, 2, 3):
        s.vote(user, "taxi", up=False)
    s.vote(4, "taxi", up=True)
    for user in (1, 2, 3):
        s.vote(user, "metro-hours", up=False)
    s.vote(5, "mukden-palace", up=False)
    for user in (6, 7):
        s.vote(user, "mukden-palace", up=True)
    for user in (1, 2, 3):
        s.vote(user, "hotpot", up=True)
    yield s
    s.close()


@pytest.fixture
def report(store: Store) -> Report:
    return build_report(store, SINCE, NOW)


# -- figures -----------------------------------------------------------------------------------


def test_totals_and_answer_rate(report: Report) -> None:
    assert report.total == 13
    assert report.answered == 4
    assert report.answer_rate == pytest.approx(4 / 13)


def test_per_language(report: Report) -> None:
    assert report.languages == (
        LanguageCount("en", 6),
        LanguageCount("zh", 4),
        LanguageCount("ja", 3),
    )


def test_per_day_in_utc_with_empty_languages_filled(report: Report) -> None:
    days = {d.day: d for d in report.days}
    assert [d.day for d in report.days] == [date(2025, 3, n) for n in range(3, 11)]
    expected = {  # day -> (en, zh, ja), answered
        3: ((2, 0, 0), 1),
        4: ((1, 0, 1), 0),
        5: ((0, 1, 1), 0),
        6: ((1, 1, 0), 1),
        7: ((1, 1, 0), 0),
        8: ((0, 1, 0), 0),
        9: ((1, 0, 0), 1),
        10: ((0, 0, 1), 1),
    }
    for n, (counts, answered) in expected.items():
        day = days[date(2025, 3, n)]
        assert tuple(part.count for part in day.by_language) == counts, n
        assert tuple(part.language for part in day.by_language) == ("en", "zh", "ja")
        assert day.total == sum(counts)
        assert day.answered == answered
    assert days[date(2025, 3, 3)].answer_rate == pytest.approx(0.5)
    assert days[date(2025, 3, 4)].answer_rate == 0.0


def test_unanswered_groups(report: Report) -> None:
    groups = report.unanswered
    assert [(g.text, g.count) for g in groups] == [
        ("Where is the Mukden Palace?", 3),
        ("瀋陽故宮はどこ", 2),
        ("地铁几点停运", 2),
        ("沈阳故宫在哪里", 1),
        (SCRIPT, 1),
    ]
    mukden = groups[0]
    assert set(mukden.variants) == {
        "Where is the Mukden Palace?",
        "where is mukden palace",
        "Where's the Mukden palace??",
    }
    assert mukden.languages == ("en",)
    # offered 3 times, then the better-scored of the two offered once
    assert mukden.candidate_ids == ("mukden-palace", "north-tomb", "zhongshan-square")
    assert set(groups[1].variants) == {"瀋陽故宮はどこ", "瀋陽故宮はどこ？"}
    assert groups[1].languages == ("ja",)
    assert groups[1].candidate_ids == ("mukden-palace",)
    assert groups[2].candidate_ids == ("metro-hours",)
    assert groups[3].candidate_ids == ()


def test_answered_questions_are_not_in_unanswered(report: Report) -> None:
    texts = {v for g in report.unanswered for v in g.variants}
    assert "How do I get a taxi?" not in texts
    assert "沈阳故宫门票多少钱" not in texts


def test_near_duplicate_rules() -> None:
    def same(a: str, b: str) -> bool:
        return near_duplicates(normalize(a), normalize(b))

    assert same("Where is the Mukden Palace?", "Where's the Mukden palace??")
    assert same("瀋陽故宮はどこ", "瀋陽故宮はどこですか")  # CJK: plain ratio 82
    assert not same("瀋陽故宮はどこ", "沈阳故宫在哪里")
    assert not same("Where is the Mukden Palace?", "Where is the Zhongshan Square?")
    assert not same("hotel", "hotel near the north station")  # token subset, too short


def test_picked_suggestions(report: Report) -> None:
    assert report.picked == (
        PickedSuggestion("地铁几点停运", "metro-hours", 2),
        PickedSuggestion("Where is the Mukden Palace?", "mukden-palace", 1),
        PickedSuggestion("瀋陽故宮はどこ", "mukden-palace", 1),
    )


def test_downvoted_ranking(report: Report) -> None:
    assert report.downvoted == (
        DownvotedEntry("metro-hours", 0, 3),
        DownvotedEntry("taxi", 1, 3),
        DownvotedEntry("mukden-palace", 2, 1),
    )


def test_since_filters(store: Store) -> None:
    since = datetime(2025, 3, 7, 0, 0, tzinfo=UTC)
    narrow = build_report(store, since, NOW)
    assert narrow.total == 5
    assert narrow.answered == 2
    assert narrow.languages == (
        LanguageCount("en", 2),
        LanguageCount("zh", 2),
        LanguageCount("ja", 1),
    )
    assert [d.day for d in narrow.days] == [date(2025, 3, n) for n in range(7, 11)]
    assert [(g.text, g.count) for g in narrow.unanswered] == [("地铁几点停运", 2), (SCRIPT, 1)]
    assert narrow.picked == (PickedSuggestion("地铁几点停运", "metro-hours", 2),)
    # one second earlier than the window: the 08:59:59 question joins
    wide = build_report(store, datetime(2025, 3, 3, 8, 59, 59, tzinfo=UTC), NOW)
    assert wide.total == 14
    assert [(g.text, g.count) for g in wide.unanswered][:3] == [
        ("地铁几点停运", 3),
        ("Where is the Mukden Palace?", 3),
        ("瀋陽故宮はどこ", 2),
    ]


def test_empty_report(tmp_path: Path) -> None:
    empty = Store(tmp_path / "empty.sqlite3", hash_key=b"k" * 32)
    try:
        report = build_report(empty, SINCE, NOW)
    finally:
        empty.close()
    assert report.total == 0
    assert report.answer_rate is None
    assert len(report.days) == 8
    assert (report.unanswered, report.picked, report.downvoted) == ((), (), ())
    assert "Questions: 0" in render_text(report)
    assert "<svg" in render_html(report)


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone"):
        build_report(store, datetime(2025, 3, 3), NOW)


# -- rendering ---------------------------------------------------------------------------------


def test_render_text(report: Report) -> None:
    text = render_text(report)
    assert len(text) < 3500
    assert "Questions: 13" in text
    assert "Answered: 4 (31%)" in text
    assert "By language: en 6, zh 4, ja 3" in text
    assert (
        "1. Where is the Mukden Palace? ×3 [en] → mukden-palace, north-tomb, zhongshan-square"
        in text
    )
    assert "1. 地铁几点停运 → metro-hours ×2" in text
    assert "1. metro-hours 👎3 👍0" in text
    unanswered = text.split("Top unanswered:")[1].split("Suggestions")[0]
    assert len(re.findall(r"^\d+\. ", unanswered, re.MULTILINE)) == 5


def test_render_text_stays_short(report: Report) -> None:
    from dataclasses import replace

    long = replace(report.unanswered[0], text="x" * 5000 + "\n" * 50)
    huge = replace(
        report, unanswered=(long,) * 15, picked=(PickedSuggestion("y" * 5000, "e" * 3000, 9),) * 15
    )
    text = render_text(huge)
    assert len(text) < 3500
    assert "\n\n\n" not in text


def test_render_html(report: Report) -> None:
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<html") == 1 and page.count("</html>") == 1
    assert page.count("<svg") == 2
    assert '<meta name="viewport"' in page
    assert "max-width" in page
    # self-contained: nothing fetched from elsewhere
    assert "<link" not in page and "src=" not in page and "http" not in page
    assert "@import" not in page and "url(" not in page
    # user text is escaped
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Where&#x27;s the Mukden palace??" in page
    for needle in ("瀋陽故宮はどこ", "metro-hours", "地铁几点停运", "31%"):
        assert needle in page
    # one stacked bar segment per non-zero (day, language) pair + one rate bar per day
    assert page.count("<rect") == 12 + 8


# -- periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", timedelta(days=7)),
        ("24h", timedelta(hours=24)),
        ("2w", timedelta(weeks=2)),
        (" 3D ", timedelta(days=3)),
        ("52w", timedelta(weeks=52)),
    ],
)
def test_parse_since(text: str, expected: timedelta) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize(
    "text", ["", "7", "d", "7days", "-7d", "1.5d", "7m", "0d", "60w", "9999999999d", "7 d x"]
)
def test_parse_since_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="period"):
        parse_since(text)
