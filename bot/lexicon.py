"""The lexicon curators keep in ``knowledge/_lexicon.yaml``: the words people use that the entries
do not, so that meaning does not hang on one wording.

* **concepts** — synonyms and paraphrases across languages ("specialties" = local food, "冷" →
  climate). A query naming a concept is matched with the concept's own terms added.
* **aspects** — what a short follow-up asks about the current topic ("how do I get there", "怎么去",
  "入場料は"): access, hours, price, location, booking …
* **live** — questions about live or future data the bot cannot have (tomorrow's weather, today's
  exchange rate, train times): said plainly, with the stable entry and its official source.
* **places** — other places people ask about by mistake (``knowledge/_places.yaml``): a question
  naming one that the best entry never mentions is offered, not answered; and **home**, the names
  of Shenyang itself: a sentence naming it asks about Shenyang, whatever city the rest names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from bot.terms import TermFinder
from bot.text import normalize

Terms = Mapping[str, tuple[str, ...]]  # language → ways of writing it


@dataclass(frozen=True)
class Concept:
    """One meaning and the ways people write it, per language."""

    id: str
    terms: Terms
    # aspects: how the bot names the aspect in a reply ("opening hours", "营业时间", "営業時間")
    label: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # live: words of time that make a mention live ("tomorrow"); none = always live
    when: Terms = field(default_factory=lambda: MappingProxyType({}))
    # live: the stable entry to offer instead ("weather-forecast", "getting-there")
    entry: str | None = None
    # aspects: words that ask it only as a whole message ("where?"; "where do they go" does not)
    alone: Terms = field(default_factory=lambda: MappingProxyType({}))
    source: str = ""  # FILE:LINE where a curator wrote it, for problems found later

    def all_terms(self) -> tuple[str, ...]:
        """Every term, in every language."""
        return tuple(term for terms in self.terms.values() for term in terms)


@dataclass(frozen=True)
class Lexicon:
    """Concepts, aspects, live topics, missing needs and other places, with finders built once
    per load."""

    concepts: tuple[Concept, ...] = ()
    aspects: tuple[Concept, ...] = ()
    live: tuple[Concept, ...] = ()
    places: tuple[tuple[str, ...], ...] = ()
    # Needs no entry answers (parking, lost property, lockers, jobs): said plainly, not met
    # with the entry of the place they name ("周末开车带娃去沈阳故宫，附近哪有停车场？" had been
    # given the palace: 23 of 60 such development questions were answered with their place).
    missing: tuple[Concept, ...] = ()
    home: tuple[str, ...] = ()  # Shenyang's own names: 沈阳, Mukden, 奉天

    @cached_property
    def concept_finder(self) -> TermFinder:
        """Finds concepts in a text."""
        return TermFinder(c.all_terms() for c in self.concepts)

    @cached_property
    def aspect_finder(self) -> TermFinder:
        """Finds aspects in a text."""
        return TermFinder(a.all_terms() for a in self.aspects)

    @cached_property
    def _shadowing_finder(self) -> TermFinder:
        """Finds the concepts' terms that hold an aspect's word without asking it: "見どころ"
        (highlights) holds "どこ" (where), and "瀋陽故宮の見どころを教えてください" had been given
        the palace's address."""
        finder = self.aspect_finder
        return TermFinder([[t for c in self.concepts for t in c.all_terms() if finder.found_in(t)]])

    @cached_property
    def place_finder(self) -> TermFinder:
        """Finds other places in a text."""
        return TermFinder(self.places)

    @cached_property
    def home_finder(self) -> TermFinder:
        """Finds Shenyang's own names in a text."""
        return TermFinder([self.home])

    @cached_property
    def _time_finder(self) -> TermFinder:
        """Finds the words of time that make a mention live ("明天", "tomorrow", "週末")."""
        return TermFinder([[t for topic in self.live for t in flat(topic.when)]])

    def only_time(self, normalized: str) -> bool:
        """Whether a text says a time and, beside aspects, nothing else: "明天呢" after the
        palace's hours asks them for tomorrow, not tomorrow's weather."""
        found, rest = self._time_finder.spans(normalized)
        return bool(found) and not self.aspect_in(rest)[1].strip()

    @cached_property
    def _live_finders(self) -> tuple[tuple[TermFinder, TermFinder], ...]:
        return tuple(
            (TermFinder([topic.all_terms()]), TermFinder([flat(topic.when)])) for topic in self.live
        )

    def expand(self, normalized: str) -> str:
        """The query with the terms of every concept it names added, so a paraphrase meets the
        entry's words."""
        found = self.concept_finder.found_in(normalized)
        if not found:
            return normalized
        extra = [term for number in sorted(found) for term in self._normalized_terms[number]]
        return " ".join([normalized, *dict.fromkeys(extra)])

    def in_words_of(self, normalized: str, written: str) -> str:
        """The query with each concept it names put in the words of ``written`` (an entry's
        phrasings), where they hold one of the concept's terms: "specialties" read as the
        "local food" an entry says, so that the entry is judged on what was meant."""
        terms = self._normalized_terms

        def term_for(number: int, asked: str) -> str:
            if asked in written:
                return asked
            return max((t for t in terms[number] if t in written), key=len, default=asked)

        return self.concept_finder.replaced(normalized, term_for)

    @cached_property
    def _normalized_terms(self) -> tuple[tuple[str, ...], ...]:
        """Each concept's terms in comparison form, normalized once, not on every question."""
        return tuple(tuple(normalize(t) for t in c.all_terms()) for c in self.concepts)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every term of every section, in comparison form: words a speller must not put right."""
        sections = (*self.concepts, *self.aspects, *self.live, *self.missing)
        terms = [t for c in sections for t in (*c.all_terms(), *flat(c.when))]
        places = [t for place in self.places for t in place]
        return frozenset(map(normalize, [*terms, *places, *self.home]))

    def aspect_in(
        self, text: str, fits: Callable[[Concept], bool] = lambda _aspect: True
    ) -> tuple[Concept | None, str]:
        """The first aspect a text asks about that ``fits`` (else the first), and the text
        without the aspects' words: "when's last entry" asks a museum's hours, not its dates."""
        asked, rest = self._aspects(text)
        return next((a for a in asked if fits(a)), asked[0] if asked else None), rest

    def aspects_in(self, text: str) -> list[Concept]:
        """Every aspect a text asks about, in order: "開館時間と行き方" asks the hours and the way."""
        return self._aspects(text)[0]

    def _aspects(self, text: str) -> tuple[list[Concept], str]:
        unshadowed = self._shadowing_finder.replaced(text, lambda _group, _name: " ")
        found, rest = self.aspect_finder.spans(unshadowed)
        if not found and (alone := self._asked_alone.get(text.strip())) is not None:
            return [alone], ""
        return [self.aspects[group] for group in found], rest

    @cached_property
    def _asked_alone(self) -> dict[str, Concept]:
        """The aspects asked by a message of one of their ``alone`` words and nothing else."""
        return {
            normalize(word): aspect
            for aspect in self.aspects
            for words in aspect.alone.values()
            for word in words
        }

    @cached_property
    def missing_finder(self) -> TermFinder:
        """Finds the needs no entry answers in a text."""
        return TermFinder(need.all_terms() for need in self.missing)

    def missing_in(self, text: str) -> Concept | None:
        """The first need no entry answers that a text names, if any."""
        found = self.missing_finder.found_in(text)
        return self.missing[min(found)] if found else None

    def live_topic(self, text: str) -> Concept | None:
        """The live topic a text asks about (weather tomorrow, today's rate), if any."""
        for topic, (terms, when) in zip(self.live, self._live_finders, strict=True):
            if terms.found_in(text) and (not when or when.found_in(text)):
                return topic
        return None


def flat(terms: Terms) -> tuple[str, ...]:
    """Every text of a per-language mapping (terms, an entry's questions or keywords)."""
    return tuple(term for values in terms.values() for term in values)
