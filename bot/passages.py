"""The lines of an answer a follow-up asks about, for when the whole answer was just read: "川崎は？"
after the sister cities is Kawasaki's line, "is it spicy" after the chicken rack the line on its
flavours. Console testers had been sent the same long answer again for such questions (30 times
in 65 Japanese conversations, 12 in 54 English ones). Pure functions over an answer's text.

A line is scored by the words of the question it holds, each weighted by how few of the answer's
lines hold it: words every line holds (the entry's own name) say nothing about which line is
meant. Where no line holds any of them, the entry has nothing more on it; where several hold
them alike, the whole answer is what answers (bot.rereads says both)."""

from __future__ import annotations

import math
import re

from bot.grammar import without_grammar
from bot.text import is_han, normalize

# A line must hold this much more of the question than the next best to be the one meant; two
# lines within it are both shown ("跟札幌啥时候结的" after the sister cities: the opening line on
# Sapporo and Sapporo's own), three are the whole answer.
_CLEAR_LEAD = 1.5
_MOST_LINES = 2
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_SHORTEST_WORD = 3  # "is", "it", "in": not telling
_STEM = 5  # "spicy" in "spiciness", "register" in "registration"
_HIRAGANA = re.compile(r"[\u3040-\u309f]")
# Seasons said either way: "那夏天呢" asks the line on "夏季" (it had been told "nothing more").
_SEASON = re.compile(r"([春夏秋冬])天")
# A-not-A asks A: "辣不辣" asks whether it is 辣 (hot), "贵不贵" whether it is dear.
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])不\1")
# Words that ask, found in answers as other words: "where" in "…in Shenyang, where it is…",
# "可以" in "可以带宠物吗" and "…可以乘地铁1号线".
_ASKING = frozenset(("what", "where", "when", "which", "who", "whom", "whose", "why", "how"))
_ASKING_PAIRS = frozenset(
    (
        *("可以", "没有", "有没", "什么", "怎么", "多少", "哪里", "哪儿", "是不", "不是", "能不"),
        *("一下", "我们", "你们", "这个", "那个", "一个", "现在", "知道", "请问", "可能", "需要"),
        "大概",
    )
)


def units(normalized: str) -> set[str]:
    """The telling units of a normalized text: pairs of CJK characters without kana particles
    ("提携", "川崎"), and English words without grammar, cut to a stem."""
    normalized = _A_NOT_A.sub(r"\1", _SEASON.sub(r"\1季", normalized))
    runs = _CJK_RUN.findall(normalized)
    # A word of one character alone ("辣" of "辣不辣") is a unit too: no pair holds it.
    found = {run for run in runs if len(run) == 1 and is_han(run)}
    found |= {
        run[i : i + 2]
        for run in runs
        for i in range(len(run) - 1)
        if not _HIRAGANA.search(run[i : i + 2]) and run[i : i + 2] not in _ASKING_PAIRS
    }
    words = _LATIN_WORD.findall(without_grammar(normalized))
    found.update(
        word[:_STEM] for word in words if len(word) >= _SHORTEST_WORD and word not in _ASKING
    )
    return found


def lines_of(answer: str) -> list[tuple[str, str]]:
    """The lines of an answer that say something (bullets and paragraphs, not bold headings),
    each with the heading of its section ("" before the first): "the 240 hour thing" is asked
    of the bullets under "240-hour visa-free transit"."""
    found, heading = [], ""
    for line in (line.strip() for line in answer.splitlines()):
        if _heading(line):
            heading = line
        elif line:
            found.append((line, heading))
    return found


def _heading(line: str) -> bool:
    return line.startswith("**") and line.endswith("**") and line.count("**") == 2


def asked_lines(question: str, answer: str) -> list[str] | None:
    """The one or two lines of ``answer`` the question asks about; none when no line holds any
    of its words; None when several hold them alike (the whole answer is what answers it: "how
    long can i stay" after the visa rules, whose every section says how long)."""
    sections = lines_of(answer)
    if len(sections) < 2:
        return None
    lines = [line for line, _ in sections]
    asked = units(normalize(question))
    lone = {unit for unit in asked if len(unit) == 1}
    # One-character words are looked for in the line as normalized, like the question's.
    said = [normalize(f"{heading} {line}") for line, heading in sections]
    held = [_with_chars(units(text), text, lone) for text in said]
    weight = {unit: _rarity(unit, held) for unit in asked}
    scores = [sum(weight[unit] for unit in asked & line) for line in held]
    ranked = sorted(range(len(lines)), key=lambda i: -scores[i])
    best = scores[ranked[0]]
    if best <= 0:
        return []
    close = [i for i in ranked[: _MOST_LINES + 1] if scores[i] * _CLEAR_LEAD > best]
    if len(close) > _MOST_LINES:
        return None  # three lines alike
    return [lines[i] for i in sorted(close)]


def says_any(question: str, answer: str) -> bool:
    """Whether the answer holds any telling word of the question (or the question has none):
    "银行要带啥" says nothing the time zone's answer holds."""
    asked = units(normalize(question))
    return not asked or bool(asked & units(normalize(answer)))


def says_all(question: str, answer: str) -> bool:
    """Whether the question has telling words and the answer holds every one of them: "滞在は
    10日です" says only what the business visa's answer holds (滞在)."""
    asked = units(normalize(question))
    return bool(asked) and asked <= units(normalize(answer))


def _with_chars(found: set[str], line: str, chars: set[str]) -> set[str]:
    """A line's units with the one-character words asked that it holds."""
    return found | {char for char in chars if char in line}


def _rarity(unit: str, held: list[set[str]]) -> float:
    """How telling a unit is within one answer: log of lines over the lines that hold it."""
    holding = sum(unit in line for line in held)
    return math.log(1 + len(held) / holding) if holding else 0.0
