"""Letters by e-mail in the portal (art. 6:227a BW): the customer sees whether written notices —
the fourteen-day letter among them — reach them by e-mail, and gives that agreement (from today)
or withdraws it (from today; the next such letter goes by post). It is the customer's agreement,
so, like ending the contract, only the primary contact person changes it; every account of the
customer sees it. Shown on the consents page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waarborg.auth_web.decorators import customer_required
from waarborg.core import clock
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.customers.models import Contact, NoticeAgreement
from waarborg.customers.selectors import customer_get_for, notice_agreement_for
from waarborg.customers.services import notice_agreement_record, notice_agreement_withdraw

# Where the agreement is found: how it was given (stored with it; no personal value).
PORTAL_REFERENCE = "klantportaal, pagina Toestemmingen"


def may_change(user) -> bool:
    """Only the customer's primary contact person speaks for the customer here."""
    return bool(user.contact_id) and user.contact.role == Contact.Role.PRIMARY


def panel(user) -> dict:
    """The state for the consents page: the agreement (or None), whether it stands today, and
    whether this account may change it."""
    agreement = notice_agreement_for(viewer=user, customer=user.customer_id)
    today = clock.today()
    return {
        "agreement": agreement,
        "standing": agreement is not None and agreement.stands_on(today),
        "may_change": may_change(user),
    }


@customer_required
@require_POST
def change(request):
    """Give (action "give") or withdraw ("withdraw") the agreement, from today."""
    user = request.user
    action = request.POST.get("action", "")
    if action not in ("give", "withdraw"):
        messages.error(request, _("Choose to give or to withdraw the agreement."))
        return redirect("portal:consents")
    if not may_change(user):
        raise PermissionDenied("portal.agreement_primary_contact_only")
    customer = customer_get_for(viewer=user, pk=user.customer_id)
    today = clock.today()
    agreement = notice_agreement_for(viewer=user, customer=customer)
    standing = agreement is not None and agreement.stands_on(today)
    if action == "give" and standing:
        messages.info(request, _("You had already agreed to receive letters by e-mail."))
    elif action == "give":
        notice_agreement_record(
            actor=user,
            customer=customer,
            source=NoticeAgreement.Source.CONSENT,
            agreed_on=today,
            reference=PORTAL_REFERENCE,
        )
        messages.success(request, _("You agreed: from today, written notices reach you by e-mail."))
    else:
        try:
            notice_agreement_withdraw(actor=user, customer=customer, on=today)
        except ValidationError:
            messages.info(request, _("There was no agreement to withdraw: written notices reach you by post."))
        else:
            messages.success(request, _("You withdrew your agreement: from today, written notices reach you by post."))
    return redirect("portal:consents")
