"""Building a package as a recorded act: the builder, then an audit event with counts only.

The request workflow (waarborg.privacy) calls these with the request's actor and reference;
`waarborg exports access|portability` calls them as `System("cli")`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core import declarations
from waarborg.exports.access import access_package_content
from waarborg.exports.collect import write_zip
from waarborg.exports.portability import portability_package_content

ACCESS_ACTION = "export.access"
PORTABILITY_ACTION = "export.portability"
# Answering a data subject's request is a statutory obligation (U14).
DEFAULT_PURPOSE = "U14"


def subject_ref_of(hits) -> str:
    """The audit's subject reference, as the map declares it (`subject_ref` of the hit rows'
    entries): the customer, else the contact person or the job application, by id."""
    return declarations.subject_ref_for((h.model, h.pk) for h in hits)


@transaction.atomic
def access_export(
    *,
    actor,
    hits,
    out: str | Path | BinaryIO | None = None,
    lang_primary: str = "nl",
    generated_at: dt.datetime | None = None,
    purpose: str = DEFAULT_PURPOSE,
    reason: str = "",
    searched_by: list[str] | None = None,
) -> tuple[bytes | None, dict[str, int]]:
    """Build the access package (to `out`, or as bytes) and record it; returns (bytes, counts)."""
    package = access_package_content(hits=hits, lang_primary=lang_primary, generated_at=generated_at)
    counts = package.counts
    audit_record(
        actor=actor,
        action=ACCESS_ACTION,
        purpose=purpose,
        reason=reason,
        object_type="subject",
        subject_ref=subject_ref_of(hits),
        data={**counts, "by": sorted(searched_by or []), "language": lang_primary},
    )
    return _deliver(package, out), counts


@transaction.atomic
def portability_export(
    *,
    actor,
    hits,
    out: str | Path | BinaryIO | None = None,
    generated_at: dt.datetime | None = None,
    purpose: str = DEFAULT_PURPOSE,
    reason: str = "",
    searched_by: list[str] | None = None,
) -> tuple[bytes | None, dict[str, int]]:
    """Build the portability package (to `out`, or as bytes) and record it; returns (bytes, counts)."""
    package = portability_package_content(hits=hits, generated_at=generated_at)
    counts = package.counts
    audit_record(
        actor=actor,
        action=PORTABILITY_ACTION,
        purpose=purpose,
        reason=reason,
        object_type="subject",
        subject_ref=subject_ref_of(hits),
        data={**counts, "by": sorted(searched_by or [])},
    )
    return _deliver(package, out), counts


def _deliver(package, out) -> bytes | None:
    # Written last, inside the transaction: a package that cannot be written leaves no audit event.
    return write_zip(package, out)
