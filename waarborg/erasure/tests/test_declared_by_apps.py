"""The engines (erasure, the retention sweep, the packages) name no model of another app: legal
holds, retention extensions, stored-file locations, derived copies and what ending a relationship
changes are declared by the app that owns the data, in its AppConfig.ready."""

import ast
from pathlib import Path

from django.apps import apps

from waarborg.core import declarations
from waarborg.erasure import execution, holds, hygiene

ROOT = Path(__file__).resolve().parents[2]
ENGINES = ("erasure", "retention", "exports")
# The fiscal archive reads the kept invoices of one customer for a tax audit: a feature of its
# own, not an engine that works from the map.
NOT_ENGINES = {"erasure/archive.py"}


def _engine_modules():
    for app in ENGINES:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            parts = path.relative_to(ROOT).parts
            if {"tests", "migrations", "management"} & set(parts) or rel in NOT_ENGINES:
                continue
            if path.name in ("personal_data.py", "models.py", "apps.py"):
                continue
            yield rel, path


def test_the_engines_import_no_other_apps_and_name_no_model_of_theirs():
    # Besides the map (core), they read the audit trail, the subject finder and the register of
    # recipients (the map's recipient categories made concrete).
    own = {f"waarborg.{app}" for app in ENGINES} | {f"waarborg.{a}" for a in ("core", "audit", "subjects", "register")}
    domain = {config.label for config in apps.get_app_configs() if config.name.startswith("waarborg.")}
    foreign_labels = {model._meta.label for model in apps.get_models() if model._meta.app_label not in ENGINES}
    found = []
    for rel, path in _engine_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("waarborg."):
                top = ".".join(node.module.split(".")[:2])
                if top not in own and node.module.split(".")[1] in domain:
                    found.append(f"{rel}: imports {node.module}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in foreign_labels:
                found.append(f"{rel}: names {node.value}")
    assert found == []


def test_each_declaration_comes_from_the_app_that_owns_the_data():
    rules = {code: rule.__module__ for code, rule in holds.registered_rules().items()}
    assert rules == {"open_claim": "waarborg.billing.holds", "active_contract": "waarborg.catalogue.holds"}
    assert declarations.STORED_FILES == {("privacy.IdDocument", "stored_name"): "privacy-id"}
    assert {rule: (e.key, e.term) for rule, e in declarations.EXTENSIONS.items()} == {
        "application_4w": ("user.consent.date", {"years": 1, "months": 0, "days": 0})
    }
    cleaners = {name: func.__module__ for name, func in hygiene.registered_cleaners().items()}
    assert cleaners["export_packages"] == "waarborg.privacy.erasure_copies"
    assert {label: f.__module__ for label, f in execution.registered_endings().items()} == {
        "customers.Customer": "waarborg.customers.termination"
    }
