"""The fourteen-day letter by post (art. 6:96(6) BW): the letters waiting to be posted, the
printable letter, and recording the day finance posted it (A5).

A consumer's fourteen-day letter goes by e-mail only where the customer agreed to written
notices by e-mail (customers.NoticeAgreement, looked up by the daily run when it takes the
step). Otherwise the step queues a letter (`Notice.Status.TO_POST`): the case waits — no later
step, no collection costs — until a finance employee records the day it was posted. From that
day the term runs: it ends on `wik_term_end(posted_on)` (the letter counts as received on the
second day after posting, Sundays, Mondays and public holidays not counted; then fourteen days,
moved past a weekend or holiday), the costs are due from the day after, and the steps that
follow wait until then (`schedule.plan_next`).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core import clock, roles
from waarborg.core.access import scope_queryset
from waarborg.core.actors import account_of, is_account
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.core.holidays import wik_term_end
from waarborg.customers.models import Contact
from waarborg.customers.services import customer_ref
from waarborg.dunning import ladders as L
from waarborg.dunning.models import Case, LadderVersion, Notice
from waarborg.dunning.notices import context_for, format_date, languages, recipient_contacts, stamp_wik
from waarborg.dunning.schedule import plan_next
from waarborg.dunning.words import Day

SCOPE = "dunning"  # finance (waarborg.core.roles)


def _require_finance_person(actor) -> None:
    """Posting a letter is a fact a named finance employee records, never the system."""
    if not is_account(actor):
        raise PermissionDenied("dunning.post_by_person")
    if not getattr(actor, "is_active", False) or getattr(actor, "role", None) != roles.FINANCE:
        raise PermissionDenied("dunning.post_by_finance")


def clean_posting_day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError("dunning.not_a_date", {"field": "posted_on"}, field="posted_on") from None
    if not isinstance(value, dt.date):
        raise ValidationError("dunning.not_a_date", {"field": "posted_on"}, field="posted_on")
    return value


def made_on(notice: Notice) -> dt.date:
    """The day the letter was made: the day the ladder step queued it."""
    return notice.created_at.astimezone(clock.AMSTERDAM).date()


def has_postal_address(contact: Contact | None) -> bool:
    return contact is not None and bool(contact.street and contact.postcode and contact.town)


# --- Reads (finance) ----------------------------------------------------------------------


def letters_to_post_for(*, viewer):
    """The letters waiting to be posted, the oldest first (finance); a closed case's are withdrawn."""
    roles.require(viewer, SCOPE)
    qs = Notice.objects.filter(status=Notice.Status.TO_POST, channel=Notice.Channel.POST)
    qs = scope_queryset(qs.select_related("case", "customer"), viewer=viewer, scope="invoices")
    return qs.order_by("created_at", "pk")


def case_letters_for(*, viewer, case):
    """A case's letters by post, waiting or posted (finance)."""
    roles.require(viewer, SCOPE)
    qs = Notice.objects.filter(case_id=getattr(case, "pk", case), channel=Notice.Channel.POST)
    return scope_queryset(qs.select_related("posted_by"), viewer=viewer, scope="invoices").order_by("created_at", "pk")


def letter_get_for(*, viewer, case, pk) -> Notice:
    found = case_letters_for(viewer=viewer, case=case).select_related("decision__ladder_version__ladder").filter(pk=pk)
    notice = found.first()
    if notice is None:
        raise NotFound("dunning.notice_not_found", {"id": pk})
    return notice


@dataclass
class PostalLetter:
    """Everything the printable letter shows."""

    notice: Notice
    case: Case
    lang: str
    letter_date: dt.date  # the day it is (to be) posted
    term_end: dt.date  # the last day to pay without costs, for that day
    contact: Contact | None
    recipient: list[str] = field(default_factory=list)  # the postal address, line by line
    controller: dict = field(default_factory=dict)
    ctx: dict = field(default_factory=dict)  # the fourteen-day letter's words (notices.context_for)
    made_on: dt.date | None = None
    posted: bool = False

    @property
    def has_address(self) -> bool:
        return has_postal_address(self.contact)


def postal_letter_for(*, viewer, notice: Notice, posting_day: dt.date | None = None) -> PostalLetter:
    """The letter as printed for posting on `posting_day` (default today); once posted, as it
    was posted. The customer's notice language; the billing contact's address, else the primary's."""
    roles.require(viewer, SCOPE)
    case = Case.objects.select_related("customer").get(pk=notice.case_id)
    posted = notice.posted_on is not None
    day = notice.posted_on if posted else (posting_day or clock.today())
    lang = languages([notice.customer_id]).get(notice.customer_id, "nl")
    lang = "en" if lang == "en" else "nl"
    contact = recipient_contacts([notice.customer_id]).get(notice.customer_id)
    shown = copy.copy(notice)
    shown.term_end = notice.term_end if posted and notice.term_end else wik_term_end(day)
    version = LadderVersion.objects.select_related("ladder").get(pk=notice.decision.ladder_version_id)
    ctx = context_for(notice.decision, lang=lang, notice=shown, version=version)
    ctx["name"] = contact.full_name if contact is not None else ""
    ctx["subject"] = L.kind_name(notice.kind, lang)
    ctx["pay_url"] = ctx["links"]["pay"]
    recipient = []
    if contact is not None:
        customer = case.customer
        if customer.name and customer.name != contact.full_name:
            recipient.append(customer.name)
        recipient += [contact.full_name, contact.street, f"{contact.postcode}  {contact.town}".strip()]
        if contact.country and contact.country != "NL":
            recipient.append(contact.country)
    return PostalLetter(
        notice=notice,
        case=case,
        lang=lang,
        letter_date=day,
        term_end=shown.term_end,
        contact=contact,
        recipient=[line for line in recipient if line],
        controller=dict(getattr(settings, "WAARBORG_CONTROLLER", {})),
        ctx=ctx,
        made_on=made_on(notice),
        posted=posted,
    )


def letter_dates(letter: PostalLetter) -> dict[str, str]:
    """The letter's date and last day, written out in its language."""
    return {"date": format_date(letter.letter_date, letter.lang), "term_end": format_date(letter.term_end, letter.lang)}


# --- Recording the posting (finance) ------------------------------------------------------


@transaction.atomic
def letter_posted(*, actor, notice: Notice, posted_on) -> Notice:
    """A finance employee records the day the letter was posted; its term and the costs count
    from that day, and the case's next step waits until the term has run.

    Refused, with nothing changed: another role or the system; a day before the letter was made
    or in the future; a letter already recorded as posted, or not waiting to be posted; a
    customer without a postal address."""
    _require_finance_person(actor)
    posted_on = clean_posting_day(posted_on)
    current = Notice.objects.select_for_update().select_related("decision").filter(pk=notice.pk).first()
    if current is None:
        raise NotFound("dunning.notice_not_found", {"id": notice.pk})
    if current.channel != Notice.Channel.POST:
        raise ValidationError("dunning.notice_by_email", field="notice")
    if current.status == Notice.Status.SENT or current.posted_on is not None:
        raise ValidationError("dunning.letter_posted_already", field="notice")
    if current.status != Notice.Status.TO_POST:
        raise ValidationError("dunning.letter_not_waiting", field="notice")
    made = made_on(current)
    if posted_on < made:
        raise ValidationError(
            "dunning.posted_before_made", {"field": "posted_on", "made": Day(made)}, field="posted_on"
        )
    today = clock.today()
    if posted_on > today:
        raise ValidationError("dunning.date_in_future", {"field": "posted_on"}, field="posted_on")
    case = Case.objects.select_for_update().get(pk=current.case_id)
    if case.status == Case.Status.CLOSED:
        raise ValidationError("dunning.letter_not_waiting", field="notice")
    contact = recipient_contacts([current.customer_id]).get(current.customer_id)
    if not has_postal_address(contact):
        raise ValidationError("dunning.no_postal_address", field="notice")
    version = LadderVersion.objects.select_related("ladder").get(pk=current.decision.ladder_version_id)
    now = clock.now()

    case_fields: list[str] = []
    if current.kind == L.WIK_LETTER:
        case_fields += stamp_wik(current, case, posted_on)
    if current.gates_next_step and case.status in (Case.Status.OPEN, Case.Status.PAUSED, Case.Status.DONE):
        case.last_effective_on = posted_on
        case.last_notice_on = posted_on  # the silence before a cancellation counts from a step's notice
        case.pending_notice = False
        case.next_step_on = plan_next(case, version) if case.status != Case.Status.DONE else None
        current.next_on = case.next_step_on
        case_fields += ["last_effective_on", "last_notice_on", "pending_notice", "next_step_on"]
    elif current.decision.next_on:
        current.next_on = current.decision.next_on
    if case_fields:
        case.save(update_fields=list(dict.fromkeys(case_fields)))

    current.status = Notice.Status.SENT
    current.posted_on = posted_on
    current.posted_by = account_of(actor)
    current.posting_recorded_at = now
    noon = dt.datetime.combine(posted_on, dt.time(12, 0), tzinfo=clock.AMSTERDAM)
    current.sent_at = min(now, noon)  # posted today before noon: now
    current.contact = contact
    current.language = languages([current.customer_id]).get(current.customer_id, "nl")
    current.save(
        update_fields=[
            "status",
            "posted_on",
            "posted_by",
            "posting_recorded_at",
            "sent_at",
            "contact",
            "language",
            "term_end",
            "costs_amount",
            "next_on",
        ]
    )
    audit_record(
        actor=actor,
        action="dunning.letter.posted",
        purpose="U4",
        object_type="dunning.notice",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"case": case.pk, "kind": current.kind, "channel": "post", "fields": ["posted_on"]},
    )
    return current
