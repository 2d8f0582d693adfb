"""Who is under an active restriction of processing (art. 18), for the shared access rules.

Reads models only, so that `waarborg.core.access` can leave restricted people out of every staff
read without depending on the privacy selectors (registered in `PrivacyConfig.ready`).
"""

from __future__ import annotations

from waarborg.customers.models import Customer
from waarborg.privacy.models import Restriction


def restricted_subject_ids():
    """(customer ids, contact ids, account ids) under an active restriction (art. 18), as
    subqueries: a scoped read leaves them out in its own query, without a round trip of its own.

    A customer is in the first only when it is the restricted person itself (a private person
    or sole trader whose contact person is restricted).
    """
    active = Restriction.objects.filter(lifted_at__isnull=True)
    customers = active.filter(contact__customer__kind__in=Customer.NATURAL_PERSON_KINDS).values("contact__customer_id")
    contacts = active.filter(contact__isnull=False).values("contact_id")
    account_contacts = active.filter(account__contact__isnull=False).values("account__contact_id")
    accounts = active.filter(account__isnull=False).values("account_id")
    return customers, (contacts, account_contacts), accounts
