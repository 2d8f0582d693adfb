"""The promise catalogue (docs/promises.md) and which tests prove each promise."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = PROJECT_ROOT / "docs" / "promises.md"
_LINE = re.compile(r"^\s*-\s+\*\*([A-Z][0-9]+)\*\*\s+(.*)$")


@dataclass
class Promise:
    id: str
    text: str
    tests: list[str] = field(default_factory=list)


def load_catalogue(path: Path = CATALOGUE) -> dict[str, Promise]:
    promises: dict[str, Promise] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _LINE.match(line)
        if match:
            promises[match.group(1)] = Promise(match.group(1), match.group(2).strip())
    return promises


def _promise_ids(decorator: ast.expr) -> list[str]:
    """ids of a `pytest.mark.promise("A1", "B2")` or `promise(...)` expression."""
    if not isinstance(decorator, ast.Call):
        return []
    func = decorator.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name != "promise":
        return []
    return [a.value for a in decorator.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def _marks_of(node: ast.expr) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple):
        ids: list[str] = []
        for element in node.elts:
            ids += _promise_ids(element)
        return ids
    return _promise_ids(node)


def scan_tests(root: Path = PROJECT_ROOT) -> dict[str, list[str]]:
    """promise id -> test node ids, read statically from the test files' marks."""
    found: dict[str, list[str]] = {}
    files = sorted(p for p in root.glob("**/test_*.py") if ".venv" not in p.parts and "site-packages" not in p.parts)
    for path in files:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        rel = path.relative_to(root).as_posix()
        module_ids: list[str] = []
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "pytestmark" for t in node.targets):
                module_ids += _marks_of(node.value)

        def visit(nodes, prefix: str, inherited: list[str], rel: str = rel):
            for node in nodes:
                if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                    ids = inherited + [i for d in node.decorator_list for i in _marks_of(d)]
                    visit(node.body, f"{prefix}{node.name}::", ids, rel)
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
                    ids = inherited + [i for d in node.decorator_list for i in _marks_of(d)]
                    for pid in dict.fromkeys(ids):
                        found.setdefault(pid, []).append(f"{rel}::{prefix}{node.name}")

        visit(tree.body, "", module_ids)
    return found
