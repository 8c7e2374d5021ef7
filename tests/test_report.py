"""The curator's report figures, asserted exactly on a seeded store (tests/support/report_seed.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.report import Report, build_report, parse_since
from bot.report_figures import (
    Basis,
    DownvotedEntry,
    LanguageCount,
    PeriodFigures,
    Signal,
    Suggestion,
    SuspectedAnswer,
    is_negation,
)
from bot.store import Store
from tests.support.report_seed import KNOWLEDGE, NOW, SCRIPT, SINCE, at, seed_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = seed_store(tmp_path / "report.sqlite3")
    yield s
    s.close()


@pytest.fixture
def report(store: Store) -> Report:
    return build_report(store, SINCE, NOW, KNOWLEDGE)


def test_figures_and_trend(report: Report) -> None:
    # 20 messages in the period; "不对" is a reply, not a question. Of 8 direct answers, 3 are
    # suspected wrong: 5 answered well. Votes: each voter's last vote per entry.
    assert report.current == PeriodFigures(questions=19, answered=5, suspected=3, up=1, down=1)
    assert report.previous == PeriodFigures(questions=3, answered=1, suspected=1, up=0, down=1)
    assert (report.total, report.answered) == (19, 5)
    assert report.answer_rate == pytest.approx(5 / 19)
    assert report.previous.answer_rate == pytest.approx(1 / 3)


def test_per_language_and_per_day(report: Report) -> None:
    assert report.languages == (
        LanguageCount("en", 10),
        LanguageCount("zh", 5),
        LanguageCount("ja", 4),
    )
    assert [d.day for d in report.days] == [date(2025, 3, n) for n in range(3, 11)]
    assert [(d.total, d.answered) for d in report.days] == [
        (1, 1),
        (2, 0),
        (2, 0),
        (2, 0),
        (3, 0),
        (2, 0),
        (3, 1),  # 3 answers on the 9th, 2 of them suspected wrong
        (4, 3),
    ]
    assert report.days[0].by_language == (
        LanguageCount("en", 1),
        LanguageCount("zh", 0),
        LanguageCount("ja", 0),
    )


def test_clusters_join_languages_and_wordings(report: Report) -> None:
    summary = [
        (c.examples, c.count, c.users, c.unknown, c.suggested, c.suspected) for c in report.clusters
    ]
    assert summary == [
        (
            ("外资优惠政策", "優遇策は？税金とか", "外資向けの優遇政策ありますか",
             "tax incentives for foreign investors?"),
            5, 4, 3, 2, 0,
        ),
        (("地铁几点停运", "subway last train time", "地下鉄の終電は何時"), 3, 3, 0, 3, 0),
        (("is there a good hotpot place", "沈阳哪里有好吃的火锅"), 2, 2, 0, 1, 1),
        (("population and gdp? need latest numbers",), 1, 1, 0, 1, 0),
        (("Where is the Mukden Palace?",), 1, 1, 0, 0, 1),
        (("沈阳故宫门票多少钱",), 1, 1, 0, 0, 1),
        ((SCRIPT,), 1, 1, 1, 0, 0),
    ]  # fmt: skip
    incentives = report.clusters[0]
    assert incentives.languages == (
        LanguageCount("ja", 2),
        LanguageCount("zh", 2),
        LanguageCount("en", 1),
    )
    # offered to 3 questions, then the better-scored of two offered once
    assert incentives.offered == ("investment-support", "key-industries", "investment-environment")


def test_suggestions_name_an_entry_only_when_it_plausibly_answers(report: Report) -> None:
    assert [c.suggestion for c in report.clusters] == [
        Suggestion("investment-support", Basis.PICKED),  # picked, mentions incentives and FDI
        Suggestion("getting-around", Basis.OFFERED),  # first offer for 3 users, median 52
        Suggestion(None, Basis.NEW),  # consistently offered, but voted 👎
        Suggestion(None, Basis.NEW),  # picked, but the entry has no GDP figure
        # answered wrongly; asked again in other words and answered with mukden-palace
        Suggestion("mukden-palace", Basis.REPHRASED),
        Suggestion(None, Basis.NEW),  # answered, then "不对"
        Suggestion(None, Basis.NEW),
    ]


def test_suspected_wrong_answers(report: Report) -> None:
    assert report.suspected == (
        SuspectedAnswer(
            "is there a good hotpot place",
            "en",
            "investment-environment",
            at(3, 8, 9),
            (Signal.DOWNVOTE,),
            None,
        ),
        SuspectedAnswer(
            "Where is the Mukden Palace?",
            "en",
            "zhongshan-square",
            at(3, 9, 10),
            (Signal.REPHRASE,),
            "mukden palace location",
        ),
        SuspectedAnswer(
            "沈阳故宫门票多少钱", "zh", "mukden-palace", at(3, 9, 11), (Signal.NEGATION,), "不对"
        ),
    )


def test_downvoted_and_titles(report: Report) -> None:
    assert report.downvoted == (DownvotedEntry("investment-environment", 0, 1),)
    assert report.titles["investment-support"]["zh"] == "外商投资服务"
    assert "zhongshan-square" not in report.titles  # no title: shown by its id


def test_a_narrower_period(store: Store) -> None:
    narrow = build_report(store, datetime(2025, 3, 9, 0, 0, tzinfo=UTC), NOW, KNOWLEDGE)
    assert narrow.current == PeriodFigures(questions=7, answered=4, suspected=2, up=0, down=0)
    # the period before is as long (33 h) and holds the hotpot question and its 👎
    assert narrow.previous == PeriodFigures(questions=2, answered=0, suspected=1, up=0, down=1)
    assert [c.examples[0] for c in narrow.clusters] == [
        "Where is the Mukden Palace?",
        "沈阳故宫门票多少钱",
        SCRIPT,
    ]


def test_without_a_knowledge_base(store: Store) -> None:
    bare = build_report(store, SINCE, NOW)
    assert bare.titles == {}
    # nothing to check the entry against: the picked entry is suggested
    assert bare.clusters[3].suggestion == Suggestion("about-shenyang", Basis.PICKED)


def test_empty_report(tmp_path: Path) -> None:
    empty = Store(tmp_path / "empty.sqlite3", hash_key=b"k" * 32)
    try:
        report = build_report(empty, SINCE, NOW, KNOWLEDGE)
    finally:
        empty.close()
    assert report.current == PeriodFigures(0, 0, 0, 0, 0)
    assert report.answer_rate is None
    assert len(report.days) == 8
    assert (report.clusters, report.suspected, report.downvoted) == ((), (), ())


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone"):
        build_report(store, datetime(2025, 3, 3), NOW)


@pytest.mark.parametrize(
    "text",
    ["no", "No.", "不对", "不对，我问的是门票", "違います", "いいえ", "that's not it!", "wrong"],
)
def test_negations(text: str) -> None:
    assert is_negation(text)


@pytest.mark.parametrize("text", ["north station", "不是很贵吗", "違う店はありますか", "nobody"])
def test_questions_that_start_like_a_no(text: str) -> None:
    assert not is_negation(text)


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


@pytest.mark.parametrize(
    ("seconds", "suggestion"),
    [
        (30, Suggestion("getting-around", Basis.REPHRASED)),
        (120, Suggestion(None, Basis.NEW)),  # too late to be the same attempt
    ],
)
def test_an_answered_rephrasing_names_the_entry(
    tmp_path: Path, seconds: int, suggestion: Suggestion
) -> None:
    store = Store(tmp_path / "rephrase.sqlite3", hash_key=b"k" * 32)
    asked = at(3, 5, 10)
    store.record_question(1, "zh", "地铁几点停运", "unknown", None, [], at=asked)
    store.record_question(
        1,
        "zh",
        "地铁末班车几点",
        "answer",
        "getting-around",
        [],
        at=asked + timedelta(seconds=seconds),
    )
    report = build_report(store, SINCE, NOW)
    store.close()
    assert [c.examples for c in report.clusters] == [("地铁几点停运",)]
    assert report.clusters[0].suggestion == suggestion
    assert report.suspected == ()


def test_a_gap_names_the_entry_that_does_not_say_it(tmp_path: Path) -> None:
    # Two users asked a price of the palace, whose entry quotes none: not answered well, and the
    # curators are told to add it to that entry (not to write new phrasings or a new entry).
    store = Store(tmp_path / "gap.sqlite3", hash_key=b"k" * 32)
    for user in (1, 2):
        asked = at(3, 5, 10 + user)
        store.record_question(user, "zh", "故宫门票多少钱", "answer", "palace", [], at=asked)
        store.note_lacking(user, asked)
    report = build_report(store, SINCE, NOW)
    store.close()
    assert report.current.answered == 0
    (cluster,) = report.clusters
    assert (cluster.lacking, cluster.unknown, cluster.users) == (2, 0, 2)
    assert cluster.suggestion == Suggestion("palace", Basis.LACKING)
