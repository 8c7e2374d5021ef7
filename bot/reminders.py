"""Event reminders: set one before an event, list and cancel them, and hand out those due.
Reminders live in the store, so they survive restarts."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.actions import CancelReminder, OpenEntry
from bot.events import next_edition
from bot.i18n import Catalogs, Voice, format_event_when
from bot.knowledge import Entry, KnowledgeBase, event_start
from bot.replies import Button, Reply, entry_label, shorten
from bot.store import Store

# A reminder that cannot be sent is tried again after 1, 2, 4 … minutes, at most every 30
# minutes (an outage of Telegram or of this host rarely lasts longer), and dropped after 12 hours:
# by then the event has started or is about to, and the reminder would be noise.
RETRY_FIRST = timedelta(minutes=1)
RETRY_MOST = timedelta(minutes=30)
GIVE_UP_AFTER = timedelta(hours=12)


@dataclass(frozen=True)
class DueReminder:
    """A reminder to send now: its id (to confirm or retry), the chat and the message."""

    id: int
    chat_id: int
    reply: Reply


@dataclass(frozen=True)
class Reminders:
    """Reminders of one store, ``lead`` before each event starts."""

    store: Store
    catalogs: Catalogs
    lead: timedelta = timedelta(days=1)

    def remind(
        self, voice: Voice, user_id: int, chat_id: int | None, entry: Entry, now: datetime
    ) -> Reply:
        """Set a reminder for the event's next announced edition; the answer is a short notice."""
        _ = voice._
        coming = next_edition(entry, now)
        if coming is None or chat_id is None:
            return Reply(voice.lang, notice=_("No announced date ahead to remind you of."))
        remind_at = event_start(coming) - self.lead
        if remind_at <= now:
            return Reply(
                voice.lang, notice=_("This event has already started; no reminder is possible.")
            )
        self.store.add_reminder(chat_id, user_id, entry.id, voice.lang, remind_at)
        notice = _("I will remind you on {date}.").format(date=remind_at.date().isoformat())
        return Reply(voice.lang, notice=notice)

    def listing(self, voice: Voice, user_id: int, knowledge: KnowledgeBase) -> Reply:
        """The user's reminders, each with a cancel button."""
        _ = voice._
        mine = self.store.reminders(user_id)
        if not mine:
            return Reply(
                voice.lang,
                _(
                    "You have no event reminders. Open an upcoming event in /events "
                    "and tap 🔔 Remind me."
                ),
            )
        lines = [_("<b>Your reminders</b>")]
        buttons = []
        for reminder in mine:
            entry = knowledge.get(reminder.entry_id)
            label = entry_label(entry, voice.lang) if entry else reminder.entry_id
            lines.append(f"• {html.escape(label)} — {reminder.remind_at.date().isoformat()}")
            cancel = shorten(_("✖ Cancel: {name}").format(name=label))
            buttons.append((Button.press(cancel, CancelReminder(reminder.id), lang=voice.lang),))
        return Reply(voice.lang, "\n".join(lines), tuple(buttons))

    def cancel(
        self, voice: Voice, user_id: int, reminder_id: int, knowledge: KnowledgeBase
    ) -> Reply:
        """Cancel one of the user's reminders and show the rest in place."""
        removed = self.store.remove_reminder(reminder_id, user_id)
        reply = self.listing(voice, user_id, knowledge)
        notice = voice._("Reminder cancelled.") if removed else None
        return Reply(reply.language, reply.text, reply.buttons, edit=True, notice=notice)

    def due(self, knowledge: KnowledgeBase, now: datetime) -> list[DueReminder]:
        """Reminders whose time (or retry time) has come. Each stays in the store until
        :meth:`delivered` is called for it: a crash or a failed send never loses one."""
        due = []
        for reminder in self.store.reminders():
            if reminder.remind_at > now:
                break
            if reminder.retry_at is not None and reminder.retry_at > now:
                continue
            voice = self.catalogs.voice(reminder.language)
            message = self.message(voice, knowledge.get(reminder.entry_id), now)
            if message.text:
                due.append(DueReminder(reminder.id, reminder.chat_id, message))
            else:  # the event is gone from the knowledge base: nothing to remind of
                self.store.remove_reminder(reminder.id)
        return due

    def delivered(self, reminder_id: int) -> None:
        """Telegram accepted the reminder: it is done."""
        self.store.remove_reminder(reminder_id)

    def failed(self, reminder_id: int, now: datetime) -> bool:
        """Sending failed: try again later, with a growing pause; give up (False) once it has
        failed for :data:`GIVE_UP_AFTER`."""
        reminder = next((r for r in self.store.reminders() if r.id == reminder_id), None)
        if reminder is None:
            return False
        since = reminder.failing_since or now
        if now - since >= GIVE_UP_AFTER:
            self.store.remove_reminder(reminder_id)
            return False
        pause = min(RETRY_FIRST * 2 ** int((now - since) / RETRY_FIRST).bit_length(), RETRY_MOST)
        self.store.delay_reminder(reminder_id, now + pause, since)
        return True

    def message(self, voice: Voice, entry: Entry | None, now: datetime) -> Reply:
        """The reminder itself, in the language it was set in (empty for a vanished event)."""
        coming = next_edition(entry, now) if entry is not None else None
        if entry is None or coming is None:
            return Reply(voice.lang)
        when = format_event_when(coming, voice.lang)
        text = voice._("🔔 Reminder: <b>{name}</b> starts soon — {when}.").format(
            name=html.escape(entry_label(entry, voice.lang)), when=html.escape(when)
        )
        return Reply(
            voice.lang,
            text,
            ((Button.press(voice._("Details"), OpenEntry(entry.id), lang=voice.lang),),),
        )
