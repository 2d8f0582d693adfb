"""The packages made for a subject's privacy requests are derived copies of their data: an
erasure removes them with the rest (registered with the erasure in PrivacyConfig.ready)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from waarborg.erasure.hygiene import derived_copy_cleaner
from waarborg.privacy.fulfil import PACKAGE_DIR
from waarborg.privacy.models import DownloadLink, PackagePush, PrivacyRequest


@derived_copy_cleaner("export_packages")
def drop_export_packages(plan) -> int:
    """The access and portability packages made for the subject's privacy requests (ZIP files
    under the files directory): a copy of everything that was erased."""
    pks = [r.pk for r in plan.rows if r.model == PrivacyRequest._meta.label]
    if not pks:
        return 0
    names = {
        f"{number}-{kind}.zip"
        for number, kind in PrivacyRequest.objects.filter(pk__in=pks).values_list("number", "type")
    }
    for model in (DownloadLink, PackagePush):
        names |= set(model.objects.filter(request_id__in=pks).values_list("package_name", flat=True))
    directory = Path(settings.FILES_DIR) / PACKAGE_DIR
    removed = 0
    for name in sorted(n for n in names if n and "/" not in n and not n.startswith(".")):
        path = directory / name
        if path.exists():
            path.unlink()
            removed += 1
    return removed
