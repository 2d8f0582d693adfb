"""Ending a customer's contract (R2): every service ends, and the erasure follows by itself.

- `customer_terminate` — the services end (today, or on a given day) and an erasure case opens
  that the daily job runs once the last service has ended and nothing is owed or disputed;
- `confirm_termination` — once that erasure is complete, the addresses the customer had are told
  what was erased, what was kept, on which basis and until when (LAW L-R3), in Dutch and English.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.catalogue.models import Subscription
from waarborg.catalogue.services import subscription_cancel
from waarborg.core import clock
from waarborg.core.access import check_actor
from waarborg.core.actors import SYSTEM, actor_label
from waarborg.core.errors import NotFound
from waarborg.customers.models import Customer
from waarborg.erasure import ops
from waarborg.erasure.cases import erasure_case_open
from waarborg.erasure.completion import when_case_finished
from waarborg.erasure.execution import on_relationship_end
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.plan import ErasurePlan
from waarborg.erasure.rules import PURPOSE, clean_note
from waarborg.subjects.finder import Hit, subject_expand

log = logging.getLogger(__name__)


def customer_terminate(*, actor, customer, reason: str, end_date=None) -> ErasureCase:
    """End the contract: every service ends (today, or `end_date`), and an erasure case opens
    that runs by itself once the last service has ended and nothing is owed or disputed."""
    check_actor(actor=actor, scope="subscriptions", customer_id=getattr(customer, "pk", customer))
    reason = clean_note(reason, field="reason", max_length=200, required=True)
    end = end_date or clock.today()
    with transaction.atomic():
        current = Customer.objects.select_for_update().filter(pk=getattr(customer, "pk", customer)).first()
        if current is None or getattr(current, ops.RESTRICTED_FIELD, None) is not None:
            raise NotFound("customers.customer_not_found", {"id": getattr(customer, "pk", customer)})
        ref = f"customers.Customer:{current.pk}"
        existing = (
            ErasureCase.objects.filter(subject_ref=ref)
            .exclude(status__in=[ErasureCase.Status.COMPLETE, ErasureCase.Status.INCOMPLETE])
            .first()
        )
        for sub in Subscription.objects.filter(customer=current).exclude(status=Subscription.Status.CANCELLED):
            subscription_cancel(actor=actor, subscription=sub, end_date=max(end, sub.start_date))
        if current.status == Customer.Status.ACTIVE:
            current.status = Customer.Status.TERMINATING
            current.save(update_fields=["status"])
        if existing is not None:
            return existing
        hits = subject_expand([Hit("customers.Customer", current.pk, "pk", "customer who ended the contract")])
        case = erasure_case_open(actor=SYSTEM, hits=hits, source="termination", reason=reason)
        ErasureCase.objects.filter(pk=case.pk).update(opened_by=actor_label(actor))
        audit_record(
            actor=actor,
            action="customer.terminate",
            purpose="U1",
            reason=reason,
            object_type="customers.customer",
            object_ids=[current.pk],
            subject_ref=f"customer:{current.pk}",
            data={"erasure_case": case.pk, "services_end_in_days": (end - clock.today()).days},
        )
        case.refresh_from_db()
    return case


@when_case_finished("confirm_termination")
def confirm_termination(case_id, plan: ErasurePlan, notice: dict) -> None:
    """The end of a contract is an erasure request without a request record: its confirmation
    (what was erased, what kept, on which basis, until when — LAW L-R3) goes to the addresses the
    subject had, in Dutch and English, once the erasure is complete. The addresses come from the
    plan, in memory only: the erasure removed them."""
    addresses = sorted(plan.identifiers.get("email", ()))
    case = ErasureCase.objects.get(pk=case_id)
    if case.source != ErasureCase.Source.TERMINATION or not addresses:
        return
    if case.status != ErasureCase.Status.COMPLETE:
        state = "not sent: the erasure is not complete"
    else:
        controller = getattr(settings, "WAARBORG_CONTROLLER", {})
        body = "\n".join(
            [
                notice["nl"],
                "-" * 40,
                notice["en"],
                "-" * 40,
                f"{controller.get('name', '')} — {controller.get('email', '')}",
            ]
        )
        message = EmailMessage(
            "Uw gegevens zijn gewist / Your data has been erased",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [],
            bcc=addresses,  # several contact persons of one customer do not see each other's address
        )
        try:
            message.send(fail_silently=False)
            state = f"sent to {len(addresses)} address(es)"
        except Exception as exc:  # the erasure stands; the privacy officer sees it in the case
            state = f"not sent ({type(exc).__name__})"
            log.warning("confirmation of erasure case %s was not sent (%s)", case_id, type(exc).__name__)
        with transaction.atomic():  # the event in a transaction of its own
            audit_record(
                actor=SYSTEM,
                action="erasure.confirm",
                purpose=PURPOSE,
                object_type="erasure.erasurecase",
                object_ids=[case.pk],
                subject_ref=case.subject_ref,
                data={"addresses": len(addresses), "sent": state.startswith("sent")},
            )
    data = dict(ErasureCase.objects.get(pk=case_id).result)
    data["confirmation"] = state
    ErasureCase.objects.filter(pk=case_id).update(result=data)


@on_relationship_end(Customer._meta.label)
def mark_ended(rows, now) -> None:
    """An erasure ends the customer relationship: the customer record that stays is ended."""
    rows.exclude(status=Customer.Status.ENDED).update(status=Customer.Status.ENDED)
