"""The curator's report: what was asked, what the bot could not answer well, and what to write.

The one door to it: :func:`build_report` reads the store once into a :class:`Report` (the figures
live in :mod:`bot.report_figures`, the clustering in :mod:`bot.report_clusters`);
:func:`render_text`, :func:`render_html` and :func:`render_csv` only format that report, in the
reader's language, so the Telegram message, the page and the spreadsheet always agree.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.report_clusters import DEFAULT_LEXICON, Lexicon
from bot.report_figures import Cluster, Report, SuspectedAnswer, build_report
from bot.report_html import render_html
from bot.report_render import render_csv, render_text, write_csv

__all__ = [
    "DEFAULT_LEXICON",
    "Cluster",
    "Lexicon",
    "Report",
    "SuspectedAnswer",
    "build_report",
    "parse_since",
    "render_csv",
    "render_html",
    "render_text",
    "write_csv",
]

MAX_SINCE = timedelta(days=366)
_SINCE = re.compile(r"^\s*(\d{1,6})\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


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
