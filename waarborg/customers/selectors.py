"""Reads of customers, contact persons and documents, always scoped to the viewer (B2).

The access rules themselves are in `waarborg.core.access`.
"""

from __future__ import annotations

from django.db.models import Q

from waarborg.core.access import filter_customer, get_scoped, pk_of, scope_queryset
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_customer_number
from waarborg.customers.models import Contact, Customer, Document, NoticeAgreement

# --- Customers ----------------------------------------------------------------------------


def customer_list_for(*, viewer, query: str | None = None, status: str | None = None):
    """Customers the viewer may see; `query` matches a customer number or part of the name."""
    qs = scope_queryset(Customer.objects.all(), viewer=viewer, scope="customers", customer_path="pk")
    if status:
        qs = qs.filter(status=status)
    text = (query or "").strip()
    if text:
        try:
            number = normalise_customer_number(text)
        except ValidationError:
            number = None
        condition = Q(name__icontains=text)
        if number:
            condition |= Q(number=number)
        qs = qs.filter(condition)
    return qs.order_by("number")


def customer_get_for(*, viewer, pk) -> Customer:
    return get_scoped(Customer.objects.all(), viewer=viewer, scope="customers", pk=pk, customer_path="pk")


# --- Contact persons ----------------------------------------------------------------------


def contact_list_for(*, viewer, customer=None):
    qs = scope_queryset(Contact.objects.select_related("customer"), viewer=viewer, scope="contacts")
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    return qs.order_by("customer_id", "role", "last_name", "pk")


def contact_get_for(*, viewer, pk) -> Contact:
    return get_scoped(Contact.objects.select_related("customer"), viewer=viewer, scope="contacts", pk=pk)


# --- Documents (assignment documents: support only) -------------------------------------


def document_list_for(*, viewer, customer=None):
    qs = scope_queryset(Document.objects.all(), viewer=viewer, scope="documents")
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    return qs.order_by("-created_at", "-pk")


# --- Notices by e-mail (art. 6:227a BW) -------------------------------------------------


def notice_agreement_for(*, viewer, customer) -> NoticeAgreement | None:
    """The customer's record of agreeing to written notices by e-mail (standing or withdrawn), or None."""
    qs = scope_queryset(NoticeAgreement.objects.all(), viewer=viewer, scope="customers")
    return qs.filter(customer_id=pk_of(customer)).first()


def notice_agreements_standing(customer_ids, day) -> dict[int, NoticeAgreement]:
    """{customer id: agreement} for those of `customer_ids` whose agreement stands on `day`.

    For the daily run, which decides for itself how each fourteen-day letter goes (no viewer)."""
    out: dict[int, NoticeAgreement] = {}
    ids = sorted(set(customer_ids))
    for start in range(0, len(ids), 500):
        for agreement in NoticeAgreement.objects.filter(customer_id__in=ids[start : start + 500]):
            if agreement.stands_on(day):
                out[agreement.customer_id] = agreement
    return out


def contact_without_account(email: str) -> bool:
    """Whether a contact person of an active customer uses `email` and has no portal account (for
    the password-reset page's mail, which tells them how to get one; never shown on a page)."""
    return Contact.objects.filter(
        email__iexact=(email or "").strip(), customer__ended_at__isnull=True, accounts__isnull=True
    ).exists()
