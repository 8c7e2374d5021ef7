"""The figures of the curator's report, read once from the store into an immutable :class:`Report`.

What the report counts, and why:

* A direct answer is *suspected wrong* when the user then voted 👎 on that entry, asked again in
  other words within :data:`REPHRASE_WINDOW` (and got something else), or typed a "no"
  (:data:`NEGATIONS`) within :data:`NEGATION_WINDOW`. The answer rate counts answers that are not
  suspected: a confident wrong answer is not an answer.
* A "no" is a reply, not a question: it is counted in neither the questions nor the clusters.
* What to write next: the questions the bot did not know, only offered suggestions for, or is
  suspected to have answered wrongly, clustered by need across languages
  (:mod:`bot.report_clusters`), most users first. Each cluster names the entry to add its phrasings
  to only when that entry plausibly answers it; otherwise a new entry is needed.
* The week before (a period as long as this one) is counted the same way, for the trend.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from itertools import pairwise
from statistics import median
from types import MappingProxyType

from bot.knowledge import Entry, KnowledgeBase
from bot.matching import SUGGEST_SCORE
from bot.report_clusters import (
    DEFAULT_LEXICON,
    LINK,
    OFFER_SCORE,
    ConceptFinder,
    Lexicon,
    closeness,
    cluster_questions,
    features,
)
from bot.store import QuestionRecord, Store, VoteRecord
from bot.text import normalize

# A user who asks again within a minute has not read the answer as an answer.
REPHRASE_WINDOW = timedelta(seconds=60)
# A "no" comes after reading the answer, which can take a few minutes.
NEGATION_WINDOW = timedelta(minutes=5)
NEGATIONS = frozenset(
    normalize(text)
    for text in (
        "no", "nope", "wrong", "that's wrong", "that's not it", "not that", "not what i asked",
        "不是", "不对", "错了", "不是这个", "答非所问",
        "いいえ", "違う", "違います", "ちがう", "そうじゃない",
    )
)  # fmt: skip
# A consistent first offer names the entry to extend when at least two thirds of the cluster's
# questions had it first, from two users or more, at a median score halfway between the
# matcher's suggestion floor (34) and 58, above which the best match of a development question
# is right three times in four.
CONSISTENT_SHARE = 2 / 3
DECENT_SCORE = (SUGGEST_SCORE + 58.0) / 2
TOP_OFFERED = 3


class Signal(Enum):
    """Why an answer is suspected wrong."""

    DOWNVOTE = "downvote"
    REPHRASE = "rephrase"
    NEGATION = "negation"


class Basis(Enum):
    """Why a cluster's suggestion names an entry (or does not)."""

    PICKED = "picked"  # users picked it from the suggestions and did not reject it
    OFFERED = "offered"  # the matcher's consistent first offer, at a decent score
    REPHRASED = "rephrased"  # users who asked again in other words were answered with it
    LACKING = "lacking"  # users asked it of this entry, which does not say it (no price, no hours)
    NEW = "new"  # no entry plausibly answers it


@dataclass(frozen=True)
class LanguageCount:
    """Questions asked in one language."""

    language: str
    count: int


@dataclass(frozen=True)
class DayStats:
    """One day's questions per language and answers."""

    day: date  # UTC
    total: int
    answered: int  # not suspected wrong
    by_language: tuple[LanguageCount, ...]  # same order as Report.languages, zeros included

    @property
    def answer_rate(self) -> float | None:
        """The share answered directly, or None on a day without questions."""
        return self.answered / self.total if self.total else None


@dataclass(frozen=True)
class Suggestion:
    """What to write for a cluster: phrasings for an entry, or a new entry."""

    entry_id: str | None  # None: write a new entry
    basis: Basis


@dataclass(frozen=True)
class Cluster:
    """One need: questions asked in any language or wording that one entry could answer."""

    examples: tuple[str, ...]  # every distinct phrasing, most asked first
    count: int
    users: int
    languages: tuple[LanguageCount, ...]  # most asked first
    unknown: int  # the bot did not know
    suggested: int  # the bot only offered suggestions
    suspected: int  # answered, but suspected wrong
    offered: tuple[str, ...]  # entries offered most often, best first
    suggestion: Suggestion
    lacking: int = 0  # the entry found did not say what was asked


@dataclass(frozen=True)
class SuspectedAnswer:
    """A direct answer the user's next move suggests was wrong."""

    question: str
    language: str
    entry_id: str
    asked_at: datetime
    signals: tuple[Signal, ...]
    followup: str | None  # the rephrasing or the "no" that came next


@dataclass(frozen=True)
class PeriodFigures:
    """Questions, answers and votes of one period, for the trend."""

    questions: int
    answered: int  # direct answers not suspected wrong
    suspected: int
    up: int  # each user's last vote per entry in the period
    down: int

    @property
    def answer_rate(self) -> float | None:
        """The share answered and not suspected wrong."""
        return self.answered / self.questions if self.questions else None


@dataclass(frozen=True)
class DownvotedEntry:
    """An entry with its 👍 and 👎 counts."""

    entry_id: str
    up: int
    down: int


@dataclass(frozen=True)
class Report:
    """Everything the curator's report shows, read once from the store."""

    since: datetime
    now: datetime
    current: PeriodFigures
    previous: PeriodFigures  # the period of the same length just before
    languages: tuple[LanguageCount, ...]  # most asked first
    days: tuple[DayStats, ...]  # every UTC day from since to now, empty days included
    clusters: tuple[Cluster, ...]  # all of them: most users first, then most asked
    suspected: tuple[SuspectedAnswer, ...]  # in order of asking
    downvoted: tuple[DownvotedEntry, ...]  # current votes cast or changed in the period
    titles: Mapping[str, Mapping[str, str]]  # entry id -> language -> title, where known

    @property
    def total(self) -> int:
        """Questions in the period."""
        return self.current.questions

    @property
    def answered(self) -> int:
        """Questions answered and not suspected wrong."""
        return self.current.answered

    @property
    def answer_rate(self) -> float | None:
        """The honest answer rate, or None without questions."""
        return self.current.answer_rate


# -- quality signals -------------------------------------------------------------------------------


def is_negation(text: str) -> bool:
    """A typed "no" ("不对", "違います", "that's not it"), alone or opening a longer reply."""
    form = normalize(text)
    return any(form == n or form.startswith(n + " ") for n in NEGATIONS)


def next_messages(records: Sequence[QuestionRecord]) -> dict[int, QuestionRecord]:
    """Question id -> the same user's next message."""
    by_user: defaultdict[str, list[QuestionRecord]] = defaultdict(list)
    for q in sorted(records, key=lambda r: (r.asked_at, r.id)):
        by_user[q.user_key].append(q)
    return {a.id: b for asked in by_user.values() for a, b in pairwise(asked)}


def last_votes(votes: Iterable[VoteRecord]) -> dict[tuple[int, str], bool]:
    """(question id, entry id) -> the last vote tied to it (True: 👍)."""
    return {(v.question_id, v.entry_id): v.up for v in votes if v.question_id is not None}


@dataclass(frozen=True)
class Judge:
    """Reads what a user did after being given an entry."""

    following: Mapping[int, QuestionRecord]
    votes: Mapping[tuple[int, str], bool]
    finder: ConceptFinder

    def signals(self, q: QuestionRecord, entry_id: str, given_at: datetime) -> tuple[Signal, ...]:
        """What says the entry given for ``q`` at ``given_at`` did not answer it."""
        found = []
        if self.votes.get((q.id, entry_id)) is False:
            found.append(Signal.DOWNVOTE)
        after = self.following.get(q.id)
        if after is not None and after.asked_at >= given_at:
            wait = after.asked_at - given_at
            if is_negation(after.text):
                if wait <= NEGATION_WINDOW:
                    found.append(Signal.NEGATION)
            elif wait <= REPHRASE_WINDOW and self._rephrased(q, after, entry_id):
                found.append(Signal.REPHRASE)
        return tuple(found)

    def _rephrased(self, q: QuestionRecord, after: QuestionRecord, entry_id: str) -> bool:
        if after.answer_id == entry_id:
            return False  # asked again and given the same entry: nothing says it was wrong
        if any(c.id == entry_id and c.score >= OFFER_SCORE for c in after.candidates):
            return True
        return self.same_need(q, after)

    def same_need(self, q: QuestionRecord, after: QuestionRecord) -> bool:
        """Whether two questions would fall in one cluster on their own."""
        a = features(normalize(q.text), (q,), self.finder)
        b = features(normalize(after.text), (after,), self.finder)
        return closeness(a, b) >= LINK

    def answered_rephrasing(
        self, q: QuestionRecord, suspected: Mapping[int, SuspectedAnswer]
    ) -> str | None:
        """The entry that answered the user's rephrasing of ``q`` within a minute, if any."""
        after = self.following.get(q.id)
        if (
            after is None
            or not after.answer_id
            or after.answer_id == q.answer_id
            or after.id in suspected
            or after.asked_at - q.asked_at > REPHRASE_WINDOW
            or is_negation(after.text)
        ):
            return None
        return after.answer_id if self.same_need(q, after) else None


def suspected_answers(
    records: Sequence[QuestionRecord], judge: Judge
) -> dict[int, SuspectedAnswer]:
    """Question id -> why its direct answer is suspected wrong."""
    found = {}
    for q in records:
        if q.outcome != "answer" or not q.answer_id:
            continue
        signals = judge.signals(q, q.answer_id, q.asked_at)
        if signals:
            after = judge.following.get(q.id)
            spoke = after is not None and signals != (Signal.DOWNVOTE,)
            found[q.id] = SuspectedAnswer(
                q.text,
                q.language,
                q.answer_id,
                q.asked_at,
                signals,
                after.text if spoke and after else None,
            )
    return found


def rejected_picks(records: Sequence[QuestionRecord], judge: Judge) -> frozenset[int]:
    """Ids of questions whose picked suggestion was then voted down, rephrased or denied."""
    return frozenset(
        q.id
        for q in records
        if q.followed_id and judge.signals(q, q.followed_id, q.followed_at or q.asked_at)
    )


# -- what to write next ----------------------------------------------------------------------------


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def count_languages(records: Iterable[QuestionRecord]) -> tuple[LanguageCount, ...]:
    """Questions per language, most first."""
    counts = Counter(q.language for q in records)
    return tuple(LanguageCount(language, n) for language, n in _ranked(counts))


def top_offered(members: Sequence[QuestionRecord]) -> tuple[str, ...]:
    """Entries offered to the most questions of a cluster, the better-scored first on a tie."""
    offered: Counter[str] = Counter()
    best: dict[str, float] = {}
    for q in members:
        offered.update({c.id for c in q.candidates})  # once per question
        for c in q.candidates:
            best[c.id] = max(best.get(c.id, c.score), c.score)
    ranked = sorted(offered, key=lambda cid: (-offered[cid], -best[cid], cid))
    return tuple(ranked[:TOP_OFFERED])


@dataclass(frozen=True)
class Evidence:
    """What the period says about entries, for deciding what a cluster's suggestion names."""

    suspected: Mapping[int, SuspectedAnswer]
    rejected: frozenset[int]  # questions whose picked suggestion was rejected
    rephrased: Mapping[int, str]  # question id -> entry that answered its rephrasing
    votes: Mapping[tuple[int, str], bool]
    covered: Mapping[str, frozenset[str]] | None  # entry id -> concepts its text mentions
    finder: ConceptFinder


def _judged_wrong(members: Sequence[QuestionRecord], evidence: Evidence) -> set[str]:
    wrong = {evidence.suspected[q.id].entry_id for q in members if q.id in evidence.suspected}
    wrong.update(q.followed_id for q in members if q.followed_id and q.id in evidence.rejected)
    ids = {q.id for q in members}
    wrong.update(e for (qid, e), up in evidence.votes.items() if qid in ids and not up)
    return wrong


def _covers(entry_id: str, members: Sequence[QuestionRecord], evidence: Evidence) -> bool:
    """Whether the entry's text mentions every subject that most of the questions ask about
    ("population and gdp?" is not covered by an entry without a GDP figure)."""
    if evidence.covered is None:
        return True  # no knowledge base given: nothing to check against
    mentioned = evidence.covered.get(entry_id)
    if mentioned is None:
        return False  # the entry is gone
    asked: Counter[str] = Counter()
    for q in members:
        asked.update(evidence.finder.topics(evidence.finder.concepts(normalize(q.text))))
    return all(c in mentioned for c, n in asked.items() if n * 2 >= len(members))


def _consistent_first_offer(members: Sequence[QuestionRecord]) -> str | None:
    firsts = [q for q in members if q.candidates]
    counts = Counter(q.candidates[0].id for q in firsts)
    if not counts:
        return None
    entry, n = _ranked(counts)[0]
    backers = [q for q in firsts if q.candidates[0].id == entry]
    if (
        n >= CONSISTENT_SHARE * len(members)
        and len({q.user_key for q in backers}) >= 2
        and median(q.candidates[0].score for q in backers) >= DECENT_SCORE
    ):
        return entry
    return None


def suggest(members: Sequence[QuestionRecord], evidence: Evidence) -> Suggestion:
    """The entry to add the cluster's phrasings to, only when it plausibly answers them."""
    wrong = _judged_wrong(members, evidence)
    lacking = Counter(q.answer_id for q in members if q.outcome == "lacking" and q.answer_id)
    for entry, n in _ranked(lacking)[:1]:
        if n * 2 >= len(members):  # most asked it of one entry that does not say it: add it there
            return Suggestion(entry, Basis.LACKING)
    picks = Counter(
        q.followed_id for q in members if q.followed_id and q.id not in evidence.rejected
    )
    for entry, _n in _ranked(picks)[:1]:
        if entry not in wrong and _covers(entry, members, evidence):
            return Suggestion(entry, Basis.PICKED)
    answered = Counter(evidence.rephrased[q.id] for q in members if q.id in evidence.rephrased)
    for entry, _n in _ranked(answered)[:1]:
        if entry not in wrong and _covers(entry, members, evidence):
            return Suggestion(entry, Basis.REPHRASED)
    offered = _consistent_first_offer(members)
    if offered is not None and offered not in wrong and _covers(offered, members, evidence):
        return Suggestion(offered, Basis.OFFERED)
    return Suggestion(None, Basis.NEW)


def summarize(members: Sequence[QuestionRecord], evidence: Evidence) -> Cluster:
    """A cluster from its questions: examples, counts, users, outcomes."""
    phrasings = Counter(q.text for q in members)  # insertion order = first asked
    outcomes = Counter("suspected" if q.id in evidence.suspected else q.outcome for q in members)
    return Cluster(
        examples=tuple(text for text, _ in phrasings.most_common()),
        count=len(members),
        users=len({q.user_key for q in members}),
        languages=count_languages(members),
        unknown=outcomes["unknown"],
        suggested=outcomes["suggest"],
        suspected=outcomes["suspected"],
        offered=top_offered(members),
        suggestion=suggest(members, evidence),
        lacking=outcomes["lacking"],
    )


def what_to_write(
    records: Sequence[QuestionRecord], evidence: Evidence, lexicon: Lexicon
) -> tuple[Cluster, ...]:
    """Every cluster of poorly answered questions: most users first, then most asked. Questions
    an entry was found for but does not answer ("多少钱" of an entry with no price) are grouped
    by that entry, whatever their words: what to add is the entry's, and a bare "how much?"
    asked of two entries is two gaps."""
    poor = [
        q for q in records if q.outcome not in ("answer", "lacking") or q.id in evidence.suspected
    ]
    gaps: dict[str, list[QuestionRecord]] = {}
    for q in records:
        if q.outcome == "lacking" and q.answer_id and q.id not in evidence.suspected:
            gaps.setdefault(q.answer_id, []).append(q)
    groups = [*cluster_questions(poor, lexicon), *gaps.values()]
    clusters = [summarize(group, evidence) for group in groups]
    # cluster_questions orders by first asking; the stable sort keeps that order on ties
    return tuple(sorted(clusters, key=lambda c: (-c.users, -c.count)))


# -- periods and days ------------------------------------------------------------------------------


def utc_day(moment: datetime) -> date:
    """The UTC day of a moment."""
    return moment.astimezone(UTC).date()


def count_days(
    records: Iterable[QuestionRecord],
    suspected: Mapping[int, SuspectedAnswer],
    since: datetime,
    now: datetime,
    languages: Sequence[str],
) -> tuple[DayStats, ...]:
    """Questions and answers per day of the period."""
    per_day: defaultdict[date, Counter[str]] = defaultdict(Counter)
    answered: Counter[date] = Counter()
    for q in records:
        day = utc_day(q.asked_at)
        per_day[day][q.language] += 1
        answered[day] += q.outcome == "answer" and q.id not in suspected
    first, last = utc_day(since), utc_day(now)
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        counts = per_day.get(day, Counter())
        days.append(
            DayStats(
                day=day,
                total=sum(counts.values()),
                answered=answered[day],
                by_language=tuple(LanguageCount(lang, counts[lang]) for lang in languages),
            )
        )
    return tuple(days)


def period_figures(
    records: Sequence[QuestionRecord],
    suspected: Mapping[int, SuspectedAnswer],
    votes: Iterable[VoteRecord],
) -> PeriodFigures:
    """Questions, well-answered questions and each voter's last 👍/👎 per entry in a period."""
    last = {(v.user_key, v.entry_id): v.up for v in votes}
    answers = [q for q in records if q.outcome == "answer"]
    wrong = sum(1 for q in answers if q.id in suspected)
    return PeriodFigures(
        questions=len(records),
        answered=len(answers) - wrong,
        suspected=wrong,
        up=sum(last.values()),
        down=len(last) - sum(last.values()),
    )


def rank_downvoted(votes: dict[str, tuple[int, int]]) -> tuple[DownvotedEntry, ...]:
    """Entries with at least one 👎, most 👎 first (fewer 👍 first on a tie)."""
    entries = [DownvotedEntry(eid, up, down) for eid, (up, down) in votes.items() if down > 0]
    return tuple(sorted(entries, key=lambda e: (-e.down, e.up, e.entry_id)))


def entry_concepts(entry: Entry, finder: ConceptFinder) -> frozenset[str]:
    """The concepts an entry's title, phrasings, keywords and answers mention."""
    texts = [*entry.title.values(), *entry.answer.values()]
    for field in (entry.questions, entry.keywords):
        texts.extend(t for values in field.values() for t in values)
    return finder.concepts(normalize(" ".join(texts)))


# -- building --------------------------------------------------------------------------------------


def _within(
    records: Iterable[QuestionRecord], start: datetime, end: datetime, inclusive: bool
) -> list[QuestionRecord]:
    return [
        q
        for q in records
        if start <= q.asked_at and (q.asked_at <= end if inclusive else q.asked_at < end)
    ]


def build_report(
    store: Store,
    since: datetime,
    now: datetime,
    knowledge: KnowledgeBase | None = None,
    lexicon: Lexicon = DEFAULT_LEXICON,
) -> Report:
    """Everything asked from ``since`` up to ``now`` (both inclusive), and the period before.

    ``knowledge`` gives entry titles and lets a suggestion check that an entry mentions what was
    asked; ``lexicon`` (concept -> language -> terms) joins wordings across languages."""
    if since.tzinfo is None or now.tzinfo is None:
        raise ValueError("since and now must be timezone-aware")
    before = since - (now - since)
    logged = [q for q in store.questions(before) if q.asked_at <= now]
    votes = [v for v in store.vote_log(before) if v.voted_at <= now]
    finder = ConceptFinder.of(lexicon)
    judge = Judge(next_messages(logged), last_votes(votes), finder)
    asked = [q for q in logged if not is_negation(q.text)]
    current = _within(asked, since, now, inclusive=True)
    previous = _within(asked, before, since, inclusive=False)
    suspected = suspected_answers(asked, judge)
    covered = None
    if knowledge is not None:
        covered = {e.id: entry_concepts(e, finder) for e in knowledge.entries}
    rephrased = {q.id: e for q in current if (e := judge.answered_rephrasing(q, suspected))}
    evidence = Evidence(
        suspected, rejected_picks(current, judge), rephrased, judge.votes, covered, finder
    )
    languages = count_languages(current)
    report = Report(
        since=since,
        now=now,
        current=period_figures(current, suspected, (v for v in votes if v.voted_at >= since)),
        previous=period_figures(previous, suspected, (v for v in votes if v.voted_at < since)),
        languages=languages,
        days=count_days(current, suspected, since, now, tuple(c.language for c in languages)),
        clusters=what_to_write(current, evidence, lexicon),
        suspected=tuple(suspected[q.id] for q in current if q.id in suspected),
        downvoted=rank_downvoted(store.votes(since)),
        titles={},
    )
    return _with_titles(report, knowledge)


def _with_titles(report: Report, knowledge: KnowledgeBase | None) -> Report:
    if knowledge is None:
        return report
    ids = {s.entry_id for s in report.suspected} | {d.entry_id for d in report.downvoted}
    for cluster in report.clusters:
        ids.update(cluster.offered)
        if cluster.suggestion.entry_id:
            ids.add(cluster.suggestion.entry_id)
    titles = {i: e.title for i in sorted(ids) if (e := knowledge.get(i)) is not None and e.title}
    return replace(report, titles=MappingProxyType(titles))
