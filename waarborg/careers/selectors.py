"""Reads of job applications: the privacy officer only (scope `applications`, B2)."""

from __future__ import annotations

from waarborg.careers.models import JobApplication
from waarborg.core import roles
from waarborg.core.errors import NotFound


def application_list_for(*, viewer, open_only: bool = False):
    roles.require(viewer, "applications")
    qs = JobApplication.objects.all()
    if open_only:
        qs = qs.filter(procedure_closed_at__isnull=True)
    return qs.order_by("-received_at", "-pk")


def application_get_for(*, viewer, pk) -> JobApplication:
    roles.require(viewer, "applications")
    try:
        return JobApplication.objects.get(pk=getattr(pk, "pk", pk))
    except (JobApplication.DoesNotExist, ValueError, TypeError):
        raise NotFound("careers.application_not_found", {"id": getattr(pk, "pk", pk)}) from None
