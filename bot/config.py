"""Settings from the environment. The token is kept out of every repr and log line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_data_dir

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
LOCALES_DIR = PROJECT_ROOT / "locales"


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    api_base_url: str | None = None
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR
    data_dir: Path = Path(user_data_dir("hello-shenyang", appauthor=False))
    admin_ids: frozenset[int] = frozenset()
    # Keys the hashes that stand for user ids in the store; kept out of the database when set.
    hash_key: bytes | None = field(default=None, repr=False)
    retention_days: int = 180
    reminder_hours_before: int = 24

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        defaults = cls()
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            knowledge_dir=Path(env["BOT_KNOWLEDGE_DIR"])
            if env.get("BOT_KNOWLEDGE_DIR")
            else defaults.knowledge_dir,
            data_dir=Path(env["BOT_DATA_DIR"]) if env.get("BOT_DATA_DIR") else defaults.data_dir,
            admin_ids=_ids(env.get("BOT_ADMIN_IDS", "")),
            hash_key=env["BOT_HASH_KEY"].encode() if env.get("BOT_HASH_KEY") else None,
            retention_days=_int(env.get("BOT_RETENTION_DAYS"), defaults.retention_days),
            reminder_hours_before=_int(
                env.get("BOT_REMINDER_HOURS"), defaults.reminder_hours_before
            ),
        )

    def with_knowledge_dir(self, directory: Path) -> Settings:
        return replace(self, knowledge_dir=directory)


def _ids(text: str) -> frozenset[int]:
    return frozenset(
        int(part)
        for part in text.replace(";", ",").split(",")
        if part.strip().lstrip("-").isdigit()
    )


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default
