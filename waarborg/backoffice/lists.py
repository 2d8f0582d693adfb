"""The back office's section lists: one page per scope of the role (invoices for finance, tickets
for support, the register for the privacy officer …), each read through the viewer-scoped
selector of its app, so that need-to-know and the locked fiscal archive apply as everywhere.

Columns are codes, numbers, dates and amounts; a person's details are opened on the customer's
record, with a purpose. Every opening of a list is an audit event (scope and count, no values).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from waarborg.accounts.selectors import account_list_for, login_event_list_for
from waarborg.audit.services import audit_record
from waarborg.auth_web.decorators import staff_required
from waarborg.billing.selectors import invoice_list_for, payment_list_for
from waarborg.careers.selectors import application_list_for
from waarborg.catalogue.selectors import subscription_list_for
from waarborg.consents.selectors import consent_list_for
from waarborg.core import roles
from waarborg.correspondence.selectors import complaint_list_for, ticket_list_for
from waarborg.register.selectors import recipient_list_for

PAGE_SIZE = 50


@dataclass(frozen=True)
class Section:
    title: object
    rows: object  # viewer -> queryset
    columns: tuple[tuple[object, str], ...]  # (heading, attribute path)
    order: str
    link: str = ""  # the URL name of a row's own page (its pk), linked from the first column
    find: str = ""  # the URL name of a page that finds one row by a reference typed in (GET "kenmerk")


SECTIONS: dict[str, Section] = {
    "invoices": Section(
        _("Invoices"),
        lambda v: invoice_list_for(viewer=v).select_related("customer"),
        (
            (_("Number"), "number"),
            (_("Customer number"), "customer.number"),
            (_("Issued"), "issue_date"),
            (_("Due"), "due_date"),
            (_("Total"), "total_incl"),
            (_("Paid"), "amount_paid"),
            (_("Status"), "status"),
        ),
        "-issue_date",
        link="backoffice:invoice",
        find="backoffice:invoice_find",
    ),
    "payments": Section(
        _("Payments"),
        lambda v: payment_list_for(viewer=v).select_related("invoice", "customer"),
        (
            (_("Received"), "received_at"),
            (_("Invoice"), "invoice.number"),
            (_("Customer number"), "customer.number"),
            (_("Amount"), "amount"),
            (_("Currency"), "currency"),
        ),
        "-received_at",
    ),
    "subscriptions": Section(
        _("Subscriptions"),
        lambda v: subscription_list_for(viewer=v).select_related("customer", "product"),
        (
            (_("Customer number"), "customer.number"),
            (_("Product"), "product.name"),
            (_("Since"), "start_date"),
            (_("Status"), "status"),
            (_("Block reason"), "block_reason"),
        ),
        "-start_date",
    ),
    "tickets": Section(
        _("Tickets"),
        lambda v: ticket_list_for(viewer=v).select_related("customer"),
        (
            (_("Number"), "number"),
            (_("Customer number"), "customer.number"),
            (_("Opened"), "opened_at"),
            (_("Status"), "status"),
        ),
        "-opened_at",
    ),
    "consents": Section(
        _("Consents"),
        lambda v: consent_list_for(viewer=v),
        (
            (_("Kind"), "kind"),
            (_("Given"), "granted"),
            (_("Policy version"), "policy_version"),
            (_("Recorded"), "given_at"),
            (_("Withdrawn"), "withdrawn_at"),
            (_("Source"), "source"),
        ),
        "-given_at",
    ),
    "login_events": Section(
        _("Sign-in attempts"),
        lambda v: login_event_list_for(viewer=v),
        ((_("When"), "at"), (_("Account"), "account_id"), (_("Succeeded"), "succeeded"), (_("Method"), "method")),
        "-at",
    ),
    "complaints": Section(
        _("Complaints"),
        lambda v: complaint_list_for(viewer=v),
        ((_("Received"), "received_at"), (_("Status"), "status"), (_("Closed"), "closed_at")),
        "-received_at",
    ),
    "applications": Section(
        _("Job applications"),
        lambda v: application_list_for(viewer=v),
        ((_("Position"), "position"), (_("Received"), "received_at"), (_("Procedure closed"), "procedure_closed_at")),
        "-received_at",
    ),
    "register": Section(
        _("Register of recipients"),
        lambda v: recipient_list_for(viewer=v),
        (
            (_("Name"), "name"),
            (_("Kind"), "kind"),
            (_("Category"), "category"),
            (_("Country"), "country"),
            (_("Agreement signed"), "agreement_signed_at"),
            (_("Agreement expires"), "agreement_expires_at"),
        ),
        "name",
    ),
    "accounts": Section(
        _("Accounts"),
        lambda v: account_list_for(viewer=v),
        ((_("Account"), "pk"), (_("Role"), "role"), (_("Active"), "is_active"), (_("Created"), "created_at")),
        "-created_at",
    ),
}


def _value(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return ""
    return obj


def _section_view(scope: str):
    section = SECTIONS[scope]

    @never_cache
    @staff_required(scope)
    @require_GET
    @transaction.atomic
    def view(request):
        if not roles.can(request.user, scope):
            raise Http404
        rows = section.rows(request.user).order_by(section.order)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
        audit_record(
            actor=request.user,
            action="backoffice.list",
            object_type=scope,
            object_ids=[obj.pk for obj in page.object_list],
            data={"scope": scope, "page": page.number, "shown": len(page.object_list)},
        )
        table = [
            {
                "url": reverse(section.link, args=[obj.pk]) if section.link else "",
                "cells": [_value(obj, path) for _, path in section.columns],
            }
            for obj in page.object_list
        ]
        return render(
            request,
            "backoffice/section_list.html",
            {
                "find_url": reverse(section.find) if section.find else "",
                "title": section.title,
                "headings": [h for h, _ in section.columns],
                "table": table,
                "page": page,
            },
        )

    view.__name__ = f"{scope}_list"
    return view


views = {scope: _section_view(scope) for scope in SECTIONS}
