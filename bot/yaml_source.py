"""Find the knowledge folder's YAML files and read each into a tree of nodes that know their line.

Files are parsed with libyaml's C parser where PyYAML has it, several times faster than PyYAML's
pure-Python scanner (figures in benchmarks/bench_loading.py). A file the C parser rejects is read
again by the pure-Python loader, which then says what is wrong: both paths give the same nodes and
the same ``FILE:LINE`` problems, and a machine without libyaml loads the same knowledge base,
only slower.

Reading never raises for bad content: every failure is a :class:`~bot.records.Problem`.
"""

from __future__ import annotations

import operator
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml.resolver
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
from yaml.scanner import ScannerError
from yaml.tokens import ScalarToken

from bot.records import Problem

SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 2_000_000  # a curated file is a few hundred KB; anything larger is a mistake
# The nesting the pure-Python loader accepts: at least what libyaml accepts (1,000 levels of
# [ ] and { }, 1,000 of indentation), so that both read the same files; the format needs 6.
# PyYAML's scanner slows down with the square of the [ ] depth: 5,000 levels took 10 s.
MAX_FLOW_DEPTH = 1_000
MAX_DEPTH = 4_000

# libyaml reads these as UTF-16; the format is UTF-8, and Python's decoder refuses them.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BREAKS = "\r\n\x85\u2028\u2029"
_ENDS_LINE = "\0" + _BREAKS
_ENDS_TOKEN = "\0 \t" + _BREAKS
# YAML's line breaks: a problem's line must count the same ones as the parser's marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SYNTAX_HINT = "check indentation, colons and quotes around text containing ': ' or '#'"
_LINK_REFUSED = (
    "is a link to a {what} outside the knowledge folder: refused (copy it into the folder)"
)


# The characters an implicitly typed plain value (number, date, bool, null) can start with.
_TYPE_STARTS = frozenset(k for k in yaml.SafeLoader.yaml_implicit_resolvers if k)
_TEXT_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_SEQUENCE_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_MAPPING_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG


class _QuickResolve(yaml.resolver.BaseResolver):
    """PyYAML's resolver, answering at once in the common cases: a list, a mapping, quoted text,
    or plain text that no implicit type (number, date, bool, null) can start with: CJK text, most
    words. The C parser asks it about every node, and PyYAML's own took 15% of the C parser's
    time (150 of 1,000 million instructions reading 1,000 synthetic entries); with this, 8%.
    Nothing here uses path resolvers, so descending into a node and back has nothing to do."""

    def resolve(self, kind: type[Node], value: str | None, implicit: Any) -> str:
        """The tag of a node: PyYAML's implicit types only for plain text that can be one."""
        if kind is ScalarNode:
            if implicit[0] and (not value or value[0] in _TYPE_STARTS):
                return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
            return _TEXT_TAG
        return _SEQUENCE_TAG if kind is SequenceNode else _MAPPING_TAG

    def descend_resolver(self, current_node: Node | None, current_index: Any) -> None:
        """Nothing to track: no path resolvers."""

    def ascend_resolver(self) -> None:
        """Nothing to track: no path resolvers."""


def _c_loader() -> type[yaml.CSafeLoader] | None:
    base: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
    if base is None:
        return None
    from yaml import _yaml

    # libyaml 0.2.6 is the first release that stops at 1,000 levels of nesting (yaml/libyaml#287);
    # with an older one a deep document makes PyYAML's composer recurse in C until the stack
    # overflows, which no except clause catches.
    if _yaml.get_version() < (0, 2, 6):
        return None
    # The C composer calls these for every node. The first two do nothing here, and the tag is
    # read for a few typed fields only (dates, flags, numbers): built-in functions cost less
    # than Python ones (134 of 907 million instructions reading 1,000 synthetic entries). What
    # the first two return is ignored; ``slice`` keeps the question, which tag_of answers.
    built_in = {
        "descend_resolver": staticmethod(operator.is_),
        "ascend_resolver": staticmethod(tuple),
        "resolve": staticmethod(slice),
    }
    return type("_CLoader", (_QuickResolve, base), built_in)


class _Resolver(_QuickResolve, yaml.resolver.Resolver):
    """The resolver of PyYAML's safe loaders, asked after composing."""


def tag_of(node: Node) -> str:
    """A node's tag. libyaml's nodes keep what their tag depends on until it is asked for."""
    tag = node.tag
    if isinstance(tag, slice):
        return _Resolver().resolve(tag.start, tag.stop, tag.step)
    return str(tag)


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
    raw = read_source(source)
    return raw if isinstance(raw, Problem) else parse_yaml(raw, source.shown, libyaml)


def read_source(source: SourceFile) -> bytes | Problem:
    """The file's bytes, or the problem that stops them from being read (too large, unreadable).
    The bytes are read once: what is parsed is what a cache keys (bot.knowledge_cache)."""
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
    return raw


def parse_yaml(raw: bytes, shown: str, libyaml: bool = True) -> MappingNode | Problem:
    """The top-level mapping of a file's bytes (``shown`` names it in problems), or the problem
    that stops it from being read."""
    if libyaml and C_LOADER is not None and not raw.startswith(_UTF16_BOMS):
        # libyaml reads the UTF-8 bytes as they are, refusing what Python's decoder refuses:
        # decoding them here for PyYAML to encode them again cost 40 of 907 million
        # instructions (1,000 synthetic entries). A file libyaml refuses is read again below.
        try:
            return _root_problem(yaml.compose(raw, Loader=C_LOADER), shown)
        except yaml.YAMLError:
            pass
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(shown, line, "the file is not UTF-8 text: save it with UTF-8 encoding")
    return _compose_root(text, shown)


def _line_at(text: str, position: int) -> int:
    return len(_LINE_BREAK.findall(text, 0, position)) + 1


def _compose_root(text: str, shown: str) -> MappingNode | Problem:
    """The top-level mapping as the pure-Python loader reads it, or the problem in its words
    (libyaml, when asked for, has already read the file's bytes)."""
    try:
        root = compose(text, libyaml=False)
    except ForbiddenCharacterError as exc:
        return Problem(
            shown,
            exc.line,
            f"the control character U+{exc.code:04X} is not allowed in YAML: delete it",
        )
    except TooDeepError as exc:
        return Problem(shown, exc.line, f"the YAML is nested more than {exc.limit:,} levels deep")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return Problem(
            shown, line, f"YAML syntax error: {exc.problem or 'invalid YAML'} ({_SYNTAX_HINT})"
        )
    except yaml.YAMLError as exc:
        return Problem(shown, 1, f"YAML error: {exc}")
    return _root_problem(root, shown)


def _root_problem(root: Node | None, shown: str) -> MappingNode | Problem:
    """The top-level mapping, or the problem with a file that is not one."""
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
    pure-Python loader's, which raises :class:`yaml.YAMLError` saying what is wrong."""
    if libyaml and C_LOADER is not None:
        try:
            return yaml.compose(text, Loader=C_LOADER)
        except yaml.YAMLError:
            pass  # read it again below: the problem is reported in the pure-Python loader's words
    forbidden = Reader.NON_PRINTABLE.search(text)  # libyaml refuses the same characters
    if forbidden:
        raise ForbiddenCharacterError(text, forbidden.start())
    return yaml.compose(text, Loader=_Loader)


class ForbiddenCharacterError(yaml.YAMLError):
    """A character YAML does not allow in a file, such as a control character."""

    def __init__(self, text: str, position: int) -> None:
        super().__init__(f"U+{ord(text[position]):04X}")
        self.line = _line_at(text, position)
        self.code = ord(text[position])


class TooDeepError(ComposerError):
    """A document nested more than :data:`MAX_FLOW_DEPTH` or :data:`MAX_DEPTH` levels."""

    def __init__(self, mark: Any, limit: int) -> None:
        super().__init__(None, None, "nested too deeply", mark)
        self.line = int(mark.line) + 1
        self.limit = limit


class _Open:
    """A collection being composed, and for a mapping the key that waits for its value."""

    def __init__(self, node: SequenceNode | MappingNode) -> None:
        self.node = node
        self.key: Node | None = None

    def add(self, child: Node) -> None:
        """Add a child to the collection being composed."""
        if isinstance(self.node, SequenceNode):
            self.node.value.append(child)
        elif self.key is None:
            self.key = child
        else:
            self.node.value.append((self.key, child))
            self.key = None


class _Loader(_QuickResolve, yaml.SafeLoader):
    """PyYAML's safe loader, reading flow lists the YAML 1.2 way, composing without recursion.

    PyYAML follows YAML 1.1, where a '?' ends a plain scalar inside [ ]: the format's own example
    `en: [Where is the Mukden Palace?, …]` would be a syntax error. Curators write questions;
    questions end in '?'. ``scan_plain`` is PyYAML's with only that stop character removed, which
    is also how libyaml reads it.

    PyYAML composes a nested collection by recursing, three Python frames a level: 400 levels
    exhausted Python's recursion limit (RecursionError). ``compose_node`` keeps a stack instead.
    """

    def scan_plain(self) -> ScalarToken:
        """A plain scalar, where a '?' or ':' inside a flow list stays text (the spec's own example)."""
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

    def scan_to_next_token(self) -> None:
        """PyYAML's, skipping tabs where libyaml does: in [ ] and { }, and in a line after a
        value has begun (``a:\tb``); PyYAML refuses every tab between tokens."""
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        while True:
            while self.peek() == " " or (
                self.peek() == "\t" and (self.flow_level or not self.allow_simple_key)
            ):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in _ENDS_LINE:
                    self.forward()
            if not self._line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def scan_plain_spaces(self, indent: int, start_mark: Any) -> list[str] | None:
        """PyYAML's, reading tabs inside a line as libyaml does: white space, so ``b\tc`` is one
        value (PyYAML stops at the tab and then refuses it)."""
        chunks: list[str] = []
        length = 0
        while self.peek(length) in " \t":
            length += 1
        whitespaces = self.prefix(length)
        self.forward(length)
        if self.peek() not in _BREAKS:
            return [whitespaces] if whitespaces else chunks
        line_break = self._line_break()
        self.allow_simple_key = True
        if self._document_marker():
            return None
        breaks = []
        while self.peek() in " \t" + _BREAKS:
            if self.peek() == "\t" and self.column < indent:
                raise ScannerError(
                    "while scanning a plain scalar",
                    start_mark,
                    "found a tab character that violates indentation",
                    self.get_mark(),
                )
            if self.peek() in " \t":
                self.forward()
            else:
                breaks.append(self._line_break())
                if self._document_marker():
                    return None
        if line_break != "\n":
            chunks.append(line_break)
        elif not breaks:
            chunks.append(" ")
        chunks.extend(breaks)
        return chunks

    def _line_break(self) -> str:
        return str(self.scan_line_break())  # type: ignore[no-untyped-call]

    def _document_marker(self) -> bool:
        return self.prefix(3) in ("---", "...") and self.peek(3) in _ENDS_TOKEN

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        """Open a [ or { , refusing nesting past MAX_FLOW_DEPTH."""
        if self.flow_level >= MAX_FLOW_DEPTH:
            raise TooDeepError(self.get_mark(), MAX_FLOW_DEPTH)
        super().fetch_flow_collection_start(TokenClass)

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
                        raise TooDeepError(node.start_mark, MAX_DEPTH)
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
        return self.resolve(kind, value, implicit)
