"""The customer's change of the address they sign in with (waarborg.accounts.email_change):
a form on the security page (new address and password), a mail with a one-time link to the new
address, a page at that link to confirm (a POST, so a mail scanner opening the link changes
nothing), and a notice to the old address once it is done. Mails go in the page's language."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from waarborg.accounts.email_change import (
    VALID_HOURS,
    email_change_confirm,
    email_change_link_get,
    email_change_request,
    require_usable,
)
from waarborg.auth_web.decorators import customer_required
from waarborg.core.errors import NotFound, ValidationError
from waarborg.web.mail import send_template_mail

log = logging.getLogger(__name__)
GONE = 410


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("New e-mail address"), max_length=254)
    password = forms.CharField(label=gettext_lazy("Your password"), widget=forms.PasswordInput, strip=False)


def _send(subject: str, template: str, to: str, context: dict) -> None:
    try:
        send_template_mail(subject, template, to, context)
    except Exception as exc:  # noqa: BLE001 (the change stands or can be asked again; the log names no address)
        log.warning("e-mail change: a mail could not be sent (%s)", type(exc).__name__)


@sensitive_post_parameters("password")
@customer_required
@never_cache
def request_change(request):
    form = EmailChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                change = email_change_request(
                    actor=request.user,
                    account=request.user,
                    new_email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                )
        except ValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text())
        else:
            url = settings.WAARBORG_SITE_URL + reverse("auth_web:email_confirm", args=[change.token])
            _send(
                _("Confirm your new e-mail address"),
                "auth_web/mail/email_change_confirm.txt",
                change.link.new_email,
                {"url": url, "hours": VALID_HOURS},
            )
            messages.success(
                request,
                _("We sent a link to the new address. Open it within %(hours)s hours to confirm the change.")
                % {"hours": VALID_HOURS},
            )
            return redirect("auth_web:security")
    return render(request, "auth_web/email_change.html", {"form": form}, status=400 if form.errors else 200)


@csrf_protect
@never_cache
def confirm(request, token: str):
    try:
        link = email_change_link_get(token)
    except NotFound as exc:
        return render(request, "auth_web/email_change_done.html", {"error": exc.text()}, status=404)
    try:
        require_usable(link)
    except ValidationError as exc:
        return render(request, "auth_web/email_change_done.html", {"error": exc.text()}, status=GONE)
    if request.method != "POST":
        return render(request, "auth_web/email_change_confirm.html", {})
    try:
        account, old = email_change_confirm(token=token)
    except ValidationError as exc:
        return render(request, "auth_web/email_change_done.html", {"error": exc.text()}, status=GONE)
    _send(
        _("The e-mail address you sign in with has changed"),
        "auth_web/mail/email_change_notice.txt",
        old,
        {"contact": settings.WAARBORG_CONTROLLER.get("email", "")},
    )
    return render(request, "auth_web/email_change_done.html", {"done": True})
