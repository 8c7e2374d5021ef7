"""The conversation core's events desk: /events and its filters, /follow and /unfollow, and the
notices a reload owes to followers. Decides what to say; bot/render_events.py says it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot import render_events
from bot.actions import Action, FilterEvents, FollowEvents, FollowMenu, ShowEvents, Unfollow
from bot.events import Dated, listing, new_editions, occurrences
from bot.follows import Follows
from bot.i18n import Catalogs, Voice
from bot.knowledge import KnowledgeBase
from bot.replies import Button, Reply


@dataclass(frozen=True)
class EventDesk:
    """Events for one store's users, on the knowledge and at the time the core gives."""

    follows: Follows
    catalogs: Catalogs
    knowledge: Callable[[], KnowledgeBase]
    clock: Callable[[], datetime]

    def events(self, voice: Voice, back: Button, view: str) -> Reply:
        """The events list in a view (all, this-month, next-month, a kind)."""
        now = self.clock()
        found = listing(self.knowledge(), now, view)
        return render_events.events(voice, found, view, now, back)

    def follow_menu(self, voice: Voice, user_id: int, back: Button, edit: bool = False) -> Reply:
        """What to follow, the current choice ticked."""
        return render_events.follow_menu(voice, self.follows.following(user_id), back, edit)

    def unfollow(self, voice: Voice, user_id: int, edit: bool = False) -> Reply:
        """Stop following events."""
        return render_events.unfollowed(voice, self.follows.unfollow(user_id), edit)

    def press(
        self, voice: Voice, ids: tuple[int, int | None], action: Action, back: Button
    ) -> Reply | None:
        """A tapped events button (list, filter, follow); None for any other button."""
        user_id, chat_id = ids
        if isinstance(action, ShowEvents):
            return self.events(voice, back, "all")
        if isinstance(action, FilterEvents):
            return self.events(voice, back, action.view)
        if isinstance(action, FollowMenu):
            return self.follow_menu(voice, user_id, back, edit=True)
        if isinstance(action, FollowEvents):
            self.follows.follow(user_id, chat_id or user_id, action.kind, voice.lang)
            return render_events.followed(voice, action.kind, back)
        if isinstance(action, Unfollow):
            return self.unfollow(voice, user_id, edit=True)
        return None

    def announce(self, old: KnowledgeBase, new: KnowledgeBase) -> int:
        """Queue a notice for every follower of each edition the new knowledge announces."""
        return self.follows.announce(new_editions(old, new, self.clock()))

    def due(self) -> list[tuple[int, Reply]]:
        """Queued notices as (chat id, message), each in its follower's language, once."""
        knowledge, sent = self.knowledge(), []
        for notice in self.follows.due():
            entry = knowledge.get(notice.entry_id)
            editions = occurrences(entry) if entry is not None else ()
            dated = [Dated(entry, e) for e in editions if entry is not None]
            found = next((d for d in dated if d.key == notice.edition), None)
            if found is not None:  # an edition withdrawn before delivery is not announced
                voice = self.catalogs.voice(notice.language)
                sent.append((notice.chat_id, render_events.notice(voice, found)))
        return sent
