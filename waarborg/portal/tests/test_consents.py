"""Consents in the portal: state, give and withdraw with the same effort, history (C1, G4)."""

import re

import pytest
from django.test import Client

from waarborg.auth_web import testing
from waarborg.consents.models import CONSENT_PURPOSES, ConsentRecord
from waarborg.consents.selectors import consent_is_given
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

URL = "/portaal/toestemmingen/"
CHANGE = "/portaal/toestemmingen/wijzigen/"


def _form_of(body: str, kind: str) -> str:
    row = re.search(rf'<tr data-consent="{kind}".*?</tr>', body, re.S).group(0)
    return re.search(r"<form.*?</form>", row, re.S).group(0)


def _shape(form_html: str) -> str:
    """A form with what differs between giving and withdrawing taken out."""
    form_html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form_html)
    form_html = re.sub(r'value="(give|withdraw)"', 'value="ACTION"', form_html)
    return re.sub(r">[^<]+</button>", ">LABEL</button>", form_html)


def test_it_lists_every_kind_with_its_state(as_alice, alice):
    f.ConsentRecordFactory(account=alice, kind="cookies_analytics", policy_version="2025-01")
    response = as_alice.get(URL)
    body = response.content.decode()
    for kind, (nl, _en, _purposes) in CONSENT_PURPOSES.items():
        assert f'data-consent="{kind}"' in body and nl in body
    states = {view.kind: view.state for view in response.context["consents"]}
    assert states == {"marketing_email": "never", "cookies_analytics": "given", "cookies_marketing": "never"}
    assert '<th scope="col">Status</th>' in body


@pytest.mark.promise("C1", "G4")
def test_it_gives_and_withdraws_with_the_same_effort(as_alice, alice, settings):
    settings.WAARBORG_POLICY_VERSION = "2026-03"
    kind = "marketing_email"
    give_form = _form_of(as_alice.get(URL).content.decode(), kind)
    assert give_form.count("<button") == 1 and 'value="give"' in give_form

    response = as_alice.post(CHANGE, {"kind": kind, "action": "give"})
    assert response.status_code == 302 and response["Location"] == URL
    assert consent_is_given(kind=kind, account=alice, policy_version="2026-03")
    record = ConsentRecord.objects.get(account=alice, kind=kind)
    assert record.granted and record.policy_version == "2026-03" and record.source == "portal"
    assert record.contact_id == alice.contact_id and record.given_at is not None
    assert_clean_event(last_event(), action="consent.give", values=[alice.email])

    withdraw_form = _form_of(as_alice.get(URL).content.decode(), kind)
    assert withdraw_form.count("<button") == 1 and 'value="withdraw"' in withdraw_form
    # the same form, the same single button with the same look: only the action and its words differ
    assert _shape(withdraw_form) == _shape(give_form)

    response = as_alice.post(CHANGE, {"kind": kind, "action": "withdraw"})
    assert response.status_code == 302 and response["Location"] == URL
    assert not consent_is_given(kind=kind, account=alice)
    record.refresh_from_db()
    assert record.withdrawn_at is not None and record.policy_version == "2026-03"
    assert_clean_event(last_event(), action="consent.withdraw", values=[alice.email])
    body = as_alice.get(URL).content.decode()
    assert "U hebt uw toestemming ingetrokken voor: Nieuwsbrief en aanbiedingen per e-mail." in body


@pytest.mark.promise("C1")
def test_it_shows_the_history_with_what_when_and_version(as_alice, alice, settings):
    settings.WAARBORG_POLICY_VERSION = "2026-03"
    f.ConsentRecordFactory(account=alice, kind="cookies_marketing", policy_version="2024-07")
    as_alice.post(CHANGE, {"kind": "cookies_marketing", "action": "withdraw"})
    as_alice.post(CHANGE, {"kind": "cookies_marketing", "action": "give"})
    response = as_alice.get(URL)
    history = [
        (record.kind, record.policy_version, record.withdrawn_at is not None)
        for record, _ in response.context["history"]
    ]
    assert history == [("cookies_marketing", "2026-03", False), ("cookies_marketing", "2024-07", True)]
    body = response.content.decode()
    table = re.search(r'<table class="consent-history">.*?</table>', body, re.S).group(0)
    assert table.count("Marketingcookies") == 2 and "2024-07" in table and "2026-03" in table


def test_it_says_when_a_consent_predates_the_current_policy(as_alice, alice, settings):
    settings.WAARBORG_POLICY_VERSION = "2026-03"
    f.ConsentRecordFactory(account=alice, kind="marketing_email", policy_version="2024-07")
    response = as_alice.get(URL)
    view = next(v for v in response.context["consents"] if v.kind == "marketing_email")
    assert view.state == "given_earlier_version" and view.action == "withdraw"
    assert "onder een eerdere versie van het beleid (2024-07)" in response.content.decode()


def test_it_does_not_record_a_second_consent_under_the_same_version(as_alice, alice):
    as_alice.post(CHANGE, {"kind": "cookies_analytics", "action": "give"})
    before = database_snapshot()
    as_alice.post(CHANGE, {"kind": "cookies_analytics", "action": "give"})
    assert_nothing_changed(before)


@pytest.mark.promise("G4")
def test_it_touches_only_the_signed_in_persons_consents(as_alice, alice, bob):
    bobs = f.ConsentRecordFactory(account=bob, kind="marketing_email")
    as_alice.post(CHANGE, {"kind": "marketing_email", "action": "withdraw"})
    bobs.refresh_from_db()
    assert bobs.withdrawn_at is None
    assert "bob" not in as_alice.get(URL).content.decode().lower()


@pytest.mark.parametrize(
    "data", [{"kind": "everything", "action": "give"}, {"kind": "marketing_email", "action": "x"}, {}]
)
def test_it_refuses_an_unknown_kind_or_action(as_alice, data):
    before = database_snapshot()
    assert as_alice.post(CHANGE, data).status_code == 400
    assert_nothing_changed(before)


def test_it_changes_only_by_post(as_alice):
    before = database_snapshot()
    assert as_alice.get(CHANGE + "?kind=marketing_email&action=give").status_code == 405
    assert_nothing_changed(before)


@pytest.mark.promise("C1")
def test_it_refuses_a_change_without_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    testing.sign_in(client, alice)
    page = client.get(URL).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    before = database_snapshot()
    assert client.post(CHANGE, {"kind": "marketing_email", "action": "give"}).status_code == 403
    assert_nothing_changed(before)
