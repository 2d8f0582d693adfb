"""New staff members: the account, and a one-time link to choose a password with.

`staff_invite` makes a staff account without a usable password and an enrolment link valid for
72 hours; only the SHA-256 hash of the link's token is stored. Whoever opens the link chooses a
password (`enrolment_password_set`), which uses the link up; the sign-in then leads them to set
up their authenticator app before any other page (waarborg.auth_web.flow, ENROL). A link that was
used, has expired, or whose account was deactivated changes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction

from waarborg.accounts.models import Account, EnrolmentLink
from waarborg.accounts.services import staff_account_create, validate_new_password
from waarborg.audit.services import audit_record
from waarborg.core import clock
from waarborg.core.crypto import keyed_hash, keyed_hash_candidates
from waarborg.core.errors import NotFound, ValidationError

VALID_HOURS = 72
PURPOSE = "U12"  # security: who may sign in

VALID = "valid"
USED = "used"
EXPIRED = "expired"


HASH_PURPOSE = "staff-enrolment"  # the links' keyed hashes (carried over by an identifier-key rotation)


def token_hash(token: str) -> str:
    return keyed_hash(token, purpose=HASH_PURPOSE)


@dataclass(frozen=True)
class Invitation:
    account: Account
    link: EnrolmentLink
    token: str  # shown once (in the link), never stored


@transaction.atomic
def staff_invite(*, actor, email: str, role: str, display_name: str = "") -> Invitation:
    """A staff account with `role` and its enrolment link; ValidationError writes nothing."""
    account = staff_account_create(actor=actor, email=email, password=None, role=role, display_name=display_name)
    token = secrets.token_urlsafe(32)
    now = clock.now()
    link = EnrolmentLink.objects.create(
        account=account,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + dt.timedelta(hours=VALID_HOURS),
    )
    audit_record(
        actor=actor,
        action="account.enrolment_link_create",
        purpose=PURPOSE,
        object_type="accounts.enrolmentlink",
        object_ids=[link.pk],
        subject_ref=f"account:{account.pk}",
        data={"fields": ["token_hash", "created_at", "expires_at"], "valid_hours": VALID_HOURS},
    )
    return Invitation(account=account, link=link, token=token)


def link_state(link: EnrolmentLink, now: dt.datetime | None = None) -> str:
    if link.used_at is not None or not link.account.is_active:
        return USED
    if link.expires_at <= (now or clock.now()):
        return EXPIRED
    return VALID


def enrolment_link_get(token: str) -> EnrolmentLink:
    """The link of `token` (any state); NotFound when there is none."""
    if not token or len(token) > 100:
        raise NotFound("accounts.enrolment_link_not_found")
    link = (
        EnrolmentLink.objects.select_related("account")
        .filter(token_hash__in=keyed_hash_candidates(token, purpose=HASH_PURPOSE))
        .first()
    )
    if link is None:
        raise NotFound("accounts.enrolment_link_not_found")
    return link


@transaction.atomic
def enrolment_password_set(*, token: str, password: str) -> Account:
    """Set the new staff member's password and use the link up; the link's holder is the actor.

    A used or expired link raises ValidationError (field "link") and changes nothing; so does a
    password the validators refuse (field "password"), and the link stays usable then.
    """
    found = enrolment_link_get(token)
    link = EnrolmentLink.objects.select_for_update().select_related("account").get(pk=found.pk)
    state = link_state(link)
    if state == USED:
        raise ValidationError("accounts.enrolment_link_used", field="link")
    if state != VALID:
        raise ValidationError("accounts.enrolment_link_expired", field="link")
    account = link.account
    validate_new_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    link.used_at = clock.now()
    link.save(update_fields=["used_at"])
    audit_record(
        actor=account,
        action="account.enrolment_link_use",
        purpose=PURPOSE,
        object_type="accounts.enrolmentlink",
        object_ids=[link.pk],
        subject_ref=f"account:{account.pk}",
        data={"fields": ["used_at", "password"]},
    )
    return account
