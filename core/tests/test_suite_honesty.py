"""The suite proves only what it claims: read every test module and refuse tests that cannot fail.

- a rule marker sits on the test that proves the rule, never on a class;
- a test marked with a rule asserts something (an `assert`, or `pytest.raises` / `pytest.fail`);
- no test is empty (only a docstring or `pass`);
- a case that does not apply is skipped with its reason, never left by a bare `return`.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_FILES = sorted(path for path in ROOT.rglob("test*.py") if not {".venv", "node_modules", ".git"} & set(path.parts))


def _tests():
    """(file, class name or None, function node) for every test function and contract method."""
    for path in TEST_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                yield path, None, node
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("test"):
                        yield path, node, item
    yield from _contract_methods()


def _contract_methods():
    path = ROOT / "core" / "testing.py"
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test"):
                    yield path, node, item


def _marks_a_rule(node) -> bool:
    return any("mark.rule" in ast.unparse(decorator) for decorator in node.decorator_list)


def _own_nodes(function):
    """The function's statements and expressions, not those of functions defined inside it."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    stack = [node for node in function.body if not isinstance(node, nested)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, nested))


def _asserts(function) -> bool:
    for node in _own_nodes(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("pytest.raises", "pytest.fail"):
            return True
    return False


def _where(path, cls, function) -> str:
    return f"{path.relative_to(ROOT)}::{cls.name + '::' if cls else ''}{function.name}"


def test_rule_markers_sit_on_tests_not_on_classes():
    offenders = [
        f"{path.relative_to(ROOT)}::{node.name}"
        for path in TEST_FILES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and _marks_a_rule(node)
    ]
    assert offenders == []


def test_every_test_marked_with_a_rule_asserts_something():
    offenders = [
        _where(path, cls, function)
        for path, cls, function in _tests()
        if _marks_a_rule(function) and not _asserts(function)
    ]
    assert offenders == []


def test_no_test_is_empty():
    def empty(function):
        return all(
            isinstance(node, ast.Pass) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
            for node in function.body
        )

    assert [_where(path, cls, function) for path, cls, function in _tests() if empty(function)] == []


def test_no_test_leaves_by_a_bare_return():
    offenders = [
        _where(path, cls, function)
        for path, cls, function in _tests()
        if any(isinstance(node, ast.Return) for node in _own_nodes(function))
    ]
    assert offenders == []
