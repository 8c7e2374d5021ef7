"""Fixtures only: the small fixture knowledge base, catalogs, a store, an assistant, and real
Telegram Applications wired to the in-process fake. Test support lives in tests/support/."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from telegram.ext import ApplicationBuilder

from bot.assistant import Assistant
from bot.config import LOCALES_DIR, Settings
from bot.i18n import Catalogs, load_catalogs
from bot.knowledge import KnowledgeBase, load_knowledge, load_knowledge_or_raise
from bot.report import Report, build_report
from bot.store import Store
from bot.telegram_app import BotContext, build_application

from .support.fake_request import NOW, TOKEN, FakeRequest
from .support.harness import Harness
from .support.report_seed import KNOWLEDGE, SINCE, seed_store
from .support.report_seed import NOW as REPORT_NOW

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
SHIPPED_KB = Path(__file__).resolve().parent.parent / "knowledge"

StartBot = Callable[..., Awaitable[Harness]]


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
def report(tmp_path: Path) -> Iterator[Report]:
    """The curator's report of the seeded store (tests/support/report_seed.py)."""
    store = seed_store(tmp_path / "report.sqlite3")
    yield build_report(store, SINCE, REPORT_NOW, KNOWLEDGE)
    store.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.in_directory(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def assistant(fixture_kb: KnowledgeBase, catalogs: Catalogs, store: Store) -> Assistant:
    return Assistant(fixture_kb, catalogs, store, clock=lambda: NOW, knowledge_dir=FIXTURE_KB)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def clock() -> list[datetime]:
    """The assistant's "now"; tests may replace clock[0] to move time."""
    return [NOW]


@pytest.fixture
async def start_bot(
    catalogs: Catalogs, data_dir: Path, clock: list[datetime]
) -> AsyncIterator[StartBot]:
    """Build and initialise real Applications; shut them down afterwards."""
    started: list[tuple[Harness, Store]] = []

    async def start(
        knowledge_dir: Path = FIXTURE_KB,
        directory: Path | None = None,
        post_init: bool = False,
        admins: frozenset[int] = frozenset(),
    ) -> Harness:
        result = load_knowledge(knowledge_dir)
        assert result.knowledge is not None, result.problems
        store = Store.in_directory(directory or data_dir)
        assistant = Assistant(
            result.knowledge,
            catalogs,
            store,
            clock=lambda: clock[0],
            admin_ids=admins,
            knowledge_dir=knowledge_dir,
        )
        settings = Settings(
            token=TOKEN, knowledge_dir=knowledge_dir, data_dir=directory or data_dir
        )
        api = FakeRequest()
        builder = ApplicationBuilder().updater(None).request(api).get_updates_request(FakeRequest())
        app = build_application(settings, assistant, builder=builder)
        harness = Harness(app, api)

        async def record_error(update: object, context: BotContext) -> None:
            assert context.error is not None
            harness.errors.append(context.error)

        app.add_error_handler(record_error)
        await app.initialize()
        if post_init:
            assert app.post_init is not None
            await app.post_init(app)
        started.append((harness, store))
        return harness

    yield start

    for harness, store in started:
        await harness.app.shutdown()
        store.close()


@pytest.fixture
async def tg(start_bot: StartBot) -> Harness:
    """A running bot on the fixture knowledge base, its getMe already done."""
    harness = await start_bot()
    harness.api.clear()
    return harness
