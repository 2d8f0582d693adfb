"""The subject finder: every row about a person, with the rule that linked it."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from waarborg.accounts.models import Account, LoginEvent
from waarborg.audit.models import AuditEvent
from waarborg.billing.models import Invoice
from waarborg.careers.models import JobApplication
from waarborg.catalogue.models import Product, Subscription
from waarborg.core import datamap
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import ValidationError
from waarborg.correspondence.models import Message, Ticket
from waarborg.customers.models import Contact, Customer
from waarborg.customers.services import contact_create
from waarborg.subjects.finder import Query, subject_find
from waarborg.testing import factories
from waarborg.testing.checks import unchanged

pytestmark = [pytest.mark.django_db, pytest.mark.promise("D3", "D4", "D5", "D6")]
NOW = timezone.now()


def _customer(number, kind, name):
    market = "b2c" if kind == "private" else "b2b"
    return Customer.objects.create(number=number, kind=kind, market=market, name=name, created_at=NOW)


def _contact(customer, first, last, email, phone="", postcode="", role="primary"):
    return Contact.objects.create(
        customer=customer,
        role=role,
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        postcode=postcode,
        street="Dorpsstraat 1",
        town="Zutphen",
        created_at=NOW,
    )


def _invoice(customer, number, contact=None):
    return Invoice.objects.create(
        customer=customer,
        billing_contact=contact,
        number=number,
        issue_date=dt.date(2026, 1, 1),
        due_date=dt.date(2026, 1, 15),
        total_excl=Decimal("10.00"),
        vat_amount=Decimal("2.10"),
        total_incl=Decimal("12.10"),
        name_printed="x",
        address_printed="y",
    )


@pytest.fixture
def world():
    w = {}
    product = Product.objects.create(
        code="HOST-S", kind="webhosting", name="Webhosting S", monthly_price=Decimal("5.00")
    )
    # Jan is a private customer, and also the technical contact of a company.
    w["jan_cust"] = _customer("K100001", "private", "J. de Vries")
    w["jan"] = _contact(w["jan_cust"], "Jan", "de Vries", "jan@example.nl", "+31612345678", "7203 EM")
    w["jan_inv"] = _invoice(w["jan_cust"], "F2026-0001", w["jan"])
    w["jan_sub"] = Subscription.objects.create(
        customer=w["jan_cust"], product=product, label="devries.example", start_date=dt.date(2025, 1, 1)
    )
    w["jan_acc"] = Account.objects.create_user("jan@example.nl", "a-long-password-1", contact=w["jan"])
    w["jan_login"] = LoginEvent.objects.create(account=w["jan_acc"], at=NOW, ip_address="192.0.2.10", succeeded=True)

    w["bv"] = _customer("K100002", "organisation", "Bakkerij Jansen B.V.")
    w["piet"] = _contact(w["bv"], "Piet", "Jansen", "piet@jansen.example", "+31201234567", "1013 AB")
    w["els"] = _contact(w["bv"], "Els", "Bakker", "els@jansen.example", "", "1013 AB", role="billing")
    w["jan_at_bv"] = _contact(w["bv"], "Jan", "de Vries", "JAN@example.nl", "", "", role="technical")
    w["bv_inv"] = _invoice(w["bv"], "F2026-0002", w["els"])
    w["piet_acc"] = Account.objects.create_user("piet@jansen.example", "a-long-password-2", contact=w["piet"])
    w["piet_login"] = LoginEvent.objects.create(
        account=w["piet_acc"], at=NOW, ip_address="2001:db8::7", succeeded=False
    )
    w["bv_ticket"] = Ticket.objects.create(
        customer=w["bv"], contact=w["jan_at_bv"], number="T-1", subject="DNS", opened_at=NOW
    )
    w["bv_msg"] = Message.objects.create(
        ticket=w["bv_ticket"], direction="in", from_address="jan@example.nl", body="...", sent_at=NOW
    )
    w["applicant"] = JobApplication.objects.create(
        first_name="Jan", last_name="de Vries", email="jan@example.nl", position="Support", received_at=NOW
    )
    return w


def _keys(hits):
    return {(h.model, h.pk) for h in hits}


def _key(obj):
    return (obj._meta.label, obj.pk)


def test_it_finds_everything_about_a_person_by_email_and_nothing_about_others(world):
    w = world
    hits = subject_find(Query(email="Jan@Example.nl "))
    keys = _keys(hits)
    expected = {
        w["jan"],
        w["jan_cust"],
        w["jan_inv"],
        w["jan_sub"],
        w["jan_acc"],
        w["jan_login"],
        w["jan_at_bv"],
        w["bv_ticket"],
        w["bv_msg"],
        w["applicant"],
    }
    assert {_key(o) for o in expected} <= keys
    # The company Jan works for is not Jan: its record, its invoices and colleagues are not his.
    for other in ("bv", "bv_inv", "piet", "els", "piet_acc", "piet_login"):
        assert _key(w[other]) not in keys, other
    rules = {(h.model, h.pk): h for h in hits}
    assert rules[_key(w["jan"])].rule == "email matches email"
    assert "contact person of this customer" in rules[_key(w["jan_cust"])].rule
    assert rules[_key(w["jan_login"])].field == "account"


def test_the_same_person_is_found_by_phone_in_any_notation(world):
    by_email = _keys(subject_find(Query(email="jan@example.nl")))
    for notation in ("06 12345678", "+31 6 1234 5678", "0031612345678"):
        hits = _keys(subject_find(Query(phone=notation)))
        assert _key(world["jan"]) in hits and _key(world["jan_inv"]) in hits
        assert hits <= by_email


def test_a_customer_number_finds_the_whole_customer(world):
    w = world
    keys = _keys(subject_find(Query(customer_number="k100002")))
    for name in ("bv", "piet", "els", "jan_at_bv", "bv_inv", "piet_acc", "piet_login", "bv_ticket", "bv_msg"):
        assert _key(w[name]) in keys, name
    assert _key(w["jan_cust"]) not in keys and _key(w["jan_inv"]) not in keys


def test_an_ip_address_leads_to_the_person_who_used_it(world):
    w = world
    keys = _keys(subject_find(Query(ip="2001:0db8:0000::0007")))
    assert {_key(w["piet_login"]), _key(w["piet_acc"]), _key(w["piet"])} <= keys
    assert _key(w["bv"]) not in keys and _key(w["els"]) not in keys


def test_name_and_postcode_find_the_person(world):
    keys = _keys(subject_find(Query(name="jan  DE vriës", postcode="7203em")))
    assert _key(world["jan"]) in keys
    assert _key(world["piet"]) not in keys
    assert subject_find(Query(name="Jan de Vries", postcode="1013 AB")) == []


def test_unknown_subjects_give_nothing(world):
    assert subject_find(Query(email="nobody@example.nl")) == []
    assert subject_find(Query(customer_number="K999999")) == []


@pytest.mark.parametrize(
    "query",
    [
        Query(),
        Query(email="not-an-address"),
        Query(phone="12"),
        Query(customer_number="100001"),
        Query(ip="999.1.1.1"),
        Query(name="Jan"),
        Query(postcode="7203 EM"),
        Query(name="Jan", postcode="ABCD"),
    ],
)
def test_malformed_identifiers_are_refused(query):
    with unchanged(), pytest.raises(ValidationError):
        subject_find(query)


def test_every_identifier_lookup_uses_an_index():
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET enable_seqscan = off")
        for entry in datamap.entries():
            for name, p in entry.fields.items():
                if p.identifier is None or p.identifier == "name":
                    continue
                sample = "192.0.2.1" if p.identifier == "ip" else "x"
                plan = entry.model._default_manager.filter(**{name: sample}).values_list("pk").explain()
                assert "index" in plan.lower(), f"{entry.label}.{name}: {plan}"


def test_the_command_prints_json_and_audits_without_values(world, capsys):
    call_command("subject", "find", "--email", "jan@example.nl", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert {"model", "pk", "field", "rule"} == set(rows[0])
    assert ("customers.Contact", world["jan"].pk) in {(r["model"], r["pk"]) for r in rows}
    event = AuditEvent.objects.get(action="subject.find")
    assert "jan" not in json.dumps(event.data) and event.data["by"] == ["email"]


def test_the_command_fails_clearly_on_bad_or_unknown_identifiers(world):
    with unchanged(), pytest.raises(CommandError) as bad:
        call_command("subject", "find", "--ip", "not-an-ip")
    assert bad.value.returncode == 2 and "IP" in str(bad.value)
    searched = {"audit.AuditEvent": "every search is recorded, one that finds nobody too"}
    with unchanged(except_for=searched), pytest.raises(CommandError) as unknown:
        call_command("subject", "find", "--email", "nobody@example.nl")
    assert unknown.value.returncode == 1


def test_a_known_subject_row_leads_to_the_same_rows(world):
    from waarborg.subjects.finder import subject_rows_of

    keys = _keys(subject_rows_of(world["jan_acc"]))
    assert {_key(world[n]) for n in ("jan_acc", "jan", "jan_cust", "jan_inv", "jan_login")} <= keys
    assert _key(world["bv"]) not in keys


@pytest.mark.promise("G2")
def test_the_command_finds_a_customer_abroad_by_phone_and_postcode_with_country(db, capsys):
    customer = factories.CustomerFactory(name="Famille Dubois")
    contact = contact_create(
        actor=SYSTEM,
        customer=customer,
        first_name="Marie",
        last_name="Dubois",
        email="marie@example.be",
        phone="0470 12 34 56",
        postcode="1000",
        town="Brussel",
        country="BE",
    )
    call_command("subject", "find", "--phone", "0470 12 34 56", "--country", "BE", "--format", "json")
    assert ("customers.Contact", contact.pk) in {(r["model"], r["pk"]) for r in json.loads(capsys.readouterr().out)}
    call_command(
        "subject", "find", "--name", "Marie Dubois", "--postcode", "1000", "--country", "be", "--format", "json"
    )
    assert ("customers.Contact", contact.pk) in {(r["model"], r["pk"]) for r in json.loads(capsys.readouterr().out)}
    with unchanged(), pytest.raises(CommandError) as wrong:
        call_command("subject", "find", "--name", "Marie Dubois", "--postcode", "1000", "--country", "DE")
    assert wrong.value.returncode == 2 and "not a postcode of DE" in str(wrong.value)
