"""A seeded store and a small knowledge base for the report tests, with every figure worked out.

The period is the week up to Monday 2025-03-10 09:00 UTC; the period before is the week before.
Numbers in comments are the question's place in the log (#1 ...), which the tests refer to.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

from bot.knowledge import Entry, KnowledgeBase
from bot.store import Candidate, Store

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=7)
SCRIPT = "=cmd|' /C calc'!A0 <script>alert(1)</script>"  # a formula and a tag


def at(month: int, day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, second, tzinfo=UTC)


def c(entry_id: str, score: float) -> Candidate:
    return Candidate(entry_id, score)


# (user, language, text, outcome, answer_id, candidates, asked_at)
Seed = tuple[int, str, str, str, str | None, tuple[Candidate, ...], datetime]

QUESTIONS: tuple[Seed, ...] = (
    # the period before: 3 questions, 1 answered well, 1 suspected wrong (👎), 1 unknown
    (20, "en", "How do I get a taxi?", "answer", "taxi", (c("taxi", 90),), at(2, 28, 10)),
    (21, "en", "Where is the Mukden Palace?", "answer", "mukden-palace", (), at(2, 28, 11)),
    (22, "zh", "地铁几点停运", "unknown", None, (), at(3, 1, 9)),
    # #1-#5 one need in three languages and three wordings: 4 users (user 4 asked twice)
    (1, "ja", "優遇策は？税金とか", "unknown", None, (), at(3, 4, 10)),
    (2, "ja", "外資向けの優遇政策ありますか", "unknown", None, (c("investment-support", 31),),
     at(3, 4, 11)),
    (3, "en", "tax incentives for foreign investors?", "suggest", None,
     (c("investment-support", 57), c("key-industries", 44)), at(3, 5, 9)),
    (4, "zh", "外资优惠政策", "suggest", None,
     (c("investment-support", 40), c("investment-environment", 38)), at(3, 5, 10)),
    (4, "zh", "外资优惠政策", "unknown", None, (), at(3, 6, 10)),
    # #6 picked an entry that has no GDP figure
    (5, "en", "population and gdp? need latest numbers", "suggest", None,
     (c("about-shenyang", 53),), at(3, 6, 12)),
    # #7-#9 the same need in zh, en and ja, consistently offered "getting-around" first
    (6, "zh", "地铁几点停运", "suggest", None, (c("getting-around", 52),), at(3, 7, 8)),
    (7, "en", "subway last train time", "suggest", None, (c("getting-around", 57),), at(3, 7, 9)),
    (8, "ja", "地下鉄の終電は何時", "suggest", None, (c("getting-around", 50),), at(3, 7, 10)),
    # #10 answered, then 👎 (suspected); #11 the same need, offered the same wrong entry first
    (9, "en", "is there a good hotpot place", "answer", "investment-environment",
     (c("investment-environment", 60),), at(3, 8, 9)),
    (10, "zh", "沈阳哪里有好吃的火锅", "suggest", None, (c("investment-environment", 50),),
     at(3, 8, 10)),
    # #12 answered, then asked again in other words 40 s later and answered otherwise (#13)
    (11, "en", "Where is the Mukden Palace?", "answer", "zhongshan-square",
     (c("zhongshan-square", 62), c("mukden-palace", 55)), at(3, 9, 10)),
    (11, "en", "mukden palace location", "answer", "mukden-palace", (c("mukden-palace", 90),),
     at(3, 9, 10, 0, 40)),
    # #14 answered, then "不对" two minutes later: a reply, not a question
    (12, "zh", "沈阳故宫门票多少钱", "answer", "mukden-palace", (c("mukden-palace", 70),),
     at(3, 9, 11)),
    (12, "zh", "不对", "unknown", None, (), at(3, 9, 11, 2)),
    # answered well
    (13, "en", "How do I get a taxi?", "answer", "taxi", (c("taxi", 90),), at(3, 3, 12)),
    (14, "ja", "中街への行き方", "answer", "zhongjie", (), at(3, 10, 8)),
    # a different question 50 s later is not a rephrasing
    (15, "en", "how long does a business visa take", "answer", "business-visa", (),
     at(3, 10, 8, 30)),
    (15, "en", "emergency number for police", "answer", "emergency-numbers",
     (c("emergency-numbers", 95),), at(3, 10, 8, 30, 50)),
    (16, "en", SCRIPT, "unknown", None, (), at(3, 10, 8, 59, 59)),
    # after the period
    (17, "en", "Where is the Mukden Palace?", "unknown", None, (), at(3, 10, 10)),
)  # fmt: skip

# (user, entry, when picked)
PICKS = (
    (3, "investment-support", at(3, 5, 9, 0, 30)),
    (5, "about-shenyang", at(3, 6, 12, 0, 20)),
)
# (user, entry, up, when)
VOTES = (
    (20, "taxi", False, at(2, 28, 10, 0, 30)),
    (9, "investment-environment", False, at(3, 8, 9, 1)),
    (13, "taxi", False, at(3, 3, 12, 0, 30)),
    (13, "taxi", True, at(3, 3, 12, 1)),  # changed their mind: the last vote counts
)


def seed_store(path: Path) -> Store:
    store = Store(path, hash_key=b"k" * 32)
    for user, language, text, outcome, answer_id, candidates, asked_at in QUESTIONS:
        store.record_question(user, language, text, outcome, answer_id, candidates, at=asked_at)
    for user, entry_id, picked_at in PICKS:
        assert store.record_followup(user, entry_id, timedelta(minutes=30), now=picked_at)
    for user, entry_id, up, voted_at in VOTES:
        store.vote(user, entry_id, up, at=voted_at)
    return store


def _entry(entry_id: str, titles: dict[str, str], text: str) -> Entry:
    return Entry(
        id=entry_id,
        category="general",
        questions=MappingProxyType({"en": (entry_id,)}),
        keywords=MappingProxyType({}),
        answer=MappingProxyType({"en": text, "zh": text}),
        source="test",
        title=MappingProxyType(titles),
    )


KNOWLEDGE = KnowledgeBase.of(
    (
        _entry(
            "investment-support",
            {"zh": "外商投资服务", "ja": "外資企業の進出支援", "en": "Investment support"},
            "外商投资优惠政策: incentives for foreign investors.",
        ),
        _entry(
            "about-shenyang",
            {"zh": "沈阳概况", "ja": "瀋陽の概要", "en": "About Shenyang"},
            "Population: 9,070,093 (2020 census). 人口 907万。",
        ),
        _entry(
            "getting-around",
            {"zh": "市内交通", "ja": "市内の交通", "en": "Getting around"},
            "Metro lines 1, 2, 4, 9 and 10. 地铁。",
        ),
        _entry(
            "investment-environment",
            {"zh": "投资环境", "ja": "投資環境", "en": "Investment environment"},
            "Why invest in Shenyang.",
        ),
        _entry("zhongshan-square", {}, "Zhongshan Square."),
        _entry("mukden-palace", {"zh": "沈阳故宫", "en": "Mukden Palace"}, "Mukden Palace."),
        _entry("taxi", {"zh": "出租车", "ja": "タクシー", "en": "Taxis"}, "Taxis."),
    ),
    ("zh", "ja", "en"),
)
