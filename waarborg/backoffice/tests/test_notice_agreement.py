"""Letters by e-mail on a customer's record (art. 6:227a BW): support and finance record the
customer's agreement and withdraw it; bad input and other roles change nothing (A5, B2)."""

import datetime as dt

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.customers.models import NoticeAgreement
from waarborg.customers.services import notice_agreement_record, notice_agreement_withdraw
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db
TERMS = "Algemene voorwaarden, art. 4.3"


def _record_url(customer) -> str:
    return f"/backoffice/klanten/{customer.pk}/brieven-per-email/"


def _withdraw_url(customer) -> str:
    return f"/backoffice/klanten/{customer.pk}/brieven-per-email/intrekken/"


def _agree(customer, **kw):
    values = {
        "source": "contract",
        "agreed_on": dt.date(2025, 1, 10),
        "reference": TERMS,
        "recorded_at": clock.now(),
    }
    return NoticeAgreement.objects.create(customer=customer, **(values | kw))


@pytest.mark.promise("A5", "B4")
@pytest.mark.parametrize(("who", "purpose"), [("carol", "U5"), ("dave", "U3")])
def test_support_and_finance_record_the_agreement_on_the_record(office, personas, who, purpose):
    customer = personas.bob_customer
    client = office(getattr(personas, who))
    page = client.get(f"/backoffice/klanten/{customer.pk}/?doel={purpose}").content.decode()
    assert 'data-section="notice_agreement"' in page and 'data-agreement="none"' in page
    assert 'data-form="notice-agreement-record"' in page and 'data-form="notice-agreement-withdraw"' not in page
    day = clock.today() - dt.timedelta(days=3)
    data = {"source": "contract", "agreed_on": day.isoformat(), "reference": TERMS, "doel": purpose}
    response = client.post(_record_url(customer), data)
    assert response.status_code == 302
    assert response["Location"] == f"/backoffice/klanten/{customer.pk}/?doel={purpose}#brieven-per-email"
    agreement = NoticeAgreement.objects.get(customer=customer)
    assert (agreement.source, agreement.agreed_on, agreement.reference) == ("contract", day, TERMS)
    assert agreement.withdrawn_on is None and agreement.recorded_by == getattr(personas, who)
    event = AuditEvent.objects.filter(action="customer.notice_agreement.record").get()
    assert event.object_ids == [str(agreement.pk)] and event.subject_ref == f"customer:{customer.pk}"
    assert TERMS not in str(event.data)
    page = client.get(response["Location"]).content.decode()
    assert 'data-agreement="standing"' in page and TERMS in page
    assert 'data-form="notice-agreement-withdraw"' in page


@pytest.mark.promise("A5")
def test_support_withdraws_the_agreement(office, personas):
    customer = personas.alice_customer
    agreement = _agree(customer)
    client = office(personas.carol)
    day = clock.today()
    response = client.post(_withdraw_url(customer), {"withdrawn_on": day.isoformat(), "doel": "U5"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.withdrawn_on == day and not agreement.stands_on(day)
    assert AuditEvent.objects.filter(
        action="customer.notice_agreement.withdraw", object_ids=[str(agreement.pk)]
    ).exists()
    page = client.get(f"/backoffice/klanten/{customer.pk}/?doel=U5").content.decode()
    assert 'data-agreement="withdrawn"' in page and 'data-form="notice-agreement-withdraw"' not in page


@pytest.mark.promise("A5")
@pytest.mark.parametrize(
    ("url", "data", "field", "dutch"),
    [
        ("record", {"agreed_on": "future"}, "agreed_on", None),  # the service's refusal: below
        ("record", {"agreed_on": "2025-02-30"}, "agreed_on", "Vul een datum in"),
        ("record", {"agreed_on": "2025-13-01"}, "agreed_on", "Vul een datum in"),
        ("record", {"reference": ""}, "reference", "Zeg waar de instemming te vinden is"),
        ("record", {"source": "phone"}, "source", None),
        ("withdraw", {"withdrawn_on": "2024-12-31"}, "withdrawn_on", None),  # the service's refusal: below
        ("withdraw", {"withdrawn_on": "gisteren"}, "withdrawn_on", "Vul een datum in"),
    ],
)
def test_bad_input_is_a_form_error_in_dutch_and_changes_nothing(office, personas, url, data, field, dutch):
    customer = personas.alice_customer
    _agree(customer, source="consent", reference="per brief")
    client = office(personas.carol)
    valid = {
        "record": {"source": "contract", "agreed_on": "2025-03-01", "reference": TERMS},
        "withdraw": {"withdrawn_on": clock.today().isoformat()},
    }[url]
    if data.get("agreed_on") == "future":
        data = {"agreed_on": (clock.today() + dt.timedelta(days=1)).isoformat()}
    before = database_snapshot()
    target = _record_url(customer) if url == "record" else _withdraw_url(customer)
    response = client.post(target, valid | data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    if dutch:
        assert dutch in " ".join(errors[field]) and dutch in response.content.decode()
    assert_nothing_changed(before)


def _refusal(personas, customer, url, data) -> ValidationError:
    """What the service itself says to `data` (it changes nothing: it refuses)."""
    with pytest.raises(ValidationError) as refused:
        if url == "record":
            notice_agreement_record(actor=personas.carol, customer=customer, reference=TERMS, **data)
        else:
            notice_agreement_withdraw(actor=personas.carol, customer=customer, on=data["withdrawn_on"])
    return refused.value


@pytest.mark.promise("A5")
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("record", {"source": "contract", "agreed_on": "future"}, "agreed_on"),
        ("withdraw", {"withdrawn_on": "2024-12-31"}, "withdrawn_on"),
    ],
)
def test_a_refusal_of_the_service_shows_at_its_field_in_the_visitors_language(office, personas, lang, url, data, field):
    customer = personas.alice_customer
    _agree(customer, source="consent", reference="per brief")
    client = office(personas.carol)
    client.post("/i18n/setlang/", {"language": lang, "next": "/backoffice/klanten/"})
    if data.get("agreed_on") == "future":
        data = data | {"agreed_on": (clock.today() + dt.timedelta(days=1)).isoformat()}
    before = database_snapshot()
    target = _record_url(customer) if url == "record" else _withdraw_url(customer)
    response = client.post(target, data | {"reference": TERMS})
    assert response.status_code == 400
    assert_nothing_changed(before)
    refusal = _refusal(personas, customer, url, {k: v for k, v in data.items() if k != "reference"})
    assert refusal.field == field
    assert response.context["form"].errors[field] == [refusal.text(lang)]  # the catalogue's words, at the field


@pytest.mark.promise("A5")
def test_the_refusal_reads_in_english_on_an_english_screen(office, personas):
    customer = personas.alice_customer
    client = office(personas.carol)
    client.post("/i18n/setlang/", {"language": "en", "next": "/backoffice/klanten/"})
    before = database_snapshot()
    response = client.post(_withdraw_url(customer), {"withdrawn_on": clock.today().isoformat()})
    assert response.status_code == 400
    refusal = _refusal(personas, customer, "withdraw", {"withdrawn_on": clock.today()})
    assert response.context["form"].non_field_errors() == [refusal.text("en")]  # about the customer: above the form
    assert refusal.text("en") in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["frank", "gina", "alice"])
def test_roles_without_the_customers_scope_change_nothing(office, personas, who):
    customer = personas.bob_customer
    _agree(personas.alice_customer)
    client = office(getattr(personas, who))
    before = database_snapshot()
    record = {"source": "contract", "agreed_on": "2025-03-01", "reference": TERMS}
    assert client.post(_record_url(customer), record).status_code == 403
    assert client.post(_withdraw_url(personas.alice_customer), {"withdrawn_on": "2026-01-01"}).status_code == 403
    assert client.get(_record_url(customer)).status_code == 403
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_a_customer_that_does_not_exist_is_not_found_and_nothing_changes(office, personas):
    client = office(personas.carol)
    before = database_snapshot()
    data = {"source": "contract", "agreed_on": "2025-03-01", "reference": TERMS}
    assert client.post("/backoffice/klanten/999999/brieven-per-email/", data).status_code == 404
    assert_nothing_changed(before)


@pytest.mark.promise("B1")
def test_the_forms_are_csrf_protected(personas):
    from django.test import Client

    from waarborg.auth_web import testing

    client = Client(enforce_csrf_checks=True)
    testing.sign_in(client, personas.carol)
    before = database_snapshot()
    data = {"source": "contract", "agreed_on": "2025-03-01", "reference": TERMS}
    assert client.post(_record_url(personas.bob_customer), data).status_code == 403
    assert_nothing_changed(before)
