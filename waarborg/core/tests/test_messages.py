"""The message catalogue: every code raised anywhere has its words in English and Dutch, with the
same placeholders; a code renders per language; the CLI and the API keep their English line."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from waarborg.core import messages
from waarborg.core.errors import NotFound, ValidationError, WaarborgError

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
AREAS = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def _error_classes() -> set[str]:
    found, todo = set(), [WaarborgError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _raised(area: str):
    """(where, first argument) of every construction of a Waarborg error in `area`'s code."""
    names = _error_classes()
    for path in sorted((ROOT / area).rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name not in names or (
                isinstance(func, ast.Attribute)
                and name == "ValidationError"
                and getattr(func.value, "id", "") == "forms"
            ):
                continue
            first = node.args[0] if node.args else None
            code = first.value if isinstance(first, ast.Constant) else None
            yield f"{path.relative_to(ROOT.parent)}:{node.lineno}", code


@pytest.mark.parametrize("area", AREAS)
def test_every_raised_error_names_a_catalogued_code(area):
    wrong = [f"{where} {code!r}" for where, code in _raised(area) if code not in messages.MESSAGES]
    assert wrong == [], "raise errors with a literal code of waarborg.core.messages:\n" + "\n".join(wrong)


def _dutch(text) -> str:
    with translation.override("nl"):
        return str(text)


def _english(text) -> str:
    with translation.override("en"):
        return str(text)


@pytest.mark.parametrize("code", sorted(messages.MESSAGES))
def test_every_code_has_its_words_in_both_languages(code):
    english, dutch = _english(messages.MESSAGES[code]), _dutch(messages.MESSAGES[code])
    assert english.strip(), f"{code} has no English text"
    assert dutch.strip() and dutch != english, f"{code} has no Dutch translation in the .po"
    assert set(PLACEHOLDER.findall(dutch)) == set(PLACEHOLDER.findall(english)), f"{code}: placeholders differ"


def test_a_code_renders_per_language_and_plain_for_the_cli():
    error = ValidationError("input.too_long", {"field": "email", "max": 80}, field="email")
    assert str(error) == "email is longer than 80 characters"  # the CLI's and the API's line
    assert error.text("en") == "E-mail address is longer than 80 characters"
    assert error.text("nl") == "E-mailadres is langer dan 80 tekens"
    assert (error.code, error.params, error.field) == ("input.too_long", {"field": "email", "max": 80}, "email")


def test_a_value_that_puts_itself_into_words():
    class Amount:
        def words(self, lang, plain):
            return "12.50" if plain else ("€ 12,50" if lang == "nl" else "€12.50")

    error = ValidationError("input.too_long", {"field": "amount", "max": Amount()})
    assert str(error) == "amount is longer than 12.50 characters"
    assert error.text("nl").endswith("langer dan € 12,50 tekens")


def test_a_code_is_a_string():
    with pytest.raises(TypeError):
        NotFound(None)
