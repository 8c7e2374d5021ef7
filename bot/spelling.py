"""Mistyped Latin words put right before matching: "mukdn palace", "wether in febuary", "marshal
zhangs mansoin". A word the knowledge base never uses weighs nothing in the matcher, so one typo
in a short question took most of what it asked ("whats the wether like in shenyang in febuary"
was offered the overview, sports and history).

A word is replaced only by the one word of the base's phrasings, keywords and lexicon terms that
is nearest to it, by few enough edits (a swap of two letters is one edit), starting with the same
letter (typos rarely hit the first one), where no other word is as near, and not merely another
form of it. Words of four letters or fewer are left alone, too short to tell a typo from another
word; up to seven letters one edit is allowed ("tesla" is no misspelt "test", two away).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz.distance import OSA

# The shortest word put right, and the edits allowed by length: one up to seven letters, two from
# eight ("restaraunts", "febuary" is one).
SHORTEST = 5
TWO_EDITS_FROM = 8
_WORD = re.compile(r"[a-z]+")  # normalized text is case-folded; only plain Latin words
_ENDINGS = ("s", "es", "d", "ed")


@dataclass(frozen=True)
class Speller:
    """The words of a knowledge base, by first letter, and how to put a query's words right."""

    known: frozenset[str]
    by_letter: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Speller:
        """The speller of the words in ``texts`` (normalized phrasings and keywords)."""
        # One pass over all texts joined: 0.41 s of CPU text by text at 10,000 entries.
        known = frozenset(_WORD.findall(" ".join(texts)))
        by_letter: dict[str, list[str]] = {}
        for word in sorted(known):
            by_letter.setdefault(word[0], []).append(word)
        return cls(known, {letter: tuple(words) for letter, words in by_letter.items()})

    def corrected(self, text: str) -> str:
        """``text`` (normalized) with each unknown word replaced by its one nearest known word."""
        if not _WORD.search(text):
            return text
        return _WORD.sub(lambda found: self._word(found.group()), text)

    def _word(self, word: str) -> str:
        if len(word) < SHORTEST or word in self.known or self._form_of_known(word):
            return word
        allowed = 2 if len(word) >= TWO_EDITS_FROM else 1
        best, nearest = allowed + 1, []
        for candidate in self.by_letter.get(word[0], ()):
            if abs(len(candidate) - len(word)) > allowed:
                continue
            edits = OSA.distance(word, candidate, score_cutoff=allowed)
            if edits > allowed or _inflected(word, candidate):
                continue
            if edits < best:
                best, nearest = edits, [candidate]
            elif edits == best:
                nearest.append(candidate)
        return nearest[0] if len(nearest) == 1 else word

    def _form_of_known(self, word: str) -> bool:
        """Whether the word is another form of a known one ("trams" of "tram"): no typo. Put
        right, "are there trams in shenyang" had become "teams" and been answered with sports."""
        return any(word.endswith(end) and word[: -len(end)] in self.known for end in _ENDINGS)


def _inflected(word: str, candidate: str) -> bool:
    """Whether the two differ by an ending only ("suggestions", "suggestion"): another form of
    the word, not a typo, and the matcher weighs forms as the entries wrote them."""
    shorter, longer = sorted((word, candidate), key=len)
    return longer.startswith(shorter) and longer[len(shorter) :] in _ENDINGS
