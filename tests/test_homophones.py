"""Names typed with other characters of the same sound (a pinyin input method's slips) are put
right; other words of the same sound, and names as they are, are left alone."""

from __future__ import annotations

import unicodedata

import pytest

from bot.homophones import TABLE, Homophones

NAMES = ["东陵", "棋盘山", "故宫", "中街", "北陵公园", "北陵", "沈阳驿", "沈阳站"]


@pytest.fixture(scope="module")
def homophones() -> Homophones:
    return Homophones.of(NAMES)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("沈阳冬陵好玩不？听说跟旗盘山挺近的", "沈阳东陵好玩不？听说跟棋盘山挺近的"),
        ("古宫几点开门", "故宫几点开门"),
        ("北灵公园门票多少", "北陵公园门票多少"),  # the longest name that sounds so
        ("东铃", "东陵"),
    ],
)
def test_a_name_typed_with_other_characters_of_its_sound_is_put_right(
    homophones: Homophones, typed: str, meant: str
) -> None:
    assert homophones.corrected(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "东陵和北陵哪个好",  # the names as they are
        "终结",  # the same sound as 中街, but no character of it: another word
        "how far is the palace",  # no Han at all
        "瀋陽の冬は寒いですか",
        "",
    ],
)
def test_other_text_is_left_alone(homophones: Homophones, text: str) -> None:
    assert homophones.corrected(text) == text


def test_only_names_of_two_to_six_han_characters_are_kept() -> None:
    kept = Homophones.of(["陵", "east tomb", "ヌルハチ", "沈阳故宫博物院东路", "故宫"])
    assert kept.corrected("古宫") == "故宫"
    assert kept.corrected("林") == "林"  # 陵 alone is too short to tell
    assert Homophones.of([]).corrected("古宫") == "古宫"


def test_a_common_character_does_not_make_a_typo() -> None:
    # In a base where 沈 and 阳 begin many names, sharing them says nothing.
    many = [f"沈阳{chr(0x4E00 + i)}{chr(0x4E10 + i)}" for i in range(30)]
    homophones = Homophones.of([*many, "沈阳驿"])
    assert "沈" in homophones.common and "驿" not in homophones.common
    assert homophones.corrected("沈阳宜家") == "沈阳宜家"
    assert homophones.corrected("沈阳易") == "沈阳易"


def _table_from_pypinyin() -> str:
    """bot/pinyin.txt as pypinyin's table of characters makes it: to write it again, put this
    function's result in the file (``tests/test_homophones.py`` is its only maker)."""
    pinyin_dict = pytest.importorskip("pypinyin.pinyin_dict").pinyin_dict

    def toneless(reading: str) -> str:
        decomposed = unicodedata.normalize("NFD", reading)
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    by_reading: dict[str, list[str]] = {}
    for point in range(0x4E00, 0xA000):
        listed = pinyin_dict.get(point)
        if listed:
            by_reading.setdefault(toneless(listed.split(",")[0]), []).append(chr(point))
    return "\n".join(f"{r} {''.join(chars)}" for r, chars in sorted(by_reading.items())) + "\n"


def test_the_table_of_readings_is_pypinyins() -> None:
    lines = TABLE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert "".join(line for line in lines if not line.startswith("#")) == _table_from_pypinyin()
