"""A ranking's evidence for tests of what is decided from it (bot.confidence, bot.ties)."""

from __future__ import annotations

from bot.confidence import Evidence

# A clear question's figures: a high score well ahead, most of the query explained, its name said.
CLEAR = Evidence(
    top=66.0,
    lead=30.0,
    lead_third=40.0,
    information=8.0,
    coverage=0.8,
    runner_up_coverage=0.2,
    specificity=0.9,
    unseen=0.0,
    length=3.4,
    breadth=0.0,
)
