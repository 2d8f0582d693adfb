"""The section lists of the back office: one per scope, only for the roles that have it (B2)."""

import pytest
from django.urls import reverse

from waarborg.audit.models import AuditEvent
from waarborg.auth_web.testing import sign_in
from waarborg.backoffice.lists import SECTIONS
from waarborg.core import roles
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2", "B4")
@pytest.mark.parametrize("role", ["support", "finance", "privacy", "admin"])
def test_it_opens_exactly_the_lists_of_the_role(client, personas, role):
    staff = personas.by_role()[role]
    sign_in(client, staff)
    for scope in SECTIONS:
        url = reverse(f"backoffice:{scope}")
        before = database_snapshot()
        response = client.get(url)
        if roles.can(staff, scope):
            assert response.status_code == 200, (role, scope)
            event = AuditEvent.objects.order_by("-seq").first()
            assert event.action == "backoffice.list" and event.data["scope"] == scope
        else:
            assert response.status_code in (403, 404), (role, scope)
            assert_nothing_changed(before)
    landing = client.get(reverse("web:backoffice")).content.decode()
    for scope in roles.scopes_of(role):
        if scope in SECTIONS:
            assert f'href="{reverse(f"backoffice:{scope}")}"' in landing


@pytest.mark.promise("B2")
def test_finance_sees_invoice_numbers_but_no_names(client, personas):
    from waarborg.billing.models import Invoice
    from waarborg.testing.factories import InvoiceFactory

    InvoiceFactory(customer=personas.bob_customer, name_printed="Bakkerij Jansen B.V. t.a.v. B. Jansen")
    sign_in(client, personas.by_role()["finance"])
    page = client.get(reverse("backoffice:invoices")).content.decode()
    invoices = list(Invoice.objects.all()[:5])
    assert invoices
    for invoice in invoices:
        assert invoice.number in page
        assert invoice.name_printed not in page


def test_a_customer_cannot_open_a_list(client, personas):
    sign_in(client, personas.alice)
    assert client.get(reverse("backoffice:invoices")).status_code in (302, 403, 404)
