"""Chinese names typed with other characters of the same sound, put right before matching.

A pinyin input method offers every character read "dong" for "dong": "沈阳冬陵好玩不" means the East
Tomb (东陵), "旗盘山" is Qipanshan (棋盘山). The matcher compares characters, so such a name was
lost: "沈阳冬陵好玩不？听说跟旗盘山挺近的" was offered the itinerary, the palace and the best season.

A run of a query's Han characters is replaced by a name of the knowledge base (a keyword written
in Han characters, two or more) when each character can be read as the name's character in the
same place, tones aside, and at least one character is the name's own: a whole word of the same
sound ("终结" for "中街") is more likely another word than a typo of every character. Readings
are the commonest of each character's readings in pypinyin's table, kept in bot/pinyin.txt.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

TABLE = Path(__file__).with_name("pinyin.txt")  # each character's commonest reading
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_SHORTEST, _LONGEST = 2, 6  # names of one character are not put right; none is longer than six
_COMMON_IN = 25  # a character in more than one name in this many is common (see Homophones)


@dataclass(frozen=True)
class _Node:
    """Names by their readings, one character's reading a step: the names read so far, and
    where each next reading leads."""

    names: tuple[str, ...]
    next: Mapping[str, _Node]

    @classmethod
    def of(cls, named: list[tuple[list[tuple[str, ...]], str]]) -> _Node:
        """The node of names whose remaining readings are given ([] for a name read whole)."""
        here = tuple(name for each, name in named if not each)
        onward: dict[str, list[tuple[list[tuple[str, ...]], str]]] = {}
        for each, name in named:
            if each:
                for reading in each[0]:
                    onward.setdefault(reading, []).append((each[1:], name))
        return cls(here, MappingProxyType({r: cls.of(rest) for r, rest in onward.items()}))


@dataclass(frozen=True)
class Homophones:
    """The base's Han names by their readings, and how to put a query's runs of Han right."""

    root: _Node
    # Characters in more than one name in 25 ("沈" of 33 of the 536 shipped names, "阳" of 25):
    # sharing one of them says nothing ("沈阳宜家", IKEA, had become the station's old name
    # "沈阳驿"), so a typo must share a rarer one with its name.
    common: frozenset[str] = frozenset()

    # Pairs of Han characters the base writes: a run holding only such pairs is a word of
    # the base, not a typo ("市区" sounds as the time zone entry's "时区").
    written: frozenset[str] = frozenset()

    @classmethod
    def of(cls, names: Iterable[str], texts: Iterable[str] = ()) -> Homophones:
        """The homophones of ``names`` (normalized keywords; those not all Han are left out);
        ``texts``: the base's normalized phrasings, whose words are no typos."""
        kept = [
            name
            for name in dict.fromkeys(names)
            if _SHORTEST <= len(name) <= _LONGEST and _HAN_RUN.fullmatch(name)
        ]
        readable = [(each, name) for name in kept if all(each := _each_reading(name))]
        counts = Counter(char for name in kept for char in set(name))
        common = frozenset(c for c, n in counts.items() if n * _COMMON_IN > len(kept) >= _COMMON_IN)
        written = frozenset(
            run[i : i + 2]
            for text in texts
            for run in _HAN_RUN.findall(text)
            for i in range(len(run) - 1)
        )
        return cls(
            _Node.of(readable),
            common,
            written | {n[i : i + 2] for n in kept for i in range(len(n) - 1)},
        )

    def corrected(self, text: str) -> str:
        """``text`` (normalized) with each run that sounds as one name, and shares a character
        with it, written as that name."""
        if not self.root.next or not _HAN_RUN.search(text):
            return text
        return _HAN_RUN.sub(lambda found: self._run(found.group()), text)

    def _run(self, run: str) -> str:
        each = _each_reading(run)
        first = self.root.next  # most characters begin no name: looked at no further
        out, at = [], 0
        while at < len(run):
            begins = any(reading in first for reading in each[at])
            name = self._name_at(run, each, at) if begins else None
            out.append(name or run[at])
            at += len(name) if name else 1
        return "".join(out)

    def _name_at(self, run: str, each: list[tuple[str, ...]], at: int) -> str | None:
        """The longest name that the run, from ``at``, is a typo of (or is), if only one is."""
        sounding: list[tuple[str, ...]] = []  # names read by the next 1, 2 … characters
        nodes = [self.root]
        for readings in each[at : at + _LONGEST]:
            nodes = [n.next[r] for n in nodes for r in readings if r in n.next]
            if not nodes:
                break
            sounding.append(tuple(dict.fromkeys(name for n in nodes for name in n.names)))
        for length in range(len(sounding), _SHORTEST - 1, -1):
            typed, found = run[at : at + length], sounding[length - 1]
            if typed in found:
                return typed  # the name as it is: nothing to put right
            near = [n for n in found if self._shares_a_telling_character(n, typed)]
            if len(near) == 1:
                return near[0]
        return None

    def _shares_a_telling_character(self, name: str, typed: str) -> bool:
        if all(typed[i : i + 2] in self.written for i in range(len(typed) - 1)):
            return False  # words the base writes itself
        return any(a == b and a not in self.common for a, b in zip(name, typed, strict=True))


def _each_reading(text: str) -> list[tuple[str, ...]]:
    """Each character's reading, tones aside ("冬": ("dong",)); none for one the table lacks."""
    table = _sounds()
    return [table.get(char, ()) for char in text]


@cache
def _sounds() -> Mapping[str, tuple[str, ...]]:
    """Every character of the table (bot/pinyin.txt) with its reading: read once, 3 MB. Read
    from pypinyin itself, the bot took 55 MB more and 0.4 s longer to start."""
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            reading, chars = line.split(" ", 1)
            table.update(dict.fromkeys(chars, (reading,)))
    return MappingProxyType(table)
