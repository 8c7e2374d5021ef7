"""Inline mode (``@bot query`` in any chat): the entries a query finds, or, for an empty query,
the events coming up and expected, each as an article to send."""

from __future__ import annotations

from datetime import datetime

from bot.brain import Brain
from bot.events import listing
from bot.i18n import Voice
from bot.matching import Outcome
from bot.render import Renderer
from bot.replies import InlineItem

INLINE_RESULTS = 8
INLINE_FLOOR = 34.0  # inline mode lists matches from the "Did you mean" band up (matching.py)


def inline_results(
    brain: Brain, render: Renderer, voice: Voice, query: str, now: datetime
) -> tuple[InlineItem, ...]:
    """The articles for one inline query, in the voice's language."""
    if query:
        found = brain.matcher.match(query, limit=INLINE_RESULTS)
        answered = found.outcome is Outcome.ANSWER
        ids = [m.id for m in found.matches if answered or m.score >= INLINE_FLOOR]
    else:
        soon = listing(brain.knowledge, now)  # coming up, then expected
        ids = [d.entry.id for d in soon.coming] + [e.entry.id for e in soon.expected]
        ids = list(dict.fromkeys(ids))[:INLINE_RESULTS]
    entries = [e for i in ids if (e := brain.knowledge.get(i)) is not None]
    return tuple(render.inline_item(voice, e, brain.knowledge, now) for e in entries)
