"""How sure the matcher may be that its best entry answers a question: a logistic model over a
few figures of the ranking, fitted on the development sets only (``benchmarks/fit_confidence.py``
prints the table below; the held-out sets never choose it).

Why a model rather than score thresholds: on the development questions and the development
practical questions together (841 messages, read as the conversation core reads them), the rule
"score ≥ 58 with a lead of 4, or ≥ 70 with a lead of 2" answered 471 right and 51 wrong; this
model answers 438 right and 27 wrong. Checked by five-fold cross-validation, so that no question
judged itself, it answers 452 right for 40 wrong where ranking by the score alone answers 366:
how much of the question the entry explains and how telling its keyword is say more than the
score alone. Since then the core reads long messages and lexicon paraphrases more carefully, and
the same model answered 481 right and 13 wrong; refitted on those readings (1 December 2026) it
answers 504 right and 19 wrong at a threshold of 0.70, the best of right less three times wrong.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

THIN = 2.0  # information: two words found in one entry each
NAMING = 0.5  # a keyword this specific names its entry on its own


@dataclass(frozen=True)
class Evidence:
    """The figures of one ranking that the confidence is read from."""

    top: float  # the best entry's score, 0–100
    lead: float  # its lead over the runner-up, in points
    lead_third: float  # its lead over the third
    # The query's summed unit weight, in units of one word found in one entry: "when" says
    # little, a name a lot.
    information: float
    coverage: float  # the share of the query's weight the best entry's units explain, 0–1
    runner_up_coverage: float  # the same for the runner-up: two entries explaining it is a tie
    specificity: float  # of the best entry's most telling keyword in the query, 0–1 (0: none)
    unseen: float  # the share of the query's weight in units the knowledge base never saw, 0–1
    length: float  # log(1 + characters asked): long messages score lower for the same fit
    # The best entry's phrasings and keywords against the base's median, as a log ratio: broad
    # "hub" entries catch questions through one stray word.
    breadth: float

    @classmethod
    def of(
        cls,
        scores: Sequence[float],
        shares: Sequence[float],
        weight: tuple[float, float, float],
        length: int,
        specificity: float,
        breadth: float,
    ) -> Evidence:
        """The evidence of a ranking: the best three entries' ``scores`` and the best two's
        ``shares`` of the query's weight; ``weight``: the query's, the part of it never seen,
        and one word's found in one entry; ``length``: the characters asked."""
        total, unseen, one_unit = weight
        top, second, third = [*scores[:3], 0.0, 0.0, 0.0][:3]
        # Clipped: a sum of float weights over its own total can come out at 1.0000000000000002.
        coverage, runner_up = [min(share, 1.0) for share in [*shares[:2], 0.0, 0.0][:2]]
        return cls(
            top=top,
            lead=top - second,
            lead_third=top - third,
            information=total / one_unit,
            coverage=coverage,
            runner_up_coverage=runner_up,
            specificity=specificity,
            unseen=unseen / total if total else 0.0,
            length=math.log1p(length),
            breadth=breadth,
        )

    def figures(self) -> tuple[float, ...]:
        """The figures in the order of the model's weights (after its intercept)."""
        # Spelled out: dataclasses.astuple deep-copies, and took 2 % of a query's time.
        return (
            self.top,
            self.lead,
            self.lead_third,
            self.information,
            self.coverage,
            self.runner_up_coverage,
            self.specificity,
            self.unseen,
            self.length,
            self.breadth,
        )


@dataclass(frozen=True)
class Model:
    """A logistic model over :class:`Evidence` and the confidence needed to answer."""

    weights: tuple[float, ...]  # intercept, then one weight per figure of Evidence, in raw units
    threshold: float  # the confidence at which the bot answers rather than suggests
    # A score this high is answered whatever the model says: on the development questions, best
    # scores of 70–85 were right 92 % of the time and 85–100 99 %. The model decides below, where
    # the score alone was right about half the time.
    sure_score: float = 70.0
    # No answer at all when another entry is within this many points: "怎么去" once scored five
    # entries within 2.4 points and answered the first.
    least_lead: float = 2.0

    def open_question(self, evidence: Evidence) -> bool:
        """Is the runner-up so close that only the user can tell which they meant?"""
        return evidence.lead < self.least_lead

    def sure(self, evidence: Evidence) -> bool:
        """Is the score alone high and clear enough to answer?"""
        return evidence.top >= self.sure_score and not self.open_question(evidence)

    def confidence(self, evidence: Evidence) -> float:
        """The modelled probability, 0–1, that the best entry is the right answer."""
        intercept, *weights = self.weights
        logit = intercept + sum(w * x for w, x in zip(weights, evidence.figures(), strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))

    def answers(self, evidence: Evidence) -> bool:
        """Is the bot sure enough to answer with the best entry?"""
        if self.open_question(evidence):
            return False
        # A high score on under two words' worth, none naming the entry, is a fluke of letters:
        # "what is there to do in shenyang" scored 85 on "shenyang airport terminal" (1.9).
        thin = evidence.information < THIN and evidence.specificity < NAMING
        return (self.sure(evidence) and not thin) or self.confidence(evidence) >= self.threshold


# Printed by benchmarks/fit_confidence.py from the development sets; the threshold is the one
# with the most right answers less three times the wrong ones (see there why three).
MODEL = Model(
    weights=(
        -8.2635,
        0.0683,
        0.0413,
        0.0288,
        0.1045,
        4.6188,
        -2.8008,
        0.6488,
        -0.1159,
        0.294,
        -3.3212,
    ),
    threshold=0.70,
)
