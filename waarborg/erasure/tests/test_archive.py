"""The fiscal archive (R3, R4): kept after erasure, hidden from every role, opened only with a reason."""

import pytest
from django.core import mail

from waarborg.audit.models import AuditEvent
from waarborg.billing.models import Invoice
from waarborg.billing.selectors import invoice_get_for, invoice_list_for, payment_list_for
from waarborg.core import roles
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.customers.models import Customer
from waarborg.customers.selectors import customer_get_for, customer_list_for, document_list_for
from waarborg.erasure.archive import AlertFailed, fiscal_archive_read
from waarborg.erasure.cases import erasure_request
from waarborg.erasure.tests.world import build_alice
from waarborg.subjects.finder import Query
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db

EMAIL = "alice.devries@example.nl"


@pytest.fixture
def archived(personas, django_capture_on_commit_callbacks):
    world = build_alice(personas)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request(actor=personas.erin, query=Query(email=EMAIL), reason="verzoek")
    return world


@pytest.fixture
def keeper(personas):
    return personas.gina  # the finance_archive role


def _every_role(personas, keeper):
    return {**personas.by_role(), roles.CUSTOMER: personas.bob}


@pytest.mark.promise("R4", "B2")
def test_it_hides_the_archive_from_every_screen_list_and_search(personas, archived, keeper):
    customer = Customer.objects.get(pk=archived.customer.pk)
    readers = _every_role(personas, keeper)
    for role, viewer in readers.items():
        if roles.can(viewer, "customers"):
            assert customer not in customer_list_for(viewer=viewer), role
            assert not customer_list_for(viewer=viewer, query=customer.number).exists(), role
            with unchanged(), pytest.raises(NotFound):
                customer_get_for(viewer=viewer, pk=customer.pk)
        if roles.can(viewer, "invoices"):
            assert not invoice_list_for(viewer=viewer).filter(customer=customer).exists(), role
            with unchanged(), pytest.raises(NotFound):
                invoice_get_for(viewer=viewer, pk=archived.paid_invoice.pk)
        if roles.can(viewer, "payments"):
            assert not payment_list_for(viewer=viewer).filter(customer=customer).exists(), role
        if roles.can(viewer, "documents"):
            assert not document_list_for(viewer=viewer).filter(customer=customer).exists(), role


@pytest.mark.promise("R4", "B2")
def test_it_hides_a_locked_row_from_its_own_customer_too(personas):
    invoice = f.InvoiceFactory(customer=personas.bob_customer, billing_contact=personas.bob_contact)
    assert invoice_list_for(viewer=personas.bob).filter(pk=invoice.pk).exists()
    Invoice.objects.filter(pk=invoice.pk).update(restricted_at=invoice.issue_date.isoformat() + "T12:00:00Z")
    assert not invoice_list_for(viewer=personas.bob).filter(pk=invoice.pk).exists()
    assert not invoice_list_for(viewer=personas.dave).filter(pk=invoice.pk).exists()


@pytest.mark.promise("R4", "T2", "B4")
def test_it_opens_the_archive_only_for_the_archive_role_with_a_reason_and_alerts_the_privacy_officer(
    personas, archived, keeper, smtp_server
):
    record = fiscal_archive_read(viewer=keeper, customer_or_invoice=archived.customer, reason_code="tax_audit")
    assert record.customer_number == archived.customer.number and record.customer_name == "[gewist]"
    assert {i.name_printed for i in record.invoices} == {"Alice de Vries"}
    assert len(record.invoices) == 3 and record.invoices[0].lines and record.documents
    event = AuditEvent.objects.filter(action="archive.read").get()
    assert event.reason == "tax_audit" and event.purpose == "U14" and event.actor == f"account:{keeper.pk}"
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1
    assert smtp_server.handler.envelopes[0][1] == [personas.erin.email]
    body = smtp_server.body(messages[0])
    assert "Belastingcontrole" in body and f"#{event.seq}" in body
    for value in ("Alice", EMAIL, archived.customer.number, "Lindenlaan"):
        assert value not in body and value not in str(messages[0]["Subject"])

    one = fiscal_archive_read(viewer=keeper, customer_or_invoice=archived.paid_invoice, reason_code="legal_claim")
    assert [i.id for i in one.invoices] == [archived.paid_invoice.pk] and one.documents == ()
    assert AuditEvent.objects.filter(action="archive.read", purpose="U15").count() == 1
    assert len(smtp_server.wait_for(2)) == 2


@pytest.mark.promise("R4", "B2")
def test_it_gives_every_other_role_nothing(personas, archived, keeper):
    for role, viewer in _every_role(personas, keeper).items():
        if role == roles.FINANCE_ARCHIVE:
            continue
        with unchanged(), pytest.raises(PermissionDenied):
            fiscal_archive_read(viewer=viewer, customer_or_invoice=archived.customer, reason_code="tax_audit")
    assert roles.scopes_of(roles.FINANCE_ARCHIVE) == ["fiscal_archive"]
    assert [r for r in roles.ROLES if roles.can(_every_role(personas, keeper)[r], "fiscal_archive")] == [
        roles.FINANCE_ARCHIVE
    ]
    assert not AuditEvent.objects.filter(action="archive.read").exists()


@pytest.mark.promise("R4")
def test_it_wants_a_known_reason_and_an_archived_record(personas, archived, keeper):
    with unchanged(), pytest.raises(ValidationError, match="reason code"):
        fiscal_archive_read(viewer=keeper, customer_or_invoice=archived.customer, reason_code="curious")
    with unchanged(), pytest.raises(NotFound):
        fiscal_archive_read(viewer=keeper, customer_or_invoice=personas.bob_customer, reason_code="tax_audit")
    assert not mail.outbox


@pytest.mark.promise("R4", "B4")
def test_it_stays_closed_when_the_privacy_officer_cannot_be_alerted(personas, archived, keeper, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(AlertFailed, match="stays closed"):
        fiscal_archive_read(viewer=keeper, customer_or_invoice=archived.customer, reason_code="subject_request")
    assert not AuditEvent.objects.filter(action="archive.read").exists()


@pytest.mark.promise("R4", "A1")
def test_it_never_uses_the_archive_for_dunning_or_marketing(personas, archived):
    import datetime as dt

    from waarborg.core import clock
    from waarborg.dunning.facts import overdue_by_customer, overdue_invoices
    from waarborg.engagement import newsletter

    locked = Invoice.objects.filter(customer_id=archived.customer.pk)
    assert locked.count() == 3 and all(i.restricted_at for i in locked)
    assert not locked.filter(status=Invoice.Status.OPEN).exists()  # an open claim holds the erasure
    far = clock.today() + dt.timedelta(days=3650)
    assert archived.customer.pk not in overdue_by_customer(far)
    assert not overdue_invoices([archived.customer.pk], far)
    # a contact person of a locked-away customer record gets no marketing, consent or not
    bob = personas.bob_contact
    f.ConsentRecordFactory(contact=bob, account=personas.bob, kind=newsletter.KIND)
    assert newsletter.may_receive(bob)
    Customer.objects.filter(pk=bob.customer_id).update(restricted_at=clock.now())
    bob.refresh_from_db()
    assert not newsletter.may_receive(bob)
    assert bob not in newsletter.audience().recipients
