"""The bailiff hand-off: a disclosure to a registered recipient (T3), and the case file it sends.

Refused unless the recipient is registered in category "bailiff", has a valid agreement on the
day, and is registered for every data category the file holds. The file holds what collection
needs and no more: the name and address as invoiced, the customer number, the invoices,
payments and costs, and the history of the case (decisions, notices, contests).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.template.loader import render_to_string

from waarborg.audit.services import audit_record
from waarborg.billing.models import Invoice, Payment
from waarborg.core import clock
from waarborg.core.errors import ValidationError, WaarborgError
from waarborg.customers.services import customer_ref
from waarborg.dunning import ladders as L
from waarborg.dunning.models import Approval, Case, CaseFile, Contest, Decision, Notice
from waarborg.dunning.notices import format_date, format_money
from waarborg.dunning.words import Categories, Day
from waarborg.register.models import Recipient

log = logging.getLogger(__name__)

# D1 name, D2 address (as invoiced), D5 customer number, D7 amounts and payments.
CASE_FILE_CATEGORIES = ("D1", "D2", "D5", "D7")


def check_bailiff(recipient, day: dt.date) -> Recipient:
    if recipient is not None and not isinstance(recipient, Recipient):
        recipient = Recipient.objects.filter(pk=recipient).first()
    if recipient is None:
        raise ValidationError("dunning.bailiff_missing", field="recipient")
    if recipient.category != "bailiff":
        raise ValidationError("dunning.bailiff_not_registered", field="recipient")
    if not recipient.agreement_valid_on(day):
        raise ValidationError("dunning.bailiff_no_agreement", {"day": Day(day)}, field="recipient")
    missing = [c for c in CASE_FILE_CATEGORIES if c not in (recipient.data_categories or [])]
    if missing:
        raise ValidationError("dunning.bailiff_categories", {"categories": Categories(missing)}, field="recipient")
    return recipient


def _local_day(moment) -> str:
    return moment.astimezone(clock.AMSTERDAM).date().isoformat() if moment else ""


def build_content(case: Case, *, day: dt.date, facts: dict, approval: Approval, actor) -> dict:
    ids = [row["id"] for row in facts.get("invoices", [])]
    invoices = list(Invoice.objects.filter(pk__in=ids).order_by("due_date", "pk"))
    newest = invoices[-1] if invoices else None
    payments = Payment.objects.filter(invoice_id__in=ids).select_related("invoice").order_by("received_at", "pk")
    decisions = Decision.objects.filter(case_id=case.pk).order_by("decided_at", "pk")
    notices = Notice.objects.filter(case_id=case.pk, status=Notice.Status.SENT).order_by("sent_at", "pk")
    contests = Contest.objects.filter(case_id=case.pk).order_by("received_at", "pk")
    controller = getattr(settings, "WAARBORG_CONTROLLER", {})
    return {
        "case": case.pk,
        "made_on": day.isoformat(),
        "creditor": {k: controller.get(k, "") for k in ("name", "street", "postcode", "town", "kvk", "email", "phone")},
        "debtor": {
            "customer_number": case.customer.number,
            "name": newest.name_printed if newest else case.customer.name,
            "address": newest.address_printed if newest else "",
            "market": facts.get("market", ""),
        },
        "invoices": [
            {
                "number": i.number,
                "issue_date": i.issue_date.isoformat(),
                "due_date": i.due_date.isoformat(),
                "currency": i.currency,
                "total": str(i.total_incl),
                "paid": str(i.amount_paid),
                "open": str(i.amount_open),
            }
            for i in invoices
        ],
        "payments": [
            {
                "invoice": p.invoice.number,
                "amount": str(p.amount),
                "currency": p.currency,
                "received_on": _local_day(p.received_at),
            }
            for p in payments
        ],
        "principal": facts.get("totals", {}),
        "costs": facts.get("costs"),
        "ladder": f"{case.ladder_version.ladder.key} v{case.ladder_version.version}",
        "history": [
            {
                "on": d.decided_on.isoformat(),
                "kind": d.kind,
                "outcome": d.outcome,
                "by": "employee" if d.decided_by_id else "automated",
            }
            for d in decisions
        ],
        "notices": [{"kind": n.kind, "sent_on": _local_day(n.sent_at)} for n in notices],
        "contests": [
            {
                "kind": c.kind,
                "received_on": _local_day(c.received_at),
                "status": c.status,
                "decided_on": _local_day(c.decided_at),
            }
            for c in contests
        ],
        "approved_by": actor.display_name or f"account {actor.pk}",
        "approval": approval.pk,
    }


def render_text(content: dict) -> str:
    lang = "nl"
    ctx = {
        **content,
        "made_on_text": format_date(content["made_on"], lang),
        "invoices_text": [
            {
                **i,
                "due": format_date(i["due_date"], lang),
                "issued": format_date(i["issue_date"], lang),
                "total_text": format_money(i["total"], i["currency"], lang),
                "paid_text": format_money(i["paid"], i["currency"], lang),
                "open_text": format_money(i["open"], i["currency"], lang),
            }
            for i in content["invoices"]
        ],
        "payments_text": [
            {
                **p,
                "amount_text": format_money(p["amount"], p["currency"], lang),
                "on": format_date(p["received_on"], lang),
            }
            for p in content["payments"]
        ],
        "principal_text": " + ".join(format_money(a, c, lang) for c, a in content["principal"].items()),
        "costs_text": (
            format_money(Decimal(content["costs"]["amount"]) + Decimal(content["costs"]["vat"]), "EUR", lang)
            if content.get("costs")
            else ""
        ),
        "history_text": [
            {**h, "on_text": format_date(h["on"], lang), "name": L.kind_name(h["kind"], lang)}
            for h in content["history"]
        ],
        "notices_text": [
            {"name": L.kind_name(n["kind"], lang), "on": format_date(n["sent_on"], lang)} for n in content["notices"]
        ],
    }
    return render_to_string("dunning/casefile_nl.txt", ctx).strip() + "\n"


def _clean_address(send_to: str) -> str:
    address = (send_to or "").strip().lower()
    if not address:
        return ""
    try:
        validate_email(address)
    except DjangoValidationError:
        raise ValidationError("dunning.bailiff_email", field="send_to") from None
    return address


def send(case_file: CaseFile, address: str) -> None:
    """E-mail the case file: the readable text as the body, the JSON as an attachment."""
    message = EmailMessage(
        subject=f"Incassodossier {case_file.content['debtor']['customer_number']} (dossier {case_file.case_id})",
        body=case_file.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach(
        f"dossier-{case_file.case_id}.json",
        json.dumps(case_file.content, indent=2, ensure_ascii=False),
        "application/json",
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("dunning case %s: the case file was not sent (%s)", case_file.case_id, type(exc).__name__)
        raise WaarborgError("dunning.case_file_not_sent") from None


def hand_off(
    *, case: Case, approval: Approval, recipient, actor, day: dt.date, facts: dict, send_to: str = ""
) -> CaseFile:
    """Produce the case file, send it when an address is given, and log the disclosure; called
    by approvals.approval_decide inside its transaction (a failed send undoes the hand-off)."""
    recipient = check_bailiff(recipient, day)
    address = _clean_address(send_to)
    content = build_content(case, day=day, facts=facts, approval=approval, actor=actor)
    case_file = CaseFile.objects.create(
        case=case,
        customer_id=case.customer_id,
        approval=approval,
        recipient=recipient,
        handed_on=day,
        content=content,
        text=render_text(content),
    )
    if address:
        send(case_file, address)
        case_file.sent_to = address
        case_file.sent_at = clock.now()
        case_file.save(update_fields=["sent_to", "sent_at"])
    audit_record(
        actor=actor,
        action="recipient.disclosure",
        purpose="U15",
        object_type="register.recipient",
        object_ids=[recipient.pk],
        subject_ref=customer_ref(case.customer_id),
        data={
            "recipient": recipient.key,
            "category": recipient.category,
            "data_categories": list(CASE_FILE_CATEGORIES),
            "case": case.pk,
            "case_file": case_file.pk,
            "approval": approval.pk,
            "invoices": len(content["invoices"]),
            "channel": "email" if address else "file",
        },
    )
    return case_file
