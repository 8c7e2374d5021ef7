"""Feed 10,000 generated updates (tests/test_update_fuzz.py's generator: text in any script,
commands, foreign callback data, inline queries, edits, stickers, group chatter) to a real
Application on the in-process fake Bot API, and count the exceptions that escape a handler.

    .venv/bin/python benchmarks/fuzz_updates.py [--updates 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.ext import ApplicationBuilder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assistant import Assistant  # noqa: E402
from bot.config import LOCALES_DIR, Settings  # noqa: E402
from bot.i18n import load_catalogs  # noqa: E402
from bot.knowledge import load_knowledge_or_raise  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.telegram_app import BotContext, build_application  # noqa: E402
from tests.support.fake_request import TOKEN, FakeRequest  # noqa: E402
from tests.support.harness import Harness  # noqa: E402
from tests.test_update_fuzz import UPDATE, _payload  # noqa: E402

BATCH = 10


async def _harness(directory: Path) -> Harness:
    knowledge = load_knowledge_or_raise(ROOT / "knowledge")
    store = Store.in_directory(directory)
    assistant = Assistant(
        knowledge, load_catalogs(LOCALES_DIR), store, knowledge_dir=ROOT / "knowledge"
    )
    settings_ = Settings(token=TOKEN, knowledge_dir=ROOT / "knowledge", data_dir=directory)
    builder = (
        ApplicationBuilder().updater(None).request(FakeRequest()).get_updates_request(FakeRequest())
    )
    app = build_application(settings_, assistant, builder=builder, rate_limit=False)
    harness = Harness(app, app.bot.request)

    async def record(update: object, context: BotContext) -> None:
        assert context.error is not None
        harness.errors.append(context.error)

    app.add_error_handler(record)
    await app.initialize()
    return harness


def main() -> int:
    """Run the fuzz; exit 1 if any exception escaped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000)
    count = parser.parse_args().updates
    fed = 0
    with tempfile.TemporaryDirectory() as directory:
        loop = asyncio.new_event_loop()
        harness = loop.run_until_complete(_harness(Path(directory)))

        @settings(max_examples=count // BATCH, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(batch=st.lists(UPDATE, min_size=BATCH, max_size=BATCH))
        def feed(batch: list[tuple[str, str, str, int, bool]]) -> None:
            nonlocal fed
            for kind, text, data, user, group in batch:
                loop.run_until_complete(
                    harness.feed(_payload(harness, kind, text, data, user, group))
                )
                fed += 1

        feed()
        loop.run_until_complete(harness.app.shutdown())
        loop.close()
    print(f"{fed} updates fed, {len(harness.errors)} exceptions escaped")
    for error in harness.errors[:10]:
        print(f"  {type(error).__name__}: {error}")
    return 1 if harness.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
