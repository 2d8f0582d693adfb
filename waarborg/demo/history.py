"""The demo's past: dunning brought up to today as if the daily run had run every day."""

from __future__ import annotations

import datetime as dt

from waarborg.accounts.models import Account
from waarborg.billing.models import Invoice
from waarborg.core import clock, roles
from waarborg.core.daily import run_daily
from waarborg.demo.builder import refuse_production
from waarborg.dunning.contests import contest_submit
from waarborg.dunning.models import Case


def demo_dunning_history(*, today: dt.date | None = None) -> dict[str, int]:
    """Bring dunning up to today as if the daily run had run every day, then let one private
    customer contest their case, so the finance board has cases at several steps, a contest to
    decide and approvals waiting. Mail goes wherever the mail backend sends it."""
    refuse_production("waarborg demo")
    today = today or clock.today()
    oldest = (
        Invoice.objects.filter(status=Invoice.Status.OPEN, due_date__lt=today)
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )
    days = 0
    if oldest is not None:
        day = oldest + dt.timedelta(days=1)
        while day <= today:
            run_daily(day, only=["dunning", "dunning-notices", "provisioning"])
            day += dt.timedelta(days=1)
            days += 1
    contested = 0
    # A customer with a portal account contests in the portal; else support records the call.
    cases = list(Case.objects.filter(status=Case.Status.OPEN).order_by("pk"))
    accounts = {a.contact.customer_id: a for a in Account.objects.filter(is_active=True, contact__isnull=False)}
    case = next((c for c in cases if c.customer_id in accounts), cases[0] if cases else None)
    if case is not None:
        account = accounts.get(case.customer_id) or Account.objects.filter(role=roles.SUPPORT, is_active=True).first()
        if account is not None:
            with clock.as_of(today):
                contest_submit(
                    actor=account,
                    case=case,
                    statement="Ik heb deze factuur al betaald via de bank; graag nakijken.",
                )
            contested = 1
    return {"days": days, "cases": Case.objects.count(), "contested": contested}
