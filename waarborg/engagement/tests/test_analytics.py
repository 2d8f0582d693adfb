"""First-party page views: only with consent, and a signed-in person's objection stops them (U8, U9, G4, G5, D9)."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from waarborg.auth_web import testing
from waarborg.core import clock, datamap
from waarborg.core.checks import check_entry
from waarborg.engagement import cookies
from waarborg.engagement.models import PageView
from waarborg.privacy.answers import privacy_request_complete
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.processing_limits import restriction_apply
from waarborg.retention.jobs import retention_sweep
from waarborg.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail(smtp_server):
    """The privacy officer's answers go through a real local SMTP server."""
    return smtp_server


def _accept(client):
    client.get("/")
    client.post("/cookies/keuze/", {"action": "accept_all", "next": "/"})


def _analytics_id(client) -> str:
    return client.cookies[cookies.ANALYTICS_COOKIE].value


@pytest.mark.promise("U8", "U9", "C1")
def test_it_counts_a_page_only_with_consent_and_without_query_or_ids(client, alice):
    client.get("/privacy/?utm_source=mail")
    client.post("/cookies/keuze/", {"action": "refuse_all", "next": "/"})
    client.get("/contact/")
    assert PageView.objects.count() == 0

    client.post("/cookies/keuze/", {"action": "accept_all", "next": "/"})
    client.get("/privacy/?utm_source=mail&email=alice@example.nl")
    view = PageView.objects.get()
    assert view.path == "/privacy/" and view.day == clock.today()
    assert view.device_id == _analytics_id(client) and len(view.device_id) >= 16
    assert view.device_id != client.cookies[cookies.CONSENT_COOKIE].value  # not the number of the consent record
    assert {field.name for field in PageView._meta.get_fields()} == {"id", "path", "day", "device_id"}

    invoice = f.InvoiceFactory(customer=alice.contact.customer, billing_contact=alice.contact)
    testing.sign_in(client, alice)
    client.get(f"/portaal/facturen/{invoice.pk}/")
    assert PageView.objects.filter(path="/portaal/facturen/<int:pk>/").count() == 1
    assert not PageView.objects.filter(path__contains=str(invoice.pk)).exists()


@pytest.mark.promise("U8")
def test_it_counts_no_staff_screens_posts_or_errors(client, personas):
    _accept(client)
    before = PageView.objects.count()
    client.get("/bestaat-niet/")
    client.post("/cookies/keuze/", {"action": "accept_all", "next": "/"})
    client.get("/healthz")
    testing.sign_in(client, personas.frank)
    client.get("/backoffice/")
    assert PageView.objects.count() == before


@pytest.mark.promise("G5", "U8")
def test_it_stops_counting_a_signed_in_person_who_objected(client, alice, erin):
    _accept(client)
    testing.sign_in(client, alice)
    client.get("/portaal/")
    assert PageView.objects.filter(path="/portaal/").count() == 1

    request = privacy_request_create(actor=alice, type="objection", channel="portal", purposes=["U8"])
    privacy_request_complete(actor=erin, request=request)
    response = client.get("/portaal/")
    assert PageView.objects.filter(path="/portaal/").count() == 1  # the browser consented, the person objected
    assert str(response.cookies[cookies.ANALYTICS_COOKIE]["max-age"]) == "0"


@pytest.mark.promise("G4", "U8")
def test_it_stops_counting_a_signed_in_person_who_withdrew_in_the_portal(client, alice):
    f.ConsentRecordFactory(account=alice, kind="cookies_analytics")
    _accept(client)
    testing.sign_in(client, alice)
    client.get("/portaal/")
    assert PageView.objects.count() == 1

    client.post("/portaal/toestemmingen/wijzigen/", {"kind": "cookies_analytics", "action": "withdraw"})
    client.get("/portaal/")
    client.get("/privacy/")
    assert PageView.objects.count() == 1


@pytest.mark.promise("G4", "U8")
def test_it_stops_counting_a_signed_in_person_whose_data_is_restricted(client, alice, erin):
    _accept(client)
    testing.sign_in(client, alice)
    request = privacy_request_create(actor=alice, type="restriction", channel="portal")
    restriction_apply(actor=erin, request=request)
    before = PageView.objects.count()
    client.get("/portaal/")
    assert PageView.objects.count() == before


@pytest.mark.promise("D9", "U8", "U9")
def test_it_declares_page_views_in_the_map_with_a_term_the_sweep_keeps(client):
    entry = datamap.entry_for("engagement.PageView")
    assert check_entry(PageView, entry) == []
    assert {name: (pd.category, pd.basis, pd.retention.key) for name, pd in entry.fields.items()} == {
        "device_id": ("D9", "consent", "analytics_13m"),
        "path": ("D10", "consent", "analytics_13m"),
        "day": ("D10", "consent", "analytics_13m"),
    }
    assert all(pd.purposes == ("U8", "U9") for pd in entry.fields.values())
    assert datamap.RETENTION["analytics_13m"].months == 13

    old = PageView.objects.create(path="/", day=dt.date(2025, 1, 31), device_id="a" * 32)
    young = PageView.objects.create(path="/", day=dt.date(2025, 3, 1), device_id="b" * 32)
    # 31 January 2025 + 13 months = 28 February 2026 (no 31st): its last day; gone on 1 March
    with clock.as_of(dt.date(2026, 2, 28)):
        retention_sweep(dt.date(2026, 2, 28))
    assert PageView.objects.filter(pk=old.pk).exists()
    with clock.as_of(dt.date(2026, 3, 1)):
        retention_sweep(dt.date(2026, 3, 1))
    assert not PageView.objects.filter(pk=old.pk).exists()
    assert PageView.objects.filter(pk=young.pk).exists()


@pytest.mark.promise("U8", "U9")
def test_it_reports_counts_per_page_only(capsys):
    today = clock.today()
    for device, path in (("a", "/"), ("a", "/"), ("b", "/"), ("b", "/privacy/")):
        PageView.objects.create(path=path, day=today, device_id=device * 32)
    PageView.objects.create(path="/contact/", day=today - dt.timedelta(days=40), device_id="c" * 32)
    call_command("analytics", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["pages"] == [{"path": "/", "views": 3, "browsers": 2}, {"path": "/privacy/", "views": 1, "browsers": 1}]
    call_command("analytics")
    out = capsys.readouterr().out
    assert "a" * 32 not in out and "4 views in total" in out
