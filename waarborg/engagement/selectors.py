"""Reads: a browser's cookie choice, whether analytics may count a visit, page-view totals."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from waarborg.consents.models import ConsentRecord
from waarborg.consents.selectors import consent_is_given
from waarborg.engagement import cookies
from waarborg.engagement.models import PageView
from waarborg.privacy.selectors import processing_allowed

# The random numbers in Waarborg's cookies (what consents.services accepts as a device id).
DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def valid_device_id(value) -> str:
    """The value when it is one of our random numbers, else "" (a forged or broken cookie)."""
    value = value if isinstance(value, str) else ""
    return value if DEVICE_ID.match(value) else ""


@dataclass
class CookieChoice:
    """What this browser chose, per category it is asked about, under the current policy version."""

    device_id: str
    latest: dict[str, ConsentRecord | None] = field(default_factory=dict)  # kind -> its latest record
    policy_version: str = ""

    def answer(self, kind: str) -> bool | None:
        """True: consent stands; False: refused or withdrawn; None: not asked under this version."""
        record = self.latest.get(kind)
        if record is None or record.policy_version != self.policy_version:
            return None
        return bool(record.granted and record.withdrawn_at is None)

    @property
    def decided(self) -> bool:
        return all(self.answer(kind) is not None for kind in cookies.choice_kinds())

    @property
    def chose_earlier(self) -> bool:
        """A choice was made, under an earlier version of the policy: it is asked again."""
        return not self.decided and any(record is not None for record in self.latest.values())

    def allows(self, kind: str) -> bool:
        return self.answer(kind) is True


def cookie_choice(device_id: str) -> CookieChoice:
    """The choice of the browser with this consent-cookie number (one query)."""
    kinds = cookies.choice_kinds()
    choice = CookieChoice(device_id, {kind: None for kind in kinds}, settings.WAARBORG_POLICY_VERSION)
    if not device_id or not kinds:
        return choice
    for record in ConsentRecord.objects.filter(device_id=device_id, kind__in=kinds).order_by("-given_at", "-pk"):
        if choice.latest.get(record.kind) is None:
            choice.latest[record.kind] = record
    return choice


def device_consents(*, kind: str, device_id: str) -> bool:
    """Consent for `kind` stands for this browser under the current policy version."""
    return bool(device_id) and consent_is_given(
        kind=kind, device_id=device_id, policy_version=settings.WAARBORG_POLICY_VERSION
    )


def person_refuses(user, kind: str) -> bool:
    """The signed-in person's own latest record for `kind` (in the portal) is a no or a withdrawal."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    condition = Q(account_id=user.pk)
    if getattr(user, "contact_id", None):
        condition |= Q(contact_id=user.contact_id)
    latest = ConsentRecord.objects.filter(condition, kind=kind).order_by("-given_at", "-pk").first()
    return latest is not None and (not latest.granted or latest.withdrawn_at is not None)


def analytics_allowed(*, device_id: str, user=None) -> bool:
    """May a visit of this browser (and this signed-in person, if any) be counted (U8, U9)?

    Only with a standing analytics consent of the browser under the current policy version; for
    a signed-in person also only when they did not object to or withdraw from insight into
    website use (processing_allowed), were not restricted, and did not say no in the portal.
    """
    if not device_consents(kind="cookies_analytics", device_id=device_id):
        return False
    if user is not None and getattr(user, "is_authenticated", False):
        if not processing_allowed(user, "U8") or person_refuses(user, "cookies_analytics"):
            return False
    return True


# --- Aggregates (U8, U9): counts only, never a device ---------------------------


@dataclass(frozen=True)
class PathTotal:
    path: str
    views: int
    browsers: int


def page_view_totals(*, start: dt.date, end: dt.date) -> list[PathTotal]:
    """Page views and distinct browsers per page between two days (inclusive), most seen first."""
    rows = (
        PageView.objects.filter(day__gte=start, day__lte=end)
        .values("path")
        .annotate(views=Count("pk"), browsers=Count("device_id", distinct=True))
        .order_by("-views", "path")
    )
    return [PathTotal(r["path"], r["views"], r["browsers"]) for r in rows]
