"""Fuzzing the loader: whatever a curator's editor (or a cat on the keyboard) does to a valid
knowledge file, loading gives ``FILE:LINE`` problems and never raises, and libyaml and the
pure-Python loader agree."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge import load_knowledge
from tests.conftest import FIXTURE_KB

FILES = {path.name: path.read_bytes() for path in sorted(FIXTURE_KB.glob("*.yaml"))}
MUTATED = ["places.yaml", "_lexicon.yaml"]  # entries, and the lexicon read beside them
PROBLEM = re.compile(r"^(?P<file>[^\n]+):(?P<line>\d+): [^\n]+$")

_text = st.text(
    st.characters(exclude_categories=["Cs"]),  # lone surrogates cannot be written as UTF-8
    max_size=8,
).map(lambda s: s.encode("utf-8"))
_snippets = st.sampled_from(
    [
        b"[" * 1200,
        b"{a: " * 1100,
        b"- " * 1100,
        b"1" + b"0" * 400,
        b"1" + b"0" * 5000,
        b"1.0e+400",
        b".nan",
        b"    id: again\n",
        b"    answer: {en: again}\n",
        b"category: culture\n",
        b"&a [*a]",
        b"*nowhere",
        b"? [a]\n: b\n",
        b"https://exa mple.org/<script>",
        b"!!python/object:os.system",
        b"\xff\xfe",
        b"\x00",
        b"\t",
        b"'",
        b'"',
        b": ",
        b"#",
        b"%YAML 1.1\n---\n",
        b"--- \n...\n",
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid file of the fixture, and its content after one to four random edits."""
    name = draw(st.sampled_from(MUTATED))
    lines = FILES[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, max(len(lines) - 1, 0)))
        edit = draw(st.sampled_from(["delete", "duplicate", "indent", "insert", "snippet", "cut"]))
        if not lines:
            lines = [b""]
        line = lines[where]
        if edit == "delete":
            del lines[where]
        elif edit == "duplicate":
            lines.insert(where, line)
        elif edit == "indent":
            shift = draw(st.integers(-4, 4))
            lines[where] = b" " * max(0, shift) + (line[-shift:] if shift < 0 else line)
        else:
            at = draw(st.integers(0, len(line)))
            if edit == "cut":
                lines = [*lines[:where], line[:at]]
                continue
            piece = draw(_text) if edit == "insert" else draw(_snippets)
            lines[where] = line[:at] + piece + line[at:]
    return name, b"".join(lines)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples on every run: the suite must not be flaky
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated())
def test_mutated_files_give_problems_not_exceptions(edited: tuple[str, bytes]) -> None:
    name, content = edited
    with tempfile.TemporaryDirectory() as folder:
        for other, valid in FILES.items():
            (Path(folder) / other).write_bytes(content if other == name else valid)
        result = load_knowledge(Path(folder))
        for problem in result.problems:
            match = PROBLEM.match(str(problem))
            assert match, str(problem)
            assert match["file"].startswith(folder), str(problem)
        assert (result.knowledge is None) == bool(result.errors)
        assert load_knowledge(Path(folder), libyaml=False) == result
