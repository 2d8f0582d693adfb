from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from waarborg.accounts.models import Account
from waarborg.audit.services import audit_record
from waarborg.core import clock, roles
from waarborg.core.actors import CLI
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.core.identifiers import normalise_customer_number
from waarborg.customers.models import Customer
from waarborg.dunning import ladders as L
from waarborg.dunning.adapters import deliver_outbox
from waarborg.dunning.models import Case, Ladder, Notice
from waarborg.dunning.notices import send_due_notices
from waarborg.dunning.post import letter_posted, letters_to_post_for
from waarborg.dunning.selectors import case_timeline_for


class _Shell:
    """The shell reads as finance would (need-to-know: invoices)."""

    is_active = True
    role = roles.FINANCE
    pk = None


WAITING = {
    "notice": "waits until the last notice has been sent",
    "post": "waiting for the letter to be posted (finance prints it, posts it and records the day)",
    "contest": "paused: a contest waits for an employee's decision",
    "approval": "waits for an employee's approval",
    "finished": "every step has been taken; the claim is still open",
    "closed": "closed",
}


def _term_line(e) -> str:
    """The fourteen-day letter's last day without costs, and its margin with the reason."""
    line = f"last day without costs {e.term_end}" if e.term_end else "set when the letter goes out"
    if e.term_margin:
        years = ", ".join(str(y) for y in e.term_margin.get("years", []))
        line += (
            f" (includes {e.term_margin['days']} extra working day: no list of days equated with"
            f" holidays by decree is held for {years})"
        )
    return line


class Command(BaseCommand):
    help = (
        "Dunning: show a customer's cases, list and record letters by post, send queued notices, "
        "deliver the provisioning outbox, list ladders."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="each open case of a customer: its timeline and next step")
        show.add_argument("--customer", required=True, help="customer number (K100001) or id")
        show.add_argument("--all", action="store_true", help="closed cases too")
        show.add_argument("--lang", choices=("nl", "en"), default="en")
        show.add_argument("--text", action="store_true", help="print each decision in the customer's words")
        sub.add_parser("letters", help="the fourteen-day letters waiting to be posted")
        posted = sub.add_parser("posted", help="record the day a letter waiting to be posted was posted (finance)")
        posted.add_argument("--letter", required=True, help="the letter's number (from `waarborg dunning letters`)")
        posted.add_argument("--on", required=True, help="the day it was posted, YYYY-MM-DD")
        posted.add_argument("--by", required=True, help="e-mail address of the finance employee recording it")
        sub.add_parser("notices", help="send the queued notices that are due, now")
        sub.add_parser("outbox", help="deliver the provisioning webhook's outbox, now")
        sub.add_parser("ladders", help="the ladders, their current version and steps")

    def handle(self, *args, action, **o):
        if action == "show":
            return self._show(o)
        if action == "letters":
            return self._letters()
        if action == "posted":
            return self._posted(o)
        if action == "notices":
            counts = send_due_notices()
        elif action == "outbox":
            counts = deliver_outbox()
        else:
            return self._ladders()
        self.stdout.write(", ".join(f"{k}={v}" for k, v in counts.items()))
        return None

    def _customer(self, value: str) -> Customer:
        text = (value or "").strip()
        customer = None
        if text.isdigit():
            customer = Customer.objects.filter(pk=int(text)).first()
        else:
            try:
                customer = Customer.objects.filter(number=normalise_customer_number(text)).first()
            except ValidationError as exc:
                raise CommandError(str(exc), returncode=2) from None
        if customer is None:
            raise CommandError(f"no customer {text!r}", returncode=1)
        return customer

    def _show(self, o):
        customer = self._customer(o["customer"])
        viewer = _Shell()
        cases = Case.objects.filter(customer=customer).order_by("opened_on", "pk")
        if not o["all"]:
            cases = cases.filter(status__in=Case.ACTIVE)
        with transaction.atomic():
            audit_record(
                actor=CLI,
                action="dunning.show",
                purpose="U4",
                object_type="customers.customer",
                object_ids=[customer.pk],
                subject_ref=f"customer:{customer.pk}",
            )
        cases = list(cases)
        if not cases:
            self.stdout.write(f"customer {customer.number}: no {'' if o['all'] else 'open '}dunning cases")
            return
        lang = o["lang"]
        for case in cases:
            timeline = case_timeline_for(viewer=viewer, case=case, lang=lang, with_text=o["text"])
            version = case.ladder_version
            self.stdout.write(
                f"case {case.pk} · customer {customer.number} · {case.status} · "
                f"ladder {version.ladder.key} v{version.version} · opened {case.opened_on} · "
                f"oldest due date {case.anchor_date}"
            )
            for e in timeline.entries:
                who = f"by {e.decided_by}" if e.decided_by else "automated"
                notice = ""
                if e.notice_status:
                    notice = f" · notice {e.notice_status}" + (f" {e.notice_sent_on}" if e.notice_sent_on else "")
                nxt = f" · next {e.next_kind} {e.next_on or ''}".rstrip() if e.next_kind else ""
                if e.channel == "post":
                    notice = f" · letter {e.notice_status}" + (f" posted {e.posted_on}" if e.posted_on else "")
                self.stdout.write(f"  {e.on}  {e.kind:<16} {e.outcome:<20} {who}{notice}{nxt}")
                self.stdout.write(f"             rule: {e.rule}")
                if e.kind == L.WIK_LETTER:
                    self.stdout.write(f"             term: {_term_line(e)}")
                if o["text"]:
                    for line in e.text.splitlines():
                        self.stdout.write(f"             | {line}")
            self._letter_line(timeline.letter)
            if timeline.next_kind:
                self.stdout.write(
                    f"  next step: {timeline.next_name} ({timeline.next_kind}) on {timeline.next_on}"
                    + (f" — {WAITING[timeline.waiting_for]}" if timeline.waiting_for else "")
                )
            elif timeline.waiting_for:
                self.stdout.write(f"  next step: none — {WAITING[timeline.waiting_for]}")

    def _letter_line(self, letter) -> None:
        """How the fourteen-day letter went: e-mail on the customer's agreement, or post."""
        if letter is None:
            return
        if letter.channel == "email":
            agreed = letter.agreement
            basis = f" (agreed {agreed['source']} {agreed['agreed_on']}: {agreed['reference']})" if agreed else ""
            sent = f", sent {letter.sent_on}" if letter.sent_on else ""
            end = f", term ends {letter.term_end}" if letter.term_end else ""
            self.stdout.write(f"  fourteen-day letter: by e-mail{basis}{sent}{end}")
        elif letter.posted_on:
            self.stdout.write(
                f"  fourteen-day letter: by post, posted {letter.posted_on}, term ends {letter.term_end}, "
                f"costs from {letter.costs_from}"
            )
        elif letter.status == "to_post":
            self.stdout.write(f"  fourteen-day letter: by post, waiting to be posted (letter {letter.notice_id})")
        else:
            self.stdout.write("  fourteen-day letter: by post, not posted (the case was closed)")

    def _letters(self):
        letters = list(letters_to_post_for(viewer=_Shell()))
        with transaction.atomic():
            audit_record(
                actor=CLI,
                action="dunning.letters.list",
                purpose="U4",
                object_type="dunning.notice",
                object_ids=[n.pk for n in letters],
            )
        if not letters:
            self.stdout.write("no letters waiting to be posted")
            return
        for n in letters:
            made = n.created_at.astimezone(clock.AMSTERDAM).date()
            self.stdout.write(
                f"letter {n.pk} · case {n.case_id} · customer {n.customer.number} · {n.kind} · made {made}"
                + (" · case paused" if n.case.status == Case.Status.PAUSED else "")
            )

    def _posted(self, o):
        try:
            by = Account.objects.filter(email=(o["by"] or "").strip().lower(), is_active=True).first()
            if by is None:
                raise ValidationError("dunning.no_active_account", field="by")
            try:
                notice = Notice.objects.get(pk=int(o["letter"]), channel=Notice.Channel.POST)
            except (Notice.DoesNotExist, ValueError):
                raise ValidationError(
                    "dunning.no_letter_by_post", {"letter": repr(o["letter"])}, field="letter"
                ) from None
            done = letter_posted(actor=by, notice=notice, posted_on=o["on"])
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            f"letter {done.pk} of case {done.case_id}: posted {done.posted_on}, term ends {done.term_end}, "
            f"next step on {done.next_on or '-'}"
        )

    def _ladders(self):
        for ladder in Ladder.objects.order_by("key"):
            version = ladder.current()
            self.stdout.write(
                f"{ladder.key} ({ladder.market}) v{version.version if version else '-'}: {ladder.name_en}"
            )
            if version is None:
                continue
            for n, step in enumerate(version.steps, 1):
                self.stdout.write(f"  {n}. day {step['day']:>3}  {step['kind']:<13} {L.kind_name(step['kind'], 'en')}")
            s = version.settings
            self.stdout.write(
                f"  block scope {s['block_scope']}, notice ≥ {s['block_notice_days']} days before a block, "
                f"cancel after {s['cancel_silence_days']} days without response, costs {s['cost_rule']['kind']}"
                f" (VAT {s['cost_vat_rate']}%)"
            )
