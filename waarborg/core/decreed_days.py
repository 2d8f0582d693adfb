"""The days the Crown equates with public holidays for the Algemene termijnenwet (art. 3(3)).

A decree ("Besluit gelijkstelling van … met een algemeen erkende feestdag", published in the
Staatscourant) equates a few days of the coming years — mostly the Friday after Ascension and
bridge days next to King's Day, 5 May or Christmas — with the public holidays of art. 3(1)–(2),
"for the application of this act" only: they extend the terms set by Dutch statute, and nothing
else (not the GDPR's one-month term, see core.holidays).

The lists are data, per year, each with the decree it comes from:

- shipped with Waarborg: `core/data/decreed_days.json`;
- added by an operator without a new release: `decreed_days.json` in the data directory
  (`waarborg holidays add --year Y --day DATE --source TEXT`).

Both files have the same form: `{"years": {"2029": [{"days": ["2029-05-11"], "source": "…"}]}}`.
A year is *held* when either file has a list for it; a year's days are the union of its lists.
Terms that end in a year that is not held get a margin (core.holidays.wik_term), and
`waarborg check` warns a year before the held lists run out (core.checks).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.dates import WEEKDAYS

from waarborg.core.errors import ValidationError
from waarborg.core.messages.words import InWords

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).resolve().parent / "data" / "decreed_days.json"
OPERATOR_FILE = "decreed_days.json"
FIRST_YEAR = 1965  # the Algemene termijnenwet applies from 1 April 1965
LAST_YEAR = 2199
MAX_SOURCE = 300


@dataclass(frozen=True)
class YearList:
    """The days of one year equated by decree, and where each list comes from."""

    year: int
    days: tuple[dt.date, ...]
    sources: tuple[str, ...]
    origins: tuple[str, ...]  # "shipped" and/or "operator", one per source


def operator_path() -> Path | None:
    """The operator's file in the data directory (None when Django is not configured)."""
    from django.conf import settings

    if not settings.configured or not getattr(settings, "DATA_DIR", None):
        return None
    return Path(settings.DATA_DIR) / OPERATOR_FILE


def _read(path: Path, origin: str) -> dict[int, list[tuple[tuple[dt.date, ...], str]]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        years = raw["years"]
        result: dict[int, list[tuple[tuple[dt.date, ...], str]]] = {}
        for key, entries in years.items():
            year = int(key)
            for entry in entries:
                days = tuple(dt.date.fromisoformat(d) for d in entry["days"])
                source = str(entry["source"]).strip()
                if not source or any(d.year != year for d in days):
                    raise ValueError(f"year {year}")
                result.setdefault(year, []).append((days, source))
        return result
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        if origin == "shipped":
            raise ValidationError(
                "calendar.decreed_days_shipped_unreadable", {"error": error}, field="decreed_days"
            ) from None
        raise ValidationError(
            "calendar.decreed_days_file_unreadable", {"file": OPERATOR_FILE, "error": error}, field="decreed_days"
        ) from None


_cache: dict[tuple, tuple[dict[int, YearList], ValidationError | None]] = {}
_logged: set[tuple] = set()


def _stamp(path: Path | None) -> tuple | None:
    if path is None:
        return None
    try:
        st = path.stat()
    except FileNotFoundError:
        return (str(path), None)
    return (str(path), st.st_mtime_ns, st.st_size)


def _load(path: Path | None) -> tuple[dict[int, YearList], ValidationError | None]:
    merged: dict[int, list[tuple[tuple[dt.date, ...], str, str]]] = {}
    for year, entries in _read(SHIPPED, "shipped").items():
        merged.setdefault(year, []).extend((days, source, "shipped") for days, source in entries)
    problem = None
    if path is not None and path.exists():
        try:
            operator = _read(path, "operator")
        except ValidationError as exc:
            problem = exc
        else:
            for year, entries in operator.items():
                merged.setdefault(year, []).extend((days, source, "operator") for days, source in entries)
    result = {
        year: YearList(
            year=year,
            days=tuple(sorted({d for days, _, _ in entries for d in days})),
            sources=tuple(source for _, source, _ in entries),
            origins=tuple(origin for _, _, origin in entries),
        )
        for year, entries in sorted(merged.items())
    }
    return result, problem


def lists(*, strict: bool = False) -> dict[int, YearList]:
    """Every held year's list, shipped and operator's merged, in year order.

    An operator's file that cannot be read counts as absent for the terms — its years are then
    not held, so their terms get the margin — and is logged; with `strict` (the `holidays`
    command, the system check) it raises ValidationError instead.
    """
    path = operator_path()
    key = (_stamp(path),)  # the shipped file changes only with a release
    if key not in _cache:
        _cache.clear()
        _cache[key] = _load(path)
    result, problem = _cache[key]
    if problem is not None:
        if strict:
            raise problem
        if key not in _logged:
            _logged.add(key)
            log.error("%s: terms count the shipped lists only", problem)
    return result


def is_held(year: int) -> bool:
    return year in lists()


def days_of(year: int) -> tuple[dt.date, ...]:
    """The decreed days of `year`; () when none are held (see `is_held`)."""
    held = lists().get(year)
    return held.days if held is not None else ()


def is_decreed_day(day: dt.date) -> bool:
    return day in days_of(day.year)


def held_through(start_year: int, *, strict: bool = False) -> int | None:
    """The last year of the unbroken run of held years from `start_year` (None: not held)."""
    held = lists(strict=strict)
    if start_year not in held:
        return None
    year = start_year
    while year + 1 in held:
        year += 1
    return year


# --- Adding a year's list ---------------------------------------------------------------------


def clean(year, days, source) -> tuple[int, tuple[dt.date, ...], str]:
    """Validate an operator's list: raises ValidationError with one clear line."""
    # holidays imports decreed_days: a top-level import would be a cycle.
    from waarborg.core.holidays import is_public_holiday

    text = str(year if year is not None else "").strip()
    if not text.isdigit():
        raise ValidationError("calendar.year_not_a_number", field="year")
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError("calendar.year_out_of_range", {"first": FIRST_YEAR, "last": LAST_YEAR}, field="year")
    if not days:
        raise ValidationError("calendar.day_missing", field="day")
    parsed: list[dt.date] = []
    for given in days:
        try:
            day = dt.date.fromisoformat(str(given).strip())
        except ValueError:
            raise ValidationError("calendar.day_not_a_date", {"value": str(given)[:20]}, field="day") from None
        if day in parsed:
            continue
        if day.year != year:
            raise ValidationError("calendar.day_other_year", {"day": day.isoformat(), "year": year}, field="day")
        if day.weekday() >= 5:
            raise ValidationError(
                "calendar.day_in_weekend",
                {"day": day.isoformat(), "weekday": InWords(WEEKDAYS[day.weekday()])},
                field="day",
            )
        if is_public_holiday(day):
            raise ValidationError("calendar.day_public_holiday", {"day": day.isoformat()}, field="day")
        parsed.append(day)
    source = " ".join(str(source or "").split())
    if not source:
        raise ValidationError("calendar.source_missing", field="source")
    if len(source) > MAX_SOURCE:
        raise ValidationError("calendar.source_too_long", {"max": MAX_SOURCE}, field="source")
    return year, tuple(sorted(set(parsed))), source


def not_held(year: int, days: tuple[dt.date, ...]) -> tuple[dt.date, ...]:
    """Those of `days` that are not held for `year` yet."""
    held = set(days_of(year))
    return tuple(d for d in days if d not in held)


def write(year: int, days: tuple[dt.date, ...], source: str, *, added_on: dt.date) -> None:
    """Append a cleaned list (see `clean`) to the operator's file, written whole at once."""
    path = operator_path()
    if path is None:
        raise ValidationError("calendar.no_data_directory", field="WAARBORG_DATA_DIR")
    current: dict = {}
    if path.exists():
        _read(
            path, "operator"
        )  # refuses to build on a file it cannot read        current = json.loads(path.read_text(encoding="utf-8"))
    current.setdefault("years", {}).setdefault(str(year), []).append(
        {"days": [d.isoformat() for d in days], "source": source, "added_on": added_on.isoformat()}
    )
    current["years"] = dict(sorted(current["years"].items()))
    _write(path, current)


def _write(path: Path, data: dict) -> None:
    """Write the whole file at once: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".decreed_days.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
