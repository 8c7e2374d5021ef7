"""Building the assistant from the settings, the same way for every front end."""

from __future__ import annotations

from datetime import timedelta

from bot.assistant import Assistant
from bot.caches import Caches
from bot.config import LOCALES_DIR, Settings
from bot.i18n import load_catalogs
from bot.knowledge import Problem, load_knowledge
from bot.store import Store


def open_assistant(settings: Settings) -> tuple[Assistant | None, tuple[Problem, ...]]:
    """The assistant both front ends run, from the settings: the knowledge base, the catalogs
    and the store (old question logs expired). None when the knowledge base has errors."""
    caches = Caches.in_folder(settings.knowledge_cache_dir)
    result = load_knowledge(settings.knowledge_dir, cache=caches.knowledge)
    if result.knowledge is None:
        return None, result.problems
    store = Store.in_directory(settings.data_dir, settings.hash_key)
    store.expire_questions(timedelta(days=settings.retention_days))
    assistant = Assistant(
        result.knowledge,
        load_catalogs(LOCALES_DIR),
        store,
        reminder_lead=timedelta(hours=settings.reminder_hours_before),
        memory_span=timedelta(minutes=settings.context_minutes),
        admin_ids=settings.admin_ids,
        knowledge_dir=settings.knowledge_dir,
        caches=caches,
    )
    return assistant, result.problems
