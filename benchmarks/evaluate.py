"""Matching quality on the evaluation set: P@1, P@3, MRR per language, out-of-scope rejection,
answer rate, language accuracy, and how the top score relates to being right (calibration).

    python benchmarks/evaluate.py [--knowledge DIR] [--questions FILE] [--show-misses]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.knowledge import load_knowledge_or_raise
from bot.language import choose_language
from bot.matching import ANSWER_SCORE, SUGGEST_SCORE, SURE_SCORE, Matcher

QUESTIONS = Path(__file__).resolve().parent / "eval" / "questions.tsv"
OUT_OF_SCOPE = "-"


@dataclass(frozen=True)
class Question:
    language: str
    expected: str
    text: str


@dataclass(frozen=True)
class LanguageScores:
    count: int
    p_at_1: float
    p_at_3: float
    mrr: float
    answered_right: float  # share answered directly with the expected entry


@dataclass(frozen=True)
class Band:
    """Questions whose best match scored in [low, high): how often that match was right."""

    low: float
    high: float
    count: int
    right: int  # out-of-scope questions are never right: any match is wrong

    @property
    def precision(self) -> float:
        return self.right / self.count if self.count else 1.0


BAND_EDGES = (0.0, SUGGEST_SCORE, ANSWER_SCORE, SURE_SCORE, 85.0, 100.1)


@dataclass(frozen=True)
class Scores:
    by_language: dict[str, LanguageScores]
    overall: LanguageScores
    out_of_scope: int
    rejection: float  # out-of-scope questions the bot did not answer directly
    language_accuracy: float
    misses: tuple[str, ...]
    calibration: tuple[Band, ...]


def read_questions(path: Path = QUESTIONS) -> list[Question]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Question(r["lang"], r["expected"], r["question"]) for r in rows]


def evaluate(matcher: Matcher, questions: list[Question]) -> Scores:
    ranks: dict[str, list[int | None]] = defaultdict(list)
    answered: dict[str, list[bool]] = defaultdict(list)
    rejected, languages_right = [], 0
    misses = []
    tops: list[tuple[float, bool]] = []  # (best score, best match right)
    for question in questions:
        result = matcher.match(question.text, limit=10)
        if result.matches:
            tops.append((result.matches[0].score, result.matches[0].id == question.expected))
        languages_right += choose_language(question.text).language == question.language
        if question.expected == OUT_OF_SCOPE:
            rejected.append(result.answer_id is None)
            if result.answer_id is not None:
                misses.append(f"OOS answered {result.answer_id}: {question.text}")
            continue
        ids = [m.id for m in result.matches]
        rank = ids.index(question.expected) + 1 if question.expected in ids else None
        ranks[question.language].append(rank)
        answered[question.language].append(result.answer_id == question.expected)
        if result.answer_id != question.expected:
            got = f"{result.outcome.value} {ids[:3]}"
            misses.append(f"{question.expected} <- {got}: {question.text}")
    by_language = {lang: _scores(ranks[lang], answered[lang]) for lang in sorted(ranks)}
    all_ranks = [r for lang in ranks for r in ranks[lang]]
    all_answered = [a for lang in answered for a in answered[lang]]
    return Scores(
        by_language,
        _scores(all_ranks, all_answered),
        len(rejected),
        sum(rejected) / len(rejected) if rejected else 1.0,
        languages_right / len(questions) if questions else 1.0,
        tuple(misses),
        _calibration(tops),
    )


def _calibration(tops: list[tuple[float, bool]]) -> tuple[Band, ...]:
    bands = []
    for low, high in pairwise(BAND_EDGES):
        inside = [right for score, right in tops if low <= score < high]
        bands.append(Band(low, min(high, 100.0), len(inside), sum(inside)))
    return tuple(bands)


def _scores(ranks: list[int | None], answered: list[bool]) -> LanguageScores:
    count = len(ranks) or 1
    return LanguageScores(
        len(ranks),
        sum(r == 1 for r in ranks) / count,
        sum(r is not None and r <= 3 for r in ranks) / count,
        sum(1 / r for r in ranks if r) / count,
        sum(answered) / count,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    matcher = Matcher.build(load_knowledge_or_raise(args.knowledge))
    scores = evaluate(matcher, read_questions(args.questions))
    print(f"{'lang':<8}{'n':>5}{'P@1':>8}{'P@3':>8}{'MRR':>8}{'answered':>10}")
    for lang, s in [*scores.by_language.items(), ("all", scores.overall)]:
        print(
            f"{lang:<8}{s.count:>5}{s.p_at_1:>8.3f}{s.p_at_3:>8.3f}{s.mrr:>8.3f}"
            f"{s.answered_right:>10.3f}"
        )
    print(f"out-of-scope rejected: {scores.rejection:.3f} of {scores.out_of_scope}")
    print(f"language accuracy:     {scores.language_accuracy:.3f}")
    print("best score   questions   best match right")
    for band in scores.calibration:
        print(f"{band.low:>5.0f}–{band.high:<5.0f}{band.count:>11}{band.precision:>19.3f}")
    if args.show_misses:
        print("\n".join(scores.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
