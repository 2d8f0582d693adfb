"""Writes: a browser's cookie choice (C1, G4) and a counted page view (U8, U9).

A cookie choice is kept as consent records of the browser (its random number from the consent
cookie, no person): one per category, with the policy version and the moment, source "banner".
Refusing and withdrawing take exactly the same single step as accepting.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction

from waarborg.consents.services import consent_give, consent_refuse, consent_withdraw
from waarborg.core import clock
from waarborg.core.actors import System
from waarborg.engagement import cookies
from waarborg.engagement.models import PageView
from waarborg.engagement.selectors import cookie_choice, valid_device_id

VISITOR = System("visitor")  # the audit trail's actor for a choice made on the website
SOURCE = "banner"
PATH_LENGTH = PageView._meta.get_field("path").max_length


def new_device_id() -> str:
    """A random number for a cookie: it says nothing about the browser or the person."""
    return secrets.token_urlsafe(24)


@transaction.atomic
def cookie_choice_save(*, device_id: str, choices: dict[str, bool]) -> dict[str, str]:
    """Record the browser's choice per category kind; returns kind -> what was recorded.

    `choices` maps consent kinds to yes or no; kinds left out stay as they are. A yes that
    already stands under the current policy version records nothing new, nor does a no that
    stands; a no after a yes withdraws the consent, and a no that was never given (or given under
    an earlier version) is recorded as a refusal.
    """
    device_id = valid_device_id(device_id)
    if not device_id:
        raise ValueError("a cookie choice needs the browser's random number")
    version = settings.WAARBORG_POLICY_VERSION
    current = cookie_choice(device_id)
    done: dict[str, str] = {}
    for kind in cookies.choice_kinds():
        if kind not in choices:
            continue
        answer = current.answer(kind)
        if choices[kind]:
            if answer is True:
                done[kind] = "unchanged"
                continue
            consent_give(actor=VISITOR, kind=kind, policy_version=version, device_id=device_id, source=SOURCE)
            done[kind] = "given"
            continue
        withdrawn = consent_withdraw(actor=VISITOR, kind=kind, device_id=device_id)
        if withdrawn and current.latest[kind] is not None and current.latest[kind].policy_version == version:
            done[kind] = "withdrawn"  # the withdrawn record itself is the current "no"
        elif answer is False:
            done[kind] = "unchanged"
        else:
            consent_refuse(actor=VISITOR, kind=kind, policy_version=version, device_id=device_id, source=SOURCE)
            done[kind] = "withdrawn" if withdrawn else "refused"
    return done


def page_view_record(*, path: str, device_id: str) -> PageView:
    """Count one page view. The caller has checked the consent (analytics_allowed)."""
    return PageView.objects.create(path=path[:PATH_LENGTH], day=clock.today(), device_id=device_id)
