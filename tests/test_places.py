from __future__ import annotations

import pytest

from bot.places import OTHER_PLACES, PlaceFinder
from bot.text import normalize


def named(text: str) -> set[str]:
    return {OTHER_PLACES[number][0] for number in PlaceFinder().places_in(text)}


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Shanghai metro card", {"shanghai"}),
        ("ＨＡＲＢＩＮ ice festival", {"harbin"}),  # full-width and upper case
        ("ハルビン氷祭り", {"harbin"}),
        ("大連と長春", {"dalian", "changchun"}),
        ("Beijing–Shenyang high-speed railway", {"beijing"}),
        ("東京都の人口", {"tokyo"}),  # not Kyoto, though 京都 is inside 東京都
        ("京都の紅葉", {"kyoto"}),
        ("omnibusan", set()),  # Latin names are whole words
        ("沈阳故宫门票", set()),
        ("", set()),
    ],
)
def test_places_named_in_text(text: str, places: set[str]) -> None:
    assert named(text) == places


def test_traditional_forms_are_found_after_normalization() -> None:
    assert named(normalize("哈爾濱冰雪節")) == {"harbin"}
