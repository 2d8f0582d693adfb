"""Every cookie the site sets, declared once (C1).

The cookie policy page lists these declarations, the banner offers their categories, and the
middleware enforces them: a cookie that is not declared here never leaves the server, and a
cookie of a category that needs consent leaves it only while the visitor's consent for that
category stands. Names of Django's own cookies are read from the settings, so the list stays true
when a setting changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

NECESSARY = "necessary"
ANALYTICS = "analytics"
MARKETING = "marketing"

# Waarborg's own cookies.
CONSENT_COOKIE = "wb_consent"
ANALYTICS_COOKIE = "wb_analytics"
CHOICE_SECONDS = 365 * 24 * 3600  # the choice is asked again after a year (and on a new policy version)
ANALYTICS_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class Category:
    key: str
    consent_kind: str | None  # the ConsentRecord kind it needs; None: strictly necessary, no consent
    name: object
    description: object


CATEGORIES: tuple[Category, ...] = (
    Category(
        NECESSARY,
        None,
        _("Strictly necessary cookies"),
        _(
            "Needed for the website to work and to keep it secure. These are set without asking; you can block them in your browser, but then signing in and forms no longer work."
        ),
    ),
    Category(
        ANALYTICS,
        "cookies_analytics",
        _("Analytics cookies"),
        _(
            "Only with your consent: we count which pages are visited, to see how the website is used and to improve it. We do this ourselves; nothing goes to another party, and we record no IP address and no browser details."
        ),
    ),
    Category(
        MARKETING,
        "cookies_marketing",
        _("Marketing cookies"),
        _("Only with your consent: to tailor content to your interests."),
    ),
)


@dataclass(frozen=True)
class Cookie:
    default_name: str
    category: str
    purpose: object
    when: object  # when it is set
    lifetime_of: Callable[[], int | None] = lambda: None  # seconds; None: until the browser is closed
    setting: str | None = None  # the Django setting that names it

    @property
    def name(self) -> str:
        return getattr(settings, self.setting, self.default_name) if self.setting else self.default_name

    @property
    def lifetime(self) -> int | None:
        return self.lifetime_of()

    @property
    def needs_consent(self) -> bool:
        return category(self.category).consent_kind is not None

    @property
    def consent_kind(self) -> str | None:
        return category(self.category).consent_kind

    def duration(self) -> str:
        return duration_text(self.lifetime)


COOKIES: tuple[Cookie, ...] = (
    Cookie(
        "sessionid",
        NECESSARY,
        _("Keeps you signed in to the portal or the back office, and secures that session."),
        _("When you sign in."),
        lifetime_of=lambda: None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE,
        setting="SESSION_COOKIE_NAME",
    ),
    Cookie(
        "csrftoken",
        NECESSARY,
        _("Protects the forms on this website against misuse by other websites."),
        _("When a page with a form is shown."),
        lifetime_of=lambda: settings.CSRF_COOKIE_AGE,
        setting="CSRF_COOKIE_NAME",
    ),
    Cookie(
        "django_language",
        NECESSARY,
        _("Remembers the language you chose with the language switch."),
        _("When you choose a language."),
        lifetime_of=lambda: settings.LANGUAGE_COOKIE_AGE,
        setting="LANGUAGE_COOKIE_NAME",
    ),
    Cookie(
        "messages",
        NECESSARY,
        _("Shows a confirmation once after an action, such as “Your choice has been saved”."),
        _("After an action that confirms itself."),
    ),
    Cookie(
        CONSENT_COOKIE,
        NECESSARY,
        _(
            "Remembers your cookie choice with a random number, so that we do not ask again on every page and can show what you chose and when."
        ),
        _("When you make a choice about cookies."),
        lifetime_of=lambda: CHOICE_SECONDS,
    ),
    Cookie(
        ANALYTICS_COOKIE,
        ANALYTICS,
        _(
            "A random number that tells apart the visits of different browsers, so that we can count how many visitors see which pages."
        ),
        _("Only after you consented to analytics cookies; removed when you withdraw."),
        lifetime_of=lambda: ANALYTICS_SECONDS,
    ),
)


def category(key: str) -> Category:
    for c in CATEGORIES:
        if c.key == key:
            return c
    raise KeyError(key)


def cookies() -> tuple[Cookie, ...]:
    return COOKIES


def by_name(name: str) -> Cookie | None:
    for cookie in COOKIES:
        if cookie.name == name:
            return cookie
    return None


def choice_categories() -> list[Category]:
    """The categories a visitor chooses about: those that need consent and have a cookie declared.

    A category without a cookie is not offered: consent is not asked for what is not done.
    """
    used = {cookie.category for cookie in COOKIES}
    return [c for c in CATEGORIES if c.consent_kind is not None and c.key in used]


def choice_kinds() -> list[str]:
    return [c.consent_kind for c in choice_categories()]


def duration_text(seconds: int | None) -> str:
    if seconds is None:
        return str(_("Until you close the browser"))
    day = 24 * 3600
    if seconds % (365 * day) == 0:
        n = seconds // (365 * day)
        return ngettext("%(n)d year", "%(n)d years", n) % {"n": n}
    if seconds % (7 * day) == 0:
        n = seconds // (7 * day)
        return ngettext("%(n)d week", "%(n)d weeks", n) % {"n": n}
    if seconds % day == 0:
        n = seconds // day
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    if seconds % 3600 == 0:
        n = seconds // 3600
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    n = max(seconds // 60, 1)
    return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
