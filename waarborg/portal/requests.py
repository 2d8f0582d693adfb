"""Privacy requests in the portal (G1–G7, G9, X2): make one of every type, follow your own.

A signed-in customer is verified by the session, so there is no identity step and no upload
(G8). Reads go through the privacy selectors (another customer's request is a 404, like one
that does not exist); the request is made by `privacy_request_create`, which decides.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from waarborg.auth_web.decorators import customer_required
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.portal.request_forms import SERVICE_FIELDS, PortalRequestForm
from waarborg.privacy.delivery import link_state, portal_link, portal_package_take
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.selectors import (
    privacy_request_get_for,
    privacy_request_list_for,
    rectification_proposal_list_for,
)
from waarborg.web import privacy_texts

LANDING_LATEST = 3


def type_cards() -> list[dict]:
    return [
        {
            "type": code,
            "slug": privacy_texts.TYPE_SLUGS[code],
            "label": privacy_texts.TYPES[code],
            "help": privacy_texts.TYPE_HELP[code],
        }
        for code in privacy_texts.TYPES
    ]


def answer_by(request: PrivacyRequest):
    """The date the customer can count on: the promised date, or the extended one."""
    return request.extended_due or request.promise_due


def landing_summary(user) -> dict:
    """For the portal's landing: the open requests and the latest few."""
    requests = list(privacy_request_list_for(viewer=user).order_by("-received_at", "-pk")[:LANDING_LATEST])
    open_count = privacy_request_list_for(viewer=user, open_only=True).count()
    return {"privacy_latest": requests, "privacy_open": open_count}


@customer_required
@never_cache
def request_list(request):
    rows = privacy_request_list_for(viewer=request.user).order_by("-received_at", "-pk")
    return render(
        request,
        "portal/requests/list.html",
        {"requests": list(rows), "types": type_cards(), "today": clock.today()},
    )


@customer_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_new(request, slug: str):
    type_ = privacy_texts.SLUG_TYPES.get(slug)
    if type_ is None:
        raise Http404("no such request type")
    user = request.user
    contact = user.contact
    if type_ == "rectification" and contact is None:
        raise Http404("no contact person to correct")
    form = PortalRequestForm(request.POST if request.method == "POST" else None, type=type_, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            made = privacy_request_create(
                actor=user,
                channel=PrivacyRequest.Channel.PORTAL,
                language=privacy_texts.lang(),
                **form.service_kwargs(),
            )
        except ValidationError as error:
            privacy_texts.add_service_error(form, error, SERVICE_FIELDS)
        else:
            messages.success(
                request,
                _("We received your request %(number)s. We answer by %(date)s at the latest.")
                % {"number": made.number, "date": _date(answer_by(made))},
            )
            return redirect("portal:request", pk=made.pk)
    return render(
        request,
        "portal/requests/new.html",
        {
            "form": form,
            "type": type_,
            "type_label": privacy_texts.TYPES[type_],
            "type_help": privacy_texts.TYPE_HELP[type_],
            "slug": slug,
        },
    )


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


@customer_required
@never_cache
def request_detail(request, pk: int):
    """One of the customer's own requests: what was asked, its dates, and the answer."""
    user = request.user
    found = privacy_request_get_for(viewer=user, pk=pk)  # another's: NotFound, a 404
    link = portal_link(found)
    return render(
        request,
        "portal/requests/detail.html",
        {
            "req": found,
            "answer_by": answer_by(found),
            "proposals": list(rectification_proposal_list_for(viewer=user, request=found)),
            "package": link,
            "package_state": link_state(link) if link is not None else "",
            "stopped": sorted(
                {stop.purpose for stop in found.processing_stops.filter(lifted_at__isnull=True)},
                key=lambda p: int(p[1:]),
            ),
        },
    )


@customer_required
@never_cache
@require_POST
def request_package(request, pk: int):
    """The access package of one of the customer's own requests, once (the mailed link is spent by it)."""
    found = privacy_request_get_for(viewer=request.user, pk=pk)  # another's: NotFound, a 404
    try:
        data, name = portal_package_take(actor=request.user, request=found)
    except ValidationError as error:
        messages.error(request, error.text())
        return redirect("portal:request", pk=found.pk)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
