"""The curator's report as text (a Telegram message or the terminal) and as a CSV file.

Only formatting: every figure comes from :class:`bot.report_figures.Report`, so the three agree.
Labels go through the gettext catalogs and dates through Babel, in the reader's language (zh, ja
or en); entries are named by their title in that language, or by their id when they have none.
The text shows the top clusters and says how many more the page (:mod:`bot.report_html`) and the
CSV hold; those two hold every cluster.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from babel.numbers import format_percent

from bot.config import LOCALES_DIR
from bot.i18n import N_, Catalogs, Gettext, babel_locale, format_day, load_catalogs
from bot.language import SUPPORTED
from bot.report_figures import (
    Basis,
    Cluster,
    LanguageCount,
    Report,
    Signal,
    utc_day,
)
from bot.text import strip_controls

TEXT_TOP = 5
TEXT_LIMIT = 3500  # under Telegram's 4096 characters, with room for the <pre> wrapping
EXAMPLES_IN_TEXT = 3
EXAMPLES_IN_HTML = 8

_SIGNALS = {
    Signal.DOWNVOTE: N_("voted 👎"),
    Signal.REPHRASE: N_("asked again in other words within a minute"),
    Signal.NEGATION: N_("replied “no”"),
}
_BASES = {
    Basis.PICKED: N_("users picked it from the suggestions"),
    Basis.OFFERED: N_("the bot offered it first, consistently"),
    Basis.REPHRASED: N_("users who asked again in other words got it as the answer"),
    Basis.NEW: N_("no entry plausibly answers it"),
    Basis.LACKING: N_("users asked it of this entry, which does not say it"),
}


def translator(lang: str, catalogs: Catalogs | None) -> Gettext:
    """The catalog lookup for ``lang`` (the shipped catalogs when none are given)."""
    return (catalogs or load_catalogs(LOCALES_DIR)).for_language(lang)


def entry_name(report: Report, entry_id: str, lang: str) -> str:
    """The entry's title in the reader's language, else its id (titles are optional)."""
    return report.titles.get(entry_id, {}).get(lang) or entry_id


def one_line(text: str, limit: int = 80) -> str:
    """User text on a single line of at most ``limit`` characters."""
    flat = " ".join(strip_controls(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def percent(rate: float | None, lang: str) -> str:
    """A share as a percentage, or a dash."""
    return "—" if rate is None else format_percent(rate, locale=babel_locale(lang))


def period_text(report: Report, lang: str) -> str:
    """The period as the reader writes dates."""
    first, last = utc_day(report.since), utc_day(report.now)
    return f"{format_day(first, lang)} – {format_day(last, lang)} (UTC)"


def language_counts(counts: Sequence[LanguageCount]) -> str:
    """Questions per language on one line."""
    return " · ".join(f"{c.language} {c.count}" for c in counts)


def suggestion_text(report: Report, cluster: Cluster, lang: str, _: Gettext) -> str:
    """What the curator should write for a cluster."""
    entry_id = cluster.suggestion.entry_id
    if entry_id is None:
        return _("New entry needed")
    if cluster.suggestion.basis is Basis.LACKING:
        return _("Add what was asked to “{title}”").format(title=entry_name(report, entry_id, lang))
    return _("Add these phrasings to “{title}”").format(title=entry_name(report, entry_id, lang))


def basis_text(basis: Basis, _: Gettext) -> str:
    """Why the suggestion names that entry."""
    return _(_BASES[basis])


def signals_text(signals: Sequence[Signal], _: Gettext) -> str:
    """What made an answer suspect."""
    return ", ".join(_(_SIGNALS[s]) for s in signals)


# -- plain text ------------------------------------------------------------------------------------


def _summary_lines(report: Report, lang: str, _: Gettext) -> list[str]:
    now, before = report.current, report.previous
    lines = [
        _("Questions: {count} (period before: {before})").format(
            count=now.questions, before=before.questions
        ),
        _("Answered well: {count} ({rate}; period before: {before})").format(
            count=now.answered,
            rate=percent(now.answer_rate, lang),
            before=percent(before.answer_rate, lang),
        ),
        _("Suspected wrong answers: {count}").format(count=now.suspected),
        _("Votes: 👍 {up} · 👎 {down} (period before: 👍 {up_before} · 👎 {down_before})").format(
            up=now.up, down=now.down, up_before=before.up, down_before=before.down
        ),
    ]
    if report.languages:
        lines.append(_("By language: {counts}").format(counts=language_counts(report.languages)))
    busiest = max(report.days, key=lambda d: d.total, default=None)
    if busiest is not None and busiest.total:
        lines.append(
            _("Busiest day: {day} ({count})").format(
                day=format_day(busiest.day, lang), count=busiest.total
            )
        )
    return lines


def _cluster_lines(report: Report, lang: str, _: Gettext, top: int) -> list[str]:
    lines = [
        _("What to write next: {count} clusters, most users first").format(
            count=len(report.clusters)
        )
    ]
    for i, cluster in enumerate(report.clusters[:top], 1):
        lines.append(
            f"{i}. "
            + _("users: {users} · questions: {count}").format(
                users=cluster.users, count=cluster.count
            )
            + f" [{language_counts(cluster.languages)}]"
        )
        lines.append("   " + " / ".join(f"“{one_line(t, 60)}”" for t in cluster.examples[:3]))
        lines.append("   → " + suggestion_text(report, cluster, lang, _))
    more = len(report.clusters) - top
    if more > 0:
        lines.append(_("{count} more clusters — see --html / --csv").format(count=more))
    if not report.clusters:
        lines.append(_("(none)"))
    return lines


def _suspected_lines(report: Report, lang: str, _: Gettext, top: int) -> list[str]:
    lines = [_("Suspected wrong answers:")]
    for i, s in enumerate(report.suspected[:top], 1):
        name = entry_name(report, s.entry_id, lang)
        line = _("“{question}” → “{entry}” ({why})").format(
            question=one_line(s.question, 60), entry=name, why=signals_text(s.signals, _)
        )
        lines.append(f"{i}. {line}")
    more = len(report.suspected) - top
    if more > 0:
        lines.append(_("{count} more — see --html").format(count=more))
    return lines if report.suspected else [*lines, _("(none)")]


def render_text(
    report: Report, lang: str = "en", catalogs: Catalogs | None = None, top: int = TEXT_TOP
) -> str:
    """The report as one short text in ``lang``: figures, the top clusters and signals."""
    _ = translator(lang, catalogs)
    lines = [_("Hello, Shenyang — curator report"), period_text(report, lang), ""]
    lines += _summary_lines(report, lang, _)
    lines += ["", *_cluster_lines(report, lang, _, top)]
    lines += ["", *_suspected_lines(report, lang, _, top)]
    lines += ["", _("Most 👎:")]
    lines += [
        f"{i}. {entry_name(report, e.entry_id, lang)} 👎{e.down} 👍{e.up}"
        for i, e in enumerate(report.downvoted[:top], 1)
    ] or [_("(none)")]
    text = "\n".join(lines)
    return text if len(text) < TEXT_LIMIT else text[: TEXT_LIMIT - 2] + "…"


# -- CSV -------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    # A cell that starts like a formula is run by spreadsheets: user text is shown, not run.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_header(_: Gettext) -> list[str]:
    """The CSV's column names in the report's language."""
    return [
        _("Rank"),
        _("Users"),
        _("Questions"),
        *SUPPORTED,
        _("Not known"),
        _("Suggestions only"),
        _("Suspected wrong"),
        _("Entry did not say"),
        _("What to do"),
        _("Entry id"),
        _("Entry"),
        _("Why"),
        _("Offered entries"),
        _("Example questions"),
    ]


def csv_rows(report: Report, lang: str, _: Gettext) -> list[list[str]]:
    """One CSV row per cluster."""
    rows = []
    for i, c in enumerate(report.clusters, 1):
        counts = {lc.language: lc.count for lc in c.languages}
        entry_id = c.suggestion.entry_id
        rows.append(
            [
                str(i),
                str(c.users),
                str(c.count),
                *(str(counts.get(code, 0)) for code in SUPPORTED),
                str(c.unknown),
                str(c.suggested),
                str(c.suspected),
                str(c.lacking),
                suggestion_text(report, c, lang, _),
                entry_id or "",
                entry_name(report, entry_id, lang) if entry_id else "",
                basis_text(c.suggestion.basis, _),
                ", ".join(c.offered),
                "\n".join(_cell(strip_controls(t)) for t in c.examples),
            ]
        )
    return rows


def render_csv(report: Report, lang: str = "zh", catalogs: Catalogs | None = None) -> str:
    """One row per cluster, every cluster, headers in ``lang``."""
    _ = translator(lang, catalogs)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_header(_))
    writer.writerows(csv_rows(report, lang, _))
    return buffer.getvalue()


def write_csv(
    path: Path, report: Report, lang: str = "zh", catalogs: Catalogs | None = None
) -> None:
    """The CSV in UTF-8 with a byte order mark, which Excel needs to read CJK as CJK."""
    path.write_text(render_csv(report, lang, catalogs), encoding="utf-8-sig", newline="")
