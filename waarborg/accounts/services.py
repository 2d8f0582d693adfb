"""Writes of accounts (logins) and sign-in events.

Passwords are validated with the configured validators and stored only as a hash (D5).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import translation

from waarborg.accounts.models import Account, LoginEvent
from waarborg.audit.services import audit_record
from waarborg.core import clock, roles
from waarborg.core.access import check_actor
from waarborg.core.actors import SYSTEM, account_of
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email, normalise_ip
from waarborg.customers.models import Contact
from waarborg.customers.services import clean_choice, clean_text, customer_ref

USER_AGENT_MAX = LoginEvent._meta.get_field("user_agent").max_length


class PasswordRules:
    """The rules a password broke, as the validators word them in each language (a message param)."""

    def __init__(self, by_language: dict[str, str]):
        self.by_language = by_language

    def words(self, lang: str, plain: bool) -> str:
        return self.by_language.get("en" if plain else lang) or self.by_language["en"]

    def __str__(self) -> str:
        return self.by_language["en"]


def _broken_rules(password: str, account: Account) -> PasswordRules | None:
    """None when the configured validators accept `password`; else their messages per language.
    The messages name rules and field names, never the password itself."""
    try:
        validate_password(password, user=account)
    except DjangoValidationError:
        pass
    else:
        return None
    by_language = {}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            try:
                validate_password(password, user=account)
            except DjangoValidationError as exc:
                by_language[lang] = " ".join(exc.messages)
    return PasswordRules(by_language)


def _clean_password(password: str, account: Account) -> None:
    if not password:
        raise ValidationError("accounts.password_required", field="password")
    rules = _broken_rules(password, account)
    if rules is not None:
        raise ValidationError("accounts.password_refused", {"rules": rules}, field="password")


def _email_free(email: str) -> None:
    if Account.objects.filter(email=email).exists():
        raise ValidationError("accounts.email_taken", field="email")


def account_subject_ref(account: Account) -> str:
    if account.contact_id:
        return customer_ref(account.contact.customer_id)
    return f"account:{account.pk}"


@transaction.atomic
def account_create_for_contact(
    *, actor, contact: Contact, password: str, email: str | None = None, purpose: str = "U2"
) -> Account:
    """A portal login for a customer's contact person; the e-mail defaults to the contact's."""
    check_actor(actor=actor, scope="accounts", customer_id=contact.customer_id)
    email = normalise_email(email if email is not None else contact.email)
    _email_free(email)
    account = Account(email=email, role=roles.CUSTOMER, contact=contact, is_active=True)
    _clean_password(password, account)
    account.set_password(password)
    account.save()
    audit_record(
        actor=actor,
        action="account.create",
        purpose=purpose,
        object_type="accounts.account",
        object_ids=[account.pk],
        subject_ref=customer_ref(contact.customer_id),
        data={"fields": ["email", "password", "contact"], "role": roles.CUSTOMER},
    )
    return account


def validate_new_password(password: str, account: Account) -> None:
    """ValidationError (field "password") unless the configured validators accept `password`."""
    _clean_password(password, account)


@transaction.atomic
def staff_account_create(
    *, actor, email: str, password: str | None, role: str, display_name: str = "", purpose: str = "U12"
) -> Account:
    """A staff login with one role (support, finance, privacy, admin or finance_archive).

    Without a password (None) the account cannot sign in until one is set, e.g. through an
    enrolment link (waarborg.accounts.enrolment)."""
    check_actor(actor=actor, scope="accounts", customers_may=False)
    role = clean_choice(role, field="role", choices=roles.STAFF_ROLES)
    email = normalise_email(email)
    display_name = clean_text(display_name, field="display_name", max_length=120)
    _email_free(email)
    account = Account(email=email, role=role, display_name=display_name, is_active=True)
    if password is None:
        account.set_unusable_password()
    else:
        _clean_password(password, account)
        account.set_password(password)
    account.save()
    fields = ["email"] + (["password"] if password is not None else []) + (["display_name"] if display_name else [])
    audit_record(
        actor=actor,
        action="account.create",
        purpose=purpose,
        object_type="accounts.account",
        object_ids=[account.pk],
        subject_ref=f"account:{account.pk}",
        data={"fields": fields, "role": role},
    )
    return account


@transaction.atomic
def account_password_set(*, actor, account: Account, password: str, purpose: str = "U2") -> Account:
    """Change a password (the account itself, an administrator, or the system)."""
    own = account_of(actor)
    if not (own is not None and own.pk == account.pk):
        check_actor(actor=actor, scope="accounts", customers_may=False)
    _clean_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action="account.password_set",
        purpose=purpose,
        object_type="accounts.account",
        object_ids=[account.pk],
        subject_ref=account_subject_ref(account),
        data={"fields": ["password"]},
    )
    return account


@transaction.atomic
def account_deactivate(*, actor, account: Account, purpose: str = "U12") -> Account:
    check_actor(actor=actor, scope="accounts", customers_may=False)
    if account.is_active:
        account.is_active = False
        account.deactivated_at = clock.now()
        account.save(update_fields=["is_active", "deactivated_at"])
        audit_record(
            actor=actor,
            action="account.deactivate",
            purpose=purpose,
            object_type="accounts.account",
            object_ids=[account.pk],
            subject_ref=account_subject_ref(account),
            data={"fields": ["is_active", "deactivated_at"]},
        )
    return account


@transaction.atomic
def login_event_record(
    *,
    account: Account | None,
    ip_address: str,
    succeeded: bool,
    user_agent: str = "",
    method: str = "password",
    actor=SYSTEM,
    purpose: str = "U12",
) -> LoginEvent:
    """One sign-in attempt: the IP address in its normal form, the user agent truncated."""
    ip = normalise_ip(ip_address)
    agent = " ".join(str(user_agent or "").split())[:USER_AGENT_MAX]
    method = clean_text(method, field="method", max_length=16, required=True)
    event = LoginEvent.objects.create(
        account=account,
        at=clock.now(),
        ip_address=ip,
        user_agent=agent,
        succeeded=bool(succeeded),
        method=method,
    )
    fields = ["at", "ip_address"] + (["user_agent"] if agent else [])
    audit_record(
        actor=actor,
        action="login_event.record",
        purpose=purpose,
        object_type="accounts.loginevent",
        object_ids=[event.pk],
        subject_ref=account_subject_ref(account) if account is not None else "",
        data={"fields": fields, "succeeded": bool(succeeded), "method": method},
    )
    return event
