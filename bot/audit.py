"""Checks that need the matcher, run by ``check`` after loading: an entry whose own question finds
another entry is a warning (with the file and line of both), since a user asking exactly that
question would get the other answer. Bases over :data:`MAX_AUDITED` entries are not audited
(every question is matched once: ~1 ms each, 15 s at 10,000 entries × 3 languages × 7)."""

from __future__ import annotations

from bot.fields import printable
from bot.matching import Matcher
from bot.records import KnowledgeBase, Problem

MAX_AUDITED = 2_000


def unreachable_questions(knowledge: KnowledgeBase, matcher: Matcher) -> list[Problem]:
    """One warning per question of an entry that does not find its own entry first."""
    if len(knowledge.entries) > MAX_AUDITED:
        return []
    problems = []
    for entry in knowledge.entries:
        for question in (q for texts in entry.questions.values() for q in texts):
            found = matcher.match(question, limit=1)
            winner = knowledge.get(found.matches[0].id) if found.matches else None
            if winner is not None and winner.id == entry.id:
                continue
            where = f" ({winner.file}:{winner.line})" if winner else ""
            message = (
                f"entry '{entry.id}': its question '{printable(question)}' finds "
                f"{repr(winner.id) if winner else 'no entry'}{where} — reword it, or move it"
            )
            problems.append(Problem(entry.file, entry.line, message, "warning"))
    return problems
