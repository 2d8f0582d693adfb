"""Support corrects a contact person's details after a call, and invites a contact person to the
portal — from the customer's record, with the purpose the record was opened for (B4).

The correction is `customers.services.contact_update` (audited with the purpose; the old value is
kept as long as the map's rule for ContactHistory says); the invitation is
`accounts.invitation.portal_invite`, whose one-time link is mailed to the contact's own address
and never shown to the staff member. A refusal shows at its field, in the staff member's language,
with nothing changed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from waarborg.accounts.enrolment import VALID_HOURS
from waarborg.accounts.invitation import portal_invite
from waarborg.auth_web.decorators import staff_required
from waarborg.backoffice.forms import PURPOSE_PARAM, PurposeForm
from waarborg.core.errors import ValidationError
from waarborg.customers.selectors import contact_get_for, customer_get_for
from waarborg.customers.services import contact_update
from waarborg.portal.forms import CONTACT_FIELDS, ContactForm
from waarborg.web.mail import send_template_mail

log = logging.getLogger(__name__)


def _purpose(request, data) -> str | None:
    form = PurposeForm(data, viewer=request.user)
    return form.cleaned_data[PURPOSE_PARAM] if form.is_valid() else None


def _contact(request, pk: int, contact_pk: int):
    customer = customer_get_for(viewer=request.user, pk=pk)  # NotFound (404) first
    contact = contact_get_for(viewer=request.user, pk=contact_pk)
    if contact.customer_id != customer.pk:
        raise Http404
    return customer, contact


def _record_url(customer, purpose: str) -> str:
    return reverse("backoffice:customer", args=[customer.pk]) + "?" + urlencode({PURPOSE_PARAM: purpose}) + "#contacts"


@never_cache
@staff_required("contacts")
@require_http_methods(["GET", "POST"])
@transaction.atomic
def edit(request, pk: int, contact_pk: int):
    customer, contact = _contact(request, pk, contact_pk)
    purpose = _purpose(request, request.GET)
    if purpose is None:  # the record is opened with a purpose; so is a correction
        return redirect(reverse("backoffice:customer", args=[customer.pk]))
    if request.method == "POST":
        form = ContactForm(request.POST, country=contact.country)
        if form.is_valid():
            try:
                with transaction.atomic():
                    contact_update(
                        actor=request.user,
                        contact=contact,
                        data={name: form.cleaned_data[name] for name in CONTACT_FIELDS},
                        purpose=purpose,
                    )
            except ValidationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.text())
            else:
                messages.success(request, _("The contact person's details are corrected."))
                return redirect(_record_url(customer, purpose))
    else:
        form = ContactForm(initial={name: getattr(contact, name) for name in CONTACT_FIELDS}, country=contact.country)
    return render(
        request,
        "backoffice/contact_edit.html",
        {
            "form": form,
            "customer": customer,
            "contact": contact,
            "purpose": purpose,
            "record_url": _record_url(customer, purpose),
            "crumbs": [
                {"label": _("Customers"), "url": reverse("backoffice:customers")},
                {"label": customer.number, "url": _record_url(customer, purpose)},
                {"label": _("Correct contact details"), "url": None},
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@staff_required("contacts")
@require_POST
def invite(request, pk: int, contact_pk: int):
    customer, contact = _contact(request, pk, contact_pk)
    purpose = _purpose(request, request.POST)
    if purpose is None:
        return redirect(reverse("backoffice:customer", args=[customer.pk]))
    try:
        with transaction.atomic():
            invitation = portal_invite(actor=request.user, contact=contact, purpose=purpose)
    except ValidationError as exc:
        messages.error(request, exc.text())
        return redirect(_record_url(customer, purpose))
    url = settings.WAARBORG_SITE_URL + reverse("auth_web:welcome", args=[invitation.token])
    try:
        send_template_mail(
            _("Your access to the customer portal"),
            "backoffice/mail/portal_invitation.txt",
            invitation.account.email,
            {"url": url, "hours": VALID_HOURS},
        )
    except Exception as exc:  # noqa: BLE001 (the account stands; the log names no address)
        log.warning("portal invitation %s: the mail could not be sent (%s)", invitation.link.pk, type(exc).__name__)
        messages.error(request, _("The portal account is made, but the invitation could not be sent. Try again later."))
    else:
        messages.success(request, _("The invitation is sent to the contact person's e-mail address."))
    return redirect(_record_url(customer, purpose))
