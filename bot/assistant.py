"""The conversation core shared by the Telegram bot and the console: who is asking, what they
typed or tapped → a :class:`Reply` (HTML text, buttons, attachments). No Telegram in here."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.calendar import event_ics
from bot.config import LOCALES_DIR, Settings
from bot.i18n import Catalogs, Gettext, format_event_when, load_catalogs
from bot.knowledge import (
    Entry,
    KnowledgeBase,
    LoadResult,
    Problem,
    event_end,
    event_start,
    load_knowledge,
)
from bot.language import choose_language, normalize_code
from bot.matching import Matcher, MatchResult, Outcome
from bot.report import build_report, render_text
from bot.store import Candidate, Store
from bot.text import normalize, strip_controls

# The topic menu, in the order users see it.
MENU_CATEGORIES = ("investment", "tourism", "events", "culture", "living")
LANGUAGE_NAMES = {"zh": "中文", "ja": "日本語", "en": "English"}
FALLBACK_ORDER = ("en", "zh", "ja")
SUGGESTIONS = 3
PAST_EVENTS_SHOWN = 8
FOLLOWUP_WINDOW = timedelta(minutes=30)
BUTTON_CHARS = 48  # longer labels are cut off on a phone anyway

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _category_names(_: Gettext) -> dict[str, str]:
    return {
        "investment": _("💼 Investment"),
        "tourism": _("🏯 Tourism"),
        "events": _("📅 Events"),
        "culture": _("🎎 Culture & exchange"),
        "living": _("🧭 Living"),
    }


@dataclass(frozen=True)
class Button:
    label: str
    action: str | None = None  # callback data, at most 64 bytes
    url: str | None = None


@dataclass(frozen=True)
class Venue:
    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class Reply:
    language: str
    text: str = ""  # Telegram-style HTML; empty when only a notice is due
    buttons: tuple[tuple[Button, ...], ...] = ()
    venue: Venue | None = None
    document: Attachment | None = None
    edit: bool = False  # replace the message whose button was tapped
    notice: str | None = None  # a short pop-up acknowledging a tap


@dataclass(frozen=True)
class User:
    id: int
    language_code: str | None = None
    chat_id: int | None = None


@dataclass(frozen=True)
class InlineItem:
    id: str
    title: str
    description: str
    text: str  # HTML message sent when chosen


@dataclass(frozen=True)
class Brain:
    """One knowledge base and its index, swapped as a unit so no reply sees half of a reload."""

    knowledge: KnowledgeBase
    matcher: Matcher

    @classmethod
    def of(cls, knowledge: KnowledgeBase) -> Brain:
        return cls(knowledge, Matcher.build(knowledge))


def html_to_plain(text: str) -> str:
    """A reply's HTML as plain text, for terminals and logs."""
    return html.unescape(_TAG.sub("", text))


def markup(text: str) -> str:
    """Knowledge-base answer text (plain, **bold**) → Telegram HTML."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(text.strip(), quote=False))


def shorten(label: str, limit: int = BUTTON_CHARS) -> str:
    """A button label that fits a phone: cut at a word boundary when there is one, with '…'."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    space = cut.rfind(" ")
    if not label[limit - 1].isspace() and space > limit // 2:  # do not split the last word
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


def entry_label(entry: Entry, lang: str) -> str:
    """A short name for buttons and lists: the entry's title, else its first keyword, else its
    first question (titles are optional in the format)."""
    title = localized(entry.title, lang)
    if title:
        return title[0]
    for field in (entry.keywords, entry.questions):
        for code in (lang, *FALLBACK_ORDER):
            if field.get(code):
                text = field[code][0]
                return text[:1].upper() + text[1:]
    return entry.id


def localized(values: Mapping[str, str], lang: str) -> tuple[str, str] | None:
    """(text, language used) from a localized mapping, falling back to another language."""
    for code in (lang, *FALLBACK_ORDER):
        text = values.get(code)
        if text:
            return str(text), code
    return None


class Assistant:
    def __init__(
        self,
        knowledge: KnowledgeBase,
        catalogs: Catalogs,
        store: Store,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        reminder_lead: timedelta = timedelta(days=1),
    ) -> None:
        self.brain = Brain.of(knowledge)
        self.catalogs = catalogs
        self.store = store
        self.clock = clock
        self.reminder_lead = reminder_lead

    # -- knowledge ---------------------------------------------------------------------------------

    def reload(self, result: LoadResult, user: User, brain: Brain | None = None) -> Reply:
        """Swap in a freshly loaded knowledge base, or keep the current one and list the errors.

        ``brain`` is the new knowledge base already indexed (``Brain.of``), when the caller
        built it away from the thread that answers users."""
        lang = self.interface_language(user)
        _ = self._(lang)
        if result.knowledge is None:
            problems = "\n".join(html.escape(str(p), quote=False) for p in result.errors[:20])
            return Reply(
                lang,
                _(
                    "Reload failed: the knowledge base has errors. The previous "
                    "version keeps serving."
                )
                + f"\n\n<pre>{problems}</pre>",
            )
        # Build first, then swap one reference: readers hold either the old or the new brain.
        self.brain = brain if brain is not None else Brain.of(result.knowledge)
        return Reply(
            lang,
            _("Knowledge reloaded: {count} entries.").format(count=len(result.knowledge.entries)),
        )

    def report(self, user: User, period: timedelta = timedelta(days=7)) -> Reply:
        """The curator's short report, for admins in the chat."""
        lang = self.interface_language(user)
        now = self.clock()
        text = render_text(build_report(self.store, now - period, now))
        return Reply(lang, f"<pre>{html.escape(text)}</pre>")

    def apology(self, user: User) -> Reply:
        lang = self.interface_language(user)
        return Reply(
            lang,
            _tr(
                self, lang, "Sorry, something went wrong on my side. Please try again in a moment."
            ),
        )

    # -- language ----------------------------------------------------------------------------------

    def saved_language(self, user: User) -> str | None:
        return self.store.language(user.id)

    def interface_language(self, user: User) -> str:
        """For commands and buttons: saved choice › Telegram language › English."""
        return choose_language(None, self.saved_language(user), user.language_code).language

    def _(self, lang: str) -> Gettext:
        return self.catalogs.for_language(lang)

    # -- commands ----------------------------------------------------------------------------------

    def start(self, user: User, payload: str | None = None) -> Reply:
        lang = self.interface_language(user)
        if payload:
            entry = self.brain.knowledge.get(payload.strip().lower())
            if entry is not None:
                return self._entry_reply(entry, lang, self.brain)
        _ = self._(lang)
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
        return Reply(lang, text, self._menu_buttons(lang))

    def help(self, user: User) -> Reply:
        lang = self.interface_language(user)
        _ = self._(lang)
        text = "\n".join(
            [
                _("<b>How to ask</b>"),
                _(
                    "Type a question in your own words, in Chinese, Japanese or English. For example:"
                ),
                "• " + _("Where is the Mukden Palace?"),
                "• " + _("How do I get from the airport to the city?"),
                "• " + _("Which Japanese cities are partners of Shenyang?"),
                "",
                _("/topics — browse by topic"),
                _("/events — upcoming and recent events"),
                _("/lang — choose 中文 / 日本語 / English"),
                _("/reminders — your event reminders"),
                _("/forget — delete what this bot stores about you"),
            ]
        )
        return Reply(lang, text, self._menu_buttons(lang))

    def topics(self, user: User, edit: bool = False) -> Reply:
        lang = self.interface_language(user)
        _ = self._(lang)
        return Reply(lang, _("Choose a topic:"), self._menu_buttons(lang), edit=edit)

    def language_menu(self, user: User, edit: bool = False) -> Reply:
        lang = self.interface_language(user)
        _ = self._(lang)
        buttons = tuple(
            (Button(("✓ " if code == self.saved_language(user) else "") + name, f"l:{code}"),)
            for code, name in LANGUAGE_NAMES.items()
        )
        return Reply(lang, _("Choose the language I reply in:"), buttons, edit=edit)

    def set_language(self, user: User, code: str) -> Reply:
        lang = normalize_code(code)
        if lang is None:
            return self.language_menu(user, edit=True)
        self.store.set_language(user.id, lang)
        _ = self._(lang)
        return Reply(
            lang,
            _("Done: I will reply in English from now on."),
            self._menu_buttons(lang),
            edit=True,
        )

    def events(self, user: User, edit: bool = False) -> Reply:
        lang = self.interface_language(user)
        _ = self._(lang)
        brain = self.brain
        now = self.clock()
        upcoming = sorted((e for e in brain.knowledge.events if _ends(e) >= now), key=_starts)
        past = sorted(
            (e for e in brain.knowledge.events if _ends(e) < now), key=_starts, reverse=True
        )[:PAST_EVENTS_SHOWN]
        lines: list[str] = []
        if upcoming:
            lines.append(_("<b>Upcoming events</b>"))
            lines += [self._event_line(e, lang) for e in upcoming]
        else:
            lines.append(_("No upcoming events are announced yet."))
        if past:
            lines += ["", _("<b>Recent events</b>")]
            lines += [self._event_line(e, lang) for e in past]
        buttons = tuple(
            (Button(shorten(entry_label(e, lang)), f"e:{e.id}"),) for e in (*upcoming, *past)
        )
        return Reply(
            lang, "\n".join(lines), (*buttons, (Button(_("☰ Topics"), "menu"),)), edit=edit
        )

    def _event_line(self, entry: Entry, lang: str) -> str:
        assert entry.event is not None
        venue = localized(entry.event.venue, lang)
        where = f" · {html.escape(venue[0])}" if venue else ""
        return (
            f"• <b>{html.escape(entry_label(entry, lang))}</b>\n"
            f"  {html.escape(format_event_when(entry.event, lang))}{where}"
        )

    def non_text(self, user: User) -> Reply:
        lang = self.interface_language(user)
        _ = self._(lang)
        return Reply(
            lang,
            _(
                "I can only read text messages for now. Please type your question "
                "— in Chinese, Japanese or English."
            ),
            self._menu_buttons(lang),
        )

    def forget(self, user: User) -> Reply:
        lang = self.interface_language(user)
        self.store.forget(user.id)
        _ = self._(lang)
        return Reply(
            lang,
            _(
                "Done: everything this bot stored about you (language choice, "
                "questions, votes and reminders) has been deleted."
            ),
        )

    # -- free text ---------------------------------------------------------------------------------

    def ask(self, user: User, text: str) -> Reply:
        text = strip_controls(text).strip()
        brain = self.brain
        choice = choose_language(text, self.saved_language(user), user.language_code)
        lang = choice.language
        _ = self._(lang)
        if not normalize(text):  # empty, or only punctuation / emoji: nothing to look up or log
            return Reply(
                lang,
                _("Please type your question — in Chinese, Japanese or English."),
                self._menu_buttons(lang),
            )
        found = brain.matcher.match(text, limit=SUGGESTIONS + 2)
        self.store.record_question(
            user.id,
            lang,
            text,
            found.outcome.value,
            found.answer_id,
            [Candidate(m.id, m.score) for m in found.matches],
            at=self.clock(),
        )
        note = (
            _("I speak Chinese (中文), Japanese (日本語) and English.") + "\n\n"
            if choice.unsupported
            else ""
        )
        reply = self._outcome_reply(found, lang, brain, user)
        return replace(reply, text=note + reply.text)

    def _outcome_reply(self, found: MatchResult, lang: str, brain: Brain, user: User) -> Reply:
        _ = self._(lang)
        if found.outcome is Outcome.ANSWER:
            entry = brain.knowledge.get(found.matches[0].id)
            if entry is not None:
                return self._entry_reply(entry, lang, brain)
        if found.outcome is Outcome.SUGGEST:
            options = [brain.knowledge.get(m.id) for m in found.matches[:SUGGESTIONS]]
            buttons = tuple(
                (Button(shorten(entry_label(e, lang)), f"s:{e.id}"),)
                for e in options
                if e is not None
            )
            return Reply(
                lang,
                _("I am not sure I understood. Did you mean…"),
                (*buttons, (Button(_("☰ Topics"), "menu"),)),
            )
        text = "\n\n".join(
            [
                _(
                    "Sorry, I don't know the answer to that yet. I have noted your question for the "
                    "team that keeps me up to date."
                ),
                _("You can rephrase it, or browse the topics below."),
            ]
        )
        return Reply(lang, text, self._menu_buttons(lang))

    # -- buttons -----------------------------------------------------------------------------------

    def press(self, user: User, action: str) -> Reply:
        kind, _sep, value = action.partition(":")
        brain = self.brain
        lang = self.interface_language(user)
        if kind == "menu":
            return self.topics(user, edit=True)
        if kind == "lang":
            return self.language_menu(user, edit=True)
        if kind == "l":
            return self.set_language(user, value)
        if kind == "c" and value in MENU_CATEGORIES:
            if value == "events":
                return self.events(user, edit=True)
            return self._category_reply(value, lang, brain)
        if kind == "ev":
            return self.events(user, edit=True)
        entry_id, _sep, extra = value.partition(":")
        entry = brain.knowledge.get(entry_id)
        if entry is None:
            _ = self._(lang)
            return Reply(
                lang, _("That entry is no longer available."), self._menu_buttons(lang), edit=True
            )
        if kind in ("e", "s"):
            if kind == "s":
                self.store.record_followup(user.id, entry.id, FOLLOWUP_WINDOW, now=self.clock())
            return self._entry_reply(entry, lang, brain, edit=kind == "e")
        if kind == "map":
            return self._venue_reply(entry, lang)
        if kind == "ics":
            return self._calendar_reply(entry, lang)
        if kind == "fb":
            self.store.vote(user.id, entry.id, up=extra == "up")
            return Reply(lang, notice=_tr(self, lang, "Thank you for your feedback!"))
        if kind == "rm":
            return self.remind(user, entry, lang)
        return self.topics(user, edit=True)

    def _category_reply(self, category: str, lang: str, brain: Brain) -> Reply:
        _ = self._(lang)
        entries = brain.knowledge.in_category(category)
        title = _category_names(_)[category]
        buttons = tuple((Button(shorten(entry_label(e, lang)), f"e:{e.id}"),) for e in entries)
        return Reply(
            lang,
            f"<b>{html.escape(title)}</b>",
            (*buttons, (Button(_("⬅ Back"), "menu"),)),
            edit=True,
        )

    # -- entries -----------------------------------------------------------------------------------

    def _entry_reply(self, entry: Entry, lang: str, brain: Brain, edit: bool = False) -> Reply:
        _ = self._(lang)
        parts = []
        answer = localized(entry.answer, lang)
        if answer is None:  # the loader guarantees an answer; stay polite if it ever is not
            return Reply(lang, _("That entry is no longer available."), self._menu_buttons(lang))
        text, used = answer
        if used != lang:
            parts.append(
                "<i>"
                + _(
                    "This answer is not yet translated into English; here it is "
                    "in another language."
                )
                + "</i>"
            )
        parts.append(markup(text))
        if entry.event is not None:
            venue = localized(entry.event.venue, lang)
            details = "📅 " + html.escape(format_event_when(entry.event, lang))
            if venue:
                details += "\n📍 " + html.escape(venue[0])
            parts.append(details)
        meta = _("Source: {source}").format(source=html.escape(entry.source))
        if entry.updated:
            meta += " · " + _("checked {date}").format(date=entry.updated.isoformat())
        parts.append(f"<i>{meta}</i>")
        return Reply(lang, "\n\n".join(parts), self._entry_buttons(entry, lang, brain), edit=edit)

    def _entry_buttons(
        self, entry: Entry, lang: str, brain: Brain
    ) -> tuple[tuple[Button, ...], ...]:
        _ = self._(lang)
        rows: list[tuple[Button, ...]] = []
        for link in entry.links:
            title = localized(link.title, lang)
            rows.append((Button("🔗 " + shorten(title[0] if title else link.url), url=link.url),))
        actions: list[Button] = []
        if entry.location is not None:
            actions.append(Button(_("📍 Map"), f"map:{entry.id}"))
        if entry.event is not None:
            actions.append(Button(_("📅 Add to calendar"), f"ics:{entry.id}"))
            if event_start(entry.event) - self.reminder_lead > self.clock():
                actions.append(Button(_("🔔 Remind me"), f"rm:{entry.id}"))
        if actions:
            rows.append(tuple(actions))
        for related_id in entry.related[:4]:
            related = brain.knowledge.get(related_id)
            if related is not None:
                rows.append(
                    (Button("➡ " + shorten(entry_label(related, lang)), f"e:{related.id}"),)
                )
        rows.append(
            (
                Button("👍", f"fb:{entry.id}:up"),
                Button("👎", f"fb:{entry.id}:down"),
                Button(_("☰ Topics"), "menu"),
            )
        )
        return tuple(rows)

    def _venue_reply(self, entry: Entry, lang: str) -> Reply:
        location = entry.location
        if location is None:
            return Reply(lang, notice=_tr(self, lang, "No map for this entry."))
        name = localized(location.name, lang)
        address = localized(location.address, lang)
        return Reply(
            lang,
            venue=Venue(
                location.lat,
                location.lon,
                name[0] if name else entry_label(entry, lang),
                address[0] if address else "",
            ),
        )

    def _calendar_reply(self, entry: Entry, lang: str) -> Reply:
        if entry.event is None:
            return Reply(lang, notice=_tr(self, lang, "This entry is not an event."))
        answer = localized(entry.answer, lang)
        venue = localized(entry.event.venue, lang)
        content = event_ics(
            entry.id,
            entry.event,
            entry_label(entry, lang),
            answer[0] if answer else "",
            venue[0] if venue else "",
            stamp=self.clock(),
        )
        return Reply(lang, document=Attachment(f"{entry.id}.ics", content, "text/calendar"))

    # -- reminders ---------------------------------------------------------------------------------

    def remind(self, user: User, entry: Entry, lang: str) -> Reply:
        _ = self._(lang)
        if entry.event is None or user.chat_id is None:
            return Reply(lang, notice=_("This entry is not an event."))
        remind_at = event_start(entry.event) - self.reminder_lead
        if remind_at <= self.clock():
            return Reply(lang, notice=_("This event has already started; no reminder is possible."))
        self.store.add_reminder(user.chat_id, user.id, entry.id, lang, remind_at)
        return Reply(
            lang, notice=_("I will remind you on {date}.").format(date=remind_at.date().isoformat())
        )

    def reminders(self, user: User) -> Reply:
        lang = self.interface_language(user)
        _ = self._(lang)
        mine = self.store.reminders(user.id)
        if not mine:
            return Reply(
                lang,
                _(
                    "You have no event reminders. Open an upcoming event in /events "
                    "and tap 🔔 Remind me."
                ),
            )
        lines = [_("<b>Your reminders</b>")]
        buttons = []
        for reminder in mine:
            entry = self.brain.knowledge.get(reminder.entry_id)
            label = entry_label(entry, lang) if entry else reminder.entry_id
            lines.append(f"• {html.escape(label)} — {reminder.remind_at.date().isoformat()}")
            buttons.append(
                (Button(shorten(_("✖ Cancel: {name}").format(name=label)), f"rmx:{reminder.id}"),)
            )
        return Reply(lang, "\n".join(lines), tuple(buttons))

    def cancel_reminder(self, user: User, reminder_id: int) -> Reply:
        lang = self.interface_language(user)
        _ = self._(lang)
        removed = self.store.remove_reminder(reminder_id, user.id)
        reply = self.reminders(user)
        return replace(reply, edit=True, notice=_("Reminder cancelled.") if removed else None)

    def due_reminders(self) -> list[tuple[int, Reply]]:
        """Reminders whose time has come, as (chat id, message); each is handed out once."""
        due = []
        for reminder in self.store.reminders():
            if reminder.remind_at > self.clock():
                break
            if self.store.remove_reminder(reminder.id):
                message = self.reminder_message(reminder.entry_id, reminder.language)
                if message.text:
                    due.append((reminder.chat_id, message))
        return due

    def reminder_message(self, entry_id: str, lang: str) -> Reply:
        _ = self._(lang)
        entry = self.brain.knowledge.get(entry_id)
        if entry is None or entry.event is None:
            return Reply(lang)
        when = format_event_when(entry.event, lang)
        text = _("🔔 Reminder: <b>{name}</b> starts soon — {when}.").format(
            name=html.escape(entry_label(entry, lang)), when=html.escape(when)
        )
        return Reply(lang, text, ((Button(_("Details"), f"e:{entry.id}"),),))

    # -- inline mode -------------------------------------------------------------------------------

    def inline(self, user: User, query: str) -> tuple[InlineItem, ...]:
        brain = self.brain
        query = strip_controls(query).strip()
        lang = choose_language(
            query or None, self.saved_language(user), user.language_code
        ).language
        if query:
            found = brain.matcher.match(query, limit=8)
            ids = [m.id for m in found.matches if found.outcome is Outcome.ANSWER or m.score >= 34]
        else:
            ids = [e.id for e in brain.knowledge.events][:8]
        entries = [e for i in ids if (e := brain.knowledge.get(i)) is not None]
        items = []
        for entry in entries:
            reply = self._entry_reply(entry, lang, brain)
            answer = localized(entry.answer, lang)
            items.append(
                InlineItem(
                    entry.id,
                    entry_label(entry, lang),
                    (answer[0] if answer else "")[:100].replace("**", ""),
                    reply.text,
                )
            )
        return tuple(items)

    # -- pieces ------------------------------------------------------------------------------------

    def _menu_buttons(self, lang: str) -> tuple[tuple[Button, ...], ...]:
        _ = self._(lang)
        names = _category_names(_)
        cells = [Button(names[c], f"c:{c}") for c in MENU_CATEGORIES]
        cells.append(Button(_("🌐 Language"), "lang"))
        return tuple(tuple(cells[i : i + 2]) for i in range(0, len(cells), 2))


def _tr(assistant: Assistant, lang: str, message: str) -> str:
    return assistant.catalogs.gettext(lang, message)


def _starts(entry: Entry) -> datetime:
    assert entry.event is not None
    return event_start(entry.event)


def _ends(entry: Entry) -> datetime:
    assert entry.event is not None
    end = event_end(entry.event)
    if not isinstance(entry.event.end, datetime):
        end += timedelta(days=1)  # a date-only event lasts the whole of its last day
    return end


def open_assistant(settings: Settings) -> tuple[Assistant | None, tuple[Problem, ...]]:
    """The assistant both front ends run, from the settings: the knowledge base, the catalogs
    and the store (old question logs expired). None when the knowledge base has errors."""
    result = load_knowledge(settings.knowledge_dir)
    if result.knowledge is None:
        return None, result.problems
    store = Store.in_directory(settings.data_dir, settings.hash_key)
    store.expire_questions(timedelta(days=settings.retention_days))
    assistant = Assistant(
        result.knowledge,
        load_catalogs(LOCALES_DIR),
        store,
        reminder_lead=timedelta(hours=settings.reminder_hours_before),
    )
    return assistant, result.problems
