"""Button data: every action round-trips, data this bot never made is refused, and the 64-byte
limit is held where the data is made and, for entry ids, already by `check`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot import actions
from bot.actions import (
    ACTIONS,
    Action,
    ActionTooLong,
    AddToCalendar,
    CancelReminder,
    FilterEvents,
    FollowEvents,
    FollowMenu,
    LanguageMenu,
    OpenCategory,
    OpenEntry,
    PickSuggestion,
    RemindMe,
    SetLanguage,
    ShowEvents,
    ShowMap,
    ShowSources,
    ShowTopics,
    TaxiCard,
    Unfollow,
    Vote,
    entry_actions,
    longest_entry_id,
)
from bot.knowledge import load_knowledge
from bot.limits import CALLBACK_DATA_BYTES

EXAMPLES: tuple[Action, ...] = (
    ShowTopics(),
    LanguageMenu(),
    SetLanguage("ja"),
    OpenCategory("tourism"),
    ShowEvents(),
    OpenEntry("mukden-palace"),
    PickSuggestion("mukden-palace"),
    ShowMap("mukden-palace"),
    AddToCalendar("ice-festival"),
    RemindMe("ice-festival"),
    CancelReminder(12345),
    Vote("mukden-palace", "up"),
    Vote("mukden-palace", "down"),
    ShowSources("mukden-palace"),
    TaxiCard("mukden-palace", lang="ja"),
    FilterEvents("next-month"),
    FilterEvents("sports"),
    FollowEvents("all"),
    FollowEvents("culture"),
    FollowMenu(),
    Unfollow(),
)


def test_every_action_kind_has_an_example_and_a_prefix_of_its_own() -> None:
    assert {type(a) for a in EXAMPLES} == set(ACTIONS)
    prefixes = [kind.PREFIX for kind in ACTIONS]
    assert len(set(prefixes)) == len(prefixes) and all(prefixes)


@pytest.mark.parametrize("action", EXAMPLES, ids=repr)
def test_every_action_round_trips(action: Action) -> None:
    data = action.pack()
    assert len(data.encode()) <= CALLBACK_DATA_BYTES
    assert actions.parse(data) == action


@pytest.mark.parametrize(
    ("data", "action"),
    [
        ("menu", ShowTopics()),
        ("lang", LanguageMenu()),
        ("l:zh", SetLanguage("zh")),
        ("c:investment", OpenCategory("investment")),
        ("ev", ShowEvents()),
        ("e:palace", OpenEntry("palace")),
        ("s:palace", PickSuggestion("palace")),
        ("map:palace", ShowMap("palace")),
        ("ics:future-fair", AddToCalendar("future-fair")),
        ("rm:future-fair", RemindMe("future-fair")),
        ("rmx:7", CancelReminder(7)),
        ("fb:palace:up", Vote("palace", "up")),
        ("fb:palace:down", Vote("palace", "down")),
    ],
)
def test_buttons_already_in_users_chats_still_work(data: str, action: Action) -> None:
    assert actions.parse(data) == action
    assert action.pack() == data


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "zz:palace",  # another bot's, or a retired prefix
        "e",  # a field missing
        "e:",  # an empty field
        "e:palace:extra",  # a field too many
        "menu:x",
        "e:Palace",  # not an id
        "e:pal ace",
        "e:pal\nace",
        "fb:palace:maybe",  # not a verdict
        "rmx:abc",
        "rmx:-1",
        "rmx:1.5",
        "e:" + "a" * 63,  # over 64 bytes
        "l:日本",
    ],
)
def test_foreign_or_malformed_data_is_an_unknown_action(data: str | None) -> None:
    assert actions.parse(data) is None


def test_data_over_64_bytes_is_refused_where_it_is_made() -> None:
    with pytest.raises(ActionTooLong):
        Vote("x" * 60, "down").pack()
    with pytest.raises(ValueError):
        OpenEntry("Not An Id").pack()


def test_the_longest_entry_id_fits_every_button_and_one_more_does_not() -> None:
    longest = longest_entry_id()
    assert 40 <= longest < CALLBACK_DATA_BYTES
    for action in entry_actions("a" * longest):
        assert len(action.pack().encode()) <= CALLBACK_DATA_BYTES
    with pytest.raises(ActionTooLong):
        for action in entry_actions("a" * (longest + 1)):
            action.pack()


def test_check_refuses_an_entry_id_whose_buttons_would_not_fit(tmp_path: Path) -> None:
    long_id = "a" * 60  # its 👎 button would carry 68 bytes: Telegram refuses the whole answer
    (tmp_path / "a.yaml").write_text(
        textwrap.dedent(
            f"""\
            category: tourism
            entries:
              - id: {long_id}
                questions: {{en: [Where is it]}}
                answer: {{en: Here.}}
                source: test
              - id: {"b" * longest_entry_id()}
                questions: {{en: [What is it]}}
                answer: {{en: This.}}
                source: test
            """
        ),
        encoding="utf-8",
    )
    result = load_knowledge(tmp_path)
    assert result.knowledge is None
    (problem,) = result.errors
    assert str(problem).startswith(f"{tmp_path / 'a.yaml'}:3: ")
    assert "60 characters" in str(problem) and f"at most {longest_entry_id()}" in str(problem)


def test_event_views_and_follow_kinds_are_the_ones_the_core_knows() -> None:
    from bot.events import VIEWS
    from bot.records import EVENT_KINDS

    assert FilterEvents.VIEWS == VIEWS
    assert ("all", *EVENT_KINDS) == FollowEvents.KINDS
    assert actions.parse("evf:last-year") is None and actions.parse("fol:history") is None
