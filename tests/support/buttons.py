"""Reading button data in tests: the action a button carries, without the language of the
message it sits under (``e:palace:ja`` → ``e:palace``), so one assertion serves every language."""

from __future__ import annotations

from dataclasses import replace

from bot import actions


def bare(data: str) -> str:
    """The button's action as data without its language; foreign data as it is."""
    action = actions.parse(data)
    return replace(action, lang=None).pack() if action is not None else data
