"""Notices: each decision in words a customer understands (Dutch or English), sent by e-mail.

The text is rendered from the decision's facts when it is sent (and whenever the decision is
shown), so the record keeps facts, not prose. What depends on the day a notice really goes out
is computed then and stored on the notice: the date the next step may come (a block date), and
for the fourteen-day letter the last day of the term (counted from the day after the letter
counts as received, core.holidays) and the exact collection costs.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.template.loader import render_to_string

from waarborg.billing.payment_reference import payee, payment_reference, printed
from waarborg.core import clock
from waarborg.core.holidays import wik_term_end
from waarborg.customers.models import Contact
from waarborg.dunning import bulk
from waarborg.dunning import ladders as L
from waarborg.dunning.adapters import backoff_seconds
from waarborg.dunning.links import links_for
from waarborg.dunning.models import Case, Decision, LadderVersion, Notice, NoticePreference
from waarborg.dunning.schedule import plan_next
from waarborg.dunning.words import format_date, format_money

log = logging.getLogger(__name__)

SUBJECTS = {
    "reminder": ("Betalingsherinnering", "Payment reminder"),
    "wik_letter": ("Aanmaning: betaal binnen veertien dagen zonder extra kosten", "Formal demand: pay within fourteen days without extra costs"),
    "final_notice": ("Laatste aanmaning: uw diensten worden geblokkeerd op {next_on}", "Final notice: your services will be blocked on {next_on}"),
    "block": ("Uw diensten zijn geblokkeerd wegens niet-betaling", "Your services have been blocked for non-payment"),
    "cancel": ("Uw diensten zijn opgezegd wegens niet-betaling", "Your services have been cancelled for non-payment"),
    "bailiff_handoff": ("Uw vordering is overgedragen aan de deurwaarder", "Your debt has been handed to a bailiff"),
    "cancel_approved": ("Uw diensten zijn opgezegd wegens niet-betaling", "Your services have been cancelled for non-payment"),
    "payment_booked": ("Betaling ontvangen: dit staat nog open", "Payment received: this is still open"),
    "closed": ("Alles is betaald: dank u wel", "Everything is paid: thank you"),
    "paused": ("Uw bezwaar is ontvangen: de incasso staat stil", "We received your objection: collection is on hold"),
    "noted": ("Uw bezwaar is ontvangen: een medewerker beslist", "We received your objection: an employee decides"),
    "contest_decided": ("Besluit over uw bezwaar", "Decision on your objection"),
}  # fmt: skip


def _services(items, lang):
    return [
        f"{s.get('product') or ('dienst' if lang == 'nl' else 'service')} {s.get('label') or ''}".strip() for s in items
    ]


def _s(value) -> str:
    """Numbers as text: the template engine then skips its number localisation."""
    return "" if value is None else str(value)


def context_for(decision: Decision, *, lang: str, notice: Notice | None = None, version: LadderVersion | None = None):
    """Everything the templates need, formatted for `lang`."""
    version = version or decision.ladder_version
    facts = decision.facts or {}
    data = decision.outcome_data or {}
    step = version.steps[decision.step_index] if decision.step_index is not None else None
    fd = lambda d: format_date(d, lang)  # noqa: E731
    fm = lambda a, c="EUR": format_money(a, c, lang)  # noqa: E731
    invoices = [
        {
            "number": i["number"],
            "reference": printed(payment_reference(i["id"])) if i.get("id") else "",
            "due": fd(i["due_date"]),
            "total": fm(i["total"], i["currency"]),
            "paid": fm(i["paid"], i["currency"]),
            "open": fm(i["open"], i["currency"]),
            "days": str(i["days_overdue"]),
        }
        for i in facts.get("invoices", [])
    ]
    totals = " + ".join(fm(amount, cur) for cur, amount in facts.get("totals", {}).items())
    costs = facts.get("costs")
    costs_ctx = None
    if costs:
        total = Decimal(costs["amount"]) + Decimal(costs["vat"])
        costs_ctx = {
            "kind": costs["kind"],
            "amount": fm(costs["amount"]),
            "vat": fm(costs["vat"]) if Decimal(costs["vat"]) else "",
            "total": fm(total),
            "due": costs.get("due", False),
            "due_from": fd(costs.get("due_from")),
            "basis": costs["basis"],
            "invoices": costs.get("invoices", 0),
        }
    # What to transfer: what is open, plus the collection costs once they are owed (one currency).
    currencies = list(facts.get("totals", {}))
    due = sum((Decimal(a) for a in facts.get("totals", {}).values()), Decimal(0))
    if costs and costs.get("due"):
        due += Decimal(costs["amount"]) + Decimal(costs["vat"])
    pay = {**payee(), "due": fm(due, currencies[0])} if len(currencies) == 1 and due > 0 else None
    next_on = notice.next_on if notice is not None and notice.next_on else decision.next_on
    next_kind = decision.next_kind
    controller = getattr(settings, "WAARBORG_CONTROLLER", {})
    ctx = {
        "lang": lang,
        "kind": decision.kind,
        "outcome": decision.outcome,
        "automated": decision.decided_by_id is None,
        "employee": data.get("employee", ""),
        "reason": decision.reason,
        "decided_on": fd(decision.decided_on),
        "invoices": invoices,
        "total": totals,
        "days_overdue": _s(facts.get("days_overdue")),
        "oldest_due": fd(facts.get("oldest_due_date")),
        "sent": [{"name": L.kind_name(n["kind"], lang), "on": fd(n["sent_on"])} for n in facts.get("notices", [])],
        "ladder": version.ladder.name_nl if lang == "nl" else version.ladder.name_en,
        "version": str(version.version),
        "step_no": str(decision.step_index + 1) if step else "",
        "step_name": L.kind_name(step["kind"], lang) if step else "",
        "step_day": str(step["day"]) if step else "",
        "late_days": _s(facts.get("late_days") or ""),
        "planned_on": fd(facts.get("planned_on")),
        "next_name": L.kind_name(next_kind, lang) if next_kind and next_kind != "approval" else "",
        "next_is_approval": next_kind == "approval",
        "next_kind": next_kind,
        "next_on": fd(next_on),
        "costs": costs_ctx,
        "pay": pay,
        "blocked": _services(data.get("blocked", []) + data.get("already_blocked", []), lang),
        "blocked_otherwise": _services(data.get("blocked_otherwise", []), lang),
        "cancelled": _services(data.get("cancelled", []), lang),
        "unblocked": _services(data.get("unblocked", []), lang),
        "held": data.get("held", []),
        "scope_all": version.settings.get("block_scope") == "all",
        "payment": None,
        "recipient": data.get("recipient", ""),
        "paused_days": _s(data.get("paused_days") or ""),
        "silence_days": _s(data.get("silence_days") or version.settings.get("cancel_silence_days")),
        "last_notice_on": fd(data.get("last_notice_on")),
        "links": links_for(decision.pk),
        "controller": controller,
        "wik": None,
        "contest_kind": (facts.get("contest") or {}).get("kind", ""),
        "close_reason": decision.outcome,
    }
    payment = facts.get("payment")
    if payment:
        ctx["payment"] = {
            "amount": fm(payment["amount"], payment["currency"]),
            "invoice": payment["invoice"],
            "on": fd(payment["received_on"]),
        }
    if decision.kind == L.WIK_LETTER:
        term_end = notice.term_end if notice is not None and notice.term_end else None
        margin = told_margin(data, term_end)
        ctx["wik"] = {
            "costs": fm(data.get("costs", "0")),
            "costs_vat": fm(data.get("costs_vat", "0")) if Decimal(data.get("costs_vat", "0")) else "",
            "costs_total": fm(data.get("costs_total", "0")),
            "no_costs": not Decimal(data.get("costs_total", "0")),  # a ladder that charges none
            "principal": fm(data.get("principal", "0")),
            "term_end": fd(term_end),
            "term_days": _s(data.get("term_days", L.WIK_TERM_DAYS)),
            "margin_days": _s(margin.get("days") or ""),
            "margin_years": ", ".join(str(y) for y in margin.get("years", [])),
            # By post unless the customer agreed to notices by e-mail (an older decision: e-mail).
            "channel": data.get("channel", "email"),
            "posted_on": fd(notice.posted_on) if notice is not None and notice.posted_on else "",
        }
    return ctx


def told_margin(data: dict, term_end) -> dict:
    """The term's margin recorded with a fourteen-day letter's decision (core.holidays.wik_term:
    one working day more when no list of decreed days is held), when the letter states the term
    it was recorded for, or states none yet; else {}."""
    margin = (data or {}).get("term_margin") or {}
    if term_end is not None and str(term_end) != margin.get("end"):
        return {}
    return margin


def explain(decision: Decision, lang: str = "nl", *, notice: Notice | None = None) -> str:
    """The decision in words: what, why (facts and rule), what next, what the customer can do."""
    lang = "en" if lang == "en" else "nl"
    return render_to_string(f"dunning/decision_{lang}.txt", context_for(decision, lang=lang, notice=notice)).strip()


def subject_for(decision: Decision, lang: str, next_on: str = "") -> str:
    key = "noted" if decision.kind == "paused" and decision.outcome == "noted" else decision.kind
    pair = SUBJECTS.get(key, ("Uw betaling", "Your payment"))
    text = pair[0] if lang == "nl" else pair[1]
    return text.format(next_on=next_on)


def render(
    notice: Notice, *, contact: Contact | None, lang: str, version: LadderVersion | None = None
) -> tuple[str, str]:
    ctx = context_for(notice.decision, lang=lang, notice=notice, version=version)
    ctx["name"] = contact.full_name if contact is not None else ""
    body = render_to_string(f"dunning/notice_{lang}.txt", ctx).strip() + "\n"
    return subject_for(notice.decision, lang, ctx["next_on"]), body


# --- Sending ----------------------------------------------------------------------------------


def recipient_contacts(customer_ids) -> dict[int, Contact]:
    """Per customer the contact that gets notices: the billing contact, else the primary one."""
    best: dict[int, tuple[int, int, Contact]] = {}
    order = {Contact.Role.BILLING: 0, Contact.Role.PRIMARY: 1}
    ids = sorted(set(customer_ids))
    for start in range(0, len(ids), 500):
        for contact in Contact.objects.filter(customer_id__in=ids[start : start + 500]).order_by("pk"):
            rank = (order.get(contact.role, 2), contact.pk)
            seen = best.get(contact.customer_id)
            if seen is None or rank < seen[:2]:
                best[contact.customer_id] = (*rank, contact)
    return {cid: entry[2] for cid, entry in best.items()}


def languages(customer_ids) -> dict[int, str]:
    return dict(
        NoticePreference.objects.filter(customer_id__in=list(customer_ids)).values_list("customer_id", "language")
    )


def stamp_wik(notice: Notice, case, day: dt.date) -> list[str]:
    """The fourteen-day letter went out on `day` (e-mailed, or posted): its term ends on
    `wik_term_end(day)` and the collection costs it states are due from the day after; returns
    the case fields to save."""
    notice.term_end = wik_term_end(day)
    notice.costs_amount = Decimal(notice.decision.outcome_data.get("costs_total", "0"))
    case.costs_from = notice.term_end + dt.timedelta(days=1)
    case.costs_amount = notice.costs_amount
    return ["costs_from", "costs_amount"]


def _stamp(notice: Notice, case: Case, version: LadderVersion, today: dt.date) -> list[str]:
    """Fix what the notice states on the day it goes out; returns the case fields to save."""
    fields: list[str] = []
    if notice.decision.kind == L.WIK_LETTER:
        fields += stamp_wik(notice, case, today)
    if notice.gates_next_step and case.status in (Case.Status.OPEN, Case.Status.DONE):
        case.last_effective_on = today
        case.pending_notice = False
        case.next_step_on = plan_next(case, version) if case.status == Case.Status.OPEN else None
        notice.next_on = case.next_step_on
        fields += ["last_effective_on", "pending_notice", "next_step_on"]
        case.last_notice_on = today  # the silence before a cancellation counts from a step's notice
        fields.append("last_notice_on")
    elif notice.decision.next_on:
        notice.next_on = notice.decision.next_on
    return fields


def send_due_notices(*, limit: int | None = None, batch: int = 500) -> dict[str, int]:
    """Send the queued notices that are due; retries with backoff; returns counts.

    Each notice is claimed (a short lease, so that two senders never send it both), rendered,
    handed to the mail backend and marked sent with the case's dates in one small transaction:
    a crash between sending and marking sends it again, with the same Message-ID.
    """
    counts = {"sent": 0, "failed": 0, "undeliverable": 0, "withdrawn": 0, "held": 0}
    now = clock.now()
    today = clock.today()
    ids = list(
        Notice.objects.filter(status=Notice.Status.QUEUED, next_attempt_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[: limit or None]
    )
    if not ids:
        return counts
    versions: dict[int, LadderVersion] = {}
    mail = get_connection()
    try:
        for start in range(0, len(ids), batch):
            # By primary key only (a status condition would walk the whole queue per chunk on SQLite).
            chunk = [
                n
                for n in Notice.objects.select_related("decision")
                .filter(pk__in=ids[start : start + batch])
                .order_by("pk")
                if n.status == Notice.Status.QUEUED
            ]
            case_ids = sorted({n.case_id for n in chunk})
            cases = {
                values[0]: bulk.CaseRow(*values)
                for values in Case.objects.filter(pk__in=case_ids).values_list(*bulk.CASE_FIELDS)
            }
            customers = {n.customer_id for n in chunk}
            contacts = recipient_contacts(customers)
            langs = languages(customers)
            for notice in chunk:
                vid = notice.decision.ladder_version_id
                if vid not in versions:
                    versions[vid] = LadderVersion.objects.select_related("ladder").get(pk=vid)
                _send_one(
                    notice,
                    cases[notice.case_id],
                    versions[vid],
                    contacts.get(notice.customer_id),
                    langs.get(notice.customer_id, "nl"),
                    mail,
                    now,
                    today,
                    counts,
                )
    finally:
        mail.close()
    return counts


_SENT_FIELDS = (
    "status",
    "attempts",
    "sent_at",
    "contact_id",
    "language",
    "last_error",
    "next_on",
    "term_end",
    "costs_amount",
)


def _claim(notice: Notice, now: dt.datetime) -> bool:
    """Lease the notice for a while; False when another sender has it or it is gone."""
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    lease = now + dt.timedelta(seconds=300)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(Notice._meta.db_table)} SET next_attempt_at = %s "  # noqa: S608
            "WHERE id = %s AND status = %s AND next_attempt_at = %s",
            [adapt(lease), notice.pk, Notice.Status.QUEUED.value, adapt(notice.next_attempt_at)],
        )
        return cursor.rowcount == 1


def _send_one(notice, case, version, contact, lang, mail, now, today, counts) -> None:
    queued = Notice.objects.filter(pk=notice.pk, status=Notice.Status.QUEUED)
    if notice.gates_next_step and case.status == Case.Status.CLOSED:
        counts["withdrawn"] += queued.update(status=Notice.Status.WITHDRAWN)
        return
    if notice.gates_next_step and case.status == Case.Status.PAUSED:
        counts["held"] += 1  # sent once the contest is decided
        return
    if contact is None or not contact.email:
        counts["undeliverable"] += queued.update(status=Notice.Status.UNDELIVERABLE, last_error="no e-mail address")
        return
    if not _claim(notice, now):
        return
    case_fields = _stamp(notice, case, version, today)
    subject, body = render(notice, contact=contact, lang=lang, version=version)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
        headers={"Message-ID": f"<dunning.{notice.key.replace(':', '.')}@{domain}>", "Content-Language": lang},
        connection=mail,
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        attempts = notice.attempts + 1
        error = type(exc).__name__[:120]
        Notice.objects.filter(pk=notice.pk, status=Notice.Status.QUEUED).update(
            attempts=attempts, last_error=error, next_attempt_at=now + dt.timedelta(seconds=backoff_seconds(attempts))
        )
        log.warning("dunning notice %s not sent (%s), attempt %s", notice.pk, error, attempts)
        mail.close()  # a broken connection is opened afresh for the next notice
        counts["failed"] += 1
        return
    notice.status = Notice.Status.SENT.value
    notice.attempts += 1
    notice.sent_at = clock.now()
    notice.contact_id = contact.pk
    notice.language = lang
    notice.last_error = ""
    with transaction.atomic():
        bulk.update(Notice, _SENT_FIELDS, [notice])
        if case_fields:
            gated = " AND status IN ('open', 'done')" if notice.gates_next_step else ""
            bulk.update(Case, tuple(dict.fromkeys(case_fields)), [case], where=gated)
    counts["sent"] += 1
