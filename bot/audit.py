"""Checks run by ``check`` after loading, too slow for every start and ``/reload`` at scale: an
entry whose own question finds another entry is a warning (with the file and line of both), since
a user asking exactly that question would get the other answer. Bases over :data:`MAX_AUDITED`
entries are not audited (every question is matched once: ~1 ms each, 15 s at 10,000 entries × 3
languages × 7). And a missing need of the lexicon whose term an entry is asked with (the need is
answered after all): one pass of the lexicon's finder per entry, 5.9 s at 10,000 entries."""

from __future__ import annotations

from collections.abc import Sequence

from bot.fields import printable
from bot.lexicon import Lexicon, flat
from bot.lexicon_file import problem_at
from bot.matching import Matcher
from bot.records import Entry, KnowledgeBase, Problem
from bot.text import normalize

MAX_AUDITED = 2_000


def unreachable_questions(knowledge: KnowledgeBase, matcher: Matcher) -> list[Problem]:
    """One warning per question of an entry that does not find its own entry first."""
    if len(knowledge.entries) > MAX_AUDITED:
        return []
    problems = []
    for entry in knowledge.entries:
        for question in flat(entry.questions):
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


def answered_needs(lexicon: Lexicon, entries: Sequence[Entry]) -> list[Problem]:
    """A warning per missing need of the lexicon whose term an entry's questions or keywords
    hold: that entry answers it, and the curator should take the term out ("招工" is among the
    talent entry's questions)."""
    finder = lexicon.missing_finder
    if not finder or len(entries) > MAX_AUDITED:
        return []
    problems: list[Problem] = []
    for entry in entries:
        written = (*flat(entry.questions), *flat(entry.keywords))
        for number in sorted(finder.found_in(normalize(" | ".join(written)))):
            need = lexicon.missing[number]
            message = f"missing '{need.id}': entry '{entry.id}' is asked with its terms (answered?)"
            problems.append(problem_at(need, message, "warning"))
    return problems
