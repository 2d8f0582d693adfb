"""The sign-in in steps: password, then (for staff, and customers who turned it on) the code.

Between the steps the session holds only a *pending* sign-in: the account id, the step, when it
began and a fingerprint of the password hash. The visitor stays anonymous to every view until
the last step is done, so no page, present or future, can be reached half signed in; the
middleware sends a pending visitor back to their step from every other page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from waarborg.core import clock

PENDING_KEY = "auth_web.pending"
PENDING_SECONDS = 10 * 60
VERIFY = "verify"
ENROL = "enrol"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def landing_url(account) -> str:
    return reverse("web:backoffice") if account.is_staff_role else reverse("web:portal")


def start_pending(request, account, step: str, next_url: str = "") -> None:
    request.session.cycle_key()  # a new session id once the password is known (fixation)
    request.session[PENDING_KEY] = {
        "account": account.pk,
        "step": step,
        "since": clock.now().isoformat(),
        "hash": account.get_session_auth_hash(),
        "next": next_url,
    }


def clear_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)


def pending(request) -> tuple[object, dict] | None:
    """(account, state) of a pending sign-in that is still valid; a stale one is dropped."""
    state = request.session.get(PENDING_KEY)
    if not state:
        return None
    try:
        since = dt.datetime.fromisoformat(state["since"])
        account = get_user_model().objects.get(pk=state["account"], is_active=True)
    except (KeyError, ValueError, TypeError, get_user_model().DoesNotExist):
        clear_pending(request)
        return None
    fresh = clock.now() - since <= dt.timedelta(seconds=PENDING_SECONDS)
    same_password = constant_time_compare(state.get("hash", ""), account.get_session_auth_hash())
    if not (fresh and same_password):
        clear_pending(request)
        return None
    return account, state


def step_url(step: str) -> str:
    return reverse("auth_web:verify" if step == VERIFY else "auth_web:enrol")


def finish(request, account, device=None, next_url: str = "") -> str:
    """Sign in for real; with `device`, the session counts as verified by the second factor."""
    clear_pending(request)
    auth_login(request, account, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
    return next_url or landing_url(account)
