"""Details of an entry in one language, each a reply of its own: one aspect of it ("how do I get
there?"), the lines of its answer a follow-up asks about, its sources, and the taxi card (its Chinese name and address, large, for a driver)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.actions import OpenEntry, ShowMap, TaxiCard
from bot.aspects import applies, aspect_text, chinese_address
from bot.event_text import official_link
from bot.i18n import Voice, format_plain_day
from bot.knowledge import Entry, Link
from bot.languages import N_
from bot.lexicon import Concept
from bot.replies import Button, Keyboard, Reply, entry_label, localized, markup, shorten


def aspect(
    voice: Voice,
    entry: Entry,
    aspect: Concept,
    now: datetime,
    rows_below: tuple[tuple[Button, ...], ...],
    also: Sequence[Concept] = (),
) -> Reply:
    """One aspect of an entry in a line or two, with a button to the whole entry; when the
    entry does not say, that is said plainly, with the official link. ``rows_below``: the
    rows that end every answer (calendar buttons for dates, 👍 👎). ``also``: the aspects the
    message asked besides, each said below where the entry says it ("開館時間と行き方を教えて"
    had been given the hours alone)."""
    _ = voice._
    said = aspect_line(voice, entry, aspect, now)
    link = official_link(entry)
    website = entry.facts.website if entry.facts else None
    text = said if said is not None else _not_said(voice, entry, aspect, link is not None)
    asked = [a for a in also if a.id != aspect.id and applies(entry, a)]
    others = (aspect_line(voice, entry, a, now) for a in asked)
    text = "\n\n".join([text, *(line for line in others if line)])
    rows: list[tuple[Button, ...]] = []
    if website and (link is None or link.url != website):
        rows.append((Button("🔗 " + _("Official website"), url=website),))
    if link is not None:
        rows.append((Button("🔗 " + shorten(_link_title(link, voice.lang)), url=link.url),))
    places: list[Button] = []
    if entry.location is not None:
        places.append(Button.press(_("📍 Map"), ShowMap(entry.id), lang=voice.lang))
    if voice.lang != "zh" and chinese_address(entry) is not None:
        places.append(Button.press(_("🚕 Show in Chinese"), TaxiCard(entry.id), lang=voice.lang))
    if places:
        rows.append(tuple(places))
    rows.append((Button.press(_("📖 Full answer"), OpenEntry(entry.id), lang=voice.lang),))
    return Reply(
        voice.lang,
        text,
        (*rows, *rows_below),
        outcome="answer",
        entry_id=entry.id,
        aspect=aspect.id,
        lacking=said is None,
    )


def passage(voice: Voice, entry: Entry, lines: Sequence[str], buttons: Keyboard) -> Reply:
    """The lines of an entry's answer a follow-up asks about (bot.passages), under the entry's
    name, with a button to the whole answer just read above the whole answer's ``buttons``; no
    lines: that the entry says nothing more on it."""
    _ = voice._
    name = html.escape(entry_label(entry, voice.lang))
    said = [markup(line) for line in lines]
    nothing = _("{name}: I have nothing on that beyond the answer above.").format(name=name)
    text = "\n\n".join([f"<b>{name}</b>", *said]) if said else nothing
    full = (Button.press(_("📖 Full answer"), OpenEntry(entry.id), lang=voice.lang),)
    reply = Reply(voice.lang, text, (full, *buttons), outcome="answer", entry_id=entry.id)
    return replace(reply, lacking=not lines)


def _not_said(voice: Voice, entry: Entry, aspect: Concept, linked: bool) -> str:
    """That the entry does not say the aspect, and where to look: its site, its source below."""
    _ = voice._
    name = html.escape(entry_label(entry, voice.lang))
    text = _("{name}: I have nothing yet on {aspect}.").format(
        aspect=_label(voice, aspect), name=name
    )
    organiser = entry.series is not None and entry.series.link is not None
    if (entry.facts and entry.facts.website) or organiser:
        text += "\n" + _("The official site is the place to check.")
    elif linked:  # a source, not the place's own site (UNESCO for the tombs)
        text += "\n" + _("The source below may say more.")
    if entry.facts and entry.facts.phone:
        text += f"\n☎ {html.escape(entry.facts.phone)}"
    return text


def aspect_line(voice: Voice, entry: Entry, aspect: Concept, now: datetime) -> str | None:
    """ "<b>Name</b> · aspect" and the line that says it, if the entry says it."""
    said = aspect_text(entry, aspect, voice, now)
    if said is None:
        return None
    name = html.escape(entry_label(entry, voice.lang))
    return f"<b>{name}</b> · {_label(voice, aspect)}\n{html.escape(said, quote=False)}"


def _label(voice: Voice, aspect: Concept) -> str:
    label = localized(aspect.label, voice.lang)
    return html.escape(label[0] if label else aspect.id)


def without_figure(voice: Voice, entry: Entry, aspect: Concept, now: datetime) -> str | None:
    """The line that goes first when a price, the hours or directions were asked of an entry
    that is not a place and gives none ("how much is a taxi from the airport?" finds the entry on getting
    around, which quotes no fare): None when the entry does say."""
    _ = voice._
    notes = {
        "price": N_("I don't have prices for this; here is what I know."),
        "hours": N_("I don't have opening hours for this; here is what I know."),
        "access": N_("I don't have directions for this; here is what I know."),
    }
    note = notes.get(aspect.id)
    if note is None or aspect_text(entry, aspect, voice, now) is not None:
        return None
    return _(note)


def sources(voice: Voice, entry: Entry) -> Reply:
    """The full citations of an entry, as a new message."""
    _ = voice._
    heading = html.escape(_("Sources"))
    lines = [f"<b>{heading}</b> · {html.escape(entry_label(entry, voice.lang))}"]
    lines.append(html.escape(entry.source))
    if entry.updated:
        checked = _("checked {date}").format(date=format_plain_day(entry.updated, voice.lang))
        lines.append(f"<i>{checked}</i>")
    return Reply(voice.lang, "\n\n".join(lines), outcome="answer", entry_id=entry.id)


def taxi_card(voice: Voice, entry: Entry, chinese: Voice) -> Reply:
    """The place in Chinese, large, to show a taxi driver (``chinese`` speaks to them);
    the map beside it."""
    address = chinese_address(entry)
    if address is None:
        return Reply(voice.lang, notice=voice._("No map for this entry."))
    # The place's name, never the entry's title: a driver had been shown "如何到达沈阳" (how to
    # get to Shenyang) for the airport and "外语就医" for the hospital, whose address names it.
    name = entry.location.name.get("zh") if entry.location else None
    driver = chinese._("Please take me to this address.")
    lines = ["<i>" + html.escape(voice._("Show this to the driver:")) + "</i>", ""]
    lines += [f"<b>{html.escape(name)}</b>"] if name else []
    lines += [f"<b>{html.escape(address)}</b>", "", html.escape(driver)]
    text = "\n".join(lines)
    buttons: Keyboard = ()
    if entry.location is not None:
        buttons = ((Button.press(voice._("📍 Map"), ShowMap(entry.id), lang=voice.lang),),)
    return Reply(voice.lang, text, buttons, outcome="answer", entry_id=entry.id)


def _link_title(link: Link, lang: str) -> str:
    title = localized(link.title, lang)
    return title[0] if title else link.url


def with_also_asked(voice: Voice, reply: Reply, entries: list[Entry]) -> Reply:
    """An answer to the main question of a message, with the message's other questions offered
    as the first buttons ("故宫门票多少钱？还有北陵怎么去？" asks about Beiling too)."""
    if not entries:
        return reply
    rows = tuple(
        (
            Button.press(
                "➡ " + shorten(entry_label(e, voice.lang)), OpenEntry(e.id), lang=voice.lang
            ),
        )
        for e in entries
    )
    text = reply.text + "\n\n<i>" + html.escape(voice._("You also asked about:")) + "</i>"
    # The same entry among the related ones below is shown once, here.
    offered = {button.action for row in rows for button in row}
    below = (tuple(b for b in row if b.action not in offered) for row in reply.buttons)
    buttons = (*rows, *(row for row in below if row))
    return replace(reply, text=text, buttons=buttons)
