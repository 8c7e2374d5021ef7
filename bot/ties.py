"""When the best entry of a ranking only seems to lead: the runner-up is as much what was asked,
and some phrasing's closeness alone put one ahead. Such a question is offered ("Did you mean…"),
not answered. Pure functions over what the matcher worked out (bot.matching).
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.confidence import NAMING, Evidence

# Two coverages this close are the same words explained.
_SAME_COVERAGE = 0.01
# Within this many points, with no keyword naming the first, two entries explaining the same
# words are a tie: "which qing tomb should I go to in shenyang?" (Zhaoling 3.1 ahead of Fuling)
# and "瀋陽の駅はどこですか" (Shenyang Station 2 ahead of North, 3.5 of South) had been answered.
_CLOSE_LEAD = 5.0
# A little wider below a score of 85 (above it, the first was right for 99 % of development
# questions): a runner-up explaining at least as much less 0.02, within 6 points. "qing emperor
# tombs shenyang" had answered one tomb at 72.9 against 70.4 (each explaining 0.62–0.63); on the
# development sets 2 more dialogue turns right and an out-of-scope question not answered, no
# right answer lost (within 4 points or 0.01, the tombs were still answered). "the palace" (the
# palace 93.9, Zhongjie near it 88.7, both explaining all of it) stays answered.
_NEAR_LEAD, _NEAR_COVERAGE, _CERTAIN = 6.0, 0.02, 85.0
_VERBATIM = 90  # fuzz.ratio of a phrasing that is the query, give or take a letter


def named_alike(evidence: Evidence, first_keywords: set[str], second_keywords: set[str]) -> bool:
    """Whether the best two entries explain the query equally and share the keywords it holds
    ("shopping streets?" names both streets), or lie within 5 points, no keyword naming the
    first ("which qing tomb should I go to?")."""
    unnamed = evidence.specificity < NAMING
    near = evidence.lead < _NEAR_LEAD and evidence.top < _CERTAIN
    if unnamed and near and evidence.runner_up_coverage >= evidence.coverage - _NEAR_COVERAGE:
        return True
    if evidence.runner_up_coverage < evidence.coverage - _SAME_COVERAGE:
        return False
    if evidence.lead < _CLOSE_LEAD and unnamed:
        return abs(evidence.runner_up_coverage - evidence.coverage) < _SAME_COVERAGE
    return bool(first_keywords) and first_keywords == second_keywords


def renamed(phrasing: str, query: str, own: Sequence[str], theirs: Sequence[str]) -> bool:
    """Whether the best entry's phrasing, one of its names (``own``, absent from the query) put
    for a name of one of the next entries that the query holds (``theirs``), is the query:
    "中街好逛吗" against Taiyuan Street's "太原街好逛吗" asks about Zhongjie."""
    return any(
        fuzz.ratio(phrasing.replace(mine, other), query) >= _VERBATIM
        for mine in own
        for other in theirs
    )


def renamed_to(
    phrasing: str, query: str, own: Sequence[str], names: Sequence[Sequence[str]]
) -> int:
    """The rank (from 1) of the next entry, of those whose ``names`` the query holds, that the
    query asks about in the words of the best entry's ``phrasing``, its name put for the best
    one's (``own``, absent from the query); 0 if none. "日本领事馆管哪几个省" is the US consulate's
    "美国领事馆管哪几个省" about Japan's, and had been offered the US consulate first."""
    asked = (rank for rank, theirs in enumerate(names, 1) if renamed(phrasing, query, own, theirs))
    return next(asked, 0)
