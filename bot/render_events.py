"""Events as a reader meets them: the list (coming up, expected, recently) with its filter
buttons, the follow menu, a new-edition notice, and an edition as a calendar file."""

from __future__ import annotations

import html
from datetime import datetime

from bot.actions import FilterEvents, FollowEvents, FollowMenu, OpenEntry, Unfollow
from bot.calendar import event_ics
from bot.event_text import edition_line, pattern_text
from bot.events import Dated, Listing, next_edition
from bot.i18n import Voice
from bot.knowledge import Entry
from bot.languages import N_
from bot.replies import Attachment, Button, Keyboard, Reply, entry_label, localized, shorten

LISTED = 10  # entries offered as buttons under the list: more would bury the filters
VIEW_LABELS = {
    "all": N_("All events"),
    "this-month": N_("This month"),
    "next-month": N_("Next month"),
    "business": N_("Business"),
    "culture": N_("Culture"),
    "sports": N_("Sports"),
}
FOLLOW_DONE = {
    "all": N_("Done: you follow all events. Send /unfollow to stop."),
    "business": N_("Done: you follow business events. Send /unfollow to stop."),
    "culture": N_("Done: you follow culture events. Send /unfollow to stop."),
    "sports": N_("Done: you follow sports events. Send /unfollow to stop."),
}
FOLLOW_LABELS = {
    "all": N_("All events"),
    "business": N_("Business events"),
    "culture": N_("Culture events"),
    "sports": N_("Sports events"),
}


def _item(voice: Voice, entry: Entry, detail: str) -> str:
    name = html.escape(entry_label(entry, voice.lang))
    return f"• <b>{name}</b>\n  {html.escape(detail, quote=False)}"


def events(voice: Voice, found: Listing, view: str, now: datetime, back: Button) -> Reply:
    """Coming up, expected and recently, each event a button, then the filters."""
    _ = voice._
    title = _("<b>Events</b>")
    if view != "all":
        title += " · " + html.escape(_(VIEW_LABELS[view]))
    lines = [title, "", _("<b>Coming up</b>")]
    lines += [_item(voice, d.entry, edition_line(voice, d.event)) for d in found.coming]
    if not found.coming:
        lines.append(_("No dates announced yet."))
    if found.expected:
        lines += ["", _("<b>Expected</b>")]
        for due in found.expected:
            lines.append(_item(voice, due.entry, pattern_text(voice, due.entry, now) or ""))
    if found.recent:
        lines += ["", _("<b>Recently</b>")]
        lines += [_item(voice, d.entry, edition_line(voice, d.event)) for d in found.recent]
    shown = [d.entry for d in found.coming] + [e.entry for e in found.expected]
    shown += [d.entry for d in found.recent]
    unique = list({entry.id: entry for entry in shown}.values())[:LISTED]
    buttons = tuple(
        (Button.press(shorten(entry_label(e, voice.lang)), OpenEntry(e.id), lang=voice.lang),)
        for e in unique
    )
    keyboard = (*buttons, *_filters(voice, view), (back,))
    return Reply(voice.lang, "\n".join(lines), keyboard, edit=True)


def _filters(voice: Voice, view: str) -> Keyboard:
    def press(code: str) -> Button:
        label = ("✓ " if code == view else "") + voice._(VIEW_LABELS[code])
        return Button.press(label, FilterEvents(code), lang=voice.lang)

    rows = [
        (press("this-month"), press("next-month")),
        (press("business"), press("culture"), press("sports")),
    ]
    if view != "all":
        rows.append((press("all"),))
    rows.append((Button.press(voice._("🔔 Follow events"), FollowMenu(), lang=voice.lang),))
    return tuple(rows)


def follow_menu(voice: Voice, following: tuple[str, ...], back: Button, edit: bool) -> Reply:
    """What to follow: every event or one kind; the current choice ticked."""
    _ = voice._
    text = _(
        "Follow events: when new dates are announced for the events you follow, I send you "
        "one message. What would you like to follow?"
    )
    rows = [
        (
            Button.press(
                ("✓ " if kind in following else "") + _(label),
                FollowEvents(kind),
                lang=voice.lang,
            ),
        )
        for kind, label in FOLLOW_LABELS.items()
    ]
    if following:
        rows.append((Button.press(_("🔕 Stop following"), Unfollow(), lang=voice.lang),))
    return Reply(voice.lang, text, (*rows, (back,)), edit=edit)


def followed(voice: Voice, kind: str, back: Button) -> Reply:
    """The confirmation of a follow."""
    return Reply(voice.lang, voice._(FOLLOW_DONE[kind]), ((back,),), edit=True)


def unfollowed(voice: Voice, was_following: bool, edit: bool) -> Reply:
    """The confirmation of /unfollow (or of its button, which edits the menu)."""
    if was_following:
        return Reply(voice.lang, voice._("Done: you no longer follow events."), edit=edit)
    return Reply(voice.lang, voice._("You were not following events. Send /follow to start."))


def notice(voice: Voice, dated: Dated) -> Reply:
    """A follower's message: a new edition was announced."""
    name = html.escape(entry_label(dated.entry, voice.lang))
    text = voice._("🆕 New dates announced: <b>{name}</b>").format(name=name)
    text += "\n" + html.escape(edition_line(voice, dated.event), quote=False)
    details = Button.press(voice._("Details"), OpenEntry(dated.entry.id), lang=voice.lang)
    return Reply(voice.lang, text, ((details,),))


def calendar(voice: Voice, entry: Entry, now: datetime) -> Reply:
    """The next announced edition as an .ics attachment; a past one is never offered."""
    coming = next_edition(entry, now)
    if coming is None:
        return Reply(voice.lang, notice=voice._("No announced date ahead to add to a calendar."))
    answer = localized(entry.answer, voice.lang)
    venue = localized(coming.venue, voice.lang)
    # One uid per edition, so a calendar keeps this year's and next year's apart.
    uid = entry.id if entry.series is None else f"{entry.id}-{coming.start_day.isoformat()}"
    content = event_ics(
        uid,
        coming,
        entry_label(entry, voice.lang),
        answer[0] if answer else "",
        venue[0] if venue else "",
        stamp=now,
    )
    return Reply(voice.lang, document=Attachment(f"{entry.id}.ics", content, "text/calendar"))
