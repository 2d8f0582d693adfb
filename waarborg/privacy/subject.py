"""The person a privacy request is about: the rows that stand for them now, everything held
about them (through the subject finder), and the data categories of it."""

from __future__ import annotations

from waarborg.accounts.models import Account
from waarborg.core import datamap
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Contact
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.resolve import ACCOUNT, CONTACT, split_key
from waarborg.subjects.finder import Hit, subject_expand


def subject_contact_account(key: str) -> tuple[int | None, int | None]:
    """(contact id, account id) of a subject row key; None for what the key is not."""
    label, pk = split_key(key)
    if label == CONTACT:
        return int(pk), None
    if label == ACCOUNT:
        return None, int(pk)
    return None, None


def current_subject_rows(request: PrivacyRequest) -> list[str]:
    """The request's subject rows that still exist, plus portal accounts added since."""
    rows = set(request.subject_rows or [])
    if request.contact_id:
        rows |= {
            f"{ACCOUNT}:{a}" for a in Account.objects.filter(contact_id=request.contact_id).values_list("pk", flat=True)
        }
    contacts = {int(split_key(k)[1]) for k in rows if split_key(k)[0] == CONTACT}
    accounts = {int(split_key(k)[1]) for k in rows if split_key(k)[0] == ACCOUNT}
    alive_contacts = set(Contact.objects.filter(pk__in=contacts).values_list("pk", flat=True))
    alive_accounts = set(Account.objects.filter(pk__in=accounts).values_list("pk", flat=True))
    kept = []
    for key in sorted(rows):
        contact_id, account_id = subject_contact_account(key)
        if contact_id is not None and contact_id not in alive_contacts:
            continue
        if account_id is not None and account_id not in alive_accounts:
            continue
        kept.append(key)
    return kept


def categories_sorted(categories) -> list[str]:
    """The data categories (D-ids) once each, in their numeric order."""
    return sorted(set(categories), key=lambda c: int(c[1:]))


def clean_categories(categories, *, field: str = "categories") -> list[str]:
    """The categories named, checked against the data map and sorted; unknown ones are refused."""
    chosen = list(dict.fromkeys(categories or ()))
    wrong = [str(c) for c in chosen if c not in datamap.CATEGORIES]
    if wrong:
        raise ValidationError("privacy.unknown_categories", {"categories": ", ".join(wrong)}, field=field)
    return categories_sorted(chosen)


def subject_hits(request: PrivacyRequest) -> list[Hit]:
    """Every row about the request's subject, from the rows the request resolved to."""
    direct = []
    for key in current_subject_rows(request):
        label, pk = split_key(key)
        entry = datamap.entry_for(label)
        if entry is not None:
            direct.append(Hit(label, int(pk) if pk.isdigit() else pk, "pk", "the subject of a privacy request"))
    return subject_expand(direct)


def subject_categories(request: PrivacyRequest) -> list[str]:
    """The data categories (D-ids) of everything held about the request's subject."""
    registry = datamap.registry()
    categories = set()
    for hit in subject_hits(request):
        categories |= {p.category for p in registry[hit.model].fields.values()}
    return categories_sorted(categories)
