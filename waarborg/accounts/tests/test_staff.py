"""Staff accounts after creation (B2, B3): list, role change, deactivation and a reset of the
authenticator — through the services and `waarborg staff`. Every change is atomic and audited,
the last active administrator stays, and a deactivated account's sessions end at once and its
open requests go back to the queue."""

import json
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.accounts.models import Account
from waarborg.accounts.staff import staff_deactivate, staff_role_change, staff_second_factor_reset
from waarborg.audit.models import AuditEvent
from waarborg.auth_web.testing import sign_in
from waarborg.core.actors import CLI
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

pytestmark = pytest.mark.django_db


def _staff(*args) -> str:
    out = StringIO()
    call_command("staff", *args, stdout=out)
    return out.getvalue()


def _signed_in(account) -> Client:
    client = Client()
    sign_in(client, account)  # with the authenticator, as staff sign in
    return client


def _sessions_of(account) -> int:
    return sum(1 for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(account.pk))


@pytest.mark.promise("B2")
def test_the_list_shows_every_staff_account_with_role_state_and_authenticator(personas):
    _signed_in(personas.carol)  # sets up her authenticator
    rows = json.loads(_staff("list", "--format", "json"))
    by_email = {row["email"]: row for row in rows}
    assert personas.alice.email not in by_email  # customers' portal accounts are no staff
    assert {personas.carol.email, personas.dave.email, personas.erin.email, personas.frank.email} <= set(by_email)
    carol = by_email[personas.carol.email]
    assert (carol["role"], carol["active"], carol["second_factor"]) == ("support", True, True)
    assert by_email[personas.dave.email]["second_factor"] is False
    text = _staff("list")
    assert personas.carol.email in text and f"{len(rows)} staff account(s)" in text


@pytest.mark.promise("B2", "B3")
def test_a_role_change_is_audited_and_ends_the_sessions_opened_under_the_old_role(personas):
    carol = personas.carol
    _signed_in(carol)
    assert _sessions_of(carol) == 1
    out = _staff("role", "--email", carol.email.upper(), "--role", "finance")
    carol.refresh_from_db()
    assert carol.role == "finance" and _sessions_of(carol) == 0
    assert f"#{carol.pk} now has the role finance" in out
    event = last_event()
    assert (event.action, event.actor, event.data["from"], event.data["to"]) == (
        "account.role_change",
        "cli",
        "support",
        "finance",
    )
    assert_clean_event(event, action="account.role_change", values=[carol.email, carol.display_name])


@pytest.mark.promise("B2", "B3")
def test_deactivation_ends_sessions_at_once_and_hands_open_requests_back(personas):
    erin = personas.erin
    request = privacy_request_create(actor=personas.alice, type="access", channel="portal", handler=erin)
    closed = privacy_request_create(actor=personas.bob, type="access", channel="portal", handler=erin)
    PrivacyRequest.objects.filter(pk=closed.pk).update(status=PrivacyRequest.Status.COMPLETED)
    client = _signed_in(erin)
    assert client.get("/backoffice/verzoeken/").status_code == 200

    out = _staff("deactivate", "--email", erin.email)

    erin.refresh_from_db()
    assert not erin.is_active and erin.deactivated_at is not None
    assert _sessions_of(erin) == 0
    assert client.get("/backoffice/verzoeken/").status_code in (302, 403)  # signed out at once
    assert PrivacyRequest.objects.get(pk=request.pk).handler_id is None  # back in the queue
    assert PrivacyRequest.objects.get(pk=closed.pk).handler_id == erin.pk  # history stays
    assert "1 session(s) ended; back to the queue: privacy requests: 1" in out
    actions = list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:3])
    assert actions == ["account.work_handed_back", "privacy.request.unassign", "account.deactivate"]
    assert_clean_event(last_event(), action="account.work_handed_back", values=[erin.email])


@pytest.mark.promise("B3")
def test_a_reset_removes_the_authenticator_and_the_sessions(personas):
    carol = personas.carol
    _signed_in(carol)
    out = _staff("reset-2fa", "--email", carol.email)
    assert not TOTPDevice.objects.filter(user=carol).exists() and _sessions_of(carol) == 0
    assert "1 session(s) ended" in out
    assert last_event().action == "account.second_factor.off"


@pytest.mark.promise("B2")
def test_the_last_active_administrator_can_be_neither_demoted_nor_deactivated(personas):
    frank = personas.frank
    assert list(Account.objects.filter(role="admin", is_active=True)) == [frank]
    before = database_snapshot()
    with pytest.raises(CommandError, match="last active administrator"):
        _staff("deactivate", "--email", frank.email)
    with pytest.raises(CommandError, match="last active administrator"):
        _staff("role", "--email", frank.email, "--role", "support")
    assert_nothing_changed(before)
    # with a second administrator, the first may go
    staff_role_change(actor=CLI, account=personas.carol, role="admin")
    staff_deactivate(actor=CLI, account=frank)
    frank.refresh_from_db()
    assert not frank.is_active


@pytest.mark.promise("B2")
@pytest.mark.parametrize(
    "args, message",
    [
        (("role", "--email", "carol@duinhost.example", "--role", "boss"), "--role must be one of support, finance"),
        (("role", "--email", "nobody@duinhost.example", "--role", "admin"), "no staff account with this e-mail"),
        (("deactivate", "--email", "alice.devries@example.nl"), "no staff account with this e-mail"),
        (("reset-2fa", "--email", "dave@duinhost.example"), "no authenticator to reset"),
    ],
)
def test_bad_input_is_refused_with_a_clear_line_and_nothing_changes(personas, args, message):
    _signed_in(personas.carol)
    before = database_snapshot()
    with pytest.raises(CommandError, match=message) as caught:
        _staff(*args)
    assert caught.value.returncode == 2
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_only_an_administrator_manages_staff_and_nobody_deactivates_themselves(personas):
    before = database_snapshot()
    for actor in (personas.carol, personas.erin, personas.alice):
        with pytest.raises(PermissionDenied):
            staff_deactivate(actor=actor, account=personas.dave)
        with pytest.raises(PermissionDenied):
            staff_second_factor_reset(actor=actor, account=personas.dave)
    staff_role_change(actor=CLI, account=personas.carol, role="admin")
    before = database_snapshot()
    with pytest.raises(ValidationError) as caught:
        staff_deactivate(actor=personas.frank, account=personas.frank)
    assert caught.value.code == "staff.not_yourself"
    assert_nothing_changed(before)
