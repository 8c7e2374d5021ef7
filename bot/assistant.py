"""The conversation core shared by the Telegram bot and the console: who is asking and what they
typed, tapped or commanded → a :class:`Reply`. It decides *what* to answer; bot/render.py decides
how it looks, bot/reminders.py keeps reminders. No Telegram in here."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import actions, render_details, render_events
from bot.actions import (
    Action,
    AddToCalendar,
    CancelReminder,
    LanguageMenu,
    OpenCategory,
    OpenEntry,
    PickSuggestion,
    RemindMe,
    SetLanguage,
    ShowEvents,
    ShowMap,
    ShowSources,
    ShowTopics,
    TaxiCard,
    Vote,
)
from bot.brain import Brain
from bot.caches import Caches
from bot.categories import category
from bot.conversation import FOLLOWUP_WINDOW, Listener
from bot.event_desk import EventDesk
from bot.follows import Follows
from bot.i18n import Catalogs, Voice
from bot.inline import inline_results
from bot.knowledge import Entry, KnowledgeBase, LoadResult, load_knowledge
from bot.language import choose_language, normalize_code
from bot.languages import N_
from bot.reminders import DueReminder, Reminders
from bot.render import Renderer
from bot.replies import Button, InlineItem, Reply
from bot.report import build_report, render_text
from bot.store import Store
from bot.text import normalize, strip_controls
from bot.turns import Turn

REPORT_PERIOD = timedelta(days=7)
# Fixed notes a front end shows through Assistant.note: after a failure, before answering
# messages that waited through a restart, to someone sending faster than they can be answered.
DELAYED = N_("Sorry for the delay — here is my answer to what you sent earlier.")
FLOODING = N_(
    "You are sending messages faster than I can answer, so I am skipping some. "
    "Please send one question at a time."
)
PRIVATE_ONLY = N_("I send this only in a private chat with me.")
APOLOGY = N_("Sorry, something went wrong on my side. Please try again in a moment.")


@dataclass(frozen=True)
class Command:
    """A slash command: its name, its description for the command menu, who may use it."""

    name: str
    description: str  # msgid
    admin: bool = False
    private: bool = False  # answered only in a private chat


# The commands both front ends offer, in the order Telegram's command menu lists them.
COMMANDS = (
    Command("start", N_("Welcome and topic menu")),
    Command("topics", N_("Browse topics")),
    Command("events", N_("Upcoming and recent events")),
    Command("follow", N_("Get a message when new event dates are announced")),
    Command("unfollow", N_("Stop following events")),
    Command("lang", N_("Choose the reply language")),
    Command("reminders", N_("Your event reminders"), private=True),  # a group would read them
    Command("help", N_("How to ask")),
    Command("forget", N_("Delete what the bot stores about you")),
    Command("report", N_("The curator's report"), admin=True, private=True),
    Command("reload", N_("Reload the knowledge base"), admin=True),
)


@dataclass(frozen=True)
class User:
    """Who is asking: an id, the client's language, the chat to answer in and whether that
    chat is a private one (groups see each other's messages, so some answers stay private)."""

    id: int
    language_code: str | None = None
    chat_id: int | None = None
    private: bool = True


@dataclass(frozen=True)
class Loaded:
    """A knowledge base read and indexed away from the conversation, ready to swap in."""

    result: LoadResult
    brain: Brain | None


def load_brain(directory: Path, caches: Caches | None = None) -> Loaded:
    """Read, check and index a knowledge directory (seconds at scale: run it in a worker);
    ``caches`` keep the checked files and the index between loads (bot.caches)."""
    knowledge_cache, index_cache = (caches.knowledge, caches.index) if caches else (None, None)
    result = load_knowledge(directory, cache=knowledge_cache)
    knowledge = result.knowledge
    brain = Brain.of(knowledge, index_cache) if knowledge is not None else None
    return Loaded(result, brain)


class Assistant:
    """What to answer: questions, button presses and commands, for any front end."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        catalogs: Catalogs,
        store: Store,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        reminder_lead: timedelta = timedelta(days=1),
        admin_ids: frozenset[int] = frozenset(),
        knowledge_dir: Path | None = None,
        memory_span: timedelta = timedelta(minutes=30),
        caches: Caches | None = None,
    ) -> None:
        self.brain = Brain.of(knowledge, caches.index if caches else None)
        self.catalogs = catalogs
        self.store = store
        self.clock = clock
        self.admin_ids = admin_ids
        self.knowledge_dir = knowledge_dir
        self.caches = caches
        self.memory_span = memory_span
        self.render = Renderer(reminder_lead)
        self.reminders_ = Reminders(store, catalogs, reminder_lead)
        self.desk = EventDesk(
            Follows(store), catalogs, lambda: self.brain.knowledge, lambda: self.clock()
        )

    # -- language ----------------------------------------------------------------------------------

    def voice(self, user: User, lang: str | None = None) -> Voice:
        """The conversation's language (bot/language.py's rule), or ``lang`` when a tapped
        button carries the language of the message it sits under."""
        if lang is None:
            recent = self.store.memory(user.id, user.chat_id).language
            saved = self.store.language(user.id)
            lang = choose_language(None, saved, user.language_code, recent).language
        return self.catalogs.voice(lang)

    # -- commands ----------------------------------------------------------------------------------

    def command(self, user: User, name: str, argument: str = "") -> Reply | None:
        """A slash command by name; None where nothing is to be said (an admin command from
        someone else). Unknown commands get the help text."""
        known = next((c for c in COMMANDS if c.name == name.lower()), None)
        if known is not None and known.admin and not self.is_admin(user):
            return None
        if known is not None and known.private and not user.private:  # others would read it
            return self.note(user, PRIVATE_ONLY)
        handlers: dict[str, Callable[[], Reply]] = {
            "start": lambda: self.start(user, argument or None),
            "topics": lambda: self.topics(user),
            "events": lambda: self.events(user),
            "follow": lambda: self.desk.follow_menu(self.voice(user), user.id, self._back(user)),
            "unfollow": lambda: self.desk.unfollow(self.voice(user), user.id),
            "lang": lambda: self.language_menu(user),
            "reminders": lambda: self.reminders(user),
            "forget": lambda: self.forget(user),
            "report": lambda: self.report(user),
            "reload": lambda: self.reload(self.load(), user),
        }
        return handlers.get(name.lower(), lambda: self.help(user))()

    def start(self, user: User, payload: str | None = None) -> Reply:
        """The welcome and the topic menu; a deep link (``?start=<id>``) opens that entry."""
        voice = self.voice(user)
        entry = self.brain.knowledge.get(payload.strip().lower()) if payload else None
        if entry is not None:
            return self._entry(voice, entry)
        return self.render.welcome(voice)

    def help(self, user: User) -> Reply:
        """How to ask, and the commands."""
        return self.render.help(self.voice(user))

    def topics(self, user: User) -> Reply:
        """The topic menu."""
        voice = self.voice(user)
        return self.render.with_menu(voice, voice._("Choose a topic:"))

    def language_menu(self, user: User) -> Reply:
        """The language menu, the saved choice ticked."""
        return self.render.language_menu(self.voice(user), self.store.language(user.id), False)

    def set_language(self, user: User, code: str) -> Reply:
        """Save the reply language and confirm in it."""
        lang = normalize_code(code)
        if lang is None:
            return self.render.language_menu(self.voice(user), self.store.language(user.id), True)
        self.store.set_language(user.id, lang)
        voice = self.catalogs.voice(lang)
        confirmation = voice._("Done: I will reply in English from now on.")
        return self.render.with_menu(voice, confirmation, edit=True)

    def events(self, user: User) -> Reply:
        """Coming up, expected and recent events, with filter buttons (bot/event_desk.py)."""
        return replace(self.desk.events(self.voice(user), self._back(user), "all"), edit=False)

    def _back(self, user: User, voice: Voice | None = None) -> Button:
        return self.render.topics_button(voice or self.voice(user))

    def reminders(self, user: User) -> Reply:
        """The user's reminders, each with a cancel button."""
        return self.reminders_.listing(self.voice(user), user.id, self.brain.knowledge)

    def forget(self, user: User) -> Reply:
        """Delete everything stored about the user."""
        voice = self.voice(user)
        self.store.forget(user.id)
        done = voice._(
            "Done: everything this bot stored about you (language choice, "
            "questions, votes and reminders) has been deleted."
        )
        return Reply(voice.lang, done)

    def non_text(self, user: User) -> Reply:
        """A photo, sticker or voice message: say what the bot can read."""
        voice = self.voice(user)
        text = voice._(
            "I can only read text messages for now. Please type your question "
            "— in Chinese, Japanese or English."
        )
        return self.render.with_menu(voice, text)

    def note(self, user: User, msgid: str) -> Reply:
        """One of the fixed notes (APOLOGY, DELAYED, FLOODING) in the conversation's language."""
        voice = self.voice(user)
        return Reply(voice.lang, voice._(msgid))

    # -- free text ---------------------------------------------------------------------------------

    def ask(self, user: User, text: str) -> Reply:
        """Answer a typed message in its conversation (bot/conversation.py)."""
        text = strip_controls(text).strip()
        memory = self.store.memory(user.id, user.chat_id)
        saved = self.store.language(user.id)
        choice = choose_language(text, saved, user.language_code, memory.language)
        if choice.clear:
            memory = replace(memory, language=choice.language)
        voice = self.catalogs.voice(choice.language)
        if not normalize(text):  # empty, or only punctuation / emoji: nothing to look up or log
            ask = voice._("Please type your question — in Chinese, Japanese or English.")
            self.store.save_memory(user.id, user.chat_id, memory)
            return self.render.with_menu(voice, ask)
        turn = Turn(user.id, user.chat_id, text, voice, memory, self.clock())
        reply, memory = self._listener().reply(turn)
        self.store.save_memory(user.id, user.chat_id, memory)
        if reply.lacking:  # "how much is it?" of an entry with no price: a gap to write
            self.store.note_lacking(user.id, turn.now)
        if not choice.unsupported:
            return reply
        return _with_spoken_note(self.render, voice, reply)

    def _listener(self) -> Listener:
        return Listener(self.brain, self.store, self.render, self.catalogs, self.memory_span)

    # -- buttons -----------------------------------------------------------------------------------

    def press(self, user: User, data: str | None) -> Reply:
        """A tapped button: the raw callback data, routed here and nowhere else. The answer is
        in the language of the message the button sits under."""
        action = actions.parse(data)
        voice = self.voice(user, action.lang if action else None)
        if action is None or isinstance(action, ShowTopics):  # None: foreign or retired data
            return self.render.with_menu(voice, voice._("Choose a topic:"), edit=True)
        if isinstance(action, LanguageMenu):
            return self.render.language_menu(voice, self.store.language(user.id), edit=True)
        if isinstance(action, SetLanguage):
            return self.set_language(user, action.language)
        if isinstance(action, OpenCategory) and action.category == "events":
            action = ShowEvents()
        if done := self.desk.press(voice, (user.id, user.chat_id), action, self._back(user, voice)):
            return done
        if isinstance(action, OpenCategory) and category(action.category) is not None:
            return self.render.category(voice, self.brain.knowledge, action.category)
        if isinstance(action, CancelReminder):
            knowledge = self.brain.knowledge
            return self.reminders_.cancel(voice, user.id, action.reminder_id, knowledge)
        return self._press_entry(user, voice, action)

    def _press_entry(self, user: User, voice: Voice, action: Action) -> Reply:
        entry_id = getattr(action, "entry_id", None)
        entry = self.brain.knowledge.get(entry_id) if isinstance(entry_id, str) else None
        if entry is None:
            gone = voice._("That entry is no longer available.")
            return self.render.with_menu(voice, gone, edit=True)
        now = self.clock()
        if isinstance(action, PickSuggestion | OpenEntry):
            return self._open(user, voice, entry, picked=isinstance(action, PickSuggestion))
        if isinstance(action, ShowMap):
            return self.render.venue(voice, entry)
        if isinstance(action, ShowSources):
            return render_details.sources(voice, entry)
        if isinstance(action, TaxiCard):
            return render_details.taxi_card(voice, entry, self.catalogs.voice("zh"))
        if isinstance(action, AddToCalendar):
            return render_events.calendar(voice, entry, now)
        if isinstance(action, Vote):
            self.store.vote(user.id, entry.id, up=action.up, at=now)
            return Reply(voice.lang, notice=voice._("Thank you for your feedback!"))
        if isinstance(action, RemindMe):
            return self.reminders_.remind(voice, user.id, user.chat_id, entry, now)
        return self.render.with_menu(voice, voice._("Choose a topic:"), edit=True)

    def _open(self, user: User, voice: Voice, entry: Entry, picked: bool) -> Reply:
        """An entry opened by a tap becomes the topic of the conversation; a pick from "Did
        you mean…" is logged for curators and sent anew, a list entry edits the list."""
        now = self.clock()
        if picked:
            self.store.record_followup(user.id, entry.id, FOLLOWUP_WINDOW, now=now)
        memory = self.store.memory(user.id, user.chat_id)
        topic = replace(memory, topic=entry.id, topic_at=now, aspect=None, offered=())
        self.store.save_memory(user.id, user.chat_id, topic)
        return self._entry(voice, entry, edit=not picked)

    def _entry(self, voice: Voice, entry: Entry, edit: bool = False) -> Reply:
        return self.render.entry(voice, entry, self.brain.knowledge, self.clock(), edit=edit)

    # -- inline mode -------------------------------------------------------------------------------

    def inline(self, user: User, query: str) -> tuple[InlineItem, ...]:
        """Results for ``@bot query`` in any chat; coming and expected events for an empty one."""
        query = strip_controls(query).strip()
        saved = self.store.language(user.id)
        lang = choose_language(query or None, saved, user.language_code).language
        voice = self.catalogs.voice(lang)
        return inline_results(self.brain, self.render, voice, query, self.clock())

    # -- administration ----------------------------------------------------------------------------

    def report(self, user: User, period: timedelta = REPORT_PERIOD) -> Reply:
        """The curator's short report, for admins in the chat."""
        now = self.clock()
        voice = self.voice(user)
        report = build_report(self.store, now - period, now, self.brain.knowledge)
        text = render_text(report, voice.lang, self.catalogs)
        return Reply(voice.lang, f"<pre>{html.escape(text)}</pre>")

    def is_admin(self, user: User) -> bool:
        """Whether the user may reload and read the report."""
        return user.id in self.admin_ids

    def _knowledge_dir(self) -> Path:
        if self.knowledge_dir is None:
            raise RuntimeError("this assistant was not given a knowledge directory")
        return self.knowledge_dir

    def load(self) -> Loaded:
        """Read and index the knowledge directory again (for a worker thread)."""
        return load_brain(self._knowledge_dir(), self.caches)

    def reload(self, loaded: Loaded, user: User) -> Reply:
        """Swap in a freshly loaded knowledge base, or keep the current one and list the errors."""
        voice = self.voice(user)
        result = loaded.result
        if loaded.brain is None or result.knowledge is None:
            problems = "\n".join(html.escape(str(p), quote=False) for p in result.errors[:20])
            failed = voice._(
                "Reload failed: the knowledge base has errors. The previous version keeps serving."
            )
            return Reply(voice.lang, f"{failed}\n\n<pre>{problems}</pre>")
        # Built already: readers hold either the old or the new brain, never half of each.
        old, self.brain = self.brain.knowledge, loaded.brain
        self.desk.announce(old, result.knowledge)
        count = len(result.knowledge.entries)
        return Reply(
            voice.lang, voice._("Knowledge reloaded: {count} entries.").format(count=count)
        )

    # -- upkeep ------------------------------------------------------------------------------------

    def due_reminders(self) -> list[DueReminder]:
        """Reminders whose time has come; each stays due until confirmed as delivered."""
        return self.reminders_.due(self.brain.knowledge, self.clock())

    def due_notices(self) -> list[tuple[int, Reply]]:
        """Followers' messages about newly announced editions, as (chat id, message), once."""
        return self.desk.due()

    def reminder_sent(self, reminder_id: int, accepted: bool) -> bool:
        """After a send: remove it, or retry later (True) until 12 hours of failures (False)."""
        if accepted:
            self.reminders_.delivered(reminder_id)
            return True
        return self.reminders_.failed(reminder_id, self.clock())

    def expire_questions(self, older_than: timedelta) -> int:
        """Delete question logs older than the retention period."""
        return self.store.expire_questions(older_than)

    def save_language(self, user: User, code: str) -> None:
        """Remember a language chosen outside the conversation (the console's --lang)."""
        lang = normalize_code(code)
        if lang is not None:
            self.store.set_language(user.id, lang)

    def close(self) -> None:
        """Release the store."""
        self.store.close()


def _with_spoken_note(render: Renderer, voice: Voice, reply: Reply) -> Reply:
    """A reply to a message in a language the assistant does not speak, led by those it does;
    if it understood nothing, only a request to ask in one of them: "감사합니다" had been told
    "I don't know" too."""
    note = voice._("I speak Chinese (中文), Japanese (日本語) and English.")
    if reply.outcome == "unknown":
        ask = voice._("Please type your question — in Chinese, Japanese or English.")
        return replace(render.with_menu(voice, f"{note}\n\n{ask}"), outcome="unknown")
    return replace(reply, text=f"{note}\n\n{reply.text}")
