"""The back office: customer search, a customer's record, the audit trail (B2, B4).

Identifiers are personal data, so the customer search is a POST: what was searched for never
appears in a URL, a server log or the browser's history. Opening a record needs a purpose; the
opening is recorded with it. Pages with personal data are never cached.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waarborg.audit.services import audit_record
from waarborg.auth_web.decorators import staff_required
from waarborg.backoffice import notice_agreement, purposes
from waarborg.backoffice.forms import PURPOSE_PARAM, AuditFilterForm, CustomerSearchForm, PurposeForm
from waarborg.backoffice.selectors import (
    audit_event_list_for,
    audit_vocabulary_for,
    customer_search_for,
)
from waarborg.backoffice.verification import CACHE_SECONDS, verify_status
from waarborg.core import roles
from waarborg.customers.record import LOGIN_HISTORY_LIMIT, customer_record_open
from waarborg.customers.selectors import customer_get_for

AUDIT_PAGE_SIZE = 50
VOCABULARY_CACHE_KEY = "backoffice:audit-vocabulary"


def _crumbs(*trail) -> list[dict]:
    """The breadcrumbs after "Back office": (label, url) pairs, the current page without url."""
    return [{"label": label, "url": url} for label, url in trail]


@never_cache
@staff_required("customers")
@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def customer_search(request):
    if request.method != "POST":
        if request.GET:
            # Whatever was put in the address, it is not searched: back to the bare page.
            return redirect("backoffice:customers")
        form = CustomerSearchForm(viewer=request.user)
        return render(
            request, "backoffice/customer_search.html", {"form": form, "crumbs": _crumbs((_("Customers"), None))}
        )

    form = CustomerSearchForm(request.POST, viewer=request.user)
    result = None
    if form.is_valid():
        result = customer_search_for(viewer=request.user, criteria=form.criteria())
        audit_record(
            actor=request.user,
            action="customer.search",
            purpose=form.cleaned_data["purpose"],
            object_type="customers.customer",
            object_ids=[customer.pk for customer in result.customers],
            data={
                "kinds": result.kinds,
                "refused_kinds": result.unavailable,
                "results": result.total,
                "shown": len(result.customers),
            },
        )
    return render(
        request,
        "backoffice/customer_search.html",
        {
            "form": form,
            "result": result,
            "purpose": form.cleaned_data.get("purpose") if result is not None else None,
            "purpose_param": PURPOSE_PARAM,
            "crumbs": _crumbs((_("Customers"), None)),
        },
    )


@never_cache
@staff_required("customers")
@require_GET  # not HEAD either: every answer with a record is a recorded opening
def customer_detail(request, pk: int):
    viewer = request.user
    customer = customer_get_for(viewer=viewer, pk=pk)  # NotFound (404) before anything else
    form = PurposeForm(request.GET if PURPOSE_PARAM in request.GET else None, viewer=viewer)
    if not form.is_valid():  # no purpose yet, or one this role may not give: ask, show nothing
        crumbs = _crumbs((_("Customers"), reverse("backoffice:customers")), (_("Purpose"), None))
        context = {"form": form, "customer_pk": customer.pk, "crumbs": crumbs}
        return render(request, "backoffice/customer_purpose.html", context)
    purpose = form.cleaned_data[PURPOSE_PARAM]
    record = customer_record_open(viewer=viewer, customer=customer, purpose=purpose)
    return render(
        request,
        "backoffice/customer_detail.html",
        {
            "customer": customer,
            "purpose": purpose,
            "purpose_label": purposes.label(purpose),
            "purpose_param": PURPOSE_PARAM,
            "may_change_contacts": roles.can(viewer, "contacts"),
            "login_limit": LOGIN_HISTORY_LIMIT,
            "crumbs": _crumbs((_("Customers"), reverse("backoffice:customers")), (customer.number, None)),
            "notice": notice_agreement.section(viewer, customer, purpose),
            "shown": record.shown,
            "sections": record.sections,
        },
    )


@never_cache
@staff_required("audit")
@require_http_methods(["GET", "HEAD"])
def audit_trail(request):
    viewer = request.user
    # The filters' suggestions (distinct actions and object types) change rarely: a minute's cache.
    vocabulary = cache.get_or_set(VOCABULARY_CACHE_KEY, lambda: audit_vocabulary_for(viewer=viewer), CACHE_SECONDS)
    form = AuditFilterForm(request.GET or None, vocabulary=vocabulary)
    page = None
    query = ""
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {}
        events = audit_event_list_for(viewer=viewer, **filters)
        page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("pagina"))
        query = urlencode({name: str(value) for name, value in filters.items()})
    return render(
        request,
        "backoffice/audit_trail.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "status": verify_status(),
            "cache_seconds": CACHE_SECONDS,
            "crumbs": _crumbs((_("Audit trail"), None)),
        },
    )


@never_cache
@staff_required("audit")
@require_POST
def audit_verify_now(request):
    """Walk the chain now (not from the cache), then back to the trail with the same filters."""
    verify_status(fresh=True)
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return HttpResponseRedirect(reverse("backoffice:audit") + (f"?{query}" if query else ""))
