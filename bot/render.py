"""Turning knowledge into a :class:`Reply` in one language: entries with their buttons, lists,
menus, suggestions, venues and calendar files. What to show is decided by the conversation
(bot/assistant.py); how it looks is decided here."""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.actions import (
    AddToCalendar,
    LanguageMenu,
    OpenCategory,
    OpenEntry,
    PickSuggestion,
    RemindMe,
    SetLanguage,
    ShowMap,
    ShowSources,
    ShowTopics,
    TaxiCard,
    Vote,
)
from bot.aspects import chinese_address
from bot.categories import MENU, SMALL_TALK, category
from bot.event_text import when_lines
from bot.events import next_edition
from bot.i18n import Voice, format_month
from bot.knowledge import Entry, KnowledgeBase, event_start
from bot.languages import LANGUAGES
from bot.lexicon import Concept
from bot.replies import (
    Button,
    InlineItem,
    Keyboard,
    Reply,
    Venue,
    entry_label,
    localized,
    markup,
    rows_of,
    shorten,
)

RELATED_SHOWN = 4


@dataclass(frozen=True)
class Renderer:
    """Renders replies; ``reminder_lead`` decides whether an event can still get a reminder."""

    reminder_lead: timedelta = timedelta(days=1)

    # -- menus -------------------------------------------------------------------------------------

    def menu_buttons(self, voice: Voice) -> Keyboard:
        """The topic menu and the language button, two to a row."""
        cells = [
            Button.press(voice._(c.label), OpenCategory(c.code), lang=voice.lang) for c in MENU
        ]
        cells.append(Button.press(voice._("🌐 Language"), LanguageMenu(), lang=voice.lang))
        return rows_of(cells)

    def topics_button(self, voice: Voice) -> Button:
        """Back to the topic menu."""
        return Button.press(voice._("☰ Topics"), ShowTopics(), lang=voice.lang)

    def with_menu(self, voice: Voice, text: str, edit: bool = False) -> Reply:
        """A text followed by the topic menu."""
        return Reply(voice.lang, text, self.menu_buttons(voice), edit=edit)

    def welcome(self, voice: Voice) -> Reply:
        """What /start says: who the bot is, and the topic menu."""
        _ = voice._
        text = "\n\n".join(
            [
                _("👋 <b>Hello, Shenyang!</b>"),
                _(
                    "I answer questions about Shenyang — investment, tourism, events, culture and daily "
                    "life — in Chinese, Japanese and English."
                ),
                _("Just type your question, or pick a topic below."),
            ]
        )
        return self.with_menu(voice, text)

    def help(self, voice: Voice) -> Reply:
        """How to ask, and the commands."""
        _ = voice._
        lines = [
            _("<b>How to ask</b>"),
            _("Type a question in your own words, in Chinese, Japanese or English. For example:"),
            "• " + _("Where is the Mukden Palace?"),
            "• " + _("How do I get from the airport to the city?"),
            "• " + _("Which Japanese cities are partners of Shenyang?"),
            "",
            _("/topics — browse by topic"),
            _("/events — upcoming and recent events"),
            _("/lang — choose 中文 / 日本語 / English"),
            _("/follow — a message when new event dates are announced"),
            _("/reminders — your event reminders"),
            _("/forget — delete what this bot stores about you"),
        ]
        return self.with_menu(voice, "\n".join(lines))

    def language_menu(self, voice: Voice, saved: str | None, edit: bool) -> Reply:
        """The languages, the saved one ticked."""
        buttons = tuple(
            (
                Button.press(
                    ("✓ " if row.code == saved else "") + row.native_name,
                    SetLanguage(row.code),
                    lang=voice.lang,
                ),
            )
            for row in LANGUAGES
        )
        return Reply(voice.lang, voice._("Choose the language I reply in:"), buttons, edit=edit)

    def category(self, voice: Voice, knowledge: KnowledgeBase, code: str) -> Reply:
        """The entries of one category, edited into the menu message."""
        row = category(code)
        title = voice._(row.label) if row else code
        buttons = tuple(
            (Button.press(shorten(entry_label(e, voice.lang)), OpenEntry(e.id), lang=voice.lang),)
            for e in knowledge.in_category(code)
        )
        back = (Button.press(voice._("⬅ Back"), ShowTopics(), lang=voice.lang),)
        return Reply(voice.lang, f"<b>{html.escape(title)}</b>", (*buttons, back), edit=True)

    # -- entries -----------------------------------------------------------------------------------

    def entry(
        self,
        voice: Voice,
        entry: Entry,
        knowledge: KnowledgeBase,
        now: datetime,
        edit: bool = False,
        note: str | None = None,
    ) -> Reply:
        """A whole entry: the answer, event details, the source line and its buttons; ``note``,
        in italics, goes first ("I have no live data…", "I don't have prices for this…")."""
        _ = voice._
        answer = localized(entry.answer, voice.lang)
        if answer is None:  # the loader guarantees an answer; stay polite if it ever is not
            return self.with_menu(voice, _("That entry is no longer available."))
        text, used = answer
        parts = [f"<i>{html.escape(note, quote=False)}</i>"] if note else []
        if used != voice.lang:
            parts.append(
                "<i>"
                + _(
                    "This answer is not yet translated into English; here it is "
                    "in another language."
                )
                + "</i>"
            )
        parts.append(markup(text))
        if when := when_lines(voice, entry, now):
            parts.append(html.escape("\n".join(when), quote=False))
        # No bibliography under answers (it was often longer than a Chinese answer): the
        # "ℹ️ Sources" button shows it. Facts that go stale say when they were checked.
        if entry.time_sensitive and entry.updated:
            checked = _("Checked {month}").format(month=format_month(entry.updated, voice.lang))
            parts.append(f"<i>{html.escape(checked)}</i>")
        buttons = self.entry_buttons(voice, entry, knowledge, now)
        text = "\n\n".join(parts)
        return Reply(voice.lang, text, buttons, edit=edit, outcome="answer", entry_id=entry.id)

    def entry_buttons(
        self, voice: Voice, entry: Entry, knowledge: KnowledgeBase, now: datetime
    ) -> Keyboard:
        """Links, map / calendar / reminder, related entries, then 👍 👎 and the menu."""
        rows: list[tuple[Button, ...]] = []
        for link in entry.links:
            title = localized(link.title, voice.lang)
            rows.append((Button("🔗 " + shorten(title[0] if title else link.url), url=link.url),))
        actions: list[Button] = []
        if entry.location is not None:
            actions.append(Button.press(voice._("📍 Map"), ShowMap(entry.id), lang=voice.lang))
        actions += self.date_buttons(voice, entry, now)
        if actions:
            rows.append(tuple(actions))
        if entry.category != SMALL_TALK:  # no sources under a greeting or a thank-you
            rows.append(self._about_row(voice, entry))
        for related_id in entry.related[:RELATED_SHOWN]:
            related = knowledge.get(related_id)
            if related is not None:
                label = "➡ " + shorten(entry_label(related, voice.lang))
                rows.append((Button.press(label, OpenEntry(related.id), lang=voice.lang),))
        rows.append(self.vote_row(voice, entry))
        return tuple(rows)

    def _about_row(self, voice: Voice, entry: Entry) -> tuple[Button, ...]:
        """ℹ️ Sources, and for readers who do not read Chinese the taxi card."""
        row = [Button.press(voice._("ℹ️ Sources"), ShowSources(entry.id), lang=voice.lang)]
        if voice.lang != "zh" and chinese_address(entry) is not None:
            card = voice._("🚕 Show in Chinese")
            row.append(Button.press(card, TaxiCard(entry.id), lang=voice.lang))
        return tuple(row)

    def vote_row(self, voice: Voice, entry: Entry) -> tuple[Button, ...]:
        """👍 👎 and the topic menu, under every answer."""
        return (
            Button.press("👍", Vote(entry.id, "up"), lang=voice.lang),
            Button.press("👎", Vote(entry.id, "down"), lang=voice.lang),
            self.topics_button(voice),
        )

    def date_buttons(self, voice: Voice, entry: Entry, now: datetime) -> list[Button]:
        """📅 Add to calendar and 🔔 Remind me, only for an announced edition still ahead: a
        past edition is never offered."""
        if next_edition(entry, now) is None:
            return []
        _ = voice._
        buttons = [Button.press(_("📅 Add to calendar"), AddToCalendar(entry.id), lang=voice.lang)]
        if self.can_remind(entry, now):
            buttons.append(Button.press(_("🔔 Remind me"), RemindMe(entry.id), lang=voice.lang))
        return buttons

    def can_remind(self, entry: Entry, now: datetime) -> bool:
        """Whether a reminder before the next edition is still in the future."""
        coming = next_edition(entry, now)
        return coming is not None and event_start(coming) - self.reminder_lead > now

    def live(self, voice: Voice, entry: Entry, knowledge: KnowledgeBase, now: datetime) -> Reply:
        """A question about live data: say plainly there is none, then the stable entry."""
        note = voice._(
            "I have no live data (forecasts, today's rates, timetables). Here is what I can "
            "tell you, and where to check:"
        )
        return self.entry(voice, entry, knowledge, now, note=note)

    def live_unknown(self, voice: Voice, places: list[Entry], need: Concept | None = None) -> Reply:
        """A live question no entry can answer ("is the palace crowded right now?"), or a
        ``need`` none answers ("附近哪有停车场？"): say so, and offer the places asked about, if
        any, as the way forward."""
        if need is not None:
            label = localized(need.label, voice.lang)
            said = voice._(
                "I have no information on {need}: the place or service itself, or its official "
                "site, will know. What I have:"
            )
            if not places:  # "the place itself" would be no one: "is vegetarian food easy to find?"
                said = voice._("I have no information on {need}. These are the topics I know:")
            text = said.format(need=html.escape(label[0] if label else need.id))
        else:
            text = voice._(
                "I have no live data: nothing of the day such as flight status, crowds, tickets "
                "left or share prices. What I have:"
            )
        return self._unknown_offering(voice, text, places)

    def which_place(self, voice: Voice, offered: list[Entry]) -> Reply:
        """A follow-up with no topic to follow: ask which one, offering again the entries just
        offered ("Tell me about Qipanshan" → Did you mean… → "how do I get there?")."""
        ask = voice._("Which place or event do you mean? Tell me its name, or pick a topic.")
        return self._unknown_offering(voice, ask, offered)

    def _unknown_offering(self, voice: Voice, text: str, offered: list[Entry]) -> Reply:
        """No answer, said in ``text``, with the entries ``offered`` as buttons, else the menu."""
        buttons = self.suggestions(voice, offered) if offered else self.with_menu(voice, text)
        return replace(buttons, text=text, outcome="unknown")

    def refused(self, voice: Voice) -> Reply:
        """A typed "no" to the suggestions: an apology and a way forward."""
        sorry = voice._(
            "Sorry, I did not find it. I have noted your question for the team that keeps me up "
            "to date; try other words, or browse the topics."
        )
        return replace(self.with_menu(voice, sorry), outcome="unknown")

    def cannot_do(self, voice: Voice, play: bool = False) -> Reply:
        """A request to book, buy or call something, or for play (a joke, a song): the bot can
        only answer questions about Shenyang."""
        if play:
            text = voice._(
                "I am only a guide to Shenyang, so no jokes or songs, sorry. Ask me about "
                "investing, sights, events or daily life here, or pick a topic."
            )
        else:
            text = voice._(
                "Sorry, I cannot book, buy or order anything for you: I can only answer questions "
                "about Shenyang. My answers link to the official sites where that is done."
            )
        return replace(self.with_menu(voice, text), outcome="unknown")

    def suggestions(self, voice: Voice, options: list[Entry]) -> Reply:
        """ "Did you mean…" with the candidate entries as buttons."""
        buttons = tuple(
            (
                Button.press(
                    shorten(entry_label(e, voice.lang)), PickSuggestion(e.id), lang=voice.lang
                ),
            )
            for e in options
        )
        return Reply(
            voice.lang,
            voice._("I am not sure I understood. Did you mean…"),
            (*buttons, (self.topics_button(voice),)),
            outcome="suggest",
        )

    def no_such_option(self, voice: Voice) -> Reply:
        """A typed number with no suggestion of that number on offer ("99", "1" after an answer)."""
        text = voice._(
            "There is no option with that number here. Type your question, or pick a topic."
        )
        return replace(self.with_menu(voice, text), outcome="unknown")

    def dont_know(self, voice: Voice) -> Reply:
        """An honest "I don't know", with the menu as a way forward."""
        _ = voice._
        text = "\n\n".join(
            [
                _(
                    "Sorry, I don't know the answer to that yet. I have noted your question for the "
                    "team that keeps me up to date."
                ),
                _("You can rephrase it, or browse the topics below."),
            ]
        )
        return replace(self.with_menu(voice, text), outcome="unknown")

    def venue(self, voice: Voice, entry: Entry) -> Reply:
        """The entry's place as a map pin."""
        location = entry.location
        if location is None:
            return Reply(voice.lang, notice=voice._("No map for this entry."))
        name = localized(location.name, voice.lang)
        address = localized(location.address, voice.lang)
        title = name[0] if name else entry_label(entry, voice.lang)
        pin = Venue(location.lat, location.lon, title, address[0] if address else "")
        return Reply(voice.lang, venue=pin)

    def inline_item(
        self, voice: Voice, entry: Entry, knowledge: KnowledgeBase, now: datetime
    ) -> InlineItem:
        """An entry as an inline-mode result."""
        answer = localized(entry.answer, voice.lang)
        return InlineItem(
            entry.id,
            entry_label(entry, voice.lang),
            (answer[0] if answer else "")[:100].replace("**", ""),
            self.entry(voice, entry, knowledge, now).text,
        )
