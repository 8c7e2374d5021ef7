"""The terminal front end: the same conversation as on Telegram, buttons as numbered choices."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TextIO

from bot.app import open_assistant
from bot.assistant import Assistant, User
from bot.config import Settings
from bot.languages import normalize_code
from bot.replies import Button, Reply, html_to_plain

CONSOLE_USER_ID = 0


def render_plain(reply: Reply) -> tuple[str, list[Button]]:
    """A reply as terminal text, and the buttons in the order they are numbered."""
    lines: list[str] = []
    if reply.notice:
        lines.append(f"({reply.notice})")
    if reply.text:
        lines.append(html_to_plain(reply.text))
    if reply.venue:
        venue = reply.venue
        lines.append(
            f"📍 {venue.title} — {venue.address} ({venue.latitude:.4f}, {venue.longitude:.4f})"
        )
    if reply.document:
        lines.append(f"📎 {reply.document.filename} ({len(reply.document.content)} bytes)")
    choices = [button for row in reply.buttons for button in row]
    for number, button in enumerate(choices, 1):
        target = f" → {button.url}" if button.url else ""
        lines.append(f"  [{number}] {button.label}{target}")
    return "\n".join(lines), choices


class ConsoleSession:
    """One console conversation; reading and writing are injected so tests can drive it."""

    def __init__(
        self,
        assistant: Assistant,
        out: TextIO,
        save_dir: Path | None = None,
        system_language: str | None = None,
    ) -> None:
        self.assistant = assistant
        self.out = out
        self.save_dir = save_dir
        # The terminal's language stands for a Telegram client's: the menus before a clear
        # message (testers met a fresh console's welcome and menus in English).
        self.user = User(CONSOLE_USER_ID, system_language, chat_id=CONSOLE_USER_ID)
        self.choices: list[Button] = []

    def show(self, reply: Reply) -> None:
        """Print a reply and remember its buttons for the next number typed."""
        text, self.choices = render_plain(reply)
        if reply.document and self.save_dir:
            target = self.save_dir / reply.document.filename
            target.write_bytes(reply.document.content)
            text += f"\n   saved to {target}"
        print(text + "\n", file=self.out)

    def handle(self, line: str) -> bool:
        """Process one typed line; False when the user wants to leave."""
        line = line.strip()
        if line in ("/quit", "/exit", "quit", "exit"):
            return False
        if line.startswith("/"):
            command, _sep, argument = line[1:].partition(" ")
            reply = self.assistant.command(self.user, command, argument.strip())
            if reply is not None:
                self.show(reply)
        elif line.isdigit() and 1 <= int(line) <= len(self.choices):
            button = self.choices[int(line) - 1]
            if button.url:
                print(f"🔗 {button.url}\n", file=self.out)
            elif button.action:
                self.show(self.assistant.press(self.user, button.action))
        else:
            self.show(self.assistant.ask(self.user, line))
        return True


def system_language(environ: Mapping[str, str] = os.environ) -> str | None:
    """The terminal's language, if it is one we speak: LC_ALL, LC_MESSAGES or LANG, as the
    C library reads them ("ja_JP.UTF-8" is Japanese; "C.UTF-8" none)."""
    chosen = next(
        (environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), ""
    )
    return normalize_code(chosen)


def run_console(
    settings: Settings, language: str | None, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> int:
    """Chat in the terminal until /quit or end of input; returns the exit code."""
    assistant, problems = open_assistant(settings)
    if assistant is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    session = ConsoleSession(assistant, out, settings.data_dir, system_language())
    if language:
        assistant.save_language(session.user, language)
    print(
        "Hello, Shenyang — console chat. Type a question, a number to pick a button, "
        "/help for commands, /quit to leave.\n",
        file=out,
    )
    session.show(assistant.start(session.user))
    try:
        for line in _prompted(stdin, out):
            if not session.handle(line):
                break
    except KeyboardInterrupt:
        pass
    assistant.close()
    return 0


def _prompted(stdin: TextIO, out: TextIO) -> Iterator[str]:
    """Lines typed by the user, with a prompt on a terminal."""
    while True:
        if stdin.isatty():
            out.write("> ")
            out.flush()
        line = stdin.readline()
        if not line:
            return
        yield line
