"""Ending the contract is an erasure request (R2): the services end and the erasure runs by
itself once the last one has ended and nothing is owed or disputed."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.audit.models import AuditEvent
from waarborg.billing.services import payment_record
from waarborg.catalogue.models import Subscription
from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.core.errors import NotFound, ValidationError
from waarborg.customers.models import Contact, Customer
from waarborg.customers.termination import customer_terminate
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.tests.world import build_alice
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_in_a_fresh_directory")]


@pytest.fixture
def daily(django_capture_on_commit_callbacks):
    def run(day):
        with django_capture_on_commit_callbacks(execute=True):
            return run_daily(day, only=["retention", "erasure"])

    return run


@pytest.mark.promise("R2", "G3")
def test_it_erases_by_itself_once_the_last_service_has_ended(personas, daily):
    world = build_alice(personas, running=True)
    today = clock.today()
    case = customer_terminate(
        actor=personas.alice, customer=world.customer, reason="opzegging", end_date=today + dt.timedelta(days=30)
    )
    assert case.source == ErasureCase.Source.TERMINATION and case.status == ErasureCase.Status.OPEN
    customer = Customer.objects.get(pk=world.customer.pk)
    assert customer.status == Customer.Status.TERMINATING
    assert set(Subscription.objects.filter(customer=customer).values_list("status", flat=True)) == {"cancelled"}
    assert customer_terminate(actor=personas.alice, customer=customer, reason="nogmaals").pk == case.pk

    daily(today)
    case.refresh_from_db()
    assert case.status == ErasureCase.Status.ON_HOLD and case.hold == "active_contract"
    assert Contact.objects.filter(pk=world.contact.pk).exists()

    daily(today + dt.timedelta(days=31))
    case.refresh_from_db()
    assert case.status == ErasureCase.Status.COMPLETE, (case.result["scan"], case.result.get("scan_hits"))
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    assert Customer.objects.get(pk=customer.pk).restricted_at is not None
    # the confirmation: what was erased, what kept, on which basis and until when (LAW L-R3)
    (confirmation,) = mail.outbox
    assert "alice.devries@example.nl" in confirmation.bcc and case.result["confirmation"] == "sent to 1 address(es)"
    assert "Wat we hebben bewaard, waarom en tot wanneer" in confirmation.body and "What we kept" in confirmation.body
    assert "Wettelijke verplichting" in confirmation.body and "tot en met 31-12-" in confirmation.body
    assert "alice" not in json.dumps(list(AuditEvent.objects.values("data", "reason"))).lower()


@pytest.mark.promise("R2", "G3")
def test_it_waits_for_an_unpaid_invoice_and_runs_when_it_is_paid(personas, daily):
    world = build_alice(personas, unpaid=True)
    case = customer_terminate(actor=personas.carol, customer=world.customer, reason="opzegging")
    today = clock.today()
    result = daily(today)
    case.refresh_from_db()
    assert case.status == ErasureCase.Status.ON_HOLD and case.hold == "open_claim"
    assert result["erasure"]["on_hold"] == 1
    unpaid = world.invoices[-1]
    payment_record(actor=personas.dave, invoice=unpaid, amount=Decimal("121.00"))
    daily(today + dt.timedelta(days=1))
    case.refresh_from_db()
    assert case.status == ErasureCase.Status.COMPLETE


@pytest.mark.promise("R2", "B2")
def test_it_lets_a_customer_end_only_their_own_contract(personas):
    with unchanged(), pytest.raises(NotFound):
        customer_terminate(actor=personas.bob, customer=personas.alice_customer, reason="opzegging")
    with unchanged(), pytest.raises(ValidationError):
        customer_terminate(actor=personas.alice, customer=personas.alice_customer, reason="")
    assert not ErasureCase.objects.exists()


@pytest.mark.promise("R2")
def test_it_opens_a_case_once_for_a_relationship_that_ended_elsewhere(personas, daily):
    customer = f.CustomerFactory(private=True, status=Customer.Status.ENDED, ended_at=clock.now())
    f.ContactFactory(customer=customer, email="ex-klant@example.nl")
    result = daily(clock.today())
    assert result["retention"]["erasure_cases_opened"] == 1
    case = ErasureCase.objects.get(subject_ref=f"customers.Customer:{customer.pk}")
    assert case.status == ErasureCase.Status.COMPLETE
    assert not Customer.objects.filter(pk=customer.pk).exists()  # no invoices: nothing to keep
    assert daily(clock.today())["retention"]["erasure_cases_opened"] == 0


def _cli(*args):
    out = io.StringIO()
    call_command("erasure", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.promise("R2")
def test_a_contract_ended_from_the_shell_opens_the_case_that_runs_by_itself(personas, daily):
    world = build_alice(personas, running=True)
    end = clock.today() + dt.timedelta(days=10)
    with unchanged(), pytest.raises(CommandError, match="add --yes") as unconfirmed:
        _cli("terminate", "--customer", world.customer.number, "--reason", "opzegging per brief")
    assert unconfirmed.value.returncode == 2 and not ErasureCase.objects.exists()
    out = _cli(
        "terminate",
        "--customer",
        world.customer.number,
        "--reason",
        "opzegging per brief",
        "--end-date",
        end.isoformat(),
        "--yes",
    )
    case = ErasureCase.objects.get()
    assert f"erasure case {case.pk} runs by itself" in out and case.source == ErasureCase.Source.TERMINATION
    daily(end + dt.timedelta(days=1))
    case.refresh_from_db()
    assert case.status == ErasureCase.Status.COMPLETE
    with unchanged(), pytest.raises(CommandError, match="no such customer") as gone:
        _cli("terminate", "--customer", world.customer.number, "--reason", "nogmaals", "--yes")
    assert gone.value.returncode == 1
