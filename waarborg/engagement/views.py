"""The cookie policy and the cookie choice (C1, G4); the newsletter's unsubscribe link (G4).

Everything works without JavaScript: the choice is a plain form (POST with the CSRF token) that
sends the visitor back to the page they were on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from waarborg.consents.models import ConsentRecord
from waarborg.core import datamap
from waarborg.core.errors import NotFound
from waarborg.engagement import cookies
from waarborg.engagement.middleware import consent_device, set_cookie
from waarborg.engagement.newsletter import newsletter_unsubscribe
from waarborg.engagement.selectors import CookieChoice, cookie_choice
from waarborg.engagement.services import cookie_choice_save, new_device_id


@dataclass
class CategoryView:
    category: cookies.Category
    cookies: list[cookies.Cookie]
    answer: bool | None  # None: strictly necessary, or not chosen under this policy version
    latest: ConsentRecord | None


def _choice_of(request) -> CookieChoice:
    choice = getattr(request, "cookie_choice", None)
    return choice if choice is not None else cookie_choice(consent_device(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        if not target.startswith(reverse("engagement:choice")):
            return target
    return reverse("engagement:cookies")


@never_cache
def cookie_policy(request):
    """Every cookie the site sets, by category, and this browser's choice with one-click changes."""
    choice = _choice_of(request)
    offered = {c.key for c in cookies.choice_categories()}
    views = []
    for category in cookies.CATEGORIES:
        declared = [cookie for cookie in cookies.cookies() if cookie.category == category.key]
        if category.consent_kind is not None and category.key not in offered:
            continue
        kind = category.consent_kind
        views.append(
            CategoryView(
                category,
                declared,
                choice.answer(kind) if kind else None,
                choice.latest.get(kind) if kind else None,
            )
        )
    lang = "en" if request.LANGUAGE_CODE.startswith("en") else "nl"
    page_views = datamap.entry_for("engagement.PageView").fields["path"].retention
    consent_records = datamap.entry_for("consents.ConsentRecord").fields["given_at"].retention
    return render(
        request,
        "engagement/cookies.html",
        {
            "categories": views,
            "choice": choice,
            "policy_version": settings.WAARBORG_POLICY_VERSION,
            "page_view_retention": page_views.describe(lang),
            "consent_retention": consent_records.describe(lang),
        },
    )


@require_POST
def cookie_choice_view(request):
    """Refuse all, accept all, save the choice per category, or give or withdraw one category."""
    action = request.POST.get("action", "")
    offered = cookies.choice_categories()
    if action == "accept_all":
        choices = {c.consent_kind: True for c in offered}
        done = _("You accepted all cookies.")
    elif action == "refuse_all":
        choices = {c.consent_kind: False for c in offered}
        done = _("You refused all cookies that are not strictly necessary.")
    elif action == "save":
        choices = {c.consent_kind: request.POST.get(c.key) == "on" for c in offered}
        done = _("Your cookie choice has been saved.")
    elif action in ("give", "withdraw"):
        category = next((c for c in offered if c.key == request.POST.get("category", "")), None)
        if category is None:
            return HttpResponseBadRequest(_("Unknown cookie category."))
        choices = {category.consent_kind: action == "give"}
        template = (
            _("You gave consent for: %(name)s.") if action == "give" else _("You withdrew your consent for: %(name)s.")
        )
        done = template % {"name": category.name}
    else:
        return HttpResponseBadRequest(_("Unknown choice."))
    device_id = consent_device(request) or new_device_id()
    cookie_choice_save(device_id=device_id, choices=choices)
    messages.success(request, done)
    response = redirect(_back(request))
    set_cookie(response, cookies.CONSENT_COOKIE, device_id, cookies.CHOICE_SECONDS)
    return response


@csrf_exempt  # the signed token is the proof; mail programs POST here without a form (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One click on the link in a newsletter withdraws the consent for it (G4)."""
    try:
        newsletter_unsubscribe(token=token)
    except NotFound:
        return render(request, "engagement/unsubscribe.html", {"valid": False}, status=404)
    return render(request, "engagement/unsubscribe.html", {"valid": True})
