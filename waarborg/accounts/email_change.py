"""A customer signs in with another e-mail address: asked for with their password, confirmed
through a one-time link sent to the new address, and told to the old one afterwards.

`email_change_request` checks the password and the new address, replaces any earlier open link
and returns the link's token (shown once, in the mail to the new address; only its keyed hash
is stored). `email_change_confirm` uses the link: the account's sign-in name becomes the new
address, the link's copy of it is erased, and the old address gets a notice — so whoever took
over a session cannot move the account unnoticed. Both are atomic and audited without values.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction

from waarborg.accounts.models import Account, EmailChangeLink
from waarborg.accounts.services import account_subject_ref
from waarborg.audit.services import audit_record
from waarborg.core import clock
from waarborg.core.actors import account_of
from waarborg.core.crypto import keyed_hash, keyed_hash_candidates
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.core.identifiers import normalise_email

VALID_HOURS = 24
PURPOSE = "U2"
HASH_PURPOSE = "email-change"


@dataclass(frozen=True)
class EmailChange:
    link: EmailChangeLink
    token: str  # shown once, in the mail to the new address; never stored


def _audit(actor, account: Account, action: str, link: EmailChangeLink, fields: list[str]) -> None:
    audit_record(
        actor=actor,
        action=action,
        purpose=PURPOSE,
        object_type="accounts.emailchangelink",
        object_ids=[link.pk],
        subject_ref=account_subject_ref(account),
        data={"fields": fields, "account": account.pk},
    )


def _email_free(email: str, account: Account) -> None:
    if Account.objects.filter(email=email).exclude(pk=account.pk).exists():
        raise ValidationError("accounts.email_taken", field="email")


@transaction.atomic
def email_change_request(*, actor, account: Account, new_email: str, password: str) -> EmailChange:
    """Ask to sign in with `new_email`: only the account itself, with its password."""
    own = account_of(actor)
    if own is None or own.pk != account.pk or not own.is_active:
        raise PermissionDenied("email_change.own_account_only")
    account = Account.objects.select_for_update().get(pk=account.pk)
    if not password or not account.check_password(password):
        raise ValidationError("email_change.password_wrong", field="password")
    email = normalise_email(new_email)
    if email == account.email:
        raise ValidationError("email_change.same_address", field="email")
    _email_free(email, account)
    now = clock.now()
    # An earlier link that was not used is replaced: its copy of an address goes.
    EmailChangeLink.objects.filter(account=account, used_at__isnull=True).update(new_email="", expires_at=now)
    token = secrets.token_urlsafe(32)
    link = EmailChangeLink.objects.create(
        account=account,
        new_email=email,
        token_hash=keyed_hash(token, purpose=HASH_PURPOSE),
        created_at=now,
        expires_at=now + dt.timedelta(hours=VALID_HOURS),
    )
    _audit(actor, account, "account.email_change.request", link, ["new_email", "token_hash", "expires_at"])
    return EmailChange(link=link, token=token)


def email_change_link_get(token: str) -> EmailChangeLink:
    """The link of `token` (any state); NotFound when there is none."""
    link = None
    if token and len(token) <= 100:
        link = (
            EmailChangeLink.objects.select_related("account")
            .filter(token_hash__in=keyed_hash_candidates(token, purpose=HASH_PURPOSE))
            .first()
        )
    if link is None:
        raise NotFound("email_change.link_not_valid")
    return link


def require_usable(link: EmailChangeLink, now: dt.datetime | None = None) -> None:
    """ValidationError (field "link") saying why the link can no longer be used, if it cannot."""
    if link.used_at is not None:
        raise ValidationError("email_change.link_used", field="link")
    if not link.new_email or not link.account.is_active:
        raise ValidationError("email_change.link_replaced", field="link")
    if link.expires_at <= (now or clock.now()):
        raise ValidationError("email_change.link_expired", field="link")


@transaction.atomic
def email_change_confirm(*, token: str) -> tuple[Account, str]:
    """Use the link: the account signs in with the new address from now on. Returns the account
    and the old address (for the notice to it); a used, replaced or expired link changes nothing."""
    found = email_change_link_get(token)
    link = EmailChangeLink.objects.select_for_update().select_related("account").get(pk=found.pk)
    require_usable(link)
    account = Account.objects.select_for_update().get(pk=link.account_id)
    _email_free(link.new_email, account)
    old = account.email
    account.email = link.new_email
    account.save(update_fields=["email"])
    link.new_email = ""  # kept only until it was confirmed
    link.used_at = clock.now()
    link.save(update_fields=["new_email", "used_at"])
    _audit(account, account, "account.email_change.confirm", link, ["email", "used_at"])
    return account, old
