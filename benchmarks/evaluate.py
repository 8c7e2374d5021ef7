"""Every evaluation set, per language (see benchmarks/README.md):

* development set (eval/questions.tsv, the only one used for tuning) and held-out set
  (eval/heldout.tsv): matching quality — P@1, P@3, MRR, answered-and-right, out-of-scope
  rejection, reply-language accuracy, and on the development set how the top score relates to
  being right (calibration);
* development practical set (eval/practical-dev.tsv, may guide tuning) and practical set
  (eval/practical.tsv): off-topic direct answers (benchmarks/practical.py);
* development dialogue set (eval/dialogues-dev.yaml, may guide tuning) and dialogue set
  (eval/dialogues.yaml): turn accuracy (benchmarks/dialogues.py).

    python benchmarks/evaluate.py [--knowledge DIR] [--questions FILE] [--show-misses]

``--questions FILE`` evaluates one ranking set only.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import dialogues, practical
from benchmarks.dialogues import DIALOGUES, DIALOGUES_DEV
from benchmarks.harness import Clock, Observed, ask, build_assistant, new_user
from benchmarks.practical import PRACTICAL, PRACTICAL_DEV
from bot.confidence import MODEL
from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.matching import SUGGEST_SCORE, Matcher

QUESTIONS = Path(__file__).resolve().parent / "eval" / "questions.tsv"  # development set
HELDOUT = Path(__file__).resolve().parent / "eval" / "heldout.tsv"  # never used for tuning
OUT_OF_SCOPE = "-"


@dataclass(frozen=True)
class Question:
    language: str
    expected: str
    text: str


@dataclass(frozen=True)
class LanguageScores:
    count: int  # questions the knowledge base answers
    p_at_1: float
    p_at_3: float
    mrr: float
    answered_right: float  # share answered directly with the expected entry
    out_of_scope: int = 0
    rejection: float = 1.0  # out-of-scope questions not answered directly
    language_accuracy: float = 1.0  # all questions: reply language = the question's language


@dataclass(frozen=True)
class Graded:
    """One question against the matcher."""

    question: Question
    rank: int | None  # of the expected entry among the matches
    answer_id: str | None  # what the bot answers directly, if anything
    language_right: bool
    top: tuple[float, bool] | None  # (best score, best match right)
    miss: str | None

    @property
    def in_scope(self) -> bool:
        return self.question.expected != OUT_OF_SCOPE


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


# From the suggestion floor to where the score alone answers (bot.confidence), and above.
BAND_EDGES = (0.0, SUGGEST_SCORE, 58.0, MODEL.sure_score, 85.0, 100.1)


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
    """A ranking set (development or held-out): columns lang, expected, question."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Question(r["lang"], r["expected"], r["question"]) for r in rows]


def grade(matcher: Matcher, question: Question, seen: Observed) -> Graded:
    """Rank (the matcher's), direct answer and reply language (what the user meets, ``seen``
    from the conversation core) for one question."""
    result = matcher.match(question.text, limit=10)
    ids = [m.id for m in result.matches]
    top = (result.matches[0].score, ids[0] == question.expected) if ids else None
    language_right = seen.language == question.language
    answer_id = seen.entry if seen.outcome == "answer" else None
    if question.expected == OUT_OF_SCOPE:
        miss = None if answer_id is None else f"OOS answered {answer_id}"
        return Graded(question, None, answer_id, language_right, top, _with(miss, question))
    rank = ids.index(question.expected) + 1 if question.expected in ids else None
    miss = None
    if answer_id != question.expected:
        miss = f"{question.expected} <- {seen.outcome} {answer_id or ids[:3]}"
    return Graded(question, rank, answer_id, language_right, top, _with(miss, question))


def _observed(knowledge: KnowledgeBase, questions: list[Question]) -> list[Observed]:
    """Each question asked through the conversation core by a new user, as the bots ask it."""
    with tempfile.TemporaryDirectory(prefix="evaluate-") as directory:
        assistant = build_assistant(knowledge, Path(directory), Clock())
        try:
            return [
                ask(assistant, new_user(10_000 + n), q.text)[1] for n, q in enumerate(questions)
            ]
        finally:
            assistant.store.close()


def _with(miss: str | None, question: Question) -> str | None:
    return None if miss is None else f"{miss}: {question.text}"


def evaluate(knowledge: KnowledgeBase, questions: list[Question]) -> Scores:
    """Every figure of a ranking set, per language and overall."""
    matcher = Matcher.build(knowledge)
    seen = _observed(knowledge, questions)
    graded = [grade(matcher, q, s) for q, s in zip(questions, seen, strict=True)]
    languages = sorted({g.question.language for g in graded if g.in_scope})
    by_language = {
        lang: _scores([g for g in graded if g.question.language == lang]) for lang in languages
    }
    overall = _scores(graded)
    return Scores(
        by_language,
        overall,
        overall.out_of_scope,
        overall.rejection,
        overall.language_accuracy,
        tuple(g.miss for g in graded if g.miss),
        _calibration([g.top for g in graded if g.top]),
    )


def _calibration(tops: list[tuple[float, bool]]) -> tuple[Band, ...]:
    bands = []
    for low, high in pairwise(BAND_EDGES):
        inside = [right for score, right in tops if low <= score < high]
        bands.append(Band(low, min(high, 100.0), len(inside), sum(inside)))
    return tuple(bands)


def _scores(graded: list[Graded]) -> LanguageScores:
    ranks = [g.rank for g in graded if g.in_scope]
    answered = [g.answer_id == g.question.expected for g in graded if g.in_scope]
    rejected = [g.answer_id is None for g in graded if not g.in_scope]
    count = len(ranks) or 1
    return LanguageScores(
        len(ranks),
        sum(r == 1 for r in ranks) / count,
        sum(r is not None and r <= 3 for r in ranks) / count,
        sum(1 / r for r in ranks if r) / count,
        sum(answered) / count,
        len(rejected),
        sum(rejected) / len(rejected) if rejected else 1.0,
        sum(g.language_right for g in graded) / len(graded) if graded else 1.0,
    )


def print_ranking(title: str, scores: Scores, calibration: bool = False) -> None:
    """One ranking set's table: per language and overall."""
    print(f"\n== {title}")
    print(
        f"{'lang':<8}{'n':>5}{'P@1':>8}{'P@3':>8}{'MRR':>8}{'answered':>10}"
        f"{'oos n':>7}{'rejected':>10}{'reply lang':>12}"
    )
    for lang, s in [*scores.by_language.items(), ("all", scores.overall)]:
        print(
            f"{lang:<8}{s.count:>5}{s.p_at_1:>8.3f}{s.p_at_3:>8.3f}{s.mrr:>8.3f}"
            f"{s.answered_right:>10.3f}{s.out_of_scope:>7}{s.rejection:>10.3f}"
            f"{s.language_accuracy:>12.3f}"
        )
    if calibration:
        print("best score   questions   best match right")
        for band in scores.calibration:
            print(f"{band.low:>5.0f}–{band.high:<5.0f}{band.count:>11}{band.precision:>19.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--questions", type=Path, default=None, help="one ranking set only")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    knowledge = load_knowledge_or_raise(args.knowledge)
    if args.questions is not None:
        scores = evaluate(knowledge, read_questions(args.questions))
        print_ranking(str(args.questions), scores, calibration=True)
        _print_misses(scores.misses, args.show_misses)
        return 0
    for title, path in (("development set", QUESTIONS), ("held-out set", HELDOUT)):
        scores = evaluate(knowledge, read_questions(path))
        print_ranking(f"{title} ({path.name})", scores, calibration=path == QUESTIONS)
        _print_misses(scores.misses, args.show_misses)
    for title, path in (("development practical set", PRACTICAL_DEV), ("practical set", PRACTICAL)):
        print(f"\n== {title} ({path.name}): off-topic direct answers, target <= 0.03")
        practical.print_scores(
            practical.run_practical(knowledge, practical.read_practical(path)), args.show_misses
        )
    for title, path in (("development dialogue set", DIALOGUES_DEV), ("dialogue set", DIALOGUES)):
        print(f"\n== {title} ({path.name}): turn accuracy, target >= 0.90")
        dialogues.print_scores(
            dialogues.run_dialogues(knowledge, dialogues.read_dialogues(path)), args.show_misses
        )
    return 0


def _print_misses(misses: tuple[str, ...], show: bool) -> None:
    if show:
        print("\n".join(misses))


if __name__ == "__main__":
    sys.exit(main())
