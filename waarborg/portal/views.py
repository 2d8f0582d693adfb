"""The customer portal: what we hold about you, correcting it, consents, services and invoices.

Every read goes through the viewer-scoped selectors (a customer reaches only their own rows; a
row of someone else is a 404, exactly like a row that does not exist) and every write through
the services, which validate, audit and keep what the promises say. Pages with personal data
are never cached.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from waarborg.auth_web.decorators import customer_required
from waarborg.billing.payment_reference import how_to_pay
from waarborg.billing.selectors import invoice_get_for, invoice_list_for, payment_list_for
from waarborg.catalogue.selectors import subscription_list_for
from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.consents.selectors import consent_is_given, consent_list_for
from waarborg.consents.services import consent_give, consent_withdraw
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Customer
from waarborg.customers.selectors import customer_get_for
from waarborg.customers.services import contact_update
from waarborg.dunning.selectors import invoice_costs_owed_for
from waarborg.portal import dunning, notice_agreement, presenters, requests
from waarborg.portal.forms import CONTACT_FIELDS, ContactForm
from waarborg.subjects.finder import subject_rows_of
from waarborg.subjects.report import subject_report


@customer_required
@never_cache
def landing(request):
    user = request.user
    services = [presenters.service_view(s) for s in subscription_list_for(viewer=user)]
    invoices = [(invoice, presenters.invoice_state(invoice)) for invoice in invoice_list_for(viewer=user)]
    unpaid = [(invoice, state) for invoice, state in invoices if state.key in ("open", "partly_paid", "overdue")]
    return render(
        request,
        "portal/landing.html",
        {
            "services_active": sum(1 for s in services if s.state == "active"),
            "services_blocked": sum(1 for s in services if s.state == "blocked"),
            "invoices_unpaid": len(unpaid),
            "invoices_overdue": sum(1 for _invoice, state in unpaid if state.key == "overdue"),
            "amount_open": sum((invoice.amount_open for invoice, _state in unpaid), 0),
            "dunning_active": dunning.active_case_count(user),
            **requests.landing_summary(user),
        },
    )


@customer_required
@never_cache
def my_data(request):
    """Everything held about the signed-in person, by category, from the personal-data map (G1)."""
    user = request.user
    categories = presenters.category_views(subject_report(subject_rows_of(user), lang=presenters.lang()))
    company = None
    if user.customer_id is not None:
        customer = customer_get_for(viewer=user, pk=user.customer_id)
        if customer.kind == Customer.Kind.ORGANISATION:
            company = customer
    return render(
        request,
        "portal/my_data.html",
        {"categories": categories, "company": company, "contact": user.contact},
    )


@customer_required
@never_cache
def contact_edit(request):
    """Correct one's own contact details (G2); the old values are kept briefly by the service."""
    contact = request.user.contact
    if contact is None:
        raise Http404("no contact person")
    if request.method == "POST":
        form = ContactForm(request.POST, country=contact.country)
        if form.is_valid():
            before = {name: getattr(contact, name) for name in CONTACT_FIELDS}
            try:
                updated = contact_update(
                    actor=request.user,
                    contact=contact,
                    data={name: form.cleaned_data[name] for name in CONTACT_FIELDS},
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                if any(getattr(updated, name) != before[name] for name in CONTACT_FIELDS):
                    messages.success(request, _("Your details have been corrected."))
                else:
                    messages.info(request, _("Nothing was changed: these were already your details."))
                return redirect("portal:my_data")
    else:
        initial = {name: getattr(contact, name) for name in CONTACT_FIELDS}
        initial["phone"] = presenters.phone_display(initial["phone"])
        form = ContactForm(initial=initial, country=contact.country)
    return render(
        request,
        "portal/contact_edit.html",
        {"form": form, "history_retention": presenters.retention_text("customers.ContactHistory", "old_value")},
    )


def _consent_views(user) -> tuple[list, list]:
    version = settings.WAARBORG_POLICY_VERSION
    records = list(consent_list_for(viewer=user))  # newest first, as consent_is_given decides
    views = []
    for kind in CONSENT_PURPOSES:
        latest = next((record for record in records if record.kind == kind), None)
        given = consent_is_given(kind=kind, account=user, contact=user.contact_id)
        views.append(presenters.consent_view(kind, latest, given=given, policy_version=version))
    history = [(record, presenters.consent_kind_name(record.kind)) for record in records]
    return views, history


@customer_required
@never_cache
def consents(request):
    """Each consent with its state; giving and withdrawing are one button each (C1, G4)."""
    views, history = _consent_views(request.user)
    return render(
        request,
        "portal/consents.html",
        {
            "consents": views,
            "history": history,
            "policy_version": settings.WAARBORG_POLICY_VERSION,
            "record_retention": presenters.retention_text("consents.ConsentRecord", "given_at"),
            "notice": notice_agreement.panel(request.user),
        },
    )


@customer_required
@require_POST
def consent_change(request):
    """Give or withdraw one consent: the same form, the same one click, for both."""
    user = request.user
    kind = request.POST.get("kind", "")
    action = request.POST.get("action", "")
    if kind not in CONSENT_PURPOSES or action not in ("give", "withdraw"):
        return HttpResponseBadRequest(_("Unknown consent or action."))
    name = presenters.consent_kind_name(kind)
    version = settings.WAARBORG_POLICY_VERSION
    if action == "give":
        if consent_is_given(kind=kind, account=user, contact=user.contact_id, policy_version=version):
            messages.info(request, _("You had already given consent for: %(name)s.") % {"name": name})
        else:
            consent_give(actor=user, kind=kind, policy_version=version, source="portal")
            messages.success(request, _("You gave consent for: %(name)s.") % {"name": name})
    elif consent_withdraw(actor=user, kind=kind):
        messages.success(request, _("You withdrew your consent for: %(name)s.") % {"name": name})
    else:
        messages.info(request, _("There was no consent to withdraw for: %(name)s.") % {"name": name})
    return redirect("portal:consents")


@customer_required
@never_cache
def services(request):
    rows = [presenters.service_view(s) for s in subscription_list_for(viewer=request.user)]
    return render(
        request,
        "portal/services.html",
        {"services": rows, "blocked": any(row.state == "blocked" for row in rows)},
    )


@customer_required
@never_cache
def invoices(request):
    rows = [(invoice, presenters.invoice_state(invoice)) for invoice in invoice_list_for(viewer=request.user)]
    return render(
        request, "portal/invoices.html", {"invoices": rows, "dunning_cases": dunning.open_cases(request.user, rows)}
    )


@customer_required
@never_cache
def invoice_detail(request, pk: int):
    """One invoice of the customer's own; any other id is a 404 (NotFound from the selector)."""
    invoice = invoice_get_for(viewer=request.user, pk=pk)
    return render(
        request,
        "portal/invoice.html",
        {
            "invoice": invoice,
            "state": presenters.invoice_state(invoice),
            "lines": list(invoice.lines.all()),
            "payments": list(payment_list_for(viewer=request.user, invoice=invoice)),
            "dunning_cases": dunning.invoice_cases(request.user, invoice),
            "contest_form": dunning.PortalDunningForm(),
            "pay": how_to_pay(invoice, costs=invoice_costs_owed_for(viewer=request.user, invoice=invoice))
            if invoice.status == invoice.Status.OPEN
            else None,
        },
    )
