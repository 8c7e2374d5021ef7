"""Settings checked at start: the table, every bad value reported at once, exit 2, README in step."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import (
    DEFAULT_KNOWLEDGE_DIR,
    SETTINGS,
    Settings,
    SettingsError,
    knowledge_dir_from_env,
    settings_table_markdown,
)
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
# Spelled out rather than imported from the test support, which is being reorganised.
FIXTURE_KB = ROOT / "tests" / "fixtures" / "kb"
TOKEN = "123456:TEST-token-not-real"


def problems_of(env: dict[str, str]) -> dict[str, str]:
    """Each bad variable's line of the message, by name."""
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    lines = {problem.name: str(problem) for problem in caught.value.problems}
    assert len(lines) == len(caught.value.problems), "one line per bad variable"
    return lines


# -- good settings ---------------------------------------------------------------------------------


def test_empty_environment_gives_the_defaults() -> None:
    assert Settings.from_env({}) == Settings()


def test_empty_values_count_as_unset() -> None:
    assert Settings.from_env({setting.env: "" for setting in SETTINGS}) == Settings()


def test_good_settings_parse(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081",
            "BOT_KNOWLEDGE_DIR": str(FIXTURE_KB),
            "BOT_DATA_DIR": str(tmp_path / "new" / "data"),
            "BOT_HASH_KEY": "s3cret",
            "BOT_ADMIN_IDS": "12345678, 87654321;42",
            "BOT_RETENTION_DAYS": "30",
            "BOT_REMINDER_HOURS": "720",
            "BOT_REPORT_LANG": "JA",
            "BOT_CONTEXT_MINUTES": "1440",
        }
    )
    assert settings == Settings(
        token=TOKEN,
        api_base_url="http://127.0.0.1:8081",
        knowledge_dir=FIXTURE_KB,
        data_dir=tmp_path / "new" / "data",
        admin_ids=frozenset({12345678, 87654321, 42}),
        hash_key=b"s3cret",
        retention_days=30,
        reminder_hours_before=720,
        report_lang="ja",
        context_minutes=1440,
    )
    assert not (tmp_path / "new").exists(), "reading settings creates nothing"


def test_new_settings_default_to_chinese_report_and_half_an_hour() -> None:
    assert (Settings().report_lang, Settings().context_minutes) == ("zh", 30)


def test_token_and_hash_key_stay_out_of_repr() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "BOT_HASH_KEY": "s3cret"})
    assert TOKEN not in repr(settings) and "s3cret" not in repr(settings)


# -- bad settings, one at a time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("BOT_RETENTION_DAYS", "-5", "-5 is out of range; expected a whole number from 1 to 3650"),
        ("BOT_RETENTION_DAYS", "0", "0 is out of range"),
        ("BOT_RETENTION_DAYS", "six months", "not a whole number"),
        ("BOT_RETENTION_DAYS", "1.5", "not a whole number"),
        ("BOT_ADMIN_IDS", "123,abc,4.5", "not user ids: 'abc', '4.5'; expected numeric"),
        ("BOT_ADMIN_IDS", "-100123", "not user ids: '-100123'"),
        ("BOT_REMINDER_HOURS", "0", "0 is out of range; expected a whole number from 1 to 720"),
        ("BOT_REMINDER_HOURS", "721", "721 is out of range"),
        ("BOT_REMINDER_HOURS", "soon", "not a whole number"),
        ("BOT_CONTEXT_MINUTES", "1441", "out of range; expected a whole number from 1 to 1440"),
        ("BOT_REPORT_LANG", "fr", "not one of the choices; expected one of zh, ja, en"),
        ("TELEGRAM_API_BASE_URL", "ftp://127.0.0.1", "does not start with http:// or https://"),
        ("TELEGRAM_API_BASE_URL", "127.0.0.1:8081", "does not start with http:// or https://"),
        ("TELEGRAM_API_BASE_URL", "http://", "names no host"),
        ("TELEGRAM_API_BASE_URL", "http://127.0.0.1:80x", "the port is not a number"),
        ("TELEGRAM_API_BASE_URL", "http://[::1", "not a URL"),
        ("BOT_KNOWLEDGE_DIR", "/no/such/knowledge", "the directory does not exist"),
    ],
)
def test_each_bad_setting_is_named_with_what_is_expected(name: str, value: str, says: str) -> None:
    line = problems_of({name: value})[name]
    assert line.startswith(f"{name}={value!r}: ")
    assert says in line


def test_a_file_is_not_a_directory(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("x", encoding="utf-8")
    lines = problems_of({"BOT_KNOWLEDGE_DIR": str(file), "BOT_DATA_DIR": str(file / "data")})
    assert "not a directory" in lines["BOT_KNOWLEDGE_DIR"]
    assert f"cannot be created: {file} is not a directory" in lines["BOT_DATA_DIR"]
    assert (
        "exists and is not a directory" in problems_of({"BOT_DATA_DIR": str(file)})["BOT_DATA_DIR"]
    )


def test_a_bad_token_is_reported_without_its_value() -> None:
    bad = '"123456:TEST-token-not-real"'  # quotes copied along with it
    line = problems_of({"TELEGRAM_BOT_TOKEN": bad})["TELEGRAM_BOT_TOKEN"]
    assert "does not look like a token from @BotFather" in line
    assert "TEST-token-not-real" not in line


def test_a_misspelt_name_is_not_silently_ignored() -> None:
    env = {"BOT_RETENTION_DAY": "30", "bot_admin_ids": "1", "TELEGRAM_TOKEN": "123:not-shown"}
    lines = problems_of(env)
    assert lines["BOT_RETENTION_DAY"].endswith("did you mean BOT_RETENTION_DAYS?")
    assert lines["bot_admin_ids"].endswith("did you mean BOT_ADMIN_IDS?")
    assert lines["TELEGRAM_TOKEN"].endswith("did you mean TELEGRAM_BOT_TOKEN?")
    assert "not-shown" not in lines["TELEGRAM_TOKEN"], "values of unknown names are not shown"


def test_other_variables_are_left_alone() -> None:
    env = {"PATH": "/usr/bin", "BOT_DATA_URL": "x", "TELEGRAM_CHANNEL": "y", "HOME": "/root"}
    assert Settings.from_env(env) == Settings()


# -- all at once -----------------------------------------------------------------------------------


def test_every_bad_setting_is_reported_at_once_in_table_order() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(
            {
                "BOT_REMINDER_HOURS": "soon",
                "BOT_RETENTION_DAYS": "-5",
                "BOT_ADMIN_IDS": "abc",
                "TELEGRAM_API_BASE_URL": "localhost",
                "BOT_REPORT_LANG": "ko",
                "BOT_CONTEXT_MINUTES": "0",
                "BOT_KNOWLEDGE_DIR": "/no/such/knowledge",
            }
        )
    names = [problem.name for problem in caught.value.problems]
    assert names == [
        "TELEGRAM_API_BASE_URL",
        "BOT_KNOWLEDGE_DIR",
        "BOT_ADMIN_IDS",
        "BOT_RETENTION_DAYS",
        "BOT_REMINDER_HOURS",
        "BOT_REPORT_LANG",
        "BOT_CONTEXT_MINUTES",
    ]
    message = str(caught.value)
    assert message.startswith("7 bad setting(s) in the environment; nothing was started:\n")
    assert all(f"\n  {name}=" in message for name in names)


# -- the command line: exit 2, nothing touched -----------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The process environment without any of our settings."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    return monkeypatch


@pytest.mark.parametrize("argv", [[], ["run"], ["console"], ["report"]])
def test_bad_settings_stop_every_command_with_exit_2_before_anything_is_made(
    argv: list[str],
    clean_env: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    clean_env.setenv("BOT_DATA_DIR", str(data))
    clean_env.setenv("BOT_RETENTION_DAYS", "-5")
    clean_env.setenv("BOT_ADMIN_IDS", "12,abc")
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    assert main(argv) == 2
    assert not data.exists(), "no store opened"
    err = capsys.readouterr().err
    assert "BOT_RETENTION_DAYS='-5'" in err and "BOT_ADMIN_IDS='12,abc'" in err
    assert TOKEN not in err


def test_a_negative_retention_no_longer_empties_the_question_log(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = Store.in_directory(tmp_path)
    store.record_question(1, "en", "where is the palace", "answer", "palace", ())
    store.close()
    clean_env.setenv("BOT_DATA_DIR", str(tmp_path))
    clean_env.setenv("BOT_RETENTION_DAYS", "-5")
    assert main(["console"]) == 2
    store = Store.in_directory(tmp_path)
    try:
        assert [q.text for q in store.questions()] == ["where is the palace"]
    finally:
        store.close()


def test_knowledge_option_replaces_the_variable(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("BOT_DATA_DIR", str(tmp_path))
    clean_env.setenv("BOT_KNOWLEDGE_DIR", "/no/such/knowledge")
    clean_env.setenv("BOT_REMINDER_HOURS", "0")
    assert main(["console", "--knowledge", str(FIXTURE_KB)]) == 2
    err = capsys.readouterr().err
    assert "BOT_REMINDER_HOURS" in err and "BOT_KNOWLEDGE_DIR" not in err
    assert main(["console", "--knowledge", "/no/such/either"]) == 2
    assert "BOT_KNOWLEDGE_DIR='/no/such/either': the directory does not exist" in (
        capsys.readouterr().err
    )


def test_check_and_ask_keep_their_contract_whatever_else_is_set(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("BOT_RETENTION_DAYS", "-5")
    clean_env.setenv("BOT_KNOWLEDGE_DIR", str(FIXTURE_KB))
    assert main(["check", "--strict"]) == 0
    assert f"OK: 5 entries in {FIXTURE_KB}" in capsys.readouterr().out
    assert main(["ask", "--json", "hello"]) == 0
    clean_env.setenv("BOT_KNOWLEDGE_DIR", "/no/such/knowledge")
    assert main(["check"]) == 1
    assert "knowledge directory not found" in capsys.readouterr().out


def test_knowledge_dir_from_env() -> None:
    assert knowledge_dir_from_env({}) == DEFAULT_KNOWLEDGE_DIR
    assert knowledge_dir_from_env({"BOT_KNOWLEDGE_DIR": "kb"}) == Path("kb")


# -- the table, the dataclass and the README -------------------------------------------------------


def test_the_table_names_every_field_once_with_its_default() -> None:
    names = [f.name for f in dataclasses.fields(Settings)]
    assert sorted(setting.field for setting in SETTINGS) == sorted(names)
    assert len({setting.env for setting in SETTINGS}) == len(SETTINGS)
    defaults = Settings()
    for setting in SETTINGS:
        assert getattr(defaults, setting.field) == setting.default, setting.env


def test_secret_settings_are_the_ones_kept_out_of_repr() -> None:
    hidden = {f.name for f in dataclasses.fields(Settings) if not f.repr}
    assert {setting.field for setting in SETTINGS if setting.secret} == hidden


def readme_configuration_rows() -> list[tuple[str, ...]]:
    """The rows of the table in the README's "Configuration (environment)" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration (environment)\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    cells = [tuple(cell.strip() for cell in row.strip("|").split(" | ")) for row in rows]
    assert cells[0] == ("variable", "meaning", "default", "accepted values")
    assert re.fullmatch(r"\|(---\|)+", rows[1]), "the second row is the header rule"
    return cells[2:]


def test_readme_configuration_table_is_the_settings_table() -> None:
    expected = [(f"`{s.env}`", s.meaning, s.default_text, s.rule.accepts) for s in SETTINGS]
    assert readme_configuration_rows() == expected, (
        "README.md's configuration table differs from bot/config.py SETTINGS; paste this:\n"
        + settings_table_markdown()
    )
