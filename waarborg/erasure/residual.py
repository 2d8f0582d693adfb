"""The residual scan: proof that an erased subject's identifiers are nowhere they should not be.

It searches every text column of every table in the database — declared in the map or not —
and every stored file under the data directory for the subject's identifiers (e-mail address,
phone number, name, IP address, IBAN, customer number, domain), collected before erasing.

A hit is judged:

- *allowed* — in a value the map declares `retain`, in a row the erasure kept (the fiscal
  archive: an invoice keeps the name it was issued to);
- *fail* — anywhere else for an identifier only this person has (e-mail, phone, IBAN,
  customer number); and for any identifier in a row that the erasure handled, in a column the
  map does not declare personal, or in a table that holds no declared personal data at all
  (the audit trail, logs, undeclared copies);
- *review* — a name, IP address or domain in another person's declared record (a namesake, a
  shared address), or an identifier as the key of a record the erasure did not cover because it
  belongs to another relationship (a job application with the same e-mail address, when a
  customer relationship ends): a person has to look at it.

The erasure fails (the case is "incomplete") when there is any `fail` hit. Results name tables,
columns, row ids and file names — never the values searched. A scan an operator asks for
(`residual_scan_recorded`) is recorded in the audit trail by the kinds searched and the counts.
"""

from __future__ import annotations

import gzip
import os
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
import phonenumbers
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from waarborg.audit.services import audit_record
from waarborg.core import datamap
from waarborg.core.crypto import EncryptedTextField
from waarborg.erasure.ledger import hashes_of, ledger_path
from waarborg.erasure.models import LedgerEntry, PendingFile
from waarborg.erasure.ops import RESTRICTED_FIELD, can_restrict
from waarborg.erasure.rules import PURPOSE, check_eraser

STRONG = ("email", "phone", "iban", "customer_number")
WEAK = ("name", "ip", "domain")
MIN_LENGTH = 5  # shorter values would match everywhere
_TEXT_INTERNAL = {"CharField", "TextField", "JSONField", "GenericIPAddressField", "EmailField", "SlugField"}
_SKIP_FILES = {"keys.json"}
_CHUNK = 1 << 20
_KEYED_HASH = re.compile(r"^[0-9a-f]{64}$")


# What may not touch a value on either side for it to count as that value (so that customer
# number K12345 is not found inside K123456, nor alice@x.nl inside malice@x.nl).
_BEFORE = {"email": r"[0-9a-z._%+\-]", "domain": r"[0-9a-z\-]"}
_AROUND = r"[0-9a-z]"


@dataclass(frozen=True)
class Pattern:
    kind: str
    text: str  # lower case

    @property
    def strong(self) -> bool:
        return self.kind in STRONG

    @property
    def regex(self) -> re.Pattern:
        before = _BEFORE.get(self.kind, _AROUND)
        return re.compile(f"(?<!{before}){re.escape(self.text)}(?!{_AROUND})")

    def found_in(self, low: str) -> bool:
        return self.text in low and self.regex.search(low) is not None


def patterns_for(identifiers: dict[str, set[str]]) -> list[Pattern]:
    """The strings to look for: each identifier in the forms it is written in."""
    out: set[Pattern] = set()
    for kind, values in identifiers.items():
        if kind not in STRONG + WEAK:
            continue
        for value in values:
            text = str(value).strip().lower()
            if len(text) < MIN_LENGTH or _KEYED_HASH.match(text):
                continue  # too short to mean anything; a keyed hash is not readable data
            out.add(Pattern(kind, text))
            if kind == "phone":
                for variant in _phone_variants(value):
                    out.add(Pattern(kind, variant))
            if kind == "iban" and len(text) > 8 and text[:2].isalpha():
                out.add(Pattern(kind, " ".join(text[i : i + 4] for i in range(0, len(text), 4))))
    # A value that contains another value of the same kind finds nothing the shorter one misses.
    kept = [p for p in out if not any(q.kind == p.kind and q.text != p.text and q.text in p.text for q in out)]
    return sorted(kept, key=lambda p: (p.kind, p.text))


def _phone_variants(value: str) -> set[str]:
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return set()
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = "".join(ch for ch in national if ch.isdigit())
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return {v for v in (digits, e164.lstrip("+"), national.lower()) if len(v) >= 8}


@dataclass(frozen=True)
class ResidualHit:
    where: str  # "table" or "file"
    table: str
    column: str
    pk: str
    kind: str
    verdict: str  # allowed | fail | review

    def describe(self) -> str:
        if self.where == "file":
            return f"file {self.table}: {self.kind} ({self.verdict})"
        return f"{self.table}.{self.column} row {self.pk}: {self.kind} ({self.verdict})"


@dataclass
class ScanResult:
    hits: list[ResidualHit] = field(default_factory=list)
    tables: int = 0
    columns: int = 0
    files: int = 0
    pending_files: int = 0

    @property
    def failures(self) -> list[ResidualHit]:
        return [h for h in self.hits if h.verdict == "fail"]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.pending_files

    def summary(self) -> dict:
        counts: dict[str, int] = defaultdict(int)
        for h in self.hits:
            counts[h.verdict] += 1
        return {
            "ok": self.ok,
            "fail": counts["fail"],
            "review": counts["review"],
            "allowed": counts["allowed"],
            "pending_files": self.pending_files,
            "tables": self.tables,
            "columns": self.columns,
            "files": self.files,
        }


@dataclass
class Kept:
    """What the erasure kept: allowed places for a hit."""

    cells: set[tuple[str, str, str]] = field(default_factory=set)  # (table, column, pk)
    files: set[str] = field(default_factory=set)
    handled: set[tuple[str, str]] = field(default_factory=set)  # (table, pk) of rows the erasure touched


def kept_from_plan(plan) -> Kept:
    kept = Kept()
    registry = datamap.registry()
    for r in plan.rows:
        model = registry[r.model].model
        table = model._meta.db_table
        kept.handled.add((table, str(r.pk)))
        if not r.stays:
            continue
        for fa in r.fields:
            if fa.action == "retain":
                f = model._meta.get_field(fa.field)
                kept.cells.add((table, f.column, str(r.pk)))
                if isinstance(f, models.FileField):
                    value = model._default_manager.filter(pk=r.pk).values_list(fa.field, flat=True).first()
                    if value:
                        kept.files.add(str(value))
    return kept


# --- Tables ---------------------------------------------------------------------------------


def _model_tables() -> dict[str, type[models.Model]]:
    return {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}


def _text_columns(table: str, model, min_len: int) -> list[tuple[str, type | None]]:
    """Text columns of `table` worth searching (pattern fits, not a closed list of codes)."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    by_column = {}
    if model is not None:
        by_column = {f.column: f for f in model._meta.concrete_fields}
    out = []
    for col in description:
        try:
            internal = connection.introspection.get_field_type(col.type_code, col)
        except KeyError:
            internal = ""
        if internal not in _TEXT_INTERNAL and "char" not in str(col.type_code).lower():
            if not (isinstance(col.type_code, str) and col.type_code.lower() in ("text", "clob")):
                continue
        f = by_column.get(col.name)
        if f is not None:
            if f.choices or isinstance(f, EncryptedTextField) or f.primary_key:
                continue  # codes from a closed list; ciphertext holds no readable value
            if getattr(f, "max_length", None) and f.max_length < min_len:
                continue
        out.append((col.name, f))
    return out


def _haystack(columns: list[str]) -> str:
    """All searched columns of a row as one text (SQL), so each row is lowered and searched once."""
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        parts = [f"COALESCE(CAST({qn(c)} AS text), '')" for c in columns]
        return "lower(" + " || chr(1) || ".join(parts) + ")"
    parts = [f"COALESCE(CAST({qn(c)} AS TEXT), '')" for c in columns]
    return " || char(1) || ".join(parts)


def _automaton(pats: list[Pattern]) -> ahocorasick.Automaton:
    """All patterns' texts in one automaton: a text is searched once, whatever the number of
    patterns (the scan of many subjects at once costs about what the scan of one does)."""
    automaton = ahocorasick.Automaton()
    for p in pats:
        automaton.add_word(p.text, p.text)
    automaton.make_automaton()
    return automaton


def _register_matcher(automaton: ahocorasick.Automaton) -> str:
    """SQLite: a function that says whether a text may hold any pattern (one call per row: the
    row is lowered once and searched once). Rows it lets through are checked exactly."""

    def matches(text):
        if not text:
            return 0
        for _found in automaton.iter(text.lower()):
            return 1
        return 0

    connection.ensure_connection()
    connection.connection.create_function("waarborg_residual_match", 1, matches, deterministic=True)
    return "waarborg_residual_match"


def scan_tables(pats: list[Pattern]) -> tuple[list[tuple[str, str, str, Pattern]], int, int]:
    """(table, column, pk, pattern) for every cell that contains a pattern."""
    if not pats:
        return [], 0, 0
    min_len = min(len(p.text) for p in pats)
    models_by_table = _model_tables()
    qn = connection.ops.quote_name
    found = []
    n_tables = n_columns = 0
    postgres = connection.vendor == "postgresql"
    automaton = _automaton(pats)
    by_text: dict[str, list[Pattern]] = defaultdict(list)
    for p in pats:
        by_text[p.text].append(p)
    matcher = None if postgres else _register_matcher(automaton)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    for table in sorted(tables):
        model = models_by_table.get(table)
        columns = _text_columns(table, model, min_len)
        if not columns:
            continue
        n_tables += 1
        n_columns += len(columns)
        names = [c for c, _ in columns]
        with connection.cursor() as cursor:
            pk_col = connection.introspection.get_primary_key_column(cursor, table)
        pk_expr = qn(pk_col) if pk_col else ("ctid" if postgres else "rowid")
        select = ", ".join(f"CAST({qn(c)} AS text)" if postgres else qn(c) for c in names)
        if postgres:
            where = f"{_haystack(names)} LIKE ANY (%s)"
            params = [["%" + p.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for p in pats]]
        else:
            where = f"{matcher}({_haystack(names)})"
            params = []
        sql = f"SELECT {pk_expr}, {select} FROM {qn(table)} WHERE {where}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                pk = str(row[0])
                for col, value in zip(names, row[1:], strict=True):
                    low = str(value).lower() if value is not None else ""
                    candidates = {text for _end, text in automaton.iter(low)} if low else ()
                    for text in sorted(candidates):
                        for p in by_text[text]:
                            if p.found_in(low):
                                found.append((table, col, pk, p))
    return found, n_tables, n_columns


def _declared_columns() -> dict[str, dict[str, str]]:
    """table -> {column: "personal" | "retain" | "not_personal" | "identifier:<kind>"} from the map."""
    out: dict[str, dict[str, str]] = {}
    for entry in datamap.entries():
        meta = entry.model._meta
        cols: dict[str, str] = {}
        for name, p in entry.fields.items():
            f = meta.get_field(name)
            if f.concrete:
                if p.erasure == "retain":
                    cols[f.column] = "retain"
                elif p.identifier:
                    cols[f.column] = f"identifier:{p.identifier}"
                else:
                    cols[f.column] = "personal"
        for name in entry.not_personal:
            try:
                f = meta.get_field(name)
            except Exception:  # noqa: S112 - names a reverse relation or a many-to-many
                continue
            if getattr(f, "concrete", False):
                cols[f.column] = "not_personal"
        out[meta.db_table] = cols
    return out


def _variant_retained_columns() -> dict[str, set[str]]:
    """table -> columns that a variant of the map retains for some rows (a ticket about an
    invoice's amount keeps its messages' addresses with the fiscal record)."""
    out: dict[str, set[str]] = defaultdict(set)
    for entry in datamap.entries():
        meta = entry.model._meta
        for variant in entry.variants:
            for name, p in variant.fields.items():
                f = meta.get_field(name)
                if f.concrete and p.erasure == "retain":
                    out[meta.db_table].add(f.column)
    return out


def _restricted_rows(table: str, pks: set[str]) -> set[str]:
    model = _model_tables().get(table)
    if model is None or not can_restrict(model):
        return set()
    return {
        str(pk)
        for pk in model._default_manager.filter(pk__in=list(pks), **{f"{RESTRICTED_FIELD}__isnull": False}).values_list(
            "pk", flat=True
        )
    }


def _kept_by_ledger(identifiers: dict[str, set[str]]) -> set[tuple[str, str]]:
    """(table, pk) of the rows an erasure of these identifiers kept (the ledger's "keep")."""
    hashes = [h for _, h in hashes_of(identifiers)]
    if not hashes:
        return set()
    registry = datamap.registry()
    out = set()
    for rows in LedgerEntry.objects.filter(hashes__hash__in=hashes).values_list("rows", flat=True).distinct():
        for label, actions in (rows or {}).items():
            entry = registry.get(label)
            if entry is not None:
                out |= {(entry.model._meta.db_table, str(pk)) for pk in actions.get("keep", [])}
    return out


def judge(found, kept: Kept | None, ledger_kept: set[tuple[str, str]] = frozenset()) -> list[ResidualHit]:
    declared = _declared_columns()
    hits = []
    restricted_cache: dict[str, set[str]] = {}
    variant_retained = _variant_retained_columns()

    def retained(table, col) -> bool:
        return declared.get(table, {}).get(col) == "retain" or col in variant_retained.get(table, ())

    if kept is None:  # a scan on its own: a retained value in a locked row is allowed
        by_table: dict[str, set[str]] = defaultdict(set)
        for table, col, pk, _p in found:
            if retained(table, col):
                by_table[table].add(pk)
        restricted_cache = {table: _restricted_rows(table, pks) for table, pks in by_table.items()}
    for table, col, pk, p in found:
        role = declared.get(table, {}).get(col)
        if kept is not None:
            allowed = (table, col, pk) in kept.cells
            handled = (table, pk) in kept.handled
        else:
            # a scan on its own: a retained value is allowed in a locked row, or in a row an
            # erasure of these identifiers kept (its term still runs: the record of a request)
            allowed = retained(table, col) and (pk in restricted_cache.get(table, set()) or (table, pk) in ledger_kept)
            handled = False
        if allowed:
            verdict = "allowed"
        elif handled or role in (None, "not_personal") or table not in declared:
            verdict = "fail"
        elif p.strong and (kept is None or role != f"identifier:{p.kind}"):
            verdict = "fail"  # an identifier only this person has, in free text or another field
        else:
            verdict = "review"  # the same identifier as its own record's key, or a namesake
        hits.append(ResidualHit("table", table, col, pk, p.kind, verdict))
    return hits


# --- Files ------------------------------------------------------------------------------------


def _skip_paths() -> set[Path]:
    skip = set()
    name = connection.settings_dict.get("NAME")
    if connection.vendor == "sqlite" and name and str(name) != ":memory:":
        base = Path(str(name))
        skip |= {base, Path(f"{base}-wal"), Path(f"{base}-shm"), Path(f"{base}-journal")}
    skip.add(ledger_path())
    return {p.resolve() for p in skip}


def scan_files(
    pats: list[Pattern], kept: Kept | None, pending: set[str] = frozenset()
) -> tuple[list[ResidualHit], int]:
    root = Path(settings.DATA_DIR)
    files_dir = Path(getattr(settings, "FILES_DIR", root / "files"))
    static = Path(getattr(settings, "STATIC_ROOT", root / "static")).resolve()
    skip = _skip_paths()
    kept_files = {(files_dir / name).resolve() for name in (kept.files if kept else set())}
    # Files still waiting to be deleted are counted as pending, not searched.
    skip |= {(files_dir / name).resolve() for name in pending}
    needles = [(p, p.text.encode()) for p in pats]
    longest = max((len(n) for _, n in needles), default=0)
    hits = []
    n_files = 0
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath).resolve()
        if here == static or static in here.parents:
            dirnames[:] = []
            continue
        for filename in filenames:
            path = (here / filename).resolve()
            if path in skip or filename in _SKIP_FILES or filename.startswith(".write-test"):
                continue
            n_files += 1
            found = _search_file(path, needles, longest)
            rel = str(path.relative_to(root.resolve()))
            for p in sorted(found, key=lambda x: (x.kind, x.text)):
                if path in kept_files:
                    verdict = "allowed"
                elif p.strong:
                    verdict = "fail"
                else:
                    verdict = "review"
                hits.append(ResidualHit("file", rel, "", "", p.kind, verdict))
    return hits, n_files


def _search_stream(fh, needles, longest: int, found: set[Pattern]) -> None:
    tail = b""
    while True:
        block = fh.read(_CHUNK)
        if not block:
            break
        window = (tail + block).lower()
        for p, needle in needles:
            if p not in found and needle in window:
                if p.found_in(window.decode("utf-8", "replace")):
                    found.add(p)
        tail = window[-longest:] if longest else b""


def _search_file(path: Path, needles, longest: int) -> set[Pattern]:
    """Search a file; a ZIP archive (an export package) or a gzip file is searched unpacked too."""
    found: set[Pattern] = set()
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
            fh.seek(0)
            _search_stream(fh, needles, longest, found)
        if magic == b"PK\x03\x04" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    if not member.is_dir():
                        with archive.open(member) as inner:
                            _search_stream(inner, needles, longest, found)
        elif magic[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as inner:
                _search_stream(inner, needles, longest, found)
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError):
        # unreadable (or encrypted) content cannot be searched: what could be read was
        pass
    return found


# --- The scan ---------------------------------------------------------------------------------


def residual_scan(
    identifiers: dict[str, set[str]], *, kept: Kept | None = None, files: bool = True, case_id=None
) -> ScanResult:
    """Search the whole database and the data directory for these identifiers."""
    return residual_scan_many([(case_id, identifiers, kept)], files=files)[case_id]


def residual_scan_many(items, *, files: bool = True) -> dict:
    """The scan of several erased subjects in one pass over the database: `items` are
    (case id, identifiers, kept); the answer is a ScanResult per case id, each judged on its
    own identifiers and what its own erasure kept."""
    patterns = {case_id: patterns_for(identifiers) for case_id, identifiers, _kept in items}
    union = sorted({p for pats in patterns.values() for p in pats}, key=lambda p: (p.kind, p.text))
    found, n_tables, n_columns = scan_tables(union)
    results = {}
    for case_id, identifiers, kept in items:
        mine = set(patterns[case_id])
        own = [hit for hit in found if hit[3] in mine]
        result = ScanResult(
            judge(own, kept, _kept_by_ledger(identifiers) if kept is None else set()), n_tables, n_columns
        )
        pending = PendingFile.objects.filter(case_id=case_id) if case_id is not None else PendingFile.objects.none()
        if files and patterns[case_id]:
            file_hits, result.files = scan_files(patterns[case_id], kept, set(pending.values_list("name", flat=True)))
            result.hits += file_hits
        result.pending_files = pending.count()
        results[case_id] = result
    return results


@transaction.atomic
def residual_scan_recorded(*, actor, identifiers: dict[str, set[str]], files: bool = True) -> ScanResult:
    """The scan `actor` asks for (not part of an erasure), recorded in the audit trail by the
    kinds of identifiers searched and the counts found — never the values."""
    check_eraser(actor)
    result = residual_scan(identifiers, files=files)
    audit_record(
        actor=actor,
        action="erasure.scan",
        purpose=PURPOSE,
        object_type="subject",
        data={"by": sorted(identifiers), **{k: v for k, v in result.summary().items() if k != "ok"}},
    )
    return result
