"""Settings from the environment, checked at start.

`SETTINGS` is the one table of environment variables: name, default, meaning, what a valid value
looks like and the parser that reads it. `Settings.from_env` is built from it, the README's
configuration table is tested against it (tests/test_config.py), and a bad value stops the start
before anything is touched: every bad variable is reported at once, like the knowledge checker's
`FILE:LINE` problems. The token and the hash key are kept out of every repr, log line and message.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from platformdirs import user_data_dir

from bot.languages import SUPPORTED

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
DEFAULT_DATA_DIR = Path(user_data_dir("hello-shenyang", appauthor=False))
LOCALES_DIR = PROJECT_ROOT / "locales"

DEFAULT_RETENTION_DAYS = 180
DEFAULT_REMINDER_HOURS = 24
# The city promotion office, who read the report, read Chinese.
DEFAULT_REPORT_LANG = "zh"
DEFAULT_CONTEXT_MINUTES = 30


@dataclass(frozen=True)
class Settings:
    """What the bot runs with; the defaults are the table's."""

    token: str | None = field(default=None, repr=False)
    api_base_url: str | None = None
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR
    data_dir: Path = DEFAULT_DATA_DIR
    admin_ids: frozenset[int] = frozenset()
    # Keys the hashes that stand for user ids in the store; kept out of the database when set.
    hash_key: bytes | None = field(default=None, repr=False)
    retention_days: int = DEFAULT_RETENTION_DAYS
    reminder_hours_before: int = DEFAULT_REMINDER_HOURS
    report_lang: str = DEFAULT_REPORT_LANG
    context_minutes: int = DEFAULT_CONTEXT_MINUTES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every setting; raise SettingsError naming every bad variable at once."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        problems: list[SettingProblem] = []
        for setting in SETTINGS:
            raw = env.get(setting.env, "")
            if not raw:  # unset and empty are the same: `BOT_ADMIN_IDS=` in a compose file
                continue
            try:
                values[setting.field] = setting.rule.parse(raw)
            except ValueError as error:
                problems.append(SettingProblem.of(setting, raw, str(error)))
        problems.extend(_misspelt(env))
        if problems:
            raise SettingsError(tuple(problems))
        return cls(**values)

    @property
    def knowledge_cache_dir(self) -> Path:
        """Where each knowledge file's checked entries are kept between loads: a restart or
        /reload of 10,000 unchanged entries reads and checks them in 0.89 s of CPU, not 3.65 s."""
        return self.data_dir / "knowledge-cache"

    def with_knowledge_dir(self, directory: Path) -> Settings:
        """The same settings reading another knowledge directory (`--knowledge DIR`)."""
        return replace(self, knowledge_dir=directory)


# -- rules: what a valid value looks like, and the parser that reads it ----------------------------


@dataclass(frozen=True)
class Rule:
    """A parser and the words that tell a person what it accepts (README and error messages)."""

    accepts: str
    # Returns the value for the Settings field; raises ValueError saying what is wrong.
    parse: Callable[[str], object]


def _whole_number(low: int, high: int, example: int) -> Rule:
    def parse(text: str) -> int:
        if not re.fullmatch(r"-?[0-9]+", text.strip()):
            raise ValueError("not a whole number")
        number = int(text)
        if not low <= number <= high:
            raise ValueError(f"{number} is out of range")
        return number

    return Rule(f"a whole number from {low} to {high}, e.g. {example}", parse)


def _one_of(choices: tuple[str, ...]) -> Rule:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise ValueError("not one of the choices")
        return value

    return Rule("one of " + ", ".join(f"`{choice}`" for choice in choices), parse)


def _user_ids(text: str) -> frozenset[int]:
    parts = [part for part in re.split(r"[,;\s]+", text) if part]
    bad = [part for part in parts if not part.isascii() or not part.isdigit() or int(part) == 0]
    if bad:
        raise ValueError("not user ids: " + ", ".join(repr(part) for part in bad))
    return frozenset(int(part) for part in parts)


# A token from @BotFather is the bot's numeric id, a colon and a secret of letters, digits, - and _.
# A quote or a space copied along with it is the usual mistake; the value itself is never shown.
_TOKEN = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")


def _token(text: str) -> str:
    if not _TOKEN.fullmatch(text):
        raise ValueError("does not look like a token from @BotFather")
    return text


def _http_url(text: str) -> str:
    try:
        parts = urlsplit(text.strip())
    except ValueError:  # an unclosed [ of an IPv6 address
        raise ValueError("not a URL") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError("does not start with http:// or https://")
    if not parts.hostname:
        raise ValueError("names no host")
    try:
        parts.port  # noqa: B018  (reading it is the check: a port that is not a number raises)
    except ValueError:
        raise ValueError("the port is not a number from 0 to 65535") from None
    return text.strip()


def _existing_dir(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.exists():
        raise ValueError("the directory does not exist")
    if not path.is_dir():
        raise ValueError("not a directory")
    return path


def _data_dir(text: str) -> Path:
    """A directory the store can live in: it exists, or it can be made (nothing is made here)."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise ValueError("exists and is not a directory")
    parent = next(p for p in (path, *path.absolute().parents) if p.exists())
    if not parent.is_dir():
        raise ValueError(f"cannot be created: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"cannot be written: {parent} is not writable")
    return path


def _secret(text: str) -> bytes:
    return text.encode()


# -- the table ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One environment variable: the field it fills, its default, its meaning and its rule."""

    env: str
    field: str
    default: object
    meaning: str
    rule: Rule
    # The default as people read it, where the value itself says little (None, a path).
    shown_default: str | None = None
    # Never echoed in a message: the token and the hash key.
    secret: bool = False

    @property
    def default_text(self) -> str:
        """The default as the README shows it."""
        return self.shown_default if self.shown_default is not None else str(self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TELEGRAM_BOT_TOKEN",
        "token",
        None,
        "the bot's token from @BotFather; never logged",
        Rule("digits, a colon, then letters, digits, `-` or `_` (as @BotFather gives it)", _token),
        shown_default="none: console chat",
        secret=True,
    ),
    Setting(
        "TELEGRAM_API_BASE_URL",
        "api_base_url",
        None,
        "a local Bot API server (e.g. `http://127.0.0.1:8081`)",
        Rule("an `http://` or `https://` URL", _http_url),
        shown_default="Telegram's",
    ),
    Setting(
        "BOT_KNOWLEDGE_DIR",
        "knowledge_dir",
        DEFAULT_KNOWLEDGE_DIR,
        "knowledge directory",
        Rule("an existing directory", _existing_dir),
        shown_default="`knowledge/`",
    ),
    Setting(
        "BOT_DATA_DIR",
        "data_dir",
        DEFAULT_DATA_DIR,
        "where the SQLite store and the knowledge cache live",
        Rule("a directory, or one that can be created", _data_dir),
        shown_default="the per-user data directory (`~/.local/share/hello-shenyang` on Linux)",
    ),
    Setting(
        "BOT_HASH_KEY",
        "hash_key",
        None,
        "secret that keys the hashes standing for user ids; set it to keep it out of the database",
        Rule("any text; keep it secret and never change it (old hashes stop matching)", _secret),
        shown_default="a random key stored in the database",
        secret=True,
    ),
    Setting(
        "BOT_ADMIN_IDS",
        "admin_ids",
        frozenset(),
        "Telegram user ids allowed `/reload` and `/report`",
        Rule("numeric Telegram user ids separated by commas, e.g. `12345678,87654321`", _user_ids),
        shown_default="none",
    ),
    Setting(
        "BOT_RETENTION_DAYS",
        "retention_days",
        DEFAULT_RETENTION_DAYS,
        "question logs older than this many days are deleted at start-up and daily",
        # 0 or less would delete every question at start-up; ten years is beyond any sensible log.
        _whole_number(1, 3650, DEFAULT_RETENTION_DAYS),
    ),
    Setting(
        "BOT_REMINDER_HOURS",
        "reminder_hours_before",
        DEFAULT_REMINDER_HOURS,
        'how many hours before an event "🔔 Remind me" fires',
        # Up to 30 days: a reminder a month ahead is still a reminder; more is a calendar's job.
        _whole_number(1, 720, DEFAULT_REMINDER_HOURS),
    ),
    Setting(
        "BOT_REPORT_LANG",
        "report_lang",
        DEFAULT_REPORT_LANG,
        "language of the curator's report (`report`, `/report`)",
        _one_of(SUPPORTED),
    ),
    Setting(
        "BOT_CONTEXT_MINUTES",
        "context_minutes",
        DEFAULT_CONTEXT_MINUTES,
        "how many minutes a conversation remembers the last topic",
        _whole_number(1, 1440, DEFAULT_CONTEXT_MINUTES),
    ),
)


# -- problems --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingProblem:
    """One bad variable: its name, its value (None when secret), what is wrong, what is expected."""

    name: str
    value: str | None
    reason: str
    expected: str = ""

    @classmethod
    def of(cls, setting: Setting, raw: str, reason: str) -> SettingProblem:
        """The problem with one variable of the table."""
        value = None if setting.secret else raw
        return cls(setting.env, value, reason, setting.rule.accepts.replace("`", ""))

    def __str__(self) -> str:
        text = self.name if self.value is None else f"{self.name}={self.value!r}"
        text += f": {self.reason}"
        return text + (f"; expected {self.expected}" if self.expected else "")


class SettingsError(ValueError):
    """Bad settings: every problem at once, one per line, ready to print."""

    def __init__(self, problems: tuple[SettingProblem, ...]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(
            f"{len(problems)} bad setting(s) in the environment; nothing was started:\n{lines}\n"
            'Fix them and start again (README, "Configuration (environment)").'
        )


def _misspelt(env: Mapping[str, str]) -> list[SettingProblem]:
    """Near-misses of our names: a typo (BOT_RETENTION_DAY) must not silently mean the default."""
    known = [setting.env for setting in SETTINGS]
    problems = []
    for name in sorted(env):
        if name in known or not name.upper().startswith(("BOT_", "TELEGRAM_")):
            continue
        # 0.85 catches a missing, extra or wrong letter, the wrong case and TELEGRAM_TOKEN (0.88),
        # and not a different word (BOT_DATA_URL is 0.83 from BOT_DATA_DIR).
        close = difflib.get_close_matches(name.upper(), known, n=1, cutoff=0.85)
        if close:
            problems.append(
                SettingProblem(name, None, f"unknown setting; did you mean {close[0]}?")
            )
    return problems


def settings_table_markdown() -> str:
    """The README's configuration table, from SETTINGS."""
    rows = [
        "| variable | meaning | default | accepted values |",
        "|---|---|---|---|",
    ]
    for setting in SETTINGS:
        rows.append(
            f"| `{setting.env}` | {setting.meaning} | {setting.default_text} "
            f"| {setting.rule.accepts} |"
        )
    return "\n".join(rows)


def knowledge_dir_from_env(env: Mapping[str, str] | None = None) -> Path:
    """Only the knowledge directory, unchecked: `check` and `ask` report a missing one themselves
    and keep their exit codes (0 or 1) whatever else is in the environment."""
    env = os.environ if env is None else env
    raw = env.get("BOT_KNOWLEDGE_DIR", "")
    return Path(raw).expanduser() if raw else DEFAULT_KNOWLEDGE_DIR
