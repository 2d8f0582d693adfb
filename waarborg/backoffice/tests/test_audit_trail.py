"""The audit-trail view: the privacy officer's, with filters and the chain's verify status."""

import datetime as dt

import pytest
from django.db import transaction

from waarborg.audit.models import AuditEvent
from waarborg.audit.services import audit_head, audit_record
from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.testing.checks import unchanged

URL = "/backoffice/audit/"


def _seqs(response) -> list[int]:
    return [event.seq for event in response.context["page"].object_list]


@pytest.fixture
def trail(personas):
    """A small trail over three days, in the shapes the application records."""
    carol, dave = personas.carol, personas.dave
    alice, bob = personas.alice_customer, personas.bob_customer
    events = {}
    with clock.as_of(dt.date(2025, 3, 3)):
        with transaction.atomic():
            events["search"] = audit_record(
                actor=carol,
                action="customer.search",
                purpose="U5",
                object_type="customers.customer",
                object_ids=[alice.pk],
                data={"kinds": ["email"], "results": 1},
            )
    with clock.as_of(dt.date(2025, 3, 4)):
        with transaction.atomic():
            events["view_alice"] = audit_record(
                actor=carol,
                action="customer.view",
                purpose="U5",
                object_type="customers.customer",
                object_ids=[alice.pk],
                subject_ref=f"customer:{alice.pk}",
            )
    with clock.as_of(dt.date(2025, 3, 5)):
        with transaction.atomic():
            events["view_bob"] = audit_record(
                actor=dave,
                action="customer.view",
                purpose="U3",
                object_type="customers.customer",
                object_ids=[bob.pk],
                subject_ref=f"customer:{bob.pk}",
            )
        with transaction.atomic():
            events["system"] = audit_record(actor=SYSTEM, action="retention.sweep", object_type="billing.invoice")
    return events


@pytest.mark.django_db
@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["carol", "dave", "frank", "alice"])
def test_it_is_the_privacy_officer_s_only(office, personas, who):
    client = office(getattr(personas, who))
    with unchanged():
        assert client.get(URL).status_code == 403
        assert client.post(URL + "controleren/").status_code == 403


@pytest.mark.django_db
@pytest.mark.promise("B4")
def test_it_lists_the_events_newest_first_with_the_verify_status(office, personas, trail):
    client = office(personas.erin)
    response = client.get(URL)
    assert response.status_code == 200
    assert _seqs(response) == [4, 3, 2, 1]
    body = response.content.decode()
    seq, head_hash = audit_head()
    assert 'data-verify="intact"' in body and "De audittrail is intact" in body
    assert "4 gebeurtenissen gecontroleerd" in body
    assert head_hash in body and f"#{seq}" in body
    assert '<th scope="col">' in body and "customer.view" in body


@pytest.mark.django_db
@pytest.mark.promise("B4")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "customer.view"}, ["view_bob", "view_alice"]),
        ({"actor": "system"}, ["system"]),
        ({"object_type": "billing.invoice"}, ["system"]),
        ({"purpose": "U3"}, ["view_bob"]),
        ({"since": "2025-03-04", "until": "2025-03-04"}, ["view_alice"]),
        ({"since": "2025-03-04"}, ["system", "view_bob", "view_alice"]),
        ({"until": "2025-03-03"}, ["search"]),
        ({"action": "customer.view", "purpose": "U5"}, ["view_alice"]),
        ({"action": "customer.delete"}, []),
    ],
)
def test_it_filters_the_trail(office, personas, trail, params, expected):
    client = office(personas.erin)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert _seqs(response) == [trail[name].seq for name in expected]


@pytest.mark.django_db
@pytest.mark.promise("B4")
def test_it_filters_by_actor_and_data_subject(office, personas, trail):
    client = office(personas.erin)
    response = client.get(URL, {"actor": f"account:{personas.carol.pk}"})
    assert _seqs(response) == [trail["view_alice"].seq, trail["search"].seq]
    response = client.get(URL, {"subject_ref": f"customer:{personas.alice_customer.pk}"})
    assert _seqs(response) == [trail["view_alice"].seq]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"actor": "alice.devries@example.nl"}, "actor"),
        ({"subject_ref": "0612345678"}, "subject_ref"),
        ({"purpose": "U99"}, "purpose"),
        ({"since": "2025-02-30"}, "since"),
        ({"since": "2025-03-05", "until": "2025-03-01"}, "until"),
    ],
)
def test_it_rerenders_wrong_filters_with_field_errors(office, personas, trail, params, field):
    client = office(personas.erin)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["page"] is None
    assert f'id="id_{field}_error"' in response.content.decode()


@pytest.mark.django_db
def test_it_pages_and_keeps_the_filters(office, personas):
    for n in range(55):
        with transaction.atomic():
            audit_record(actor=SYSTEM, action="test.tick", object_ids=[n])
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="test.other")
    client = office(personas.erin)
    first = client.get(URL, {"action": "test.tick"})
    assert len(_seqs(first)) == 50 and _seqs(first)[0] == 55
    body = first.content.decode()
    assert 'href="?action=test.tick&amp;pagina=2"' in body
    second = client.get(URL, {"action": "test.tick", "pagina": "2"})
    assert _seqs(second) == [5, 4, 3, 2, 1]
    assert 'href="?action=test.tick&amp;pagina=1"' in second.content.decode()


@pytest.mark.django_db
@pytest.mark.promise("B4")
def test_it_reuses_the_verify_result_for_a_minute_or_verifies_on_request(office, personas, trail):
    client = office(personas.erin)
    assert client.get(URL).context["status"].checked == 4
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="test.tick")
    assert client.get(URL).context["status"].checked == 4  # from the cache
    response = client.post(URL + "controleren/", {"query": "action=customer.view"})
    assert response.status_code == 302 and response["Location"] == URL + "?action=customer.view"
    assert client.get(URL).context["status"].checked == 5
    with unchanged():
        assert client.get(URL + "controleren/").status_code == 405


@pytest.mark.django_db
@pytest.mark.promise("B4")
def test_it_shows_a_broken_chain_and_its_first_bad_event(office, personas, trail, settings):
    settings.WAARBORG_AUDIT_KEY = "another key: every stored hash now fails"
    client = office(personas.erin)
    response = client.post(URL + "controleren/")
    body = client.get(URL).content.decode()
    assert response.status_code == 302
    assert 'data-verify="broken"' in body and "De audittrail is beschadigd" in body
    assert "De eerste foute gebeurtenis is #1." in body and 'role="alert"' in body


@pytest.mark.django_db
def test_it_records_nothing_itself(office, personas, trail):
    client = office(personas.erin)
    before = AuditEvent.objects.count()
    client.get(URL, {"action": "customer.view"})
    client.post(URL + "controleren/")
    assert AuditEvent.objects.count() == before
