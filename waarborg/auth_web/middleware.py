"""Second-factor enforcement and the security headers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from waarborg.auth_web import flow, totp

DEFAULT_CSP = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)
DEFAULT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline scripts, no framing) and Permissions-Policy.

    HSTS, nosniff, the referrer policy and X-Frame-Options come from Django's own middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = getattr(settings, "WAARBORG_CSP", DEFAULT_CSP)
        self.permissions = getattr(settings, "WAARBORG_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class SecondFactorMiddleware:
    """Nobody reaches a page half signed in.

    A pending sign-in (password done, code not yet) may open only its own step, the sign-in and
    sign-out pages and the language switch. A session that is signed in but should have a
    verified second factor and has not (a staff account signed in some other way, a role raised
    meanwhile) is turned back into a pending sign-in. Goes after OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signing_out = request.path == reverse("auth_web:logout")
        if user is not None and user.is_authenticated and not user.is_verified() and not signing_out:
            if totp.needs_second_factor(user):
                account = user
                next_url = request.get_full_path() if request.method == "GET" else ""
                logout(request)
                step = flow.VERIFY if totp.confirmed_device(account) else flow.ENROL
                flow.start_pending(request, account, step, flow.safe_next(request, next_url))
                return redirect(flow.step_url(step))
        if flow.PENDING_KEY in request.session and user is not None and user.is_authenticated:
            flow.clear_pending(request)  # signed in for real meanwhile
        if flow.PENDING_KEY in request.session:
            current = flow.pending(request)
            if current is not None:
                target = flow.step_url(current[1]["step"])
                allowed = {target, reverse("auth_web:login"), reverse("auth_web:logout"), reverse("set_language")}
                if request.path not in allowed:
                    return redirect(target)
        return self.get_response(request)
