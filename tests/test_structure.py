"""The code's shape, enforced: one concept per file (no module over 600 lines), no module that
reaches into another module's private names, and no project import inside a function without a
comment saying why it cannot be at the top."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 600


def _modules():
    for top in ("waarborg", "config"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts:
                continue
            yield path


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_no_module_over_600_lines():
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert too_long == {}, f"split these by concept (limit {LIMIT} lines): {too_long}"


DJANGO_PUBLIC = {"_meta", "_default_manager", "_base_manager"}  # Django's documented model API


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in DJANGO_PUBLIC


def test_no_module_imports_another_modules_private_names():
    found = []
    for path in _modules():
        here = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported_modules = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("waarborg", "config")):
                for alias in node.names:
                    if _private(alias.name) and node.module != here:
                        found.append(f"{here}: from {node.module} import {alias.name}")
                    imported_modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("waarborg"):
                        imported_modules[alias.asname or alias.name.split(".")[0]] = alias.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and _private(node.attr)
                and isinstance(node.value, ast.Name)
                and node.value.id in imported_modules
                and imported_modules[node.value.id] != here
            ):
                found.append(f"{here}: {node.value.id}.{node.attr}")
    assert found == [], "private names used across modules:\n" + "\n".join(sorted(set(found)))


def _reason(lines: list[str], lineno: int) -> str:
    """The comment beside an import, or on the line above it, without a bare `noqa`."""
    line, above = lines[lineno - 1], lines[lineno - 2].strip()
    if "#" in line:
        text = re.sub(r"^noqa(:\s*[A-Z]+\d+(,\s*[A-Z]+\d+)*)?", "", line.split("#", 1)[1].strip())
        if text.strip():
            return text.strip()
    return above[1:].strip() if above.startswith("#") else ""


def test_function_level_imports_name_their_reason():
    """A project module is imported inside a function only where a top-level import cannot be (a
    cycle, or models before Django has loaded them), and a comment says which."""
    found = set()
    for path in _modules():
        lines = path.read_text(encoding="utf-8").split("\n")
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.ImportFrom):  # a relative import is always of the project
                    project = sub.level > 0 or (sub.module or "").startswith(("waarborg", "config"))
                elif isinstance(sub, ast.Import):
                    project = any(alias.name.startswith(("waarborg", "config")) for alias in sub.names)
                else:
                    continue
                if project and not _reason(lines, sub.lineno):
                    found.add(f"{path.relative_to(ROOT)}:{sub.lineno}: {lines[sub.lineno - 1].strip()}")
    assert found == set(), "import these at the top, or say in a comment why not:\n" + "\n".join(sorted(found))
