"""The lines of an answer a follow-up asks about (bot/passages.py)."""

from __future__ import annotations

from bot.passages import asked_lines, lines_of, says_all, says_any, units
from bot.text import normalize

CITIES = """沈阳与日本的地方交流历史悠久，**札幌**是沈阳的第一个国际友好城市。

• 札幌市（北海道）：1980年11月18日结为友好城市
• 川崎市（神奈川县）：1981年8月18日结为友好城市
• 浜松市：2025年为友好交流15周年"""

VISA = """**30 days visa-free**
• Holders of 46 countries' passports may stay up to 30 days.
**240-hour transit**
• Citizens of 55 countries may stay 240 hours with an onward ticket.
• 65 ports qualify."""


def test_units_are_telling_pairs_and_words_without_grammar_or_asking() -> None:
    assert units(normalize("川崎は？")) == {"川崎"}
    assert units(normalize("where is it spicy")) == {"spicy"}
    assert units(normalize("可以带宠物吗")) == {"以带", "带宠", "宠物", "物吗"}  # "可以" asks


def test_lines_keep_the_heading_of_their_section() -> None:
    assert lines_of(VISA)[1] == (
        "• Citizens of 55 countries may stay 240 hours with an onward ticket.",
        "**240-hour transit**",
    )


def test_the_one_line_a_follow_up_names() -> None:
    assert asked_lines("那川崎呢", CITIES) == ["• 川崎市（神奈川县）：1981年8月18日结为友好城市"]


def test_two_close_lines_are_both_given() -> None:
    lines = asked_lines("跟札幌啥时候结的", CITIES)
    assert len(lines) == 2 and all("札幌" in line for line in lines)


def test_a_section_is_asked_by_its_heading_and_three_alike_are_no_answer() -> None:
    assert asked_lines("how many ports for the transit", VISA) == ["• 65 ports qualify."]
    assert asked_lines("结为友好城市", CITIES + "，结为友好城市") is None  # three lines say it
    assert asked_lines("is there an audio guide", VISA) == []  # no line says it


def test_says_any_tells_whether_the_answer_holds_a_word_of_the_question() -> None:
    answer = "沈阳使用北京时间（UTC+8）。与日本：日本时间为UTC+9。"
    assert not says_any("银行要带啥", answer)
    assert says_any("跟日本差几个小时", answer)
    assert says_any("？", answer)  # no telling word: nothing to tell it by


def test_a_season_said_either_way_finds_its_line() -> None:
    answer = (
        "沈阳四季分明。\n• **冬季**：寒冷干燥，请穿羽绒服。\n• **夏季**：温暖潮湿，7—8月请带雨具。"
    )
    assert asked_lines("那夏天呢", answer) == ["• **夏季**：温暖潮湿，7—8月请带雨具。"]


RACK = """沈阳鸡架是沈阳人最爱的宵夜。

• 口味：麻辣、香甜、咸香，也有偏甜、熏酱、重辣等口味。
• 在哪儿吃：太原街一带的老店。"""


def test_a_not_a_asks_a_and_a_word_of_one_character_counts() -> None:
    assert "辣" in units(normalize("辣不辣"))
    # "辣不辣" had found no line: no pair of characters held 辣 alone.
    assert asked_lines("辣不辣", RACK) == ["• 口味：麻辣、香甜、咸香，也有偏甜、熏酱、重辣等口味。"]


def test_says_all_needs_every_telling_word_of_the_question() -> None:
    assert says_all("川崎は？", CITIES)
    assert not says_all("川崎と大阪", CITIES)
    assert not says_all("は？", CITIES)  # no telling word at all
