"""The newsletter: only with consent and without objection; one-click unsubscribe (U10, G4, G5)."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from waarborg.consents.models import ConsentRecord
from waarborg.consents.selectors import consent_is_given
from waarborg.core import clock
from waarborg.engagement.newsletter import unsubscribe_token, unsubscribe_url
from waarborg.privacy.answers import privacy_request_complete
from waarborg.privacy.intake import privacy_request_create
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged
from waarborg.testing.smtp import free_port

pytestmark = pytest.mark.django_db

SUBJECT = "Nieuws van Duinhost: snellere webhosting"
BODY = "Beste klant,\n\nOnze webhosting is sneller geworden.\n\nGroet, Duinhost"


@pytest.fixture
def body_file(tmp_path):
    path = tmp_path / "nieuwsbrief.txt"
    path.write_text(BODY, encoding="utf-8")
    return str(path)


def _send(body_file, *extra):
    call_command("marketing", "send", "--subject", SUBJECT, "--body-file", body_file, *extra)


def _newsletters(smtp_server):
    return [m for m in smtp_server.settle() if m["Subject"] == SUBJECT]


@pytest.fixture
def cast(personas, erin, smtp_server):
    """alice consents; bob consents but objected to tailoring (U10); others never, no longer, ended or locked."""
    alice, bob = personas.alice, personas.bob
    f.ConsentRecordFactory(account=alice, kind="marketing_email")
    f.ConsentRecordFactory(account=bob, kind="marketing_email")
    objection = privacy_request_create(actor=bob, type="objection", channel="portal", purposes=["U10"])
    privacy_request_complete(actor=erin, request=objection)
    organisation = personas.bob_customer
    withdrew = f.ContactFactory(customer=organisation, email="dina@bakkerijjansen.example")
    f.ConsentRecordFactory(account=None, contact=withdrew, kind="marketing_email", withdrawn_at=clock.now())
    refused = f.ContactFactory(customer=organisation, email="eef@bakkerijjansen.example")
    f.ConsentRecordFactory(account=None, contact=refused, kind="marketing_email", granted=False)
    never = f.ContactFactory(customer=organisation, email="gijs@bakkerijjansen.example")
    locked_customer = f.CustomerFactory(name="Oud B.V.", restricted_at=clock.now())
    locked = f.ContactFactory(customer=locked_customer, email="hans@oud.example")
    f.ConsentRecordFactory(account=None, contact=locked, kind="marketing_email")
    ended_customer = f.CustomerFactory(name="Gestopt B.V.", status="ended", ended_at=clock.now())
    ended = f.ContactFactory(customer=ended_customer, email="ilse@gestopt.example")
    f.ConsentRecordFactory(account=None, contact=ended, kind="marketing_email")
    return {
        "alice": alice.contact,
        "others": [bob.contact, withdrew, refused, never, locked, ended],
    }


@pytest.mark.promise("U10", "G4", "G5")
def test_it_mails_only_contact_persons_whose_consent_stands_and_who_did_not_object(
    cast, smtp_server, body_file, capsys
):
    _send(body_file)
    assert (
        "sent 1; not sent: 3 without consent, 1 objected, withdrew or restricted, 2 ended or locked away"
        in capsys.readouterr().out
    )
    newsletters = _newsletters(smtp_server)
    assert [m["To"] for m in newsletters] == [cast["alice"].email]  # one mail, to her alone
    mail = newsletters[0]
    body = smtp_server.body(mail)
    assert "Onze webhosting is sneller geworden." in body
    url = unsubscribe_url(cast["alice"])
    assert url.startswith("http://localhost:8000/nieuwsbrief/afmelden/") and url in body
    assert "Afmelden met één klik" in body and "Unsubscribe with one click" in body
    assert mail["List-Unsubscribe"].strip() == f"<{url}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    event = last_event()
    assert_clean_event(
        event, action="newsletter.send", values=[cast["alice"].email, *(o.email for o in cast["others"])]
    )
    assert event.data == {"sent": 1, "without_consent": 3, "stopped": 1, "locked": 2, "failed": 0, "dry_run": False}
    assert event.object_ids == [] and event.subject_ref == "" and event.purpose == "U6"


@pytest.mark.promise("G4", "U10")
def test_it_unsubscribes_with_one_click_on_the_link_in_the_mail(cast, smtp_server, body_file):
    _send(body_file)
    url = unsubscribe_url(cast["alice"])
    assert url in smtp_server.body(_newsletters(smtp_server)[0])
    path = url.removeprefix("http://localhost:8000")

    response = Client().get(path)
    assert response.status_code == 200 and "U bent afgemeld" in response.content.decode()
    assert cast["alice"].email not in response.content.decode()
    assert not consent_is_given(kind="marketing_email", contact=cast["alice"])
    record = ConsentRecord.objects.get(contact=cast["alice"], kind="marketing_email")
    assert record.withdrawn_at is not None and record.granted and record.policy_version == "2025-01"
    assert_clean_event(last_event(), action="consent.withdraw", values=[cast["alice"].email])
    assert last_event().actor == "unsubscribe_link"

    with unchanged():
        assert Client().get(path).status_code == 200  # the link again: nothing left to withdraw

    _send(body_file)
    assert len(_newsletters(smtp_server)) == 1  # nothing more for anyone


@pytest.mark.promise("G4")
def test_it_takes_the_mail_programs_one_click_post_without_a_form(cast):
    path = unsubscribe_url(cast["alice"]).removeprefix("http://localhost:8000")
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not consent_is_given(kind="marketing_email", contact=cast["alice"])


@pytest.mark.promise("G4")
def test_it_refuses_a_forged_or_broken_link(cast, client):
    token = unsubscribe_token(cast["alice"])
    with unchanged():
        for bad in (token[:-2] + "xx", "1:abc:def", "niets"):
            response = client.get(f"/nieuwsbrief/afmelden/{bad}/")
            assert response.status_code == 404 and "Deze afmeldlink werkt niet" in response.content.decode()
    assert consent_is_given(kind="marketing_email", contact=cast["alice"])


@pytest.mark.promise("G4", "U10")
def test_it_mails_nobody_who_withdrew_by_privacy_request(personas, erin, smtp_server, body_file):
    alice = personas.alice
    f.ConsentRecordFactory(account=alice, kind="marketing_email")
    request = privacy_request_create(
        actor=alice, type="withdrawal", channel="portal", consent_kinds=["marketing_email"]
    )
    privacy_request_complete(actor=erin, request=request)
    _send(body_file)
    assert _newsletters(smtp_server) == []
    assert last_event().data["sent"] == 0


@pytest.mark.promise("U10")
def test_it_sends_nothing_on_a_dry_run(cast, smtp_server, body_file, capsys):
    before = len(smtp_server.settle())
    _send(body_file, "--dry-run")
    assert "would send 1;" in capsys.readouterr().out
    assert len(smtp_server.settle()) == before
    assert_clean_event(last_event(), action="newsletter.dry_run", values=[cast["alice"].email])


def test_it_stops_with_a_clear_error_when_the_mail_server_is_down(cast, settings, body_file):
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with pytest.raises(CommandError, match="the mail server failed") as failure:
        _send(body_file)
    assert failure.value.returncode == 1
    assert last_event().data | {"error": None} == {
        "sent": 0,
        "without_consent": 3,
        "stopped": 1,
        "locked": 2,
        "failed": 1,
        "dry_run": False,
        "error": None,
    }


def test_it_refuses_bad_input_before_anything_happens(cast, smtp_server, tmp_path, body_file):
    empty = tmp_path / "leeg.txt"
    empty.write_text("  \n", encoding="utf-8")
    before = database_snapshot()
    for args in (
        ("send", "--subject", " ", "--body-file", body_file),
        ("send", "--subject", "Twee\nregels", "--body-file", body_file),
        ("send", "--subject", SUBJECT, "--body-file", str(empty)),
        ("send", "--subject", SUBJECT, "--body-file", str(tmp_path / "bestaat-niet.txt")),
    ):
        with pytest.raises(CommandError) as failure:
            call_command("marketing", *args)
        assert failure.value.returncode == 2
    assert_nothing_changed(before)
    assert _newsletters(smtp_server) == []
