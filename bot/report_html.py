"""The curator's report as one self-contained HTML page, in the reader's language.

Made for a phone first: at 390 px wide nothing is cut off or scrolls sideways (clusters are
stacked blocks, not a wide table; long words and ids wrap), and nothing is fetched from elsewhere.
"""

from __future__ import annotations

import html
from datetime import date

from bot.i18n import Catalogs, Gettext
from bot.report_figures import Cluster, Report, SuspectedAnswer
from bot.report_render import (
    EXAMPLES_IN_HTML,
    basis_text,
    entry_name,
    language_counts,
    percent,
    period_text,
    signals_text,
    suggestion_text,
    translator,
)

# Colour-blind friendly (Okabe-Ito) series colours for the per-language bars.
_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
_HTML_LANG = {"zh": "zh-CN", "ja": "ja", "en": "en"}


def esc(text: object) -> str:
    """Text escaped for HTML."""
    return html.escape(str(text), quote=True)


def language_colour(index: int) -> str:
    """The chart colour of the n-th language."""
    return _PALETTE[index % len(_PALETTE)]


def _label_step(count: int, room: int = 8) -> int:
    """Label every n-th day so that at most ``room`` labels fit under a phone-wide chart."""
    return max(1, -(-count // room))


def _day_label(x: float, y: int, day: date) -> str:
    return (
        f'<text x="{x:.1f}" y="{y}" text-anchor="middle" class="ax">'
        f"{esc(day.strftime('%m-%d'))}</text>"
    )


def svg_days_chart(report: Report, label: str) -> str:
    """Questions per day, stacked by language."""
    days = report.days
    width, height, left, bottom, top = 640, 240, 48, 28, 10
    plot_h = height - bottom - top
    slot = (width - left - 4) / max(1, len(days))
    peak = max((d.total for d in days), default=0) or 1
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">',
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


def svg_rate_chart(report: Report, label: str, lang: str) -> str:
    """Share of questions answered well, per day (days without questions are left blank)."""
    days = report.days
    width, height, left, bottom, top = 640, 200, 48, 28, 10
    plot_h = height - bottom - top
    slot = (width - left - 4) / max(1, len(days))
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">',
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
                f"{day.answered}/{day.total} ({percent(rate, lang)})</title></rect>"
            )
        if i % step == 0:
            parts.append(_day_label(x + slot * 0.35, height - 8, day.day))
    parts.append("</svg>")
    return "".join(parts)


def _legend(report: Report) -> str:
    items = "".join(
        f'<span class="key"><i style="background:{language_colour(j)}"></i>'
        f"{esc(c.language)} ({c.count})</span>"
        for j, c in enumerate(report.languages)
    )
    return f'<p class="legend">{items}</p>' if items else ""


def _table(headers: tuple[str, ...], rows: list[tuple[object, ...]], none: str) -> str:
    if not rows:
        return f'<p class="none">{esc(none)}</p>'
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cards(report: Report, lang: str, _: Gettext) -> str:
    now, before = report.current, report.previous
    cards = (
        (_("Questions"), now.questions, before.questions),
        (_("Answered well"), now.answered, before.answered),
        (_("Answer rate"), percent(now.answer_rate, lang), percent(before.answer_rate, lang)),
        (_("Suspected wrong"), now.suspected, before.suspected),
        ("👍", now.up, before.up),
        ("👎", now.down, before.down),
    )
    earlier = _("(period before: {count})")
    items = "".join(
        f'<div class="card">{esc(label)}<b>{esc(value)}</b>'
        f"<small>{esc(earlier.format(count=prev))}</small></div>"
        for label, value, prev in cards
    )
    return f'<div class="cards">{items}</div>'


def _outcome_counts(cluster: Cluster, _: Gettext) -> str:
    counts = (
        (_("Not known: {count}"), cluster.unknown),
        (_("Suggestions only: {count}"), cluster.suggested),
        (_("Suspected wrong: {count}"), cluster.suspected),
        (_("Entry did not say: {count}"), cluster.lacking),
    )
    return " · ".join(esc(text.format(count=n)) for text, n in counts if n)


def _examples(cluster: Cluster, _: Gettext) -> str:
    items = "".join(f"<li>{esc(t)}</li>" for t in cluster.examples[:EXAMPLES_IN_HTML])
    hidden = len(cluster.examples) - EXAMPLES_IN_HTML
    if hidden > 0:
        more = _("{count} more phrasings — see --csv").format(count=hidden)
        items += f'<li class="none">{esc(more)}</li>'
    return f'<ul class="examples">{items}</ul>'


def _cluster_item(report: Report, cluster: Cluster, lang: str, _: Gettext) -> str:
    entry = cluster.suggestion.entry_id
    todo = "add" if entry else "new"
    code = f" <code>{esc(entry)}</code>" if entry else ""
    users = _("users: {users} · questions: {count}").format(
        users=cluster.users, count=cluster.count
    )
    offered = ""
    if cluster.offered:
        names = ", ".join(entry_name(report, e, lang) for e in cluster.offered)
        label = _("Offered entries: {entries}").format(entries=names)
        offered = f'<p class="offered">{esc(label)}</p>'
    return (
        f'<li><p class="meta"><b>{esc(users)}</b> · {esc(language_counts(cluster.languages))}'
        f"<br>{_outcome_counts(cluster, _)}</p>{_examples(cluster, _)}"
        f'<p class="todo {todo}">→ {esc(suggestion_text(report, cluster, lang, _))}{code}'
        f"<br><small>{esc(basis_text(cluster.suggestion.basis, _))}</small></p>{offered}</li>"
    )


def _none(_: Gettext) -> str:
    return f'<p class="none">{esc(_("(none)"))}</p>'


def _why(suspected: SuspectedAnswer, _: Gettext) -> str:
    why = signals_text(suspected.signals, _)
    if suspected.followup is None:
        return why
    return _("{why}: “{reply}”").format(why=why, reply=suspected.followup)


def _suspected(report: Report, lang: str, _: Gettext) -> str:
    if not report.suspected:
        return _none(_)
    items = "".join(
        f"<li><p>“{esc(s.question)}” → <b>{esc(entry_name(report, s.entry_id, lang))}</b> "
        f"<code>{esc(s.entry_id)}</code></p>"
        f'<p class="meta">{esc(_why(s, _))}</p></li>'
        for s in report.suspected
    )
    return f'<ol class="items">{items}</ol>'


_CSS = """
*{box-sizing:border-box}
body{font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",
"PingFang SC","Hiragino Sans",sans-serif;margin:0;padding:12px;color:#222;background:#fafafa;
overflow-wrap:anywhere}
main{max-width:760px;margin:0 auto}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .4em}
.period{color:#555;margin-top:0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 12px;min-width:0}
.card b{display:block;font-size:1.6em}.card small{color:#666}
table{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff;font-size:.9em}
th,td{border:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}
svg{display:block;width:100%;height:auto;background:#fff;border:1px solid #ddd;border-radius:8px}
svg .ax{font-size:16px;fill:#555}
.legend .key{margin-right:12px;white-space:nowrap}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
ol.items{padding-left:1.6em}
ol.items>li{background:#fff;border:1px solid #ddd;border-radius:8px;padding:4px 12px;margin:8px 0}
.meta{color:#555;font-size:.9em;margin:.3em 0}
.examples{margin:.3em 0;padding-left:1.2em}
.todo{margin:.4em 0;padding:4px 8px;border-radius:6px}
.todo.add{background:#e6f4ea}.todo.new{background:#fdecea}
.todo small{color:#555}
.offered{color:#555;font-size:.9em;margin:.3em 0}
code{font-size:.85em;color:#555}
.none{color:#777}
"""


def _sections(report: Report, lang: str, _: Gettext) -> list[tuple[str, str]]:
    """(heading, body) of every section, in the order a curator reads them."""
    clusters = "".join(_cluster_item(report, c, lang, _) for c in report.clusters)
    per_day, rate = _("Questions per day"), _("Answer rate per day")
    languages = _table(
        (_("Language"), _("Questions"), _("Share")),
        [(c.language, c.count, percent(c.count / report.total, lang)) for c in report.languages],
        _("(none)"),
    )
    downvoted = _table(
        (_("Entry"), "👎", "👍"),
        [(entry_name(report, e.entry_id, lang), e.down, e.up) for e in report.downvoted],
        _("(none)"),
    )
    return [
        (
            _("What to write next: {count} clusters, most users first").format(
                count=len(report.clusters)
            ),
            f'<ol class="items">{clusters}</ol>' if clusters else _none(_),
        ),
        (_("Suspected wrong answers:"), _suspected(report, lang, _)),
        (per_day, _legend(report) + svg_days_chart(report, per_day)),
        (rate, svg_rate_chart(report, rate, lang)),
        (_("By language"), languages),
        (_("Most 👎:"), downvoted),
    ]


def render_html(report: Report, lang: str = "en", catalogs: Catalogs | None = None) -> str:
    """The whole report as one page in ``lang``: every cluster, every suspected wrong answer."""
    _ = translator(lang, catalogs)
    title, period = _("Hello, Shenyang — curator report"), period_text(report, lang)
    sections = "".join(
        f"<h2>{esc(heading)}</h2>{body}" for heading, body in _sections(report, lang, _)
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_HTML_LANG.get(lang, lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} {esc(period)}</title>"
        f"<style>{_CSS}</style></head><body><main>"
        f'<h1>{esc(title)}</h1><p class="period">{esc(period)}</p>'
        f"{_cards(report, lang, _)}{sections}"
        "</main></body></html>\n"
    )
