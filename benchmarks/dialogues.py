"""Whole conversations played through the conversation core the bots use: turn accuracy per
language on benchmarks/eval/dialogues.yaml (format described at the top of that file).

A turn is right when the entry, the outcome and the reply language are what the set expects;
a follow-up's aspect ("how do I get there" → access) is scored only once the core reports one,
and until then counted apart as "aspect not yet supported".

    python benchmarks/dialogues.py [--knowledge DIR] [--dialogues FILE] [--show-failures]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import (
    LANGUAGES,
    OUTCOMES,
    Clock,
    Observed,
    ask,
    build_assistant,
    button_for,
    new_user,
    press,
)
from bot.assistant import Assistant
from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.replies import Reply

DIALOGUES = Path(__file__).resolve().parent / "eval" / "dialogues.yaml"
DIALOGUES_DEV = DIALOGUES.with_name("dialogues-dev.yaml")  # may guide tuning; DIALOGUES never
_LINE = "__line__"
_TURN_KEYS = frozenset(
    {"say", "press", "entry", "pick", "outcome", "aspect", "language", "after_minutes", _LINE}
)
_CONVERSATION_KEYS = frozenset(
    {"id", "language", "saved_language", "telegram_language", "turns", _LINE}
)


class DialogueError(ValueError):
    """The dialogue file cannot be read; the message is ``FILE:LINE: what is wrong``."""


@dataclass(frozen=True)
class Turn:
    line: int
    say: str | None  # typed text, or
    press: str | None  # the entry whose button is tapped
    entry: str | None
    pick: int | None  # expected entry: the pick-th suggestion of the previous reply
    outcome: str
    aspect: str | None
    language: str
    after_minutes: float = 0.0


@dataclass(frozen=True)
class Conversation:
    id: str
    line: int
    language: str
    turns: tuple[Turn, ...]
    saved_language: str | None = None
    telegram_language: str | None = None


@dataclass(frozen=True)
class TurnResult:
    conversation: Conversation
    turn: Turn
    observed: Observed | None  # None: the button to press was not in the previous reply
    right: bool
    aspect: str | None  # "right", "wrong", "not yet supported"; None when no aspect is expected
    note: str = ""


@dataclass(frozen=True)
class DialogueScores:
    turns: int
    right: int
    conversations: int
    conversations_right: int  # every turn right
    aspect_turns: int
    aspects_unsupported: int
    aspects_right: int

    @property
    def accuracy(self) -> float:
        return self.right / self.turns if self.turns else 1.0


class _LineLoader(yaml.SafeLoader):
    """Remembers the line of each mapping, so problems point at the turn."""


def _mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def read_dialogues(path: Path = DIALOGUES) -> list[Conversation]:
    """The conversations in ``path``; :class:`DialogueError` names the file and line of a fault."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise DialogueError(f"{path}:{line}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DialogueError(f"{path}:1: cannot read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise DialogueError(f"{path}:1: expected 'conversations:' with a list of conversations")
    return [_conversation(path, raw) for raw in data["conversations"]]


def _conversation(path: Path, raw: Any) -> Conversation:
    if not isinstance(raw, dict):
        raise DialogueError(f"{path}:1: a conversation must be a mapping with id and turns")
    line = int(raw[_LINE])
    _check_keys(path, line, raw, _CONVERSATION_KEYS)
    turns = raw.get("turns")
    if not raw.get("id") or not isinstance(turns, list) or not turns:
        raise DialogueError(f"{path}:{line}: a conversation needs an id and a list of turns")
    return Conversation(
        str(raw["id"]),
        line,
        _language(path, line, raw.get("language")),
        tuple(_turn(path, line, item) for item in turns),
        _optional_language(path, line, raw.get("saved_language")),
        _optional_language(path, line, raw.get("telegram_language")),
    )


def _turn(path: Path, line: int, raw: Any) -> Turn:
    if not isinstance(raw, dict):
        raise DialogueError(f"{path}:{line}: a turn must be a mapping (say/press, outcome, …)")
    line = int(raw[_LINE])
    _check_keys(path, line, raw, _TURN_KEYS)
    say, pressed = raw.get("say"), raw.get("press")
    if (say is None) == (pressed is None):
        raise DialogueError(f"{path}:{line}: a turn needs exactly one of 'say' and 'press'")
    outcome = raw.get("outcome")
    if outcome not in OUTCOMES:
        raise DialogueError(f"{path}:{line}: outcome must be one of {', '.join(OUTCOMES)}")
    pick = raw.get("pick")
    if pick is not None and (not isinstance(pick, int) or pick < 1 or "entry" in raw):
        raise DialogueError(f"{path}:{line}: pick is a suggestion number (1, 2, …) without entry")
    return Turn(
        line,
        None if say is None else str(say),
        None if pressed is None else str(pressed),
        None if raw.get("entry") is None else str(raw["entry"]),
        pick,
        str(outcome),
        None if raw.get("aspect") is None else str(raw["aspect"]),
        _language(path, line, raw.get("language")),
        float(raw.get("after_minutes") or 0),
    )


def _check_keys(path: Path, line: int, raw: dict[Any, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(str(key) for key in raw if key not in allowed)
    if unknown:
        raise DialogueError(f"{path}:{line}: unknown field(s): {', '.join(unknown)}")


def _language(path: Path, line: int, value: Any) -> str:
    if value not in LANGUAGES:
        raise DialogueError(f"{path}:{line}: language must be one of {', '.join(LANGUAGES)}")
    return str(value)


def _optional_language(path: Path, line: int, value: Any) -> str | None:
    return None if value is None else _language(path, line, value)


def unknown_entries(conversations: Iterable[Conversation], knowledge: KnowledgeBase) -> list[str]:
    """``id:line: entry`` for every expected or pressed entry the knowledge base lacks."""
    problems = []
    for conversation in conversations:
        for turn in conversation.turns:
            for entry in (turn.entry, turn.press):
                if entry is not None and knowledge.get(entry) is None:
                    problems.append(f"{conversation.id}:{turn.line}: {entry}")
    return problems


def play(assistant: Assistant, conversation: Conversation, user_id: int) -> list[TurnResult]:
    """Play one conversation as a new user; the assistant's clock must be a :class:`Clock`."""
    clock = assistant.clock
    assert isinstance(clock, Clock), "build the assistant with benchmarks.harness.build_assistant"
    user = new_user(user_id, conversation.telegram_language)
    if conversation.saved_language:
        assistant.store.set_language(user.id, conversation.saved_language)
    results: list[TurnResult] = []
    previous: Reply | None = None
    suggested: tuple[str, ...] = ()
    for turn in conversation.turns:
        clock.advance(turn.after_minutes or 0.5)  # people take a moment to read and type
        if turn.say is not None:
            previous, observed = ask(assistant, user, turn.say)
        else:
            action = button_for(previous, turn.press or "") if previous else None
            if action is None:
                note = f"no button for {turn.press} in the previous reply"
                results.append(
                    TurnResult(conversation, turn, None, False, _aspect(turn, None), note)
                )
                continue
            previous, observed = press(assistant, user, action)
        results.append(judge(conversation, turn, observed, suggested))
        suggested = observed.suggestions
    return results


def judge(
    conversation: Conversation, turn: Turn, observed: Observed, suggested: tuple[str, ...]
) -> TurnResult:
    """Score one turn; ``suggested`` are the previous reply's suggestions (for ``pick``)."""
    expected = turn.entry
    if turn.pick is not None:
        expected = suggested[turn.pick - 1] if turn.pick <= len(suggested) else None
    if turn.outcome == "suggest":
        entry_right = expected is None or expected in observed.suggestions
    elif turn.outcome == "switch":
        # A switch is judged on its language: the topic may be shown again in it, or none.
        entry_right = True
    else:
        entry_right = observed.entry == expected and (turn.pick is None or expected is not None)
    aspect = _aspect(turn, observed)
    right = (
        entry_right
        and observed.outcome == turn.outcome
        and observed.language == turn.language
        and aspect != "wrong"
    )
    got = observed.entry or ",".join(observed.suggestions) or "-"
    if aspect == "wrong":  # the entry may be right: say which aspect was answered instead
        got += f" (aspect {observed.aspect or 'none'}, not {turn.aspect})"
    note = "" if right else f"got {observed.outcome} {got} in {observed.language}"
    return TurnResult(conversation, turn, observed, right, aspect, note)


def _aspect(turn: Turn, observed: Observed | None) -> str | None:
    if turn.aspect is None:
        return None
    if observed is None or not observed.aspect_reported:
        return "not yet supported"
    return "right" if observed.aspect == turn.aspect else "wrong"


def run_dialogues(
    knowledge: KnowledgeBase, conversations: Sequence[Conversation]
) -> list[TurnResult]:
    """Play every conversation, each as a new user, on one assistant with a throw-away store."""
    results: list[TurnResult] = []
    with tempfile.TemporaryDirectory(prefix="dialogues-") as directory:
        assistant = build_assistant(knowledge, Path(directory), Clock())
        try:
            for number, conversation in enumerate(conversations, start=1):
                results += play(assistant, conversation, 10_000 + number)
        finally:
            assistant.store.close()
    return results


def score(results: Sequence[TurnResult]) -> DialogueScores:
    """Turn and conversation accuracy of ``results``, with the aspect figures kept apart."""
    by_conversation: dict[str, list[bool]] = {}
    for result in results:
        by_conversation.setdefault(result.conversation.id, []).append(result.right)
    aspects = [r.aspect for r in results if r.aspect is not None]
    return DialogueScores(
        len(results),
        sum(r.right for r in results),
        len(by_conversation),
        sum(all(turns) for turns in by_conversation.values()),
        len(aspects),
        aspects.count("not yet supported"),
        aspects.count("right"),
    )


def score_by_language(results: Sequence[TurnResult]) -> dict[str, DialogueScores]:
    """:func:`score` per language of the conversation, plus "all"."""
    scores = {
        lang: score([r for r in results if r.conversation.language == lang])
        for lang in LANGUAGES
        if any(r.conversation.language == lang for r in results)
    }
    return {**scores, "all": score(results)}


def print_scores(results: Sequence[TurnResult], show_failures: bool = False) -> None:
    """The dialogue table (and, if asked, every failed turn)."""
    print(f"{'lang':<8}{'turns':>6}{'right':>8}{'convs':>7}{'all right':>11}{'aspect n/a':>12}")
    for lang, s in score_by_language(results).items():
        print(
            f"{lang:<8}{s.turns:>6}{s.accuracy:>8.3f}{s.conversations:>7}"
            f"{s.conversations_right:>11}{s.aspects_unsupported:>8}/{s.aspect_turns}"
        )
    if show_failures:
        for r in results:
            if not r.right:
                said = r.turn.say if r.turn.say is not None else f"[press {r.turn.press}]"
                want = r.turn.entry or (f"#{r.turn.pick}" if r.turn.pick else "-")
                print(
                    f"{r.conversation.id}:{r.turn.line} {said!r}: want {r.turn.outcome} {want}"
                    f" in {r.turn.language}; {r.note}"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--dialogues", type=Path, default=DIALOGUES)
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    try:
        conversations = read_dialogues(args.dialogues)
    except DialogueError as exc:
        print(exc, file=sys.stderr)
        return 2
    knowledge = load_knowledge_or_raise(args.knowledge)
    print_scores(run_dialogues(knowledge, conversations), args.show_failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
