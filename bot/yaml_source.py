"""Find the knowledge folder's YAML files and read each into a tree of nodes that know their line.

Files are parsed with libyaml's C parser where PyYAML has it, several times faster than PyYAML's
pure-Python scanner (figures in benchmarks/bench_loading.py). A file the C parser rejects is read
again by the pure-Python loader, which then says what is wrong: both paths give the same nodes and
the same ``FILE:LINE`` problems, and a machine without libyaml loads the same knowledge base,
only slower.

Reading never raises for bad content: every failure is a :class:`~bot.records.Problem`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader
from yaml.tokens import ScalarToken

from bot.records import Problem

SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 2_000_000  # a curated file is a few hundred KB; anything larger is a mistake
# Deeper than any document libyaml accepts (it stops at 1,000 flow and 1,000 block levels), so
# the pure-Python loader accepts all the C parser does; the format itself needs 6 levels.
MAX_DEPTH = 4_000

# YAML's line breaks: a problem's line must count the same ones as the parser's marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SYNTAX_HINT = "check indentation, colons and quotes around text containing ': ' or '#'"
_LINK_REFUSED = (
    "is a link to a {what} outside the knowledge folder: refused (copy it into the folder)"
)


def _c_loader() -> type[yaml.CSafeLoader] | None:
    loader: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return None
    from yaml import _yaml

    # libyaml 0.2.6 is the first release that stops at 1,000 levels of nesting (yaml/libyaml#287);
    # with an older one a deep document makes PyYAML's composer recurse in C until the stack
    # overflows, which no except clause catches.
    return loader if _yaml.get_version() >= (0, 2, 6) else None


C_LOADER = _c_loader()


@dataclass(frozen=True)
class SourceFile:
    """A YAML file of the knowledge base, and its name as problems show it."""

    path: Path
    shown: str


def shown_path(path: Path) -> str:
    """The path as a curator would type it: relative to the current directory when inside it,
    never the target of a link, and printable even when the name is not UTF-8."""
    try:
        text = str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        text = str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _inside(path: Path, base: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(base)


def _not_utf8(name: str) -> bool:
    """Whether a file name read from the disk had bytes that are not UTF-8 (Python keeps them
    as lone surrogates, which cannot be printed)."""
    return any("\udc80" <= ch <= "\udcff" for ch in name)


def list_sources(directory: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every ``*.yaml`` / ``*.yml`` file below ``directory``; links that lead out of it are
    refused, not read: their content must reach neither a problem message nor the bot."""
    base = Path(os.path.realpath(directory))
    files: list[SourceFile] = []
    problems: list[Problem] = []
    for folder, subfolders, names in os.walk(directory):
        here = Path(folder)
        for name in subfolders:  # os.walk does not enter linked folders; say so when they leave
            if (here / name).is_symlink() and not _inside(here / name, base):
                problems.append(
                    Problem(shown_path(here / name), 0, _LINK_REFUSED.format(what="folder"))
                )
        for name in names:
            path = here / name
            if path.suffix not in SUFFIXES:
                continue
            source = SourceFile(path, shown_path(path))
            if path.is_symlink() and not _inside(path, base):
                problems.append(Problem(source.shown, 1, _LINK_REFUSED.format(what="file")))
                continue
            if not path.is_file():
                continue
            files.append(source)
            if _not_utf8(name):
                problems.append(
                    Problem(source.shown, 1, "the file name is not UTF-8: rename it", "warning")
                )
    files.sort(key=lambda source: source.path)
    return files, problems


def read_yaml(source: SourceFile, libyaml: bool = True) -> MappingNode | Problem:
    """The file's top-level mapping, or the problem that stops it from being read."""
    try:
        size = source.path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Problem(
                source.shown,
                1,
                f"file is too large ({size:,} bytes; the limit is "
                f"{MAX_FILE_BYTES:,}): split it into several files",
            )
        raw = source.path.read_bytes()
    except OSError as exc:
        return Problem(source.shown, 1, f"cannot read the file: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(
            source.shown, line, "the file is not UTF-8 text: save it with UTF-8 encoding"
        )
    forbidden = Reader.NON_PRINTABLE.search(text)
    if forbidden:
        return Problem(
            source.shown,
            _line_at(text, forbidden.start()),
            f"the control character U+{ord(forbidden.group()):04X} is not allowed in YAML: "
            "delete it",
        )
    return _compose_root(text, source.shown, libyaml)


def _line_at(text: str, position: int) -> int:
    return len(_LINE_BREAK.findall(text, 0, position)) + 1


def _compose_root(text: str, shown: str, libyaml: bool) -> MappingNode | Problem:
    try:
        root = compose(text, libyaml)
    except TooDeepError as exc:
        return Problem(shown, exc.line, f"the YAML is nested more than {MAX_DEPTH:,} levels deep")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return Problem(
            shown, line, f"YAML syntax error: {exc.problem or 'invalid YAML'} ({_SYNTAX_HINT})"
        )
    except yaml.YAMLError as exc:
        return Problem(shown, 1, f"YAML error: {exc}")
    if root is None:
        return Problem(shown, 1, "the file is empty: expected 'category:' and 'entries:'")
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        return Problem(
            shown,
            root.start_mark.line + 1,
            f"the file is {kind}; expected a mapping with 'category:' and 'entries:'",
        )
    return root


def compose(text: str, libyaml: bool = True) -> Node | None:
    """The node tree of one YAML document: libyaml's when it accepts the text, else the
    pure-Python loader's (which raises :class:`yaml.YAMLError` saying what is wrong)."""
    if libyaml and C_LOADER is not None:
        try:
            return yaml.compose(text, Loader=C_LOADER)
        except yaml.YAMLError:
            pass  # read it again below: the problem is reported in the pure-Python loader's words
    return yaml.compose(text, Loader=_Loader)


class TooDeepError(ComposerError):
    """A document nested more than :data:`MAX_DEPTH` levels."""

    def __init__(self, event: Any) -> None:
        super().__init__(None, None, "nested too deeply", event.start_mark)
        self.line = int(event.start_mark.line) + 1


class _Open:
    """A collection being composed, and for a mapping the key that waits for its value."""

    def __init__(self, node: SequenceNode | MappingNode) -> None:
        self.node = node
        self.key: Node | None = None

    def add(self, child: Node) -> None:
        if isinstance(self.node, SequenceNode):
            self.node.value.append(child)
        elif self.key is None:
            self.key = child
        else:
            self.node.value.append((self.key, child))
            self.key = None


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, reading flow lists the YAML 1.2 way, composing without recursion.

    PyYAML follows YAML 1.1, where a '?' ends a plain scalar inside [ ]: the format's own example
    `en: [Where is the Mukden Palace?, …]` would be a syntax error. Curators write questions;
    questions end in '?'. ``scan_plain`` is PyYAML's with only that stop character removed, which
    is also how libyaml reads it.

    PyYAML composes a nested collection by recursing, three Python frames a level: 400 levels
    exhausted Python's recursion limit (RecursionError). ``compose_node`` keeps a stack instead.
    """

    def scan_plain(self) -> ScalarToken:
        breaks = "\0 \t\r\n\x85\u2028\u2029"
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] | None = []
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if (
                    ch in breaks
                    or (
                        ch == ":"
                        and self.peek(length + 1) in breaks + (",[]{}" if self.flow_level else "")
                    )
                    or (self.flow_level and ch in ",[]{}")
                ):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces or [])
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return ScalarToken("".join(chunks), True, start_mark, end_mark)

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """PyYAML's ``compose_node`` as a loop over a stack of the open collections."""
        stack: list[_Open] = []
        while True:
            done: Node
            if stack and self.check_event(SequenceEndEvent, MappingEndEvent):
                done = stack[-1].node
                done.end_mark = self._next_event().end_mark
                stack.pop()
            else:
                node, opened = self._start_node()
                if isinstance(node, SequenceNode | MappingNode) and opened:
                    if len(stack) >= MAX_DEPTH:
                        raise TooDeepError(self.peek_event())  # type: ignore[no-untyped-call]
                    stack.append(_Open(node))
                    continue
                done = node
            if not stack:
                return done
            stack[-1].add(done)

    def _start_node(self) -> tuple[Node, bool]:
        """The node an event starts, and whether it is a collection opened (not an alias)."""
        event = self._next_event()
        start: Any = event.start_mark
        anchor = event.anchor
        if isinstance(event, AliasEvent):
            if anchor not in self.anchors:
                raise ComposerError(None, None, f"found undefined alias {anchor!r}", start)
            return self.anchors[anchor], False
        if anchor is not None and anchor in self.anchors:
            raise ComposerError(
                f"found duplicate anchor {anchor!r}; first occurrence",
                self.anchors[anchor].start_mark,
                "second occurrence",
                start,
            )
        tag: Any = event.tag
        explicit = tag is not None and tag != "!"
        node: Node
        if isinstance(event, ScalarEvent):
            tag = tag if explicit else self._resolve(ScalarNode, event.value, event.implicit)
            end: Any = event.end_mark
            node = ScalarNode(tag, event.value, start, end, event.style)
        elif isinstance(event, SequenceStartEvent):
            tag = tag if explicit else self._resolve(SequenceNode, None, event.implicit)
            node = SequenceNode(tag, [], start, None, event.flow_style)
        elif isinstance(event, MappingStartEvent):
            tag = tag if explicit else self._resolve(MappingNode, None, event.implicit)
            node = MappingNode(tag, [], start, None, event.flow_style)
        else:
            raise ComposerError(None, None, "expected a node", start)
        if anchor is not None:
            self.anchors[anchor] = node
        return node, not isinstance(node, ScalarNode)

    # PyYAML's parser and resolver have no type hints.
    def _next_event(self) -> Any:
        return self.get_event()  # type: ignore[no-untyped-call]

    def _resolve(self, kind: type[Node], value: str | None, implicit: Any) -> str:
        return str(self.resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
