"""Staff accounts after their creation: the list, a role change, deactivation and a reset of the
second factor — for the administrator (scope "accounts") in the back office and on the CLI.

Every change is atomic and audited (purpose U12: who may sign in, and as what). The last active
administrator can be neither demoted nor deactivated, so an installation never locks itself out.
Deactivation ends the account's sessions at once and hands its open work back to the queue: the
apps that give staff work register what to hand back (`on_deactivation`), so this module knows no
app's models. Creation and the enrolment link are in `waarborg.accounts.enrolment`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.accounts.models import Account
from waarborg.accounts.second_factor import second_factor_turn_off
from waarborg.accounts.services import account_deactivate
from waarborg.audit.services import audit_record
from waarborg.core import roles
from waarborg.core.access import check_actor
from waarborg.core.actors import account_of
from waarborg.core.errors import NotFound, ValidationError
from waarborg.core.identifiers import normalise_email

PURPOSE = "U12"

# name -> handler(account, actor) -> number of items handed back to the queue.
_HAND_BACK: dict[str, Callable[[Account, object], int]] = {}


def on_deactivation(name: str, hand_back: Callable[[Account, object], int]) -> None:
    """Register what a deactivated staff member's open work is (called from an AppConfig.ready)."""
    _HAND_BACK[name] = hand_back


def staff_list(*, actor, include_inactive: bool = True):
    """Staff accounts by e-mail address, for the administrator; each with `has_second_factor`."""
    check_actor(actor=actor, scope="accounts", customers_may=False)
    confirmed = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
    qs = Account.objects.filter(role__in=roles.STAFF_ROLES).annotate(has_second_factor=Exists(confirmed))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("email")


def staff_get(*, actor, email: str | None = None, pk=None) -> Account:
    """One staff account by its e-mail address or number; NotFound for anything else."""
    check_actor(actor=actor, scope="accounts", customers_may=False)
    qs = Account.objects.filter(role__in=roles.STAFF_ROLES)
    try:
        account = qs.get(email=normalise_email(email)) if email is not None else qs.get(pk=int(pk))
    except (Account.DoesNotExist, ValueError, TypeError):
        raise NotFound("staff.unknown") from None
    return account


def _other_active_admins(account: Account) -> bool:
    return Account.objects.filter(role=roles.ADMIN, is_active=True).exclude(pk=account.pk).exists()


def _keep_an_admin(account: Account) -> None:
    if account.role == roles.ADMIN and account.is_active and not _other_active_admins(account):
        raise ValidationError("staff.last_admin", field="email")


def _record(actor, account: Account, action: str, data: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        purpose=PURPOSE,
        object_type="accounts.account",
        object_ids=[account.pk],
        subject_ref=f"account:{account.pk}",
        data=data,
    )


def sessions_end(account: Account) -> int:
    """Delete every session signed in as `account`; the number ended."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(account.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def staff_role_change(*, actor, account: Account, role: str) -> Account:
    """Give a staff member another role; the same role changes nothing."""
    check_actor(actor=actor, scope="accounts", customers_may=False)
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.role not in roles.STAFF_ROLES:
        raise NotFound("staff.unknown")
    if role not in roles.STAFF_ROLES:
        raise ValidationError("staff.role_unknown", {"roles": ", ".join(roles.STAFF_ROLES)}, field="role")
    if role == account.role:
        return account
    if role != roles.ADMIN:
        _keep_an_admin(account)
    old = account.role
    account.role = role
    account.save(update_fields=["role"])
    # A new role is a new set of rights: open sessions were opened under the old one.
    ended = sessions_end(account)
    _record(actor, account, "account.role_change", {"fields": ["role"], "from": old, "to": role, "sessions": ended})
    return account


@transaction.atomic
def staff_deactivate(*, actor, account: Account) -> dict:
    """Deactivate a staff member: sessions end, open work goes back to the queue.

    Returns what happened: {"sessions": n, "<work>": n, …}. An account that is inactive already
    changes nothing."""
    check_actor(actor=actor, scope="accounts", customers_may=False)
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.role not in roles.STAFF_ROLES:
        raise NotFound("staff.unknown")
    if not account.is_active:
        raise ValidationError("staff.inactive_already", field="email")
    own = account_of(actor)
    if own is not None and own.pk == account.pk:
        raise ValidationError("staff.not_yourself", field="email")
    _keep_an_admin(account)
    account_deactivate(actor=actor, account=account)
    done = {"sessions": sessions_end(account)}
    for name, hand_back in sorted(_HAND_BACK.items()):
        done[name] = hand_back(account, actor)
    _record(actor, account, "account.work_handed_back", {"fields": [], **done})
    return done


@transaction.atomic
def staff_second_factor_reset(*, actor, account: Account) -> int:
    """Remove the staff member's authenticator: at the next sign-in they enrol a new one.

    Their sessions end too (they were opened with the old authenticator). The number of sessions
    ended; ValidationError when there was no authenticator to reset."""
    check_actor(actor=actor, scope="accounts", customers_may=False)
    if account.role not in roles.STAFF_ROLES:
        raise NotFound("staff.unknown")
    if not account.is_active:
        raise ValidationError("staff.inactive_already", field="email")
    if not second_factor_turn_off(actor=actor, account=account):
        raise ValidationError("staff.no_second_factor", field="email")
    return sessions_end(account)
