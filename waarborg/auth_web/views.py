"""Sign-in (password, then the second factor), enrolment, sign-out, password reset, and the
customer's own second-factor settings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from waarborg.accounts.second_factor import second_factor_turn_off, second_factor_turn_on
from waarborg.auth_web import events, flow, throttle, totp
from waarborg.auth_web.decorators import customer_required
from waarborg.auth_web.forms import CodeForm, ResetRequestForm, SignInForm
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email

THROTTLED_STATUS = 429


def _posted(request):
    return request.POST if request.method == "POST" else None


def _locked_message(until) -> str:
    local = timezone.localtime(until)
    return _("Too many failed attempts. Sign-in is paused until %(time)s; try again after that.") % {
        "time": formats.time_format(local, "H:i")
    }


def _account_for(email: str):
    try:
        normalised = normalise_email(email)
    except ValidationError:
        return None
    return get_user_model().objects.filter(email=normalised).first()


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request):
    if request.user.is_authenticated:
        return redirect(flow.landing_url(request.user))
    next_url = flow.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        flow.clear_pending(request)
        account = _account_for(form.cleaned_data["email"])
        ip = events.client_ip(request)
        until = throttle.locked_until(ip=ip, account=account)
        if until is not None:
            events.record_login_event(request, account=account, succeeded=False, method=events.THROTTLED)
            form.add_error(None, _locked_message(until))
            status = THROTTLED_STATUS
        else:
            user = authenticate(
                request,
                username=account.email if account else form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
            if user is None:
                events.record_login_event(request, account=account, succeeded=False, method=events.PASSWORD)
                form.add_error(None, _("The e-mail address or the password is not right."))
            elif totp.needs_second_factor(user):
                step = flow.VERIFY if totp.confirmed_device(user) else flow.ENROL
                flow.start_pending(request, user, step, next_url)
                return redirect(flow.step_url(step))
            else:
                events.record_login_event(request, account=user, succeeded=True, method=events.PASSWORD)
                return redirect(flow.finish(request, user, next_url=next_url))
    return render(request, "auth_web/sign_in.html", {"form": form, "next": next_url}, status=status)


def _check_code(request, account, device, form):
    """Check the code from `form` against `device`: (may sign in, HTTP status for the page)."""
    until = throttle.locked_until(ip=events.client_ip(request), account=account)
    if until is not None:
        events.record_login_event(request, account=account, succeeded=False, method=events.THROTTLED)
        form.add_error(None, _locked_message(until))
        return False, THROTTLED_STATUS
    ok, too_fast = totp.verify(device, form.cleaned_data["code"])
    if ok:
        events.record_login_event(request, account=account, succeeded=True, method=events.TOTP)
        return True, 200
    events.record_login_event(request, account=account, succeeded=False, method=events.TOTP)
    if too_fast:
        form.add_error("code", _("Too many wrong codes in a row. Wait a few seconds and try again."))
        return False, THROTTLED_STATUS
    form.add_error("code", _("That code is not right. Check the time on your phone and try again."))
    return False, 200


@csrf_protect
@never_cache
def verify(request):
    current = flow.pending(request)
    if current is None or current[1]["step"] != flow.VERIFY:
        return redirect("auth_web:login")
    account, state = current
    device = totp.confirmed_device(account)
    if device is None:  # removed meanwhile: start over
        flow.clear_pending(request)
        return redirect("auth_web:login")
    form = CodeForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        ok, status = _check_code(request, account, device, form)
        if ok:
            return redirect(flow.finish(request, account, device, state.get("next", "")))
    return render(request, "auth_web/verify.html", {"form": form}, status=status)


def _enrolment_page(request, account, device, form, *, template, status=200, **extra):
    context = {
        "form": form,
        "secret": totp.secret_text(device),
        "qr": totp.qr_svg(device, _("QR code for your authenticator app")),
        **extra,
    }
    return render(request, template, context, status=status)


@csrf_protect
@never_cache
def enrol(request):
    """Staff without a second factor set one up before they see any other page."""
    current = flow.pending(request)
    if current is None or current[1]["step"] != flow.ENROL:
        return redirect("auth_web:login")
    account, state = current
    device = totp.enrolment_device(account)
    form = CodeForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        ok, status = _check_code(request, account, device, form)
        if ok:
            second_factor_turn_on(actor=account, account=account, device=device)
            target = flow.finish(request, account, device, state.get("next", ""))
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(target)
    return _enrolment_page(request, account, device, form, template="auth_web/enrol.html", status=status)


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("web:start")


# --- The customer's own settings ---------------------------------------------------------


@customer_required
@never_cache
def security(request):
    device = totp.confirmed_device(request.user)
    form = CodeForm(_posted(request))
    status = 200
    if request.method == "POST" and device is not None and form.is_valid():
        ok, status = _check_code(request, request.user, device, form)
        if ok:
            second_factor_turn_off(actor=request.user, account=request.user)
            messages.success(request, _("Two-step sign-in is turned off."))
            return redirect("auth_web:security")
    return render(
        request,
        "auth_web/security.html",
        {"device": device, "form": form},
        status=status,
    )


@customer_required
@never_cache
def security_enrol(request):
    if totp.confirmed_device(request.user) is not None:
        return redirect("auth_web:security")
    device = totp.enrolment_device(request.user)
    form = CodeForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        ok, status = _check_code(request, request.user, device, form)
        if ok:
            second_factor_turn_on(actor=request.user, account=request.user, device=device)
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on. You will be asked for a code from now on."))
            return redirect("auth_web:security")
    return _enrolment_page(request, request.user, device, form, template="auth_web/security_enrol.html", status=status)


# --- Password reset: the same answer whether or not the address is known -------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "auth_web/password_reset_form.html"
    email_template_name = "auth_web/mail/password_reset_email.txt"
    subject_template_name = "auth_web/mail/password_reset_subject.txt"
    success_url = reverse_lazy("auth_web:password_reset_done")

    @property
    def extra_email_context(self):
        return {"controller_name": settings.WAARBORG_CONTROLLER["name"]}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "auth_web/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "auth_web/password_reset_confirm.html"
    success_url = reverse_lazy("auth_web:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "auth_web/password_reset_complete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["login_url"] = reverse("auth_web:login")
        return context
