"""Reading and checking the lexicon files of a knowledge folder — ``_lexicon.yaml`` (concepts,
aspects, live topics, missing needs) and ``_places.yaml`` (other places) — into a
:class:`~bot.lexicon.Lexicon`, with ``FILE:LINE`` problems like the entries. See
docs/knowledge-format.md for the format."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, SequenceNode

from bot import fields as read
from bot.fields import Where, known_fields, line_of, mapping_fields, printable, scalar_text
from bot.lexicon import Concept, Lexicon
from bot.records import Entry, Problem, Severity
from bot.text import normalize

LEXICON_FILE = "_lexicon.yaml"
PLACES_FILE = "_places.yaml"
_SECTIONS = ("concepts", "aspects", "live", "missing")
_LABELLED = {"aspects": "an aspect", "missing": "a missing need"}
_CONCEPT_KEYS = frozenset({"id", "terms", "label", "when", "entry", "alone"})
_ID = re.compile(r"^[a-z0-9-]+$")


@dataclass(frozen=True)
class LexiconPart:
    """What one lexicon file holds; several files (or none) make the lexicon."""

    concepts: tuple[Concept, ...] = ()
    aspects: tuple[Concept, ...] = ()
    live: tuple[Concept, ...] = ()
    places: tuple[tuple[str, ...], ...] = ()
    missing: tuple[Concept, ...] = ()
    home: tuple[str, ...] = ()


def check_lexicon(root: MappingNode, where: Where) -> LexiconPart:
    """Concepts, aspects and live topics of a ``_lexicon.yaml``."""
    sections: dict[str, tuple[Concept, ...]] = {}
    for key, (key_node, value) in mapping_fields(root, where).items():
        if key not in _SECTIONS:
            where.report(
                key_node, f"unknown section '{printable(key)}' (use {', '.join(_SECTIONS)})"
            )
        elif not isinstance(value, SequenceNode):
            where.report(value, f"{key} must be a list of concepts (- id: …)")
        else:
            sections[key] = tuple(
                c for item in value.value if (c := _concept(item, where, key)) is not None
            )
    return LexiconPart(
        sections.get("concepts", ()),
        sections.get("aspects", ()),
        sections.get("live", ()),
        missing=sections.get("missing", ()),
    )


def _concept(node: Node, where: Where, section: str) -> Concept | None:
    if not isinstance(node, MappingNode):
        where.report(node, f"each item of {section} must be a mapping starting with 'id:'")
        return None
    found = known_fields(node, where, _CONCEPT_KEYS)
    concept_id = scalar_text(found.get("id"))
    if not _ID.match(concept_id):
        where.report(node, f"{section}: each concept needs an 'id' of a-z, 0-9 and '-'")
        return None
    about = where.about(concept_id)
    terms = read.localized_lists(found.get("terms"), about, "terms")
    if not any(terms.values()):
        about.report(node, "no terms")
    if section in _LABELLED and "label" not in found:
        kind = _LABELLED[section]
        about.report(node, f"{kind} needs a 'label' per language (how a reply names it)")
    return Concept(
        concept_id,
        terms,
        label=read.localized(found.get("label"), about, "label"),
        when=read.localized_lists(found.get("when"), about, "when"),
        entry=scalar_text(found["entry"]) if "entry" in found else None,
        alone=read.localized_lists(found.get("alone"), about, "alone"),
        source=f"{where.file}:{line_of(node)}",
    )


def check_places(root: MappingNode, where: Where) -> LexiconPart:
    """Other places of a ``_places.yaml``: ``places:`` a list of lists of names; ``home:`` the
    names of Shenyang itself, a list."""
    found = mapping_fields(root, where)
    for key, (key_node, _value) in found.items():
        if key not in ("places", "home"):
            where.report(key_node, f"unknown section '{printable(key)}' (use places or home)")
    node = found.get("places", (None, None))[1]
    if not isinstance(node, SequenceNode):
        where.report(node or root, "places must be a list of lists of names ([Beijing, 北京])")
        return LexiconPart()
    groups = tuple(names for item in node.value if (names := read.strings(item, where, "places")))
    home_node = found.get("home", (None, None))[1]
    home = read.strings(home_node, where, "home") if home_node is not None else ()
    return LexiconPart(places=groups, home=tuple(home))


def combine(parts: Iterable[LexiconPart]) -> Lexicon:
    """One lexicon of all the files read."""
    collected = list(parts)
    return Lexicon(
        concepts=tuple(c for p in collected for c in p.concepts),
        aspects=tuple(a for p in collected for a in p.aspects),
        live=tuple(t for p in collected for t in p.live),
        places=tuple(g for p in collected for g in p.places),
        missing=tuple(m for p in collected for m in p.missing),
        home=tuple(name for p in collected for name in p.home),
    )


def cross_check_lexicon(lexicon: Lexicon, entries: Sequence[Entry]) -> list[Problem]:
    """Live topics name entries that exist; ids are unique; no term means two things of the
    same kind (which one would a query mean?)."""
    problems: list[Problem] = []
    known = {entry.id for entry in entries}
    for kind, pointing in (("live", lexicon.live), ("missing", lexicon.missing)):
        for topic in pointing:
            if topic.entry is not None and topic.entry not in known:
                message = f"{kind} '{topic.id}': entry '{topic.entry}' does not exist"
                problems.append(problem_at(topic, message))
    for kind, concepts in (("concept", lexicon.concepts), ("aspect", lexicon.aspects)):
        ids: set[str] = set()
        owner: dict[str, str] = {}
        for concept in concepts:
            if concept.id in ids:
                problems.append(problem_at(concept, f"duplicate {kind} id '{concept.id}'"))
            ids.add(concept.id)
            for term in concept.all_terms():
                first = owner.setdefault(normalize(term), concept.id)
                if first != concept.id:
                    message = f"{kind} '{concept.id}': term '{term}' is also in '{first}'"
                    problems.append(problem_at(concept, message, "warning"))
    return problems


def problem_at(concept: Concept, message: str, severity: Severity = "error") -> Problem:
    """A problem at the FILE:LINE where a curator wrote ``concept``."""
    file, _sep, line = concept.source.rpartition(":")
    return Problem(file, int(line or 0), message, severity)
