"""The enrolment link of a new staff member (`waarborg staff add`): choose a password, then set
up the authenticator app (the sign-in's ENROL step) before any other page. The same link invites
a customer's contact person to the portal: after choosing a password they sign in.

A used, expired or unknown link gets a page that says so and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from waarborg.accounts.enrolment import USED, VALID, enrolment_link_get, enrolment_password_set, link_state
from waarborg.auth_web import flow
from waarborg.core.errors import NotFound, ValidationError

GONE = 410


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
def welcome(request, token: str):
    try:
        link = enrolment_link_get(token)
    except NotFound:
        return render(request, "auth_web/welcome_invalid.html", {"state": "unknown"}, status=404)
    state = link_state(link)
    if state != VALID:
        return render(request, "auth_web/welcome_invalid.html", {"state": state}, status=GONE)
    account = link.account
    form = SetPasswordForm(account, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account = enrolment_password_set(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            if exc.field != "password":  # used meanwhile, or expired while the form was open
                return render(request, "auth_web/welcome_invalid.html", {"state": USED}, status=GONE)
            form.add_error("new_password1", exc.text())
        else:
            if request.user.is_authenticated:
                logout(request)
            if not account.is_staff_role:  # an invited contact person: the portal, two-step sign-in optional
                messages.success(request, _("Your password is set. Sign in with your e-mail address and password."))
                return redirect("auth_web:login")
            flow.start_pending(request, account, flow.ENROL)
            return redirect(flow.step_url(flow.ENROL))
    return render(request, "auth_web/welcome.html", {"form": form})
