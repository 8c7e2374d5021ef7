"""The shape the house holds (measured over bot/): no class over 300 lines, no function over
50, no module over 600, tests/conftest.py under 250; module docstrings, and a one-line docstring
on every public function and class."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted((ROOT / "bot").glob("*.py"))
MAX_CLASS, MAX_FUNCTION, MAX_MODULE, MAX_CONFTEST = 300, 50, 600, 250


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"))


def _span(node: ast.AST) -> int:
    assert isinstance(node, ast.stmt) and node.end_lineno is not None
    return node.end_lineno - node.lineno + 1


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_size_and_docstring(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_MODULE, f"{path.name}: {lines} lines"
    tree = _tree(path)
    assert ast.get_docstring(tree) or not tree.body, f"{path.name}: no module docstring"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_classes_and_functions_stay_short(path: Path) -> None:
    too_long = [
        f"{path.name}:{node.lineno} {node.name}: {_span(node)} lines"
        for node in ast.walk(_tree(path))
        if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _span(node) > MAX_FUNCTION)
        or (isinstance(node, ast.ClassDef) and _span(node) > MAX_CLASS)
    ]
    assert not too_long


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_public_functions_and_classes_have_a_docstring(path: Path) -> None:
    missing = []
    for node in _tree(path).body:
        members = node.body if isinstance(node, ast.ClassDef) else []
        for item in (node, *members):
            definition = isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            if definition and not item.name.startswith("_") and not ast.get_docstring(item):
                missing.append(f"{path.name}:{item.lineno} {item.name}")
    assert not missing


def test_conftest_keeps_only_fixtures() -> None:
    conftest = ROOT / "tests" / "conftest.py"
    assert len(conftest.read_text("utf-8").splitlines()) < MAX_CONFTEST
    tree = _tree(conftest)
    assert not [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
