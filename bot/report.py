"""The curator's Monday-morning report: what was asked, what went unanswered, what to fix.

:func:`build_report` reads the question log and the feedback votes once and folds them into an
immutable :class:`Report`; :func:`render_text` and :func:`render_html` only format that report, so
the figures in the Telegram message and in the HTML page always agree.

Near-duplicate unanswered questions are grouped: texts are compared in their :func:`normalize`
form, with rapidfuzz ``token_set_ratio`` for spaced text and plain ``ratio`` for CJK written
without spaces (where "tokens" would be whole sentences).
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from rapidfuzz import fuzz

from bot.store import QuestionRecord, Store
from bot.text import has_cjk, normalize, strip_controls

TOP_GROUPS = 15
TOP_PICKED = 15
TOP_DOWNVOTED = 15
TOP_CANDIDATES = 3
TEXT_TOP = 5
TEXT_LIMIT = 3500

SPACED_THRESHOLD = 85.0
CJK_THRESHOLD = 80.0
# token_set_ratio scores 100 whenever one token set contains the other ("hotel" vs "hotel near
# the station"); a low token_sort_ratio floor keeps such short fragments out of longer groups.
SPACED_FLOOR = 60.0

MAX_SINCE = timedelta(days=366)
_SINCE = re.compile(r"^\s*(\d{1,6})\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}

# Colour-blind friendly (Okabe-Ito) series colours for the per-language bars.
_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")


# -- the report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageCount:
    language: str
    count: int


@dataclass(frozen=True)
class DayStats:
    day: date  # UTC
    total: int
    answered: int
    by_language: tuple[LanguageCount, ...]  # same order as Report.languages, zeros included

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.total if self.total else None


@dataclass(frozen=True)
class UnansweredGroup:
    text: str  # the most frequent original phrasing
    count: int
    languages: tuple[str, ...]  # most frequent first
    candidate_ids: tuple[str, ...]  # entries the matcher offered most often, best first
    variants: tuple[str, ...]  # every distinct original phrasing, most frequent first


@dataclass(frozen=True)
class PickedSuggestion:
    text: str  # the user's phrasing: add it to the entry
    entry_id: str
    count: int


@dataclass(frozen=True)
class DownvotedEntry:
    entry_id: str
    up: int
    down: int


@dataclass(frozen=True)
class Report:
    since: datetime
    now: datetime
    total: int
    answered: int
    languages: tuple[LanguageCount, ...]  # most asked first
    days: tuple[DayStats, ...]  # every UTC day from since to now, empty days included
    unanswered: tuple[UnansweredGroup, ...]
    picked: tuple[PickedSuggestion, ...]
    downvoted: tuple[DownvotedEntry, ...]  # all-time votes: the store keeps no vote history

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.total if self.total else None


# -- building --------------------------------------------------------------------------------------


def parse_since(text: str) -> timedelta:
    """``"24h"``, ``"7d"``, ``"2w"`` -> a positive timedelta of at most :data:`MAX_SINCE`."""
    match = _SINCE.match(text)
    if match is None:
        raise ValueError(
            f"can't read period {text!r}: use a number and h, d or w, like 24h, 7d or 2w"
        )
    amount = int(match.group(1))
    if amount == 0:
        raise ValueError(f"period {text!r} is empty: use at least 1h, 1d or 1w")
    period = timedelta(**{_UNITS[match.group(2).lower()]: amount})
    if period > MAX_SINCE:
        raise ValueError(f"period {text!r} is too long: at most {MAX_SINCE.days}d")
    return period


def build_report(store: Store, since: datetime, now: datetime) -> Report:
    """Everything asked from ``since`` up to ``now`` (both inclusive), and the votes since."""
    if since.tzinfo is None or now.tzinfo is None:
        raise ValueError("since and now must be timezone-aware")
    records = [q for q in store.questions(since) if since <= q.asked_at <= now]
    languages = count_languages(records)
    return Report(
        since=since,
        now=now,
        total=len(records),
        answered=sum(1 for q in records if q.outcome == "answer"),
        languages=languages,
        days=count_days(records, since, now, tuple(c.language for c in languages)),
        unanswered=group_unanswered(records)[:TOP_GROUPS],
        picked=count_picked(records)[:TOP_PICKED],
        downvoted=rank_downvoted(store.votes(since))[:TOP_DOWNVOTED],
    )


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def count_languages(records: Iterable[QuestionRecord]) -> tuple[LanguageCount, ...]:
    counts = Counter(q.language for q in records)
    return tuple(LanguageCount(language, n) for language, n in _ranked(counts))


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def count_days(
    records: Iterable[QuestionRecord], since: datetime, now: datetime, languages: Sequence[str]
) -> tuple[DayStats, ...]:
    per_day: defaultdict[date, Counter[str]] = defaultdict(Counter)
    answered: Counter[date] = Counter()
    for q in records:
        day = utc_day(q.asked_at)
        per_day[day][q.language] += 1
        answered[day] += q.outcome == "answer"
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


def _unspaced_cjk(normalized: str) -> bool:
    return " " not in normalized and has_cjk(normalized)


def near_duplicates(a: str, b: str) -> bool:
    """Whether two *normalized* texts ask the same thing."""
    if a == b:
        return True
    if not a or not b:
        return False
    if _unspaced_cjk(a) or _unspaced_cjk(b):
        return fuzz.ratio(a, b) >= CJK_THRESHOLD
    return (
        fuzz.token_set_ratio(a, b) >= SPACED_THRESHOLD
        and fuzz.token_sort_ratio(a, b) >= SPACED_FLOOR
    )


def _top_candidates(members: Sequence[QuestionRecord]) -> tuple[str, ...]:
    offered: Counter[str] = Counter()
    best: dict[str, float] = {}
    for q in members:
        offered.update({c.id for c in q.candidates})  # once per question
        for c in q.candidates:
            best[c.id] = max(best.get(c.id, c.score), c.score)
    ranked = sorted(offered, key=lambda cid: (-offered[cid], -best[cid], cid))
    return tuple(ranked[:TOP_CANDIDATES])


def group_unanswered(records: Sequence[QuestionRecord]) -> tuple[UnansweredGroup, ...]:
    """Unanswered questions (outcome != "answer") grouped as near-duplicates, biggest first.

    Leader clustering: distinct normalized texts are taken most frequent first, and each joins
    the first group whose leader it is a near-duplicate of, or leads a new group.
    """
    by_form: dict[str, list[QuestionRecord]] = {}
    for q in records:
        if q.outcome != "answer":
            by_form.setdefault(normalize(q.text), []).append(q)
    # Most frequent first; dicts keep insertion order, so ties stay in order of first asking.
    forms = sorted(by_form, key=lambda form: -len(by_form[form]))
    leaders: list[str] = []
    members: dict[str, list[QuestionRecord]] = {}
    for form in forms:
        leader = next((lead for lead in leaders if near_duplicates(lead, form)), None)
        if leader is None:
            leaders.append(form)
            members[form] = []
            leader = form
        members[leader].extend(by_form[form])
    groups = []
    for leader in leaders:
        group = sorted(members[leader], key=lambda q: q.id)
        phrasings = Counter(q.text for q in group)  # insertion order = first asked
        variants = tuple(text for text, _ in phrasings.most_common())
        groups.append(
            UnansweredGroup(
                text=variants[0],
                count=len(group),
                languages=tuple(
                    lang for lang, _ in Counter(q.language for q in group).most_common()
                ),
                candidate_ids=_top_candidates(group),
                variants=variants,
            )
        )
    first_id = {leader: min(q.id for q in members[leader]) for leader in leaders}
    order = sorted(range(len(groups)), key=lambda i: (-groups[i].count, first_id[leaders[i]]))
    return tuple(groups[i] for i in order)


def count_picked(records: Iterable[QuestionRecord]) -> tuple[PickedSuggestion, ...]:
    """(question, entry the user picked from the suggestions) pairs, most frequent first.

    Phrasings are counted by their normalized form and shown in their most frequent original.
    """
    counts: Counter[tuple[str, str]] = Counter()
    originals: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for q in records:
        if q.followed_id:
            key = (normalize(q.text), q.followed_id)
            counts[key] += 1
            originals[key][q.text] += 1
    picked = [
        PickedSuggestion(originals[key].most_common(1)[0][0], key[1], n)
        for key, n in counts.items()
    ]
    return tuple(sorted(picked, key=lambda p: (-p.count, p.entry_id, p.text)))


def rank_downvoted(votes: dict[str, tuple[int, int]]) -> tuple[DownvotedEntry, ...]:
    """Entries with at least one 👎, most 👎 first (fewer 👍 first on a tie)."""
    entries = [DownvotedEntry(eid, up, down) for eid, (up, down) in votes.items() if down > 0]
    return tuple(sorted(entries, key=lambda e: (-e.down, e.up, e.entry_id)))


# -- plain text (one Telegram message) -------------------------------------------------------------


def one_line(text: str, limit: int = 80) -> str:
    """User text on a single line of at most ``limit`` characters."""
    flat = " ".join(strip_controls(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"


def _period(report: Report) -> str:
    return f"{utc_day(report.since).isoformat()} – {utc_day(report.now).isoformat()} (UTC)"


def render_text(report: Report) -> str:
    lines = [
        "Hello, Shenyang — curator report",
        _period(report),
        "",
        f"Questions: {report.total}",
        f"Answered: {report.answered} ({percent(report.answer_rate)})",
    ]
    if report.languages:
        lines.append(
            "By language: " + ", ".join(f"{c.language} {c.count}" for c in report.languages)
        )
    busiest = max(report.days, key=lambda d: d.total, default=None)
    if busiest is not None and busiest.total:
        lines.append(f"Busiest day: {busiest.day.isoformat()} ({busiest.total})")
    lines += ["", "Top unanswered:"]
    lines += [
        f"{i}. {one_line(g.text)} ×{g.count} [{', '.join(g.languages)}]"
        + (f" → {', '.join(g.candidate_ids)}" if g.candidate_ids else "")
        for i, g in enumerate(report.unanswered[:TEXT_TOP], 1)
    ] or ["(none)"]
    lines += ["", "Suggestions users picked (add these phrasings):"]
    lines += [
        f"{i}. {one_line(p.text)} → {p.entry_id} ×{p.count}"
        for i, p in enumerate(report.picked[:TEXT_TOP], 1)
    ] or ["(none)"]
    lines += ["", "Most 👎:"]
    lines += [
        f"{i}. {e.entry_id} 👎{e.down} 👍{e.up}"
        for i, e in enumerate(report.downvoted[:TEXT_TOP], 1)
    ] or ["(none)"]
    text = "\n".join(lines)
    return text if len(text) < TEXT_LIMIT else text[: TEXT_LIMIT - 2] + "…"


# -- HTML (one self-contained page) ----------------------------------------------------------------


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def language_colour(index: int) -> str:
    return _PALETTE[index % len(_PALETTE)]


def _label_step(count: int, room: int = 12) -> int:
    """Label every n-th day so that at most ``room`` labels fit under a chart."""
    return max(1, -(-count // room))


def svg_days_chart(report: Report) -> str:
    """Questions per day, stacked by language."""
    days = report.days
    width, height, left, bottom, top = 640, 240, 36, 28, 10
    plot_h = height - bottom - top
    slot = (width - left - 4) / max(1, len(days))
    peak = max((d.total for d in days), default=0) or 1
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        'aria-label="Questions per day by language">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="#888"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" class="ax">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="ax">0</text>',
    ]
    step = _label_step(len(days))
    for i, day in enumerate(days):
        x = left + i * slot + slot * 0.15
        y = float(top + plot_h)
        for j, part in enumerate(day.by_language):
            if not part.count:
                continue
            h = part.count / peak * plot_h
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                f'fill="{language_colour(j)}"><title>{esc(day.day.isoformat())} '
                f"{esc(part.language)}: {part.count}</title></rect>"
            )
        if i % step == 0:
            parts.append(_day_label(x + slot * 0.35, height - 8, day.day))
    parts.append("</svg>")
    return "".join(parts)


def svg_rate_chart(report: Report) -> str:
    """Share of questions answered, per day (days without questions are left blank)."""
    days = report.days
    width, height, left, bottom, top = 640, 200, 36, 28, 10
    plot_h = height - bottom - top
    slot = (width - left - 4) / max(1, len(days))
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        'aria-label="Answer rate per day">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="#888"/>',
        f'<line x1="{left}" y1="{top}" x2="{width}" y2="{top}" stroke="#ddd"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" class="ax">100%</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="ax">0</text>',
    ]
    step = _label_step(len(days))
    for i, day in enumerate(days):
        x = left + i * slot + slot * 0.15
        rate = day.answer_rate
        if rate is not None:
            h = rate * plot_h
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{h:.1f}" fill="#009E73"><title>{esc(day.day.isoformat())}: '
                f"{day.answered}/{day.total} ({percent(rate)})</title></rect>"
            )
        if i % step == 0:
            parts.append(_day_label(x + slot * 0.35, height - 8, day.day))
    parts.append("</svg>")
    return "".join(parts)


def _day_label(x: float, y: int, day: date) -> str:
    return (
        f'<text x="{x:.1f}" y="{y}" text-anchor="middle" class="ax">'
        f"{esc(day.strftime('%m-%d'))}</text>"
    )


def _legend(report: Report) -> str:
    items = "".join(
        f'<span class="key"><i style="background:{language_colour(j)}"></i>'
        f"{esc(c.language)} ({c.count})</span>"
        for j, c in enumerate(report.languages)
    )
    return f'<p class="legend">{items}</p>' if items else ""


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    if not rows:
        return '<p class="none">None.</p>'
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


_CSS = """
body{font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
margin:0;padding:12px;color:#222;background:#fafafa}
main{max-width:760px;margin:0 auto}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .4em}
.period{color:#555;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:8px}
.card{flex:1 1 140px;background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 12px}
.card b{display:block;font-size:1.6em}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9em}
th,td{border:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top;
overflow-wrap:break-word}
th{background:#f0f0f0;white-space:nowrap}
td:nth-child(2){min-width:9em}
svg{background:#fff;border:1px solid #ddd;border-radius:8px}
svg .ax{font-size:12px;fill:#555}
.legend .key{margin-right:12px;white-space:nowrap}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.none{color:#777}
"""


def render_html(report: Report) -> str:
    cards = "".join(
        f'<div class="card">{esc(label)}<b>{esc(value)}</b></div>'
        for label, value in (
            ("Questions", report.total),
            ("Answered", report.answered),
            ("Answer rate", percent(report.answer_rate)),
        )
    )
    unanswered = _table(
        ("#", "Question", "Times", "Languages", "Offered entries", "Other phrasings"),
        [
            (
                i,
                g.text,
                g.count,
                ", ".join(g.languages),
                ", ".join(g.candidate_ids) or "—",
                " · ".join(g.variants[1:6]) or "—",
            )
            for i, g in enumerate(report.unanswered, 1)
        ],
    )
    picked = _table(
        ("#", "Question (add as a phrasing)", "Picked entry", "Times"),
        [(i, p.text, p.entry_id, p.count) for i, p in enumerate(report.picked, 1)],
    )
    downvoted = _table(
        ("#", "Entry", "👎", "👍"),
        [(i, e.entry_id, e.down, e.up) for i, e in enumerate(report.downvoted, 1)],
    )
    languages = _table(
        ("Language", "Questions", "Share"),
        [(c.language, c.count, percent(c.count / report.total)) for c in report.languages],
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Hello, Shenyang — curator report {esc(_period(report))}</title>"
        f"<style>{_CSS}</style></head><body><main>"
        "<h1>Hello, Shenyang — curator report</h1>"
        f'<p class="period">{esc(_period(report))}</p>'
        f'<div class="cards">{cards}</div>'
        "<h2>Questions per day</h2>"
        f"{_legend(report)}{svg_days_chart(report)}"
        "<h2>Answer rate per day</h2>"
        f"{svg_rate_chart(report)}"
        f"<h2>By language</h2>{languages}"
        f"<h2>Most common unanswered questions</h2>{unanswered}"
        f"<h2>Suggestions users picked</h2>{picked}"
        f"<h2>Entries with the most 👎</h2>{downvoted}"
        "</main></body></html>\n"
    )
