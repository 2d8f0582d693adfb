"""Who a privacy request is about: from the identifiers given to the subject's rows.

The direct lookups read the personal-data map (every declared identifier field, as the subject
finder does); the person behind the rows is a contact person (with their portal accounts) or a
row that stands for a person of its own (a job applicant). A customer number of an organisation
names several people, so it only helps together with an identifier of the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from waarborg.accounts.models import Account
from waarborg.core import datamap
from waarborg.core.errors import NotFound, ValidationError
from waarborg.core.identifiers import normalise_name
from waarborg.customers.models import Contact

OWN_APP = "privacy"
CONTACT = "customers.Contact"
ACCOUNT = "accounts.Account"
CUSTOMER = "customers.Customer"
NOT_A_PERSON = {CUSTOMER, "sessions.Session"}


def row_key(label: str, pk) -> str:
    return f"{label}:{pk}"


def split_key(key: str) -> tuple[str, str]:
    label, _, pk = key.rpartition(":")
    return label, pk


@dataclass
class Resolution:
    rows: list[str] = field(default_factory=list)  # "label:pk" of the rows that stand for the person
    contact: Contact | None = None
    account: Account | None = None
    email_on_file: bool = False


def _direct(kind: str, values: dict[str, str]) -> set[tuple[str, object]]:
    """Rows outside this app whose declared identifier equals the value (name: with postcode)."""
    found: set[tuple[str, object]] = set()
    for entry in datamap.entries():
        if entry.model._meta.app_label == OWN_APP:
            continue
        manager = entry.model._default_manager
        if kind == "name":
            pc_fields, name_fields = entry.identifier_fields("postcode"), entry.identifier_fields("name")
            if not (pc_fields and name_fields):
                continue
            for row in manager.filter(**{pc_fields[0]: values["postcode"]}).values("pk", *name_fields):
                full = " ".join(str(row[f] or "") for f in name_fields)
                if full.strip() and normalise_name(full) == values["name"]:
                    found.add((entry.label, row["pk"]))
            continue
        for name in entry.identifier_fields(kind):
            for pk in manager.filter(**{name: values[kind]}).values_list("pk", flat=True):
                found.add((entry.label, pk))
    return found


def _persons(rows: set[tuple[str, object]]) -> set[str]:
    registry = datamap.registry()
    keys: set[str] = set()
    for label, pk in rows:
        if label == ACCOUNT:
            contact_id = Account.objects.filter(pk=pk).values_list("contact_id", flat=True).first()
            keys.add(row_key(CONTACT, contact_id) if contact_id else row_key(ACCOUNT, pk))
        elif label == CUSTOMER:
            keys |= {row_key(CONTACT, c) for c in Contact.objects.filter(customer_id=pk).values_list("pk", flat=True)}
        elif registry[label].anchor and label not in NOT_A_PERSON:
            keys.add(row_key(label, pk))
    return keys


def _finish(person_keys: set[str], *, email_on_file: bool) -> Resolution:
    contact_ids = sorted(int(split_key(k)[1]) for k in person_keys if split_key(k)[0] == CONTACT)
    account_ids = sorted(int(split_key(k)[1]) for k in person_keys if split_key(k)[0] == ACCOUNT)
    account_ids += list(Account.objects.filter(contact_id__in=contact_ids).order_by("pk").values_list("pk", flat=True))
    rows = set(person_keys) | {row_key(ACCOUNT, a) for a in account_ids}
    contact = Contact.objects.filter(pk=contact_ids[0]).first() if contact_ids else None
    account = None
    if contact is not None:
        account = Account.objects.filter(contact=contact).order_by("pk").first()
    elif account_ids:
        account = Account.objects.filter(pk=account_ids[0]).first()
    return Resolution(sorted(rows), contact, account, email_on_file)


def resolve_identifiers(values: dict[str, str]) -> Resolution:
    """The person the (normalised) identifiers point to.

    NotFound when nothing about anyone is held under them; ValidationError when they point to
    different people, or to several people none of whom they single out.
    """
    kinds = [k for k in ("email", "phone", "customer_number") if values.get(k)]
    if values.get("name") and values.get("postcode"):
        kinds.append("name")
    if not kinds:
        raise ValidationError("privacy.identifier_missing", field="email")
    direct = {kind: _direct(kind, values) for kind in kinds}
    if not any(direct.values()):
        raise NotFound("privacy.nobody_known")
    persons = {kind: _persons(rows) for kind, rows in direct.items()}
    given = [keys for keys in persons.values() if keys]
    email_on_file = bool(direct.get("email"))
    if not given:
        # Known only from rows that stand for no one else (a complaint, a message): those rows.
        rows = sorted({row_key(label, pk) for found in direct.values() for label, pk in found})
        return Resolution(rows, None, None, email_on_file)
    common = set.intersection(*given)
    if not common:
        raise ValidationError("privacy.different_people", field=kinds[0])
    singled_out = any(persons.get(kind) for kind in ("email", "name"))
    if len(common) > 1 and not singled_out:
        raise ValidationError("privacy.more_than_one_person", field=kinds[0])
    return _finish(common, email_on_file=email_on_file and bool(persons.get("email")))


def resolve_account(account: Account) -> Resolution:
    """The signed-in person: their contact person and every portal account of it."""
    if account.contact_id:
        return _finish({row_key(CONTACT, account.contact_id)}, email_on_file=True)
    return _finish({row_key(ACCOUNT, account.pk)}, email_on_file=True)


def subject_keys(subject) -> set[str]:
    """The row keys that stand for the same person as `subject` (a contact, account or customer)."""
    if subject is None:
        return set()
    if isinstance(subject, str):
        return {subject}
    label = subject._meta.label
    if isinstance(subject, Contact):
        contact_ids = {subject.pk}
    elif isinstance(subject, Account):
        if not subject.contact_id:
            return {row_key(ACCOUNT, subject.pk)}
        contact_ids = {subject.contact_id}
    elif label == CUSTOMER:
        if not subject.is_natural_person:
            return {row_key(CUSTOMER, subject.pk)}
        contact_ids = set(Contact.objects.filter(customer_id=subject.pk).values_list("pk", flat=True))
    else:
        return {row_key(label, subject.pk)}
    keys = {row_key(CONTACT, c) for c in contact_ids}
    keys |= {
        row_key(ACCOUNT, a) for a in Account.objects.filter(contact_id__in=contact_ids).values_list("pk", flat=True)
    }
    return keys
