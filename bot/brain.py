"""The knowledge base in use and its index, with what is derived from them on first need: what
every reply reads, swapped as one object when the base is reloaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bot.homophones import Homophones
from bot.index_cache import IndexCache
from bot.knowledge import KnowledgeBase
from bot.matching import Matcher
from bot.text import normalize


@dataclass(frozen=True)
class Brain:
    """One knowledge base and its index, swapped as a unit so no reply sees half of a reload."""

    knowledge: KnowledgeBase
    matcher: Matcher

    @cached_property
    def homophones(self) -> Homophones:
        """The base's names in Han characters by their sound (bot.homophones): made when a
        question first needs it, not on every reload."""
        entries = self.knowledge.entries
        keywords = (k for entry in entries for ks in entry.keywords.values() for k in ks)
        return Homophones.of(map(normalize, keywords), self.knowledge.normal.values())

    @classmethod
    def of(cls, knowledge: KnowledgeBase, cache: IndexCache | None = None) -> Brain:
        """Index a knowledge base; ``cache`` keeps the index between loads, so that an
        unchanged base is not indexed again (bot.index_cache)."""
        if cache is None:
            return cls(knowledge, Matcher.build(knowledge))
        return cls(knowledge, cache.matcher(knowledge))
