"""Practical questions (benchmarks/eval/practical.tsv): what visitors, investors and journalists
really ask, much of it outside the knowledge base. Each question is sent to the conversation core
as a new user; the metric is the share answered directly with an entry that is not on the
question's list of relevant entries ("off-topic direct answers"; target ≤ 3 %).

    python benchmarks/practical.py [--knowledge DIR] [--questions FILE] [--show-misses]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import LANGUAGES, Clock, Observed, ask, build_assistant, new_user
from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise

PRACTICAL = Path(__file__).resolve().parent / "eval" / "practical.tsv"
PRACTICAL_DEV = PRACTICAL.with_name("practical-dev.tsv")  # may guide tuning; PRACTICAL never
COLUMNS = ("lang", "question", "relevant", "must_mention")


class PracticalError(ValueError):
    """The practical set cannot be read; the message is ``FILE:LINE: what is wrong``."""


@dataclass(frozen=True)
class PracticalQuestion:
    line: int
    language: str
    text: str
    relevant: frozenset[str]  # entries on the topic asked (they may lack the exact detail)
    must_mention: str  # what a relevant answer must say


@dataclass(frozen=True)
class PracticalResult:
    question: PracticalQuestion
    observed: Observed

    @property
    def off_topic(self) -> bool:
        """Answered directly, with an entry not on the question's relevant list."""
        return (
            self.observed.outcome == "answer" and self.observed.entry not in self.question.relevant
        )


@dataclass(frozen=True)
class PracticalScores:
    count: int
    answered: int  # direct answers of any kind
    off_topic: int

    @property
    def off_topic_share(self) -> float:
        return self.off_topic / self.count if self.count else 0.0


def read_practical(path: Path = PRACTICAL) -> list[PracticalQuestion]:
    """The questions in ``path``; :class:`PracticalError` names the file and line of a fault."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise PracticalError(f"{path}:1: missing column(s): {', '.join(missing)}")
        questions = []
        for number, row in enumerate(reader, start=2):
            language, text = row["lang"] or "", (row["question"] or "").strip()
            if language not in LANGUAGES or not text or not (row["must_mention"] or "").strip():
                raise PracticalError(
                    f"{path}:{number}: needs a language ({', '.join(LANGUAGES)}), "
                    "a question and what a relevant answer must mention"
                )
            relevant = frozenset(i.strip() for i in (row["relevant"] or "").split(",") if i.strip())
            questions.append(
                PracticalQuestion(number, language, text, relevant, row["must_mention"].strip())
            )
    return questions


def unknown_entries(questions: Iterable[PracticalQuestion], knowledge: KnowledgeBase) -> list[str]:
    """``line: entry`` for every relevant entry the knowledge base lacks."""
    return [
        f"{q.line}: {entry}"
        for q in questions
        for entry in sorted(q.relevant)
        if knowledge.get(entry) is None
    ]


def run_practical(
    knowledge: KnowledgeBase, questions: Sequence[PracticalQuestion]
) -> list[PracticalResult]:
    """Ask every question as a new user of one assistant with a throw-away store."""
    results = []
    with tempfile.TemporaryDirectory(prefix="practical-") as directory:
        assistant = build_assistant(knowledge, Path(directory), Clock())
        try:
            for number, question in enumerate(questions, start=1):
                _reply, observed = ask(assistant, new_user(20_000 + number), question.text)
                results.append(PracticalResult(question, observed))
        finally:
            assistant.store.close()
    return results


def score_by_language(results: Sequence[PracticalResult]) -> dict[str, PracticalScores]:
    """Off-topic direct answers per language of the question, plus "all"."""
    groups = {lang: [r for r in results if r.question.language == lang] for lang in LANGUAGES}
    groups = {lang: group for lang, group in groups.items() if group}
    groups["all"] = list(results)
    return {
        lang: PracticalScores(
            len(group),
            sum(r.observed.outcome == "answer" for r in group),
            sum(r.off_topic for r in group),
        )
        for lang, group in groups.items()
    }


def print_scores(results: Sequence[PracticalResult], show_misses: bool = False) -> None:
    """The practical table (and, if asked, every off-topic direct answer)."""
    print(f"{'lang':<8}{'n':>5}{'answered':>10}{'off-topic':>11}{'share':>8}")
    for lang, s in score_by_language(results).items():
        print(f"{lang:<8}{s.count:>5}{s.answered:>10}{s.off_topic:>11}{s.off_topic_share:>8.3f}")
    if show_misses:
        for r in results:
            if r.off_topic:
                print(f"off-topic {r.observed.entry}: {r.question.text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--questions", type=Path, default=PRACTICAL)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    try:
        questions = read_practical(args.questions)
    except (PracticalError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 2
    knowledge = load_knowledge_or_raise(args.knowledge)
    print_scores(run_practical(knowledge, questions), args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
