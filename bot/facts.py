"""Reading an entry's optional ``facts:`` block (see docs/knowledge-format.md, "Facts"): texts per
language for the address, access, hours, price, booking and time needed, plus the official
website and phone. Every problem is a ``FILE:LINE`` line, like the rest of the entry."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from yaml.nodes import MappingNode, Node

from bot.fields import Where, localized, mapping_fields, printable, scalar_text, url_problem
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
    found = mapping_fields(node, where)
    for key, (key_node, _value) in found.items():
        if key not in _KEYS:
            where.warn(key_node, f"facts: unknown field '{printable(key)}' is ignored")
    texts = {
        name: localized(found[name][1], where, f"facts.{name}") for name in _TEXTS if name in found
    }
    address = texts.get("address")
    if address is not None and "zh" not in address:
        where.report(found["address"][0], "facts.address needs zh (shown to taxi drivers)")
    website = scalar_text(found["website"][1]) if "website" in found else None
    if website is not None and (problem := url_problem(website)) is not None:
        where.report(found["website"][1], f"facts.website '{printable(website)}' {problem}")
        website = None
    phone = scalar_text(found["phone"][1]) if "phone" in found else None
    return Facts(**texts, website=website or None, phone=phone or None)
