"""Throttling sign-in guesses, counted from LoginEvent rows (so it holds across processes).

Per account: 5 failed attempts (password or code) within 15 minutes since the last successful
sign-in lock the account's sign-in for 15 minutes after the fifth. Per IP address: the same with
20 failures, for every address tried from it, known or not. While locked, nothing is checked:
a right password is refused like a wrong one, and the refusal is recorded (method "throttled")
but does not itself extend the lock.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from waarborg.accounts.models import LoginEvent
from waarborg.auth_web.events import THROTTLED
from waarborg.core import clock


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def window() -> dt.timedelta:
    return dt.timedelta(seconds=_setting("WAARBORG_LOGIN_WINDOW_SECONDS", 15 * 60))


def lock_time() -> dt.timedelta:
    return dt.timedelta(seconds=_setting("WAARBORG_LOGIN_LOCK_SECONDS", 15 * 60))


def _locked_until(failures, limit: int, now: dt.datetime) -> dt.datetime | None:
    """The end of the latest lock, if `limit` failures fell within one window and it lasts."""
    span = window()
    times = sorted(failures)
    until = None
    for i in range(limit - 1, len(times)):
        if times[i] - times[i - limit + 1] <= span:
            until = times[i] + lock_time()
    return until if until is not None and until > now else None


def _failure_times(qs, now: dt.datetime) -> list[dt.datetime]:
    since = now - window() - lock_time()
    return list(
        qs.filter(succeeded=False, at__gt=since)
        .exclude(method=THROTTLED)
        .order_by("-at")
        .values_list("at", flat=True)[:1000]
    )


def locked_until(*, ip: str, account=None) -> dt.datetime | None:
    """When sign-in from `ip` (for `account`, if known) is allowed again; None if it is now."""
    now = clock.now()
    ends = []
    if account is not None:
        qs = LoginEvent.objects.filter(account=account)
        last_success = qs.filter(succeeded=True).order_by("-at").values_list("at", flat=True).first()
        if last_success is not None:
            qs = qs.filter(at__gt=last_success)
        limit = _setting("WAARBORG_LOGIN_MAX_FAILURES", 5)
        ends.append(_locked_until(_failure_times(qs, now), limit, now))
    limit = _setting("WAARBORG_LOGIN_MAX_FAILURES_PER_IP", 20)
    ends.append(_locked_until(_failure_times(LoginEvent.objects.filter(ip_address=ip), now), limit, now))
    ends = [e for e in ends if e is not None]
    return max(ends) if ends else None
