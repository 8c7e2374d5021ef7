"""Command line: run (Telegram or console), console, check, ask, report."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.assistant import Assistant, User
from bot.audit import answered_needs, unreachable_questions
from bot.config import LOCALES_DIR, Settings, SettingsError, knowledge_dir_from_env
from bot.console import render_plain
from bot.i18n import load_catalogs
from bot.knowledge import KnowledgeBase, Problem, load_knowledge
from bot.language import SUPPORTED, choose_language
from bot.matching import Matcher, MatchResult
from bot.reading import best_reading
from bot.report import build_report, parse_since, render_html, render_text, write_csv
from bot.store import Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run_bot.py",
        description="Hello, Shenyang: a zh/ja/en FAQ assistant about Shenyang. With no command, "
        "runs the Telegram bot when TELEGRAM_BOT_TOKEN is set, else a console chat.",
    )
    commands = parser.add_subparsers(dest="command")

    run = commands.add_parser("run", help="run the Telegram bot (long polling or webhook)")
    knowledge_option(run)
    run.add_argument("--webhook", metavar="URL", help="public HTTPS URL Telegram should post to")
    run.add_argument("--port", type=int, default=8443, help="local port for the webhook server")
    run.add_argument(
        "--listen",
        default="127.0.0.1",
        help="address the webhook server binds (default 127.0.0.1, behind a reverse proxy)",
    )

    console = commands.add_parser("console", help="chat with the assistant in this terminal")
    knowledge_option(console)
    console.add_argument("--lang", choices=SUPPORTED, help="reply language to start with")

    check = commands.add_parser("check", help="check the knowledge base")
    knowledge_option(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    ask = commands.add_parser("ask", help="show what the bot would answer")
    knowledge_option(ask)
    ask.add_argument("--lang", choices=SUPPORTED, help="force the reply language")
    ask.add_argument("--limit", type=int, default=5, help="how many ranked matches (default 5)")
    ask.add_argument("--json", action="store_true", help="print JSON (JSON Lines with --batch)")
    ask.add_argument("--batch", metavar="FILE", help="one question per line; '-' reads stdin")
    ask.add_argument("question", nargs="?", help="the question")

    report = commands.add_parser("report", help="what users asked: the curator's report")
    report.add_argument("--since", default="7d", help="period to cover: 24h, 7d, 2w (default 7d)")
    report.add_argument("--lang", choices=SUPPORTED, help="default: $BOT_REPORT_LANG, else zh")
    report.add_argument("--html", type=Path, metavar="FILE", help="also write an HTML page")
    report.add_argument(
        "--csv", type=Path, metavar="FILE", help="also write one row per cluster (UTF-8, for Excel)"
    )
    return parser


def knowledge_option(sub: argparse.ArgumentParser) -> None:
    """The --knowledge option of the commands that read the knowledge base."""
    sub.add_argument(
        "--knowledge",
        type=Path,
        default=None,
        metavar="DIR",
        help="knowledge directory (default: $BOT_KNOWLEDGE_DIR or knowledge/)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    knowledge: Path | None = getattr(args, "knowledge", None)
    # check and ask read only the knowledge directory and keep their contract's exit codes.
    if args.command == "check":
        return _check(knowledge or knowledge_dir_from_env(), args.strict, sys.stdout)
    if args.command == "ask":
        return _ask(knowledge or knowledge_dir_from_env(), args, parser)
    env = dict(os.environ, **({"BOT_KNOWLEDGE_DIR": str(knowledge)} if knowledge else {}))
    try:
        settings = Settings.from_env(env)
    except SettingsError as error:  # before any store is opened or log expired
        print(error, file=sys.stderr)
        return 2
    command = args.command or ("run" if settings.token else "console")
    if command == "report":
        return _report(settings, args)
    # The front ends import python-telegram-bot; keep check/ask fast by importing them here.
    if command == "run":
        if not settings.token:
            print(
                "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather, then:\n"
                "  export TELEGRAM_BOT_TOKEN=123456:ABC...\n  python run_bot.py",
                file=sys.stderr,
            )
            return 2
        from bot.telegram_app import run_telegram

        return run_telegram(
            settings,
            webhook_url=getattr(args, "webhook", None),
            port=getattr(args, "port", 8443),
            listen=getattr(args, "listen", "127.0.0.1"),
        )
    from bot.console import run_console

    if args.command is None:
        print(
            "No TELEGRAM_BOT_TOKEN set: starting a local console chat instead.\n"
            "To connect to Telegram, create a bot with @BotFather and run\n"
            "  TELEGRAM_BOT_TOKEN=<token> python run_bot.py\n",
            file=sys.stderr,
        )
    return run_console(settings, getattr(args, "lang", None))


def _report(settings: Settings, args: argparse.Namespace) -> int:
    lang = args.lang or settings.report_lang  # BOT_REPORT_LANG, checked with the settings
    try:
        period = parse_since(args.since)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    loaded = load_knowledge(settings.knowledge_dir)
    if loaded.knowledge is None:  # the figures do not need it: entries are named by their ids
        print(
            f"note: the knowledge base in {settings.knowledge_dir} has errors; "
            "entries are shown by id (run `check`)",
            file=sys.stderr,
        )
    now = datetime.now(UTC)
    store = Store.in_directory(settings.data_dir, settings.hash_key)
    try:
        report = build_report(store, now - period, now, loaded.knowledge)
    finally:
        store.close()
    catalogs = load_catalogs(LOCALES_DIR)
    print(render_text(report, lang, catalogs))
    if args.html is not None:
        args.html.write_text(render_html(report, lang, catalogs), encoding="utf-8")
        print(f"\nHTML: {args.html}")
    if args.csv is not None:
        write_csv(args.csv, report, lang, catalogs)
        print(f"CSV: {args.csv}")
    return 0


def _check(directory: Path, strict: bool, out: TextIO) -> int:
    result = load_knowledge(directory)
    if result.knowledge is not None:
        knowledge = result.knowledge
        audit = unreachable_questions(knowledge, Matcher.build(knowledge))
        audit += answered_needs(knowledge.lexicon, knowledge.entries)
        result = replace(result, problems=tuple(sorted((*result.problems, *audit), key=_place)))
    for problem in result.problems:
        print(problem, file=out)
    if result.ok(strict):
        count = len(result.knowledge.entries) if result.knowledge else 0
        print(
            f"OK: {count} entries in {directory}"
            + (f" ({len(result.warnings)} warnings)" if result.warnings else ""),
            file=out,
        )
        return 0
    errors = len(result.errors) + (len(result.warnings) if strict else 0)
    print(f"FAILED: {errors} problem(s) in {directory}", file=out)
    return 1


def _place(problem: Problem) -> tuple[str, int]:
    return problem.file, problem.line


def _ask(directory: Path, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if (args.batch is None) == (args.question is None):
        parser.error("ask needs either a QUESTION or --batch FILE")
    result = load_knowledge(directory)
    if result.knowledge is None:
        for problem in result.errors:
            print(problem, file=sys.stderr)
        return 1
    knowledge = result.knowledge
    matcher = Matcher.build(knowledge)
    questions: Iterable[str]
    if args.batch is not None:
        batch = _read_batch(args.batch)
        if isinstance(batch, str):
            print(batch, file=sys.stderr)
            return 2
        questions = batch
    else:
        questions = [args.question]
    assistant = _plain_assistant(knowledge, args.lang)
    for question in questions:
        language = choose_language(question, saved=args.lang).language
        # As the conversation core reads it: a chatty message's question sentence may decide.
        found = best_reading(matcher, knowledge, question, limit=max(args.limit, 0))
        if args.json:
            print(json.dumps(_ask_record(question, language, found, matcher), ensure_ascii=False))
            continue
        text, _buttons = render_plain(assistant.ask(_ASK_USER, question))
        print(text)
        others = [m.id for m in found.matches if m.id != found.answer_id]
        if others:
            print("runners-up: " + ", ".join(others))
        print()
    return 0


_ASK_USER = User(0)


def _ask_record(
    question: str, language: str, found: MatchResult, matcher: Matcher
) -> dict[str, object]:
    """One line of ``ask --json`` (docs/knowledge-format.md)."""
    evidence = found.evidence
    return {
        "query": question,
        "language": language,
        "answer_id": found.answer_id,
        "confidence": None if evidence is None else round(matcher.model.confidence(evidence), 3),
        "matches": [{"id": m.id, "score": m.score, "question": m.question} for m in found.matches],
    }


def _read_batch(name: str) -> list[str] | str:
    """The questions of a batch file ('-': standard input), or what stops it from being read."""
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        return f"{name}: cannot read the file: {error.strerror or error}"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return f"{name}:{line}: the file is not UTF-8 text: save it with UTF-8 encoding"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line for line in lines if line.strip()]


def _plain_assistant(knowledge: KnowledgeBase, language: str | None) -> Assistant:
    """The conversation core on a throw-away in-memory store: `ask` leaves no trace."""
    assistant = Assistant(knowledge, load_catalogs(LOCALES_DIR), Store(Path(":memory:")))
    if language:
        assistant.save_language(_ASK_USER, language)
    return assistant
