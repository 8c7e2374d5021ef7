"""Fit the matcher's confidence model (``bot/confidence.py``) on the development sets only: the
development questions (``eval/questions.tsv``) and the development practical questions
(``eval/practical-dev.tsv``). The held-out sets are never read here.

    python benchmarks/fit_confidence.py

Each question ranked by the matcher is one example: its :class:`bot.confidence.Evidence`, and
whether the best entry is right (the expected entry; for a practical question, one of its relevant
entries; never, for an out-of-scope question). A logistic regression on standardized figures is
fitted by gradient descent (deterministic), then printed in raw units for ``WEIGHTS``, with the
right and wrong direct answers each threshold would give, and a five-fold cross-validation that
compares the model with the score alone at the same number of wrong answers.

The examples depend on the model a little (the matcher tries a lexicon-widened ranking only when
the plain one does not answer), so the fit is repeated on the rankings of the model it just made,
for a few rounds; each round prints the right and wrong direct answers that model really gives,
and the best round (most right less COST × wrong) is printed last, as ``MODEL`` to paste.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import practical
from benchmarks.evaluate import QUESTIONS, read_questions
from bot.confidence import MODEL, Model
from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.matching import Matcher
from bot.reading import best_reading

Floats = npt.NDArray[np.float64]
# Ridge penalty and steps: with 841 examples and 7 figures, weaker penalties changed no
# threshold's right and wrong counts by more than one.
PENALTY = 1e-2
STEPS = 3000
RATE = 0.5
FOLDS = 5
ROUNDS = 4
THRESHOLDS = np.round(np.arange(0.30, 0.91, 0.05), 2)
# Figures whose direction is known whatever the data says: a model in which a higher score, a
# larger lead or more of the question explained lowers the confidence, or words the knowledge
# base never saw raise it, has fitted noise and is not kept (positions after the intercept).
RISES = (0, 1, 4)  # top, lead, coverage
FALLS = (7,)  # unseen
# A confident wrong answer is the worst outcome: a threshold is judged by right − COST × wrong.
# Thresholds of the old rule were kept where loosening bought two right per wrong; three says
# that trade is still not worth it.
COST = 3


@dataclass(frozen=True)
class Examples:
    figures: Floats  # one row of Evidence figures per ranked question
    right: npt.NDArray[np.bool_]  # is the best entry right?
    answered: npt.NDArray[np.bool_]  # did the matcher as it is answer directly?
    sure: npt.NDArray[np.bool_]  # answered on the score alone (Model.sure), whatever the model
    open: npt.NDArray[np.bool_]  # never answered: the runner-up is too close (Model.open_question)


def examples(knowledge: KnowledgeBase, matcher: Matcher) -> Examples:
    """The development questions and practical questions, each as the conversation core reads
    it (the whole message, or the sentence that is its question)."""
    asked = [(q.text, {q.expected} - {"-"}) for q in read_questions(QUESTIONS)]
    asked += [(q.text, set(q.relevant)) for q in practical.read_practical(practical.PRACTICAL_DEV)]
    rows, right, answered, sure, tied = [], [], [], [], []
    for text, good in asked:
        result = best_reading(matcher, knowledge, text, limit=5)
        if result.evidence is None:
            continue
        rows.append(result.evidence.figures())
        right.append(result.matches[0].id in good)
        answered.append(result.answer_id is not None)
        sure.append(matcher.model.sure(result.evidence))
        tied.append(matcher.model.open_question(result.evidence))
    return Examples(*map(np.array, (rows, right, answered, sure, tied)))


def fit(figures: Floats, right: npt.NDArray[np.bool_]) -> Floats:
    """Logistic regression; the weights in raw units, intercept first."""
    mean, spread = figures.mean(axis=0), figures.std(axis=0) + 1e-9
    scaled = np.c_[np.ones(len(figures)), (figures - mean) / spread]
    weights = np.zeros(scaled.shape[1])
    target = right.astype(float)
    for _ in range(STEPS):
        predicted = 1 / (1 + np.exp(-scaled @ weights))
        gradient = scaled.T @ (predicted - target) / len(target)
        weights -= RATE * (gradient + PENALTY * np.r_[0.0, weights[1:]])
    raw = weights[1:] / spread
    fitted: Floats = np.r_[weights[0] - float(raw @ mean), raw]
    return fitted


def predict(weights: Floats, figures: Floats) -> Floats:
    """The modelled probability of each row being right."""
    logits = weights[0] + figures @ weights[1:]
    probability: Floats = 1 / (1 + np.exp(-np.clip(logits, -50, 50)))
    return probability


def right_within(order: npt.NDArray[np.int64], right: npt.NDArray[np.bool_], wrong: int) -> int:
    """Right answers when answering the most confident first, stopping before wrong + 1 wrong."""
    misses = np.cumsum(~right[order])
    allowed = int(np.searchsorted(misses, wrong + 1))
    return int(right[order][:allowed].sum())


def cross_validated(data: Examples, wrong: int) -> tuple[float, float]:
    """Right answers at ``wrong`` wrong ones, each question judged by a model that never saw it
    (after those the score alone answers): the model, and the score alone, each averaged over
    five shuffles."""
    model, plain = [], []
    for seed in range(5):
        order = np.random.default_rng(seed).permutation(len(data.right))
        predicted = np.zeros(len(order))
        for fold in np.array_split(order, FOLDS):
            train = np.setdiff1d(order, fold)
            train = train[~data.sure[train] & ~data.open[train]]
            weights = fit(data.figures[train], data.right[train])
            predicted[fold] = predict(weights, data.figures[fold])
        predicted[data.sure] = 2.0  # answered on the score alone, before any the model picks
        predicted[data.open] = -1.0  # never answered
        model.append(right_within(np.argsort(-predicted), data.right, wrong))
        plain.append(right_within(np.argsort(-data.figures[:, 0]), data.right, wrong))
    return float(np.mean(model)), float(np.mean(plain))


def threshold_for(data: Examples, weights: Floats) -> float:
    """The threshold with the most right answers less COST × wrong ones on these examples (those
    the score alone answers count whatever the threshold)."""
    probability = predict(weights, data.figures)

    def worth(threshold: float) -> int:
        right, wrong = _right_wrong(_answered_at(data, probability, threshold), data.right)
        return right - COST * wrong

    return float(max(THRESHOLDS, key=worth))


def print_thresholds(data: Examples, weights: Floats, chosen: float) -> None:
    """Right and wrong answers each threshold would give on these rankings (an estimate: a new
    threshold also changes which ranking the matcher keeps)."""
    probability = predict(weights, data.figures)
    print("threshold  right  wrong")
    for threshold in THRESHOLDS:
        right, wrong = _right_wrong(_answered_at(data, probability, threshold), data.right)
        mark = "  <- chosen" if abs(threshold - chosen) < 1e-9 else ""
        print(f"{threshold:9.2f}{right:7d}{wrong:7d}{mark}")


def _answered_at(data: Examples, probability: Floats, threshold: float) -> npt.NDArray[np.bool_]:
    """Which examples a model answers at this threshold, as Model.answers decides."""
    answered: npt.NDArray[np.bool_] = data.sure | ((probability >= threshold) & ~data.open)
    return answered


def _right_wrong(answered: npt.NDArray[np.bool_], right: npt.NDArray[np.bool_]) -> tuple[int, int]:
    """Right and wrong direct answers among those ``answered``."""
    return int((answered & right).sum()), int((answered & ~right).sum())


def _sensible(weights: tuple[float, ...]) -> bool:
    """Do the figures of known direction go that way?"""
    figures = weights[1:]
    return all(figures[i] > 0 for i in RISES) and all(figures[i] <= 0 for i in FALLS)


def rounds(knowledge: KnowledgeBase) -> tuple[Model, Examples]:
    """Fit, rank again with the new model, fit again; the model that did best, and its data."""
    model, best = MODEL, None
    for number in range(ROUNDS + 1):
        data = examples(knowledge, Matcher.build(knowledge, model))
        right, wrong = _right_wrong(data.answered, data.right)
        sensible = _sensible(model.weights)
        print(
            f"round {number}: {right} right, {wrong} wrong, threshold {model.threshold:.2f}"
            + ("" if sensible else " (a figure goes the wrong way: not kept)")
        )
        if sensible and (best is None or right - COST * wrong > best[0]):
            best = (right - COST * wrong, model, data)
        # The model learns only where it decides: below what the score alone answers, and not
        # where the runner-up is too close to answer at all.
        decided = ~data.sure & ~data.open
        weights = fit(data.figures[decided], data.right[decided])
        model = Model(tuple(round(float(w), 4) for w in weights), threshold_for(data, weights))
    assert best is not None
    return best[1], best[2]


def main() -> int:
    knowledge = load_knowledge_or_raise(DEFAULT_KNOWLEDGE_DIR)
    model, data = rounds(knowledge)
    print(f"{len(data.right)} questions ranked; the best round's model:")
    print(f"MODEL = Model(weights={model.weights}, threshold={model.threshold:.2f})")
    print_thresholds(data, np.array(model.weights), model.threshold)
    for wrong in (30, 40, 50):
        fitted, plain = cross_validated(data, wrong)
        print(f"cross-validated, {wrong} wrong: model {fitted:.1f} right, score alone {plain:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
