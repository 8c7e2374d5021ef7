"""The one table of knowledge categories: the code curators write in YAML, the label users see,
and whether the topic menu offers it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.languages import N_


@dataclass(frozen=True)
class Category:
    """A category of entries; ``label`` is a msgid, translated where it is shown."""

    code: str
    label: str
    in_menu: bool = True


# Greetings, thanks and what the bot can do: answered, never browsed, and never the topic a
# follow-up asks about.
SMALL_TALK = "general"
# Sights: places to visit, each a place "there" may point at.
SIGHTS = "tourism"

# In the order the topic menu shows them.
CATEGORY_TABLE = (
    Category("investment", N_("💼 Investment")),
    Category(SIGHTS, N_("🏯 Tourism")),
    Category("events", N_("📅 Events")),
    Category("culture", N_("🎎 Culture & exchange")),
    Category("living", N_("🧭 Living")),
    Category(SMALL_TALK, N_("General"), in_menu=False),
)
CATEGORIES = tuple(category.code for category in CATEGORY_TABLE)
MENU = tuple(category for category in CATEGORY_TABLE if category.in_menu)


def category(code: str) -> Category | None:
    """The table row for a category code, or None when there is no such category."""
    return next((row for row in CATEGORY_TABLE if row.code == code), None)
