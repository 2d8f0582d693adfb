"""Answering a verified access or portability request with its package.

The package builders (waarborg.exports) make the ZIP from the request's subject rows; the
package is stored under the data directory, named after the request, and the request is
completed with its reference. A stored package is a derived copy: erasure removes it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from waarborg.core.errors import ValidationError
from waarborg.exports.services import access_export, portability_export
from waarborg.privacy.answers import privacy_request_complete
from waarborg.privacy.handling import lock_request, require_open
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.subject import subject_hits

PACKAGE_DIR = "packages"
_BUILDERS = {PrivacyRequest.Type.ACCESS: access_export, PrivacyRequest.Type.PORTABILITY: portability_export}


def _language(builder, request: PrivacyRequest) -> dict:
    return {"lang_primary": request.language or "nl"} if builder is access_export else {}


def package_path(request: PrivacyRequest) -> Path:
    return Path(settings.FILES_DIR) / PACKAGE_DIR / f"{request.number}-{request.type}.zip"


@transaction.atomic
def privacy_request_fulfil(
    *,
    actor,
    request: PrivacyRequest,
    note: str = "",
    by_post: bool = False,
    copy_to: Path | None = None,
    delivery: dict | None = None,
):
    """Build the package for a verified access or portability request, store it, and answer.

    Returns (path of the stored package, counts). `copy_to` also writes the ZIP there (the
    shell's --out). `delivery` goes into the answer (see `privacy_request_complete`). Everything
    happens in one transaction: no answer without its package. A closed request is refused before
    anything is written (its stored package keeps its name).
    """
    builder = _BUILDERS.get(request.type)
    if builder is None:
        raise ValidationError("privacy.package_types", field="type")
    if request.verified_at is None:
        raise ValidationError("privacy.not_verified", field="status")
    require_open(lock_request(request))
    hits = subject_hits(request)
    if not hits:
        raise ValidationError("privacy.nothing_held_any_more", field="subject")
    path = package_path(request)
    path.parent.mkdir(parents=True, exist_ok=True)
    data, counts = builder(
        actor=actor, hits=hits, out=None, reason=f"request {request.number}", **_language(builder, request)
    )
    path.write_bytes(data)
    path.chmod(0o600)
    if copy_to is not None:
        Path(copy_to).write_bytes(data)
    try:
        privacy_request_complete(
            actor=actor, request=request, note=note, package_ref=path.name, by_post=by_post, delivery=delivery
        )
    except Exception:
        path.unlink(missing_ok=True)
        if copy_to is not None:
            Path(copy_to).unlink(missing_ok=True)
        raise
    return path, counts
