"""Ladder versions: the one each market's new cases start on, a case's own version, and a new
version written by finance (the old versions stay, so every case keeps the ladder it started on)."""

from __future__ import annotations

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core import clock
from waarborg.core.actors import account_of
from waarborg.customers.models import Customer
from waarborg.customers.services import clean_text
from waarborg.dunning import ladders as L
from waarborg.dunning.deciders import require_finance
from waarborg.dunning.models import Ladder, LadderVersion


def market_of(customer_market: str) -> str:
    """Consumer unless the customer is known to be a business (in doubt: consumer, WIK)."""
    return "b2b" if customer_market == Customer.Market.B2B else "b2c"


def current_versions() -> dict[str, LadderVersion]:
    """{market: the ladder's newest version}."""
    out = {}
    for ladder in Ladder.objects.all():
        version = ladder.current()
        if version is not None:
            out[ladder.market] = version
    return out


def versions_by_id(ids) -> dict[int, LadderVersion]:
    """{pk: version} for the given ladder version ids, with their ladder."""
    return {v.pk: v for v in LadderVersion.objects.select_related("ladder").filter(pk__in=set(ids))}


def version_of(case) -> LadderVersion:
    """The ladder version `case` runs on, with its ladder."""
    return versions_by_id([case.ladder_version_id])[case.ladder_version_id]


@transaction.atomic
def ladder_update(*, actor, ladder: Ladder, steps, settings=None, note: str = "") -> LadderVersion:
    """Write a new version of `ladder` (finance); the old versions stay, cases keep theirs."""
    require_finance(actor)
    clean_steps, clean_settings = L.clean_ladder(steps, settings, market=ladder.market)
    note = clean_text(note, field="note", max_length=200)
    locked = Ladder.objects.select_for_update().get(pk=ladder.pk)
    last = locked.versions.order_by("-version").first()
    version = LadderVersion.objects.create(
        ladder=locked,
        version=(last.version if last else 0) + 1,
        steps=clean_steps,
        settings=clean_settings,
        note=note,
        created_at=clock.now(),
        created_by=account_of(actor),
    )
    audit_record(
        actor=actor,
        action="dunning.ladder.update",
        purpose="U3",
        object_type="dunning.ladderversion",
        object_ids=[version.pk],
        data={"ladder": locked.key, "version": version.version, "steps": [s["kind"] for s in clean_steps]},
    )
    return version
