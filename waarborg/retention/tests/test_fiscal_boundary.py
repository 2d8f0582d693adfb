"""The fiscal term (R3) ends on 31 December of the invoice year + 7 years: kept that day, gone the next.

AWR art. 52(4): the administration is kept 7 years, counted from the end of the year the record
belongs to (the conservative reading). So an invoice of 2019 is kept up to and including
31 December 2026 and erased on 1 January 2027 — by the daily sweep, in the erasure plan's
"kept until", and in the words of the access report. The dates below are written out from that
rule, not computed by the code's helpers.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from waarborg.billing.models import Invoice, InvoiceLine, Payment
from waarborg.core import clock
from waarborg.core.datamap import AMSTERDAM
from waarborg.erasure.cases import erasure_request
from waarborg.erasure.plan import erasure_plan
from waarborg.exports.access import access_package_content
from waarborg.subjects.finder import Query, subject_find
from waarborg.testing import factories as f

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2019, 6, 10)
LAST_DAY = dt.date(2026, 12, 31)  # 31 December 2019 + 7 years
GONE = dt.date(2027, 1, 1)


def daily(day: dt.date) -> str:
    out = io.StringIO()
    call_command("daily", "--as-of", day.isoformat(), "--only", "retention", stdout=out)
    return out.getvalue()


@pytest.fixture
def invoice(personas):
    made = f.InvoiceFactory(
        customer=personas.bob_customer,
        billing_contact=personas.bob_contact,
        issue_date=ISSUED,
        status=Invoice.Status.PAID,
        amount_paid=Decimal("121.00"),
    )
    f.InvoiceLineFactory(invoice=made)
    f.PaymentFactory(
        invoice=made,
        amount=Decimal("121.00"),
        received_at=dt.datetime(2019, 6, 20, 10, 0, tzinfo=AMSTERDAM),
    )
    return made


def _present(invoice) -> bool:
    return (
        Invoice.objects.filter(pk=invoice.pk).exists()
        and InvoiceLine.objects.filter(invoice_id=invoice.pk).exists()
        and Payment.objects.filter(invoice_id=invoice.pk).exists()
    )


@pytest.mark.promise("R3")
def test_the_daily_sweep_keeps_an_invoice_on_its_last_day_and_erases_it_the_day_after(invoice):
    daily(dt.date(2026, 12, 30))
    assert _present(invoice)
    out = daily(LAST_DAY)
    assert _present(invoice) and "fiscal_7y=0" in out
    out = daily(GONE)
    assert not Invoice.objects.filter(pk=invoice.pk).exists()
    assert not InvoiceLine.objects.filter(invoice_id=invoice.pk).exists()
    assert not Payment.objects.filter(invoice_id=invoice.pk).exists()
    assert "fiscal_7y=3" in out  # the payment, the line and the invoice


@pytest.mark.promise("R3", "R4")
def test_a_locked_invoice_stays_locked_on_its_last_day_and_goes_the_day_after(
    personas, invoice, django_capture_on_commit_callbacks
):
    customer = personas.bob_customer
    with clock.as_of(dt.date(2026, 6, 1)), django_capture_on_commit_callbacks(execute=True):
        erasure_request(actor=personas.erin, query=Query(customer_number=customer.number), reason="verzoek")
    invoice.refresh_from_db()
    assert invoice.restricted_at is not None  # locked away (R4)
    daily(LAST_DAY)
    assert Invoice.objects.filter(pk=invoice.pk, restricted_at__isnull=False).exists()
    daily(GONE)
    assert not Invoice.objects.filter(pk=invoice.pk).exists()
    assert not Invoice.objects.filter(customer=customer).exists()


@pytest.mark.promise("R3", "G3")
def test_the_erasure_plan_keeps_it_until_31_december_and_lets_it_go_on_1_january(personas, invoice):
    hits = subject_find(Query(customer_number=personas.bob_customer.number))

    def row(day):
        return next(r for r in erasure_plan(hits, day=day).rows if r.model == "billing.Invoice" and r.pk == invoice.pk)

    kept = row(LAST_DAY)
    assert kept.stays and kept.until == LAST_DAY
    assert {fa.until for fa in kept.fields if fa.action == "retain"} == {LAST_DAY}
    assert row(GONE).action == "delete"
    plan = erasure_plan(hits, day=dt.date(2026, 6, 1))
    assert "tot en met 31-12-2026" in plan.notice("nl") and "up to and including 2026-12-31" in plan.notice("en")


@pytest.mark.promise("R3", "G1")
def test_the_access_report_names_the_last_day_and_the_day_it_goes(personas, invoice):
    with clock.as_of(dt.date(2026, 6, 1)):
        package = access_package_content(hits=subject_find(Query(customer_number=personas.bob_customer.number)))
    d7 = next(c for c in package.data["categories"] if c["id"] == "D7")
    record = next(r for r in d7["records"] if r["record"] == f"billing.Invoice#{invoice.pk}")
    (kept,) = record["retention"]
    assert (kept["kept_until"], kept["erase_on"]) == ("2026-12-31", "2027-01-01")
    assert kept["text"]["nl"] == "tot en met 31 december 2026; gewist op 1 januari 2027"
    assert kept["text"]["en"] == "up to and including 31 December 2026; erased on 1 January 2027"
    nl, en = package.html["nl"], package.html["en"]
    assert "Bewaartermijn: tot en met 31 december 2026; gewist op 1 januari 2027" in nl
    assert "Kept: up to and including 31 December 2026; erased on 1 January 2027" in en
    rule = next(r for r in d7["art15"]["d"] if r["rule"] == "fiscal_7y")
    assert "tot en met 31 december van het factuurjaar plus 7 jaar" in rule["text"]["nl"]
    assert "erased on the 1 January after that" in rule["text"]["en"]
