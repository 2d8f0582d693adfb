"""The code's shape, enforced: one concept per file (no module over 600 lines) and no module that
reaches into another module's private names."""

from __future__ import annotations

import ast
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
