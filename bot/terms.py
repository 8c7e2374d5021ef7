"""Finding listed terms in a text: the other-places list, the lexicon's concepts and aspects.

A query is read in its normalized form (:func:`bot.text.normalize`: Traditional, Japanese and
Simplified forms meet); an answer as written, after NFKC and case folding. Latin terms must stand
as whole words ("busan", not "omnibusan"); CJK text has no spaces to stand between.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.text import normalize


class TermFinder:
    """Finds which groups of a list a text names; a group is several ways of writing one thing."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self._number: dict[str, int] = {}
        for number, names in enumerate(groups):
            for name in names:
                for form in (unicodedata.normalize("NFKC", name).casefold(), normalize(name)):
                    if form:
                        self._number.setdefault(form, number)
        # Longest names first, so that 東京都 is read (and blanked out) before the 京都 inside it.
        self._names = sorted(self._number, key=len, reverse=True)
        self._whole_word = {
            name: re.compile(rf"(?<![^\W_]){re.escape(name)}(?![^\W_])")
            for name in self._names
            if name.isascii()
        }

    def __bool__(self) -> bool:
        return bool(self._names)

    def found_in(self, text: str) -> frozenset[int]:
        """The numbers of the groups ``text`` names."""
        return frozenset(self.spans(text)[0])

    def spans(self, text: str) -> tuple[list[int], str]:
        """The groups ``text`` names, in the order found, and the text with them blanked out."""
        folded = unicodedata.normalize("NFKC", text).casefold()
        found: list[int] = []
        for name in self._names:  # a plain substring test first: an answer is long, a hit rare
            if name not in folded:
                continue
            pattern = self._whole_word.get(name)
            if pattern is None:
                folded = folded.replace(name, " ")
            elif pattern.search(folded):
                folded = pattern.sub(" ", folded)
            else:
                continue
            if self._number[name] not in found:
                found.append(self._number[name])
        return found, " ".join(folded.split())
