"""`waarborg staff add` (B2, B3): a staff account with one role, atomically and audited, and a
one-time enrolment link of which only the hash is stored."""

import datetime as dt
import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from waarborg.accounts.models import Account, EnrolmentLink
from waarborg.audit.models import AuditEvent
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db
LINK = re.compile(r"^  (https?://\S+/aanmelden/welkom/([A-Za-z0-9_-]+)/)$", re.M)


def _add(*args):
    out = StringIO()
    call_command("staff", "add", *args, stdout=out)
    return out.getvalue()


@pytest.mark.promise("B3")
def test_it_creates_the_account_and_prints_a_link_valid_72_hours(settings):
    settings.WAARBORG_SITE_URL = "https://waarborg.example.nl"
    before = timezone.now()
    output = _add("--email", "Nieuwe.Beheerder@Duinhost.example", "--role", "admin", "--name", "Nina Nieuw")
    account = Account.objects.get(email="nieuwe.beheerder@duinhost.example")
    assert account.role == "admin" and account.display_name == "Nina Nieuw" and account.is_active
    assert not account.has_usable_password()  # no sign-in until the link is used

    url, token = LINK.search(output).groups()
    assert url.startswith("https://waarborg.example.nl/aanmelden/welkom/")
    link = EnrolmentLink.objects.get(account=account)
    assert len(link.token_hash) == 64 and link.token_hash != hashlib.sha256(token.encode()).hexdigest()  # keyed
    assert token not in link.token_hash and len(token) >= 40
    assert link.used_at is None
    assert dt.timedelta(hours=72) <= link.expires_at - before <= dt.timedelta(hours=72, minutes=1)
    # the e-mail address is not echoed; the audit trail names the account and the link, not values
    assert "nieuwe.beheerder" not in output.lower()
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", "actor", "object_ids"))
    assert actions[-2:] == [
        ("account.create", "cli", [str(account.pk)]),
        ("account.enrolment_link_create", "cli", [str(link.pk)]),
    ]
    assert token not in str(list(AuditEvent.objects.values_list("data", flat=True)))


@pytest.mark.promise("B2")
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--email", "x@duinhost.example", "--role", "king", "--name", "X"], "--role must be one of"),
        (["--email", "x@duinhost.example", "--role", "customer", "--name", "X"], "--role must be one of"),
        (["--email", "x@duinhost", "--role", "support", "--name", "X"], "e-mail"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(args, words):
    before = database_snapshot()
    with pytest.raises(CommandError) as refused:  # `waarborg` prints it as one line and exits with its code
        _add(*args)
    assert refused.value.returncode == 2
    assert words in str(refused.value) and "\n" not in str(refused.value)
    assert_nothing_changed(before)


def test_an_existing_email_is_exit_2_and_writes_nothing():
    _add("--email", "al@duinhost.example", "--role", "support", "--name", "Al")
    before = database_snapshot()
    with pytest.raises(CommandError) as refused:
        _add("--email", "AL@duinhost.example", "--role", "finance", "--name", "B")
    assert refused.value.returncode == 2
    assert "already exists" in str(refused.value)
    assert_nothing_changed(before)
