"""The erasure plan: every row and field of the subject with its action, basis and term."""

import datetime as dt
import inspect
from decimal import Decimal

import pytest

from waarborg.billing.models import Invoice
from waarborg.core import clock, datamap
from waarborg.erasure import plan as plan_module
from waarborg.erasure.plan import erasure_plan
from waarborg.erasure.tests.world import build_alice
from waarborg.subjects.finder import Query, subject_find
from waarborg.testing import factories as f

pytestmark = pytest.mark.django_db

EMAIL = "alice.devries@example.nl"


def _plan(email=EMAIL, **kw):
    return erasure_plan(subject_find(Query(email=email)), **kw)


def _row(plan, label, pk):
    return next(r for r in plan.rows if r.model == label and r.pk == pk)


@pytest.mark.promise("G3", "R1", "R3")
def test_it_plans_every_row_with_its_action_and_the_day_a_kept_row_goes(personas):
    world = build_alice(personas)
    plan = _plan()
    assert not plan.holds
    actions = {(r.model, r.action) for r in plan.rows}
    for label in (
        "customers.Contact",
        "accounts.Account",
        "accounts.LoginEvent",
        "billing.PaymentMethod",
        "catalogue.Subscription",
        "correspondence.Ticket",
        "correspondence.Message",
        "correspondence.Attachment",
        "consents.ConsentRecord",
        "correspondence.Complaint",
        "customers.ContactHistory",
        "careers.JobApplication",
    ):
        assert (label, "delete") in actions, label
    invoice = _row(plan, "billing.Invoice", world.paid_invoice.pk)
    year = world.paid_invoice.issue_date.year
    assert invoice.action == "keep" and invoice.restrict
    assert invoice.until == dt.date(year + 7, 12, 31)
    kept = {fa.field: fa for fa in invoice.fields}
    assert kept["name_printed"].action == "retain" and kept["name_printed"].basis == "legal_obligation"
    customer = _row(plan, "customers.Customer", world.customer.pk)
    assert customer.action == "update" and customer.restrict and customer.for_refs
    assert customer.updates == {"name": "[gewist]"}
    assert customer.until == max(r.until for r in plan.rows if r.model == "billing.Invoice")
    document = _row(plan, "customers.Document", world.document.pk)
    assert document.restrict and document.until == clock.today().replace(year=clock.today().year + 7)
    assert _row(plan, "correspondence.Attachment", world.attachment.pk).files == [world.attachment.file.name]
    assert {"D2", "D3", "D4", "D6"} <= set(plan.categories())
    assert plan.row_counts()["customers.Contact"] == 1 and plan.row_counts()["billing.Invoice"] == 3  # locked
    assert plan.identifiers["email"] == {EMAIL}
    assert plan.identifiers["customer_number"] == {world.customer.number}
    assert "Alice de Vries" in plan.identifiers["name"]


@pytest.mark.promise("G3")
def test_it_tells_the_subject_what_was_erased_and_kept_why_and_until_when(personas):
    world = build_alice(personas)
    plan = _plan()
    year = world.invoices[-1].issue_date.year + 7
    nl, en = plan.notice("nl"), plan.notice("en")
    assert "Wat we hebben gewist" in nl and "Wat we hebben bewaard, waarom en tot wanneer" in nl
    assert f"tot en met 31-12-{year}" in nl and "Wettelijke verplichting (art. 6(1)(c))" in nl
    assert "Afgeschermd" in nl and "Autoriteit Persoonsgegevens" in nl
    assert "What we erased" in en and f"up to and including {year}-12-31" in en and "Legal obligation" in en
    assert "E-mail address" not in en or "e-mail address" in en.lower()
    for text in (nl, en):
        assert EMAIL not in text and "Alice" not in text  # the notice names categories, not values


@pytest.mark.promise("G3")
def test_it_reads_the_plan_from_the_map_alone():
    source = inspect.getsource(plan_module)
    for entry in datamap.entries():
        assert entry.label not in source, entry.label
        assert f"{entry.model.__name__}.objects" not in source, entry.model.__name__
    imports = [line.split()[1] for line in source.splitlines() if line.startswith(("from waarborg", "import waarborg"))]
    assert set(imports) <= {
        "waarborg.core",
        "waarborg.core.identifiers",
        "waarborg.erasure",
        "waarborg.subjects.finder",
    }


@pytest.mark.promise("G3", "R1")
def test_it_holds_the_erasure_while_an_invoice_is_unpaid_or_disputed(personas):
    build_alice(personas, unpaid=True)
    plan = _plan()
    assert [h.code for h in plan.holds] == ["open_claim"]
    assert "17(3)(e)" in plan.holds[0].article
    assert "Nog niet uitgevoerd" in plan.notice("nl")


@pytest.mark.promise("R1", "R2")
def test_it_holds_the_erasure_while_a_service_still_runs(personas):
    build_alice(personas, running=True)
    assert [h.code for h in _plan().holds] == ["active_contract"]
    assert _plan(waive=("active_contract",)).holds == []


@pytest.mark.promise("G3", "B2")
def test_it_leaves_a_companys_records_in_use_when_its_contact_person_is_erased(personas):
    bob = personas.bob
    company = bob.contact.customer
    invoice = f.InvoiceFactory(customer=company, billing_contact=bob.contact, name_printed="Bakkerij Jansen B.V.")
    plan = _plan("bob@bakkerijjansen.example")
    assert _row(plan, "customers.Contact", bob.contact.pk).action == "delete"
    row = _row(plan, "billing.Invoice", invoice.pk)
    assert row.shared and row.action == "keep" and not row.restrict
    assert not any(r.model == "customers.Customer" for r in plan.rows)
    assert plan.holds == []  # the company's own open invoice is not Bob's claim


@pytest.mark.promise("R3")
def test_it_deletes_fiscal_records_whose_term_has_passed_instead_of_keeping_them(personas):
    customer = personas.alice_customer
    old = f.InvoiceFactory(
        customer=customer,
        billing_contact=personas.alice_contact,
        issue_date=dt.date(clock.today().year - 8, 3, 1),
        status=Invoice.Status.PAID,
        amount_paid=Decimal("121.00"),
    )
    plan = _plan()
    assert _row(plan, "billing.Invoice", old.pk).action == "delete"
    assert _row(plan, "customers.Customer", customer.pk).action == "delete"  # nothing kept refers to it
