"""Finding and parsing the knowledge files: libyaml and the pure-Python loader agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from yaml.nodes import MappingNode

from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.knowledge import load_knowledge
from bot.records import Problem
from bot.yaml_source import C_LOADER, MAX_DEPTH, SourceFile, compose, read_yaml, tag_of
from tests.conftest import FIXTURE_KB

needs_libyaml = pytest.mark.skipif(C_LOADER is None, reason="PyYAML without libyaml 0.2.6+")


@needs_libyaml
@pytest.mark.parametrize(
    "directory", [DEFAULT_KNOWLEDGE_DIR, FIXTURE_KB], ids=["shipped", "fixture"]
)
def test_both_parsers_give_the_same_knowledge_base(directory: Path) -> None:
    fast = load_knowledge(directory)
    slow = load_knowledge(directory, libyaml=False)
    assert fast.knowledge is not None
    assert fast == slow


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_question_marks_end_no_plain_text_in_a_flow_list(libyaml: bool) -> None:
    # The format's own example; PyYAML's YAML 1.1 scanner alone would stop at the '?'.
    root = compose("en: [Where is the Mukden Palace?, b?c, a:b]\n", libyaml)
    assert root is not None
    values = [item.value for item in root.value[0][1].value]
    assert values == ["Where is the Mukden Palace?", "b?c", "a:b"]


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_types_and_lines_are_those_of_pyyaml(libyaml: bool) -> None:
    text = "a: 1\nb: 2023-06-20\nc: 'x'\nd: yes\ne: ~\nf: !!str 3\ng: text\nh: ! 12\n"
    root = compose(text, libyaml)
    assert root is not None
    tags = {
        key.value: (tag_of(value).rsplit(":", 1)[1], value.start_mark.line)
        for key, value in root.value
    }
    assert tags == {
        "a": ("int", 0),
        "b": ("timestamp", 1),
        "c": ("str", 2),
        "d": ("bool", 3),
        "e": ("null", 4),
        "f": ("str", 5),
        "g": ("str", 6),
        "h": ("int", 7),  # the non-specific tag "!" resolves as no tag does, in both
    }


def test_the_pure_python_loader_composes_deep_documents_without_recursion() -> None:
    # Deeper than libyaml's 1,000 block levels: libyaml refuses, the fallback reads it.
    root = compose("- " * 1500 + "x\n")
    depth = 0
    while root is not None and isinstance(root.value, list):
        root, depth = root.value[0], depth + 1
    assert depth == 1500


def test_depth_beyond_the_limit_is_a_problem_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: 1\nb:\n" + "- " * (MAX_DEPTH + 5) + "x\n")
    problem = read_yaml(SourceFile(path, "deep.yaml"))
    assert str(problem) == "deep.yaml:3: the YAML is nested more than 4,000 levels deep"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: \x07\n", 2),
        ("a: 1\r\nb: 2\rc: \x00\n", 3),  # YAML's line breaks: \r\n, \r, \n, \x85, \u2028, \u2029
        ("a: 1\u2028b: \x1b[31m\n", 2),
    ],
)
def test_control_characters_are_named_with_their_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    problem = read_yaml(SourceFile(path, "a.yaml"))
    assert str(problem).startswith(f"a.yaml:{line}: the control character U+00")


def _shown(root: MappingNode | Problem) -> object:
    if isinstance(root, Problem):
        return str(root)
    return [(key.value, value.value, value.start_mark.line) for key, value in root.value]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xef\xbb\xbfa: 1\nb: x\n", [("a", "1", 0), ("b", "x", 1)]),  # a byte order mark
        (b"\xef\xbb\xbf\xef\xbb\xbfa: 1\n", [("a", "1", 0)]),  # two of them
        ("a: 1\nb: 沈阳\n".encode("utf-16"), "test.yaml:1: the file is not UTF-8"),
        (b"a: 1\nb: \xed\xa0\x80\n", "test.yaml:2: the file is not UTF-8"),  # a lone surrogate
        (b"a: 1\nb: \xc0\xaf\n", "test.yaml:2: the file is not UTF-8"),  # an overlong '/'
    ],
)
def test_libyaml_reads_the_bytes_as_python_decodes_them(
    tmp_path: Path, content: bytes, expected: object
) -> None:
    # libyaml is given the file's bytes, not decoded text: it must take and refuse what
    # Python's UTF-8 decoder does, and read a UTF-16 file no more than Python does.
    path = tmp_path / "test.yaml"
    path.write_bytes(content)
    fast, slow = (
        _shown(read_yaml(SourceFile(path, "test.yaml"), libyaml)) for libyaml in (True, False)
    )
    assert fast == slow
    if isinstance(expected, str):
        assert str(fast).startswith(expected)
    else:
        assert fast == expected
