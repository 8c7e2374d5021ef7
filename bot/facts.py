"""Reading an entry's optional ``facts:`` block (see docs/knowledge-format.md, "Facts"): texts per
language for the address, access, hours, price, booking and time needed, plus the official
website and phone. Every problem is a ``FILE:LINE`` line, like the rest of the entry."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from yaml.nodes import MappingNode, Node

from bot.fields import Where, known_fields, localized, printable, scalar_text, url_problem
from bot.records import Facts

_TEXTS = tuple(f.name for f in dataclass_fields(Facts) if f.name not in ("website", "phone"))
_KEYS = frozenset({*_TEXTS, "website", "phone"})


def read_facts(node: Node | None, where: Where) -> Facts | None:
    """The facts of an entry, or None when it has none."""
    if node is None:
        return None
    if not isinstance(node, MappingNode):
        where.report(node, f"facts must be a mapping of {', '.join(sorted(_KEYS))}")
        return None
    found = known_fields(node, where, _KEYS, "facts")
    texts = {
        name: localized(found[name], where, f"facts.{name}") for name in _TEXTS if name in found
    }
    address = texts.get("address")
    if address is not None and "zh" not in address:
        where.report(found["address"], "facts.address needs zh (shown to taxi drivers)")
    website = scalar_text(found["website"]) if "website" in found else None
    if website is not None and (problem := url_problem(website)) is not None:
        where.report(found["website"], f"facts.website '{printable(website)}' {problem}")
        website = None
    phone = scalar_text(found["phone"]) if "phone" in found else None
    return Facts(**texts, website=website or None, phone=phone or None)
