"""Finding listed terms in a text: the other-places list, the lexicon's concepts and aspects.

A query is read in its normalized form (:func:`bot.text.normalize`: Traditional, Japanese and
Simplified forms meet); an answer as written, after NFKC and case folding. Latin terms must stand
as whole words ("busan", not "omnibusan"); CJK text has no spaces to stand between.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from bot.text import normalize

# Words: runs of Latin letters and digits, or of other word characters, so that a Latin name
# beside Japanese is still a word of its own ("vpnは", "simカード", "wi-fiは").
_TOKEN = re.compile(r"[a-z0-9\u00c0-\u024f]+|[^\W_a-z0-9\u00c0-\u024f]+")
_LATIN_WORD = re.compile(r"[a-z0-9]")  # normalized text is case-folded
# What stands between an owner and its thing: "北京の故宮", "北京故宫", "beijing s palace".
_OWNED = re.compile(r"の|的| s | (?=[a-z])|")

# Words that mark a place as the writer's origin, just before or just after its name: "from X",
# "I live in X", "从X", "我是X的", "我X的"; "X在住", "X出身", "Xから", "X人", "X来的", "X到沈阳".
# Five development questions named where the writer lives and got "Did you mean…" for it.
# A place a question compares with is not asked about either: "an ice festival like the Harbin
# one", "像哈尔滨那样的冰雪节", "札幌みたいな雪まつり"; nor the other end of a time difference
# ("between Shenyang and London", "東京との時差", "东京和沈阳的时差"), a development question.
_ORIGIN_BEFORE = re.compile(
    r"(?:\bfrom|\b(?:live|living|based|i'm|i am|we're|we are)\s+in|\blike(?:\s+the|\s+in)?"
    r"|\bbetween(?:\s+shenyang\s+and)?|从|從|来自|來自|我是|我们是|我們是|我|像|跟)\s*$"
)
_ORIGIN_AFTER = re.compile(
    r"\s*(?:在住|出身|から|人|来的|來的|出发|出發|过来|過來|到|飞|飛|-based\b|\s+based\b"
    r"|みたいな|のような|那样|那樣|一样|一樣|(?:との|的)(?:时差|時差)|(?:和|与|與|跟|と)(?:沈阳|瀋陽))"
)


class TermFinder:
    """Finds which groups of a list a text names; a group is several ways of writing one thing.

    A query is checked against some 300 names of places, aspects and concepts on every question,
    so names are looked up, not searched for: Latin names as runs of whole words in a dictionary,
    CJK names by their first character (one substring test per name took 0.24 ms of a 1.3 ms
    query, one regular expression of all names 3 ms)."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self._words: dict[tuple[str, ...], int] = {}
        self._by_first: dict[str, list[tuple[str, int]]] = {}
        for index, names in enumerate(groups):
            for name in names:
                for form in {_fold(name), normalize(name)}:
                    self._add(form, index)
        for listed in self._by_first.values():
            listed.sort(key=lambda item: len(item[0]), reverse=True)  # 東京都 before 京都
        self._longest = max((len(words) for words in self._words), default=0)
        self._first_words = frozenset(words[0] for words in self._words if words)

    def _add(self, form: str, index: int) -> None:
        if not form.strip():
            return
        if form.isascii():  # Latin names stand as whole words ("busan", not "omnibusan")
            self._words.setdefault(tuple(_TOKEN.findall(form)), index)
        elif not any(name == form for name, _ in self._by_first.get(form[0], [])):
            self._by_first.setdefault(form[0], []).append((form, index))

    def __bool__(self) -> bool:
        return bool(self._words or self._by_first)

    def found_in(self, text: str) -> frozenset[int]:
        """The numbers of the groups ``text`` names."""
        return frozenset(group for _, _, group in self._kept(_fold(text)))

    def asked_about(self, text: str) -> frozenset[int]:
        """The groups ``text`` names other than as where the writer comes from ("we're flying in
        from Singapore", "福岡在住です", "我广州的"): an origin says who asks, not what about."""
        folded = _fold(text)
        return frozenset(
            group
            for start, end, group in self._kept(folded)
            if not (_ORIGIN_BEFORE.search(folded, 0, start) or _ORIGIN_AFTER.match(folded, end))
        )

    def owns(self, text: str, names: Iterable[str]) -> bool:
        """Whether ``names`` stand in ``text`` only right after a term found, as their owner:
        "北京の故宮", "北京故宫", "beijing s palace" (normalized) name another city's palace;
        "沈阳故宫和北京故宫有什么区别" and "Mukden Palaceって北京の故宮と…" name ours too."""
        folded = _fold(text)
        kept = self._kept(folded)
        owned = {end + len(m.group()) for _s, end, _g in kept if (m := _OWNED.match(folded, end))}
        found = [m.start() for name in names for m in re.finditer(re.escape(name), folded)]
        return bool(found) and all(start in owned for start in found)

    def _kept(self, folded: str) -> list[tuple[int, int, int]]:
        """The hits in ``folded``: the longest at each place, no overlaps, in text order."""
        kept: list[tuple[int, int, int]] = []
        for start, end, group in sorted(self._hits(folded), key=lambda h: (h[0], h[0] - h[1])):
            if not kept or start >= kept[-1][1]:
                kept.append((start, end, group))
        return kept

    def replaced(self, text: str, term_for: Callable[[int, str], str]) -> str:
        """``text`` (folded) with each name found replaced by ``term_for(group, name as written)``."""
        folded = _fold(text)
        return _rewritten(folded, self._kept(folded), term_for)

    def names_in(self, text: str) -> list[str]:
        """The names ``text`` holds, folded, in the order found."""
        folded = _fold(text)
        return [folded[start:end] for start, end, _group in self._kept(folded)]

    def spans(self, text: str) -> tuple[list[int], str]:
        """The groups ``text`` names, in the order found, and the text with them blanked out."""
        folded = _fold(text)
        kept = self._kept(folded)
        found = list(dict.fromkeys(group for _, _, group in kept))
        return found, " ".join(_rewritten(folded, kept, lambda _group, _name: " ").split())

    def _hits(self, folded: str) -> list[tuple[int, int, int]]:
        hits = []
        if self._words:
            tokens = list(_TOKEN.finditer(folded))
            for i in range(len(tokens)):
                if tokens[i].group() not in self._first_words:
                    continue  # most words start no name: one set lookup, not six tuples
                for n in range(min(self._longest, len(tokens) - i), 0, -1):
                    key = tuple(t.group() for t in tokens[i : i + n])
                    if key in self._words:
                        hits.append((tokens[i].start(), tokens[i + n - 1].end(), self._words[key]))
                        break
        for position, char in enumerate(folded):
            for name, group in self._by_first.get(char, ()):
                if folded.startswith(name, position):
                    hits.append((position, position + len(name), group))
                    break
        return hits


def _fold(text: str) -> str:
    """The form names are found in: NFKC, case-folded (a query arrives normalized already)."""
    return unicodedata.normalize("NFKC", text).casefold()


def _rewritten(
    folded: str, kept: list[tuple[int, int, int]], term_for: Callable[[int, str], str]
) -> str:
    """``folded`` with each hit of ``kept`` (start, end, group) put as ``term_for`` says."""
    pieces, position = [], 0
    for start, end, group in kept:
        pieces.append(folded[position:start])
        pieces.append(term_for(group, folded[start:end]))
        position = end
    pieces.append(folded[position:])
    return "".join(pieces)


def stands_alone(word: str, query: str) -> bool:
    """Whether a Latin keyword stands as whole words in the query: between spaces, or beside
    CJK as Japanese writes it ("vpnは必要ですか", "simカード"), not inside a longer word."""
    start = query.find(word)
    while start != -1:
        end = start + len(word)
        before = query[start - 1] if start else " "
        after = query[end] if end < len(query) else " "
        if not _LATIN_WORD.match(before) and not _LATIN_WORD.match(after):
            return True
        start = query.find(word, start + 1)
    return False
