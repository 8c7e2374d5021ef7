"""The confidence model's fit: it learns the direction the data shows, counts answers as the bot
would give them, and keeps no model whose figures of known direction go the wrong way."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from benchmarks.fit_confidence import _sensible, fit, predict, right_within
from bot.confidence import MODEL, Evidence

# A figure's place among the weights (after the intercept).
AT = {f.name: 1 + i for i, f in enumerate(fields(Evidence))}


def test_the_fit_learns_which_way_a_figure_points() -> None:
    rng = np.random.default_rng(0)
    figures = rng.normal(size=(400, 2))
    right = figures[:, 0] + 0.1 * rng.normal(size=400) > 0  # only the first figure tells
    weights = fit(figures, right)
    assert weights[1] > 1.0 and abs(weights[2]) < weights[1] / 5
    probability = predict(weights, figures)
    assert ((probability > 0.5) == right).mean() > 0.9


def test_right_answers_are_counted_until_one_wrong_too_many() -> None:
    right = np.array([True, True, False, True, False, True])
    order = np.arange(6)
    assert right_within(order, right, wrong=0) == 2
    assert right_within(order, right, wrong=1) == 3
    assert right_within(order, right, wrong=5) == 4


def test_a_model_whose_known_figures_go_the_wrong_way_is_not_kept() -> None:
    assert _sensible(MODEL.weights)  # the shipped model
    unseen_raises = list(MODEL.weights)
    unseen_raises[AT["unseen"]] = 0.5  # words the base never saw, raising the confidence
    assert not _sensible(tuple(unseen_raises))
    coverage_lowers = list(MODEL.weights)
    coverage_lowers[AT["coverage"]] = -1.0
    assert not _sensible(tuple(coverage_lowers))
