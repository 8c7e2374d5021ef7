"""Shared fixtures: the small fixture knowledge base, catalogs, a store and an assistant."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import LOCALES_DIR
from bot.i18n import Catalogs, load_catalogs
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.store import Store

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
SHIPPED_KB = Path(__file__).resolve().parent.parent / "knowledge"
# A fixed "now" between the fixture's past event (2023) and its future one (2030).
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def fixture_kb() -> KnowledgeBase:
    return load_knowledge_or_raise(FIXTURE_KB, strict=True)


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load_knowledge_or_raise(SHIPPED_KB, strict=True)


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return load_catalogs(LOCALES_DIR)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.in_directory(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def assistant(fixture_kb: KnowledgeBase, catalogs: Catalogs, store: Store) -> Assistant:
    return Assistant(fixture_kb, catalogs, store, clock=lambda: NOW)
