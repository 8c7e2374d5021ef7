"""The knowledge cache and the index cache of one folder, as the one object that whoever loads
and reloads the knowledge base keeps, so that each recalls the last load in memory
(bot.cache_files.Recall): a ``/reload`` after one file of a 10,000-entry base was edited took
2.28–2.51 s of CPU with the caches on disk only and 1.38–1.63 s with them kept (three runs each,
in one process, the same minutes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.index_cache import IndexCache
from bot.knowledge_cache import KnowledgeCache


@dataclass(frozen=True)
class Caches:
    """What loading keeps between loads: checked files, and the index."""

    knowledge: KnowledgeCache
    index: IndexCache

    @classmethod
    def in_folder(cls, folder: Path) -> Caches:
        """The caches kept in ``folder`` (the index in a folder inside it)."""
        return cls(KnowledgeCache(folder), IndexCache.beside(folder))
