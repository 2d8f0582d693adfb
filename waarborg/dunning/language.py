"""The language of a customer's dunning notices: Dutch or English, set by the customer or by
staff on their behalf (notices.languages reads it)."""

from __future__ import annotations

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core.access import check_actor
from waarborg.customers.models import Customer
from waarborg.customers.services import clean_choice, customer_ref
from waarborg.dunning.models import NoticePreference


@transaction.atomic
def notice_language_set(*, actor, customer: Customer, language: str) -> NoticePreference:
    """The language of dunning notices: nl or en (the customer, or staff on their behalf)."""
    check_actor(actor=actor, scope="customers", customer_id=customer.pk)
    language = clean_choice(language, field="language", choices=["nl", "en"])
    pref, _ = NoticePreference.objects.update_or_create(customer=customer, defaults={"language": language})
    audit_record(
        actor=actor,
        action="dunning.notice_language",
        purpose="U6",
        object_type="dunning.noticepreference",
        object_ids=[pref.pk],
        subject_ref=customer_ref(customer.pk),
        data={"fields": ["language"], "language": language},
    )
    return pref
