"""What to show of an entry whose whole answer the conversation has just read: one line for an
aspect it plainly lacks or where it is, and the lines a follow-up asks about (bot.passages)
rather than all of it again."""

from __future__ import annotations

from datetime import timedelta

from bot import render_details
from bot.aspects import aspect_text
from bot.brain import Brain
from bot.knowledge import Entry
from bot.lexicon import Concept
from bot.passages import asked_lines
from bot.render import Renderer
from bot.replies import Reply, localized
from bot.text import normalize
from bot.turns import Turn, fresh

# A score this high is the entry's own question, asked again (a phrasing give or take a letter).
_ASKED_AGAIN = 90.0


def just_read(turn: Turn, entry: Entry, aspect: Concept, span: timedelta) -> bool:
    """Whether the last reply was this entry's whole answer, and the aspect one it plainly lacks
    (a price, hours, directions; a phone number or booking it never mentions: "电话多少" after the
    investment contacts) or where it is, if a line says. Not where a thing with no address is
    ("where can I eat it?" after local food), nor a length or dates from prose that does not
    apply ("how long can Germans stay" is no 240 hours): those get the whole answer again."""
    voice, now = turn.voice, turn.now
    text = aspect_text(entry, aspect, voice, now)
    lacks = render_details.without_figure(voice, entry, aspect, now) is not None
    lacks |= aspect.id in ("phone", "booking") and text is None
    said = aspect.id == "location" and text is not None
    return (said or lacks) and _read_whole(turn, entry, span)


def reread(
    brain: Brain, render: Renderer, turn: Turn, entry: Entry, span: timedelta
) -> Reply | None:
    """The lines a follow-up asks about of the entry whose whole answer was just read, rather
    than all of it again ("川崎は？" after the sister cities), or, when no line stands out, that
    the entry says nothing more (the Japanese testers met the same article re-sent as if it
    answered more than 15 times). None when the message names the entry and no line stands out
    ("tell me about the palace" wants it whole) or is one of its questions again."""
    if not _read_whole(turn, entry, span):
        return None
    answer = localized(entry.answer, turn.voice.lang)
    if answer is None:
        return None
    again = brain.matcher.match(turn.text, limit=1)
    keywords = sorted({normalize(k) for ks in entry.keywords.values() for k in ks}, key=len)
    asked_again = again.answer_id == entry.id and again.top_score >= _ASKED_AGAIN
    if asked_again and normalize(again.matches[0].question) not in keywords:
        return None  # its own question asked again: the user may have missed the answer
    # Named, it is wanted whole ("tell me about the palace"), unless its other words single out
    # a line: "浜松市と瀋陽はいつから友好都市なんですか？" after the sister cities is Hamamatsu's.
    named = entry.id in brain.matcher.named_in(turn.text)
    # Only the words that name it: "努尔哈赤什么时候迁都沈阳的" after the history keeps 努尔哈赤,
    # a keyword of it but not its name (without it, the line on moving to Beijing had been shown).
    titles = " ".join(normalize(title) for title in entry.title.values())
    naming = [keyword for keyword in keywords if keyword in titles]
    asked = _without(normalize(turn.text), naming) if named else normalize(turn.text)
    # Without an aspect's words: "where" in "where to get it" is no word of the chicken rack's
    # answer ("…in Shenyang, where it is a signature snack" had been the line).
    lines = asked_lines(brain.knowledge.lexicon.aspect_in(asked)[1], answer[0])
    if lines is None or (named and not lines):
        return None
    buttons = render.entry_buttons(turn.voice, entry, brain.knowledge, turn.now)
    return render_details.passage(turn.voice, entry, lines, buttons)


def _read_whole(turn: Turn, entry: Entry, span: timedelta) -> bool:
    """Whether the last reply, within the conversation's span, was this entry's whole answer."""
    memory = turn.memory
    whole = memory.topic == entry.id and memory.aspect is None and not memory.offered
    return whole and fresh(memory.topic_at, turn.now, span)


def _without(asked: str, names: list[str]) -> str:
    """A normalized message without the ``names`` (shortest first), the longest taken out first."""
    for name in reversed(names):
        if name:
            asked = asked.replace(name, " ")
    return asked
