"""A report that a minor's data was collected without a parent's consent: recorded, and the data
erased (M2)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.catalogue.models import Subscription
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Contact
from waarborg.erasure.cases import minor_report_register
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.tests.world import build_alice
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("M2", "G3", "R3")
def test_it_erases_a_minors_data_on_a_report_and_keeps_only_the_fiscal_records(
    personas, django_capture_on_commit_callbacks
):
    world = build_alice(personas, running=True)
    with django_capture_on_commit_callbacks(execute=True):
        case = minor_report_register(
            actor=personas.erin,
            email="alice.devries@example.nl",
            details="Ouder meldt: account aangemaakt door een kind van 14 zonder toestemming.",
        )
    case.refresh_from_db()
    assert case.source == ErasureCase.Source.MINOR_REPORT and case.status == ErasureCase.Status.COMPLETE
    assert "zonder toestemming" in case.details
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    assert not Subscription.objects.filter(customer_id=world.customer.pk).exists()
    assert all(i.restricted_at for i in type(world.paid_invoice).objects.filter(customer_id=world.customer.pk))


@pytest.mark.promise("M2")
def test_it_records_a_minor_report_even_when_nothing_is_found(personas):
    case = minor_report_register(actor=personas.erin, email="kind@example.nl", details="Melding via school.")
    assert case.status == ErasureCase.Status.COMPLETE and case.result == {"found": 0}
    with unchanged(), pytest.raises(ValidationError, match="personal data"):
        minor_report_register(actor=personas.erin, email="kind@example.nl", details="bel 0612345678")


def _cli(*args):
    out = io.StringIO()
    call_command("erasure", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.promise("M2", "G3")
def test_a_minor_report_from_the_shell_is_recorded_and_erased(personas, django_capture_on_commit_callbacks):
    world = build_alice(personas)
    details = "Ouder meldt per telefoon: account van een kind van 13."
    with unchanged(), pytest.raises(CommandError, match="add --yes"):
        _cli("minor-report", "--email", "alice.devries@example.nl", "--details", details)
    with django_capture_on_commit_callbacks(execute=True):
        out = _cli("minor-report", "--email", "alice.devries@example.nl", "--details", details, "--yes")
    case = ErasureCase.objects.get()
    assert f"minor report recorded as erasure case {case.pk}" in out and case.source == "minor_report"
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    assert "nothing is held" in _cli("minor-report", "--email", "kind@example.nl", "--details", details, "--yes")
