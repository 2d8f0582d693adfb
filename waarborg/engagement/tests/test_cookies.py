"""The cookie banner, the cookie policy and the guard on cookies (C1, G4, D9)."""

import re
from unittest import mock

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from waarborg.auth_web import testing
from waarborg.consents.models import ConsentRecord
from waarborg.consents.selectors import consent_is_given
from waarborg.engagement import cookies, middleware
from waarborg.engagement.middleware import CookieConsentMiddleware
from waarborg.engagement.models import PageView
from waarborg.testing.checks import assert_clean_event, last_event, unchanged

pytestmark = pytest.mark.django_db

CHOICE = "/cookies/keuze/"
POLICY = "/cookies/"
PUBLIC_PAGES = ("/", "/privacy/", "/contact/", "/aanmelden/", POLICY)
NECESSARY = {c.name for c in cookies.cookies() if not c.needs_consent}


def _set(response) -> dict:
    """The cookies a response sets (not the ones it takes away)."""
    return {name: m for name, m in response.cookies.items() if str(m["max-age"]) != "0"}


def _banner(body: str) -> str:
    found = re.search(r'<section class="cookie-banner".*?</section>', body, re.S)
    return found.group(0) if found else ""


def _choose(client, action, **extra):
    return client.post(CHOICE, {"action": action, "next": "/privacy/?a=1", **extra})


def _device(client) -> str:
    return client.cookies[cookies.CONSENT_COOKIE].value


@pytest.mark.promise("C1")
def test_it_sets_no_cookie_that_needs_consent_before_a_choice(client):
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200
        assert set(_set(response)) <= NECESSARY, url
        assert cookies.CONSENT_COOKIE not in response.cookies and cookies.ANALYTICS_COOKIE not in response.cookies
    assert set(client.cookies) == {"csrftoken"}
    assert PageView.objects.count() == 0 and ConsentRecord.objects.count() == 0


@pytest.mark.promise("C1")
def test_it_shows_the_banner_without_a_wall_and_refusing_is_as_prominent_as_accepting(client):
    body = client.get("/").content.decode()
    banner = _banner(body)
    assert banner and "Cookies op deze website" in banner
    buttons = re.findall(r"<button[^>]*>[^<]*</button>", banner)
    refuse = next(b for b in buttons if 'value="refuse_all"' in b)
    accept = next(b for b in buttons if 'value="accept_all"' in b)
    assert ">Alles weigeren<" in refuse and ">Accepteren<" in accept
    # the same element, the same class, in the same row of the first layer: only the value and words differ
    assert re.sub(r'value="\w+"|>[^<]+<', "", refuse) == re.sub(r'value="\w+"|>[^<]+<', "", accept)
    assert re.search(
        r'<div class="cookie-actions">\s*<button[^>]*refuse_all.*?</button>\s*<button[^>]*accept_all', banner, re.S
    )
    # "Kiezen" per category, with no box ticked in advance
    assert "<summary>Kiezen</summary>" in banner
    boxes = re.findall(r'<input type="checkbox"[^>]*>', banner)
    assert boxes and all("checked" not in box for box in boxes)
    assert {re.search(r'name="(\w+)"', box).group(1) for box in boxes} == {c.key for c in cookies.choice_categories()}
    # no cookie wall: the page itself is all there, and so is every other page
    assert '<main id="main"' in body and "<footer" in body
    assert 'href="/cookies/"' in body  # the footer link to the cookie settings


@pytest.mark.promise("C1", "D9")
def test_it_refuses_with_one_click_and_records_what_which_version_and_when(client, settings):
    settings.WAARBORG_POLICY_VERSION = "2026-02"
    client.get("/")
    response = _choose(client, "refuse_all")
    assert response.status_code == 302 and response["Location"] == "/privacy/?a=1"
    consent_cookie = response.cookies[cookies.CONSENT_COOKIE]
    assert consent_cookie["httponly"] and consent_cookie["samesite"] == "Lax"
    assert int(consent_cookie["max-age"]) == cookies.CHOICE_SECONDS
    assert cookies.ANALYTICS_COOKIE not in response.cookies
    device = consent_cookie.value
    record = ConsentRecord.objects.get()
    assert (record.kind, record.granted, record.policy_version, record.source) == (
        "cookies_analytics",
        False,
        "2026-02",
        "banner",
    )
    assert record.device_id == device and record.given_at is not None
    assert record.account_id is None and record.contact_id is None
    assert_clean_event(last_event(), action="consent.refuse", values=[device])

    page = client.get("/privacy/")
    assert not _banner(page.content.decode())
    assert "U hebt alle cookies geweigerd die niet strikt noodzakelijk zijn." in page.content.decode()
    for url in PUBLIC_PAGES:
        assert cookies.ANALYTICS_COOKIE not in client.get(url).cookies
    assert PageView.objects.count() == 0
    assert set(client.cookies) <= NECESSARY


@pytest.mark.promise("C1")
def test_it_works_without_javascript_with_the_forms_own_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    body = browser.get("/contact/").content.decode()
    form = re.search(r'<form method="post" action="/cookies/keuze/".*?</form>', _banner(body), re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    nxt = re.search(r'name="next" value="([^"]+)"', form).group(1)
    assert nxt == "/contact/"
    with unchanged():
        assert browser.post(CHOICE, {"action": "refuse_all", "next": nxt}).status_code == 403  # no token, no choice
    response = browser.post(CHOICE, {"action": "refuse_all", "next": nxt, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/contact/"
    assert ConsentRecord.objects.filter(granted=False, source="banner").count() == 1


@pytest.mark.promise("C1")
def test_it_keeps_a_choice_per_category_and_nothing_ticked_means_no(client):
    client.get("/")
    _choose(client, "save")  # "Kiezen", nothing ticked
    assert not consent_is_given(kind="cookies_analytics", device_id=_device(client))
    _choose(client, "save", analytics="on")
    assert consent_is_given(kind="cookies_analytics", device_id=_device(client))
    kinds = set(ConsentRecord.objects.values_list("kind", flat=True))
    assert kinds == {"cookies_analytics"}  # only categories with a cookie are asked about


@pytest.mark.promise("C1", "G4")
def test_it_withdraws_from_the_policy_page_with_one_click_like_giving(client):
    client.get("/")
    _choose(client, "accept_all")
    device = _device(client)
    assert consent_is_given(kind="cookies_analytics", device_id=device)
    assert client.get("/privacy/").cookies[cookies.ANALYTICS_COOKIE].value

    body = client.get(POLICY).content.decode()
    section = re.search(r'<section class="cookie-category" data-category="analytics".*?</section>', body, re.S).group(0)
    withdraw_form = re.search(r'<form method="post".*?</form>', section, re.S).group(0)
    assert withdraw_form.count("<button") == 1 and 'value="withdraw"' in withdraw_form
    response = client.post(CHOICE, {"action": "withdraw", "category": "analytics", "next": POLICY})
    assert response.status_code == 302 and response["Location"] == POLICY
    record = ConsentRecord.objects.get(device_id=device, granted=True)
    assert record.withdrawn_at is not None
    assert_clean_event(last_event(), action="consent.withdraw", values=[device])
    assert not consent_is_given(kind="cookies_analytics", device_id=device)

    views = PageView.objects.count()
    after = client.get(POLICY)
    assert str(after.cookies[cookies.ANALYTICS_COOKIE]["max-age"]) == "0"  # the analytics cookie is taken away
    assert PageView.objects.count() == views
    assert cookies.ANALYTICS_COOKIE not in client.cookies or not client.cookies[cookies.ANALYTICS_COOKIE].value
    body = after.content.decode()
    assert "Toestemming ingetrokken" in body
    section = re.search(r'<section class="cookie-category" data-category="analytics".*?</section>', body, re.S).group(0)
    give_form = re.search(r'<form method="post".*?</form>', section, re.S).group(0)

    def shape(form):
        form = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form)
        form = re.sub(r'value="(give|withdraw)"', "", form)
        return re.sub(r">[^<]+</button>", "></button>", form)

    assert shape(give_form) == shape(withdraw_form)  # giving and withdrawing: the same single button


@pytest.mark.promise("C1")
def test_it_asks_again_when_the_policy_version_changes(client, settings):
    settings.WAARBORG_POLICY_VERSION = "2025-01"
    client.get("/")
    _choose(client, "accept_all")
    assert client.get("/privacy/").cookies.get(cookies.ANALYTICS_COOKIE)
    views = PageView.objects.count()

    settings.WAARBORG_POLICY_VERSION = "2026-01"
    response = client.get("/privacy/")
    banner = _banner(response.content.decode())
    assert banner and "Ons cookiebeleid is gewijzigd" in banner
    assert str(response.cookies[cookies.ANALYTICS_COOKIE]["max-age"]) == "0"  # consent under 2025-01 no longer counts
    assert PageView.objects.count() == views

    _choose(client, "accept_all")
    latest = ConsentRecord.objects.filter(device_id=_device(client)).order_by("-pk").first()
    assert latest.granted and latest.policy_version == "2026-01"
    assert not _banner(client.get("/privacy/").content.decode())


@pytest.mark.promise("C1")
def test_it_lists_every_cookie_on_the_policy_page_from_the_one_declaration(client, settings):
    body = client.get(POLICY).content.decode()
    assert "<h1>Cookiebeleid</h1>" in body and "Versie 2025-01" in body
    for cookie in cookies.cookies():
        row = re.search(rf'<tr data-cookie="{cookie.name}">.*?</tr>', body, re.S)
        assert row, cookie.name
        assert str(cookie.purpose) in row.group(0).replace("&#x27;", "'") or cookie.name == "messages"
    for name in ("sessionid", "csrftoken", "django_language", "messages", "wb_consent", "wb_analytics"):
        assert f'data-cookie="{name}"' in body
    assert "Tot u de browser sluit" in body and "52 weken" in body and "1 jaar" in body
    # a renamed Django cookie is listed (and allowed) under its new name
    settings.SESSION_COOKIE_NAME = "wb_session"
    assert 'data-cookie="wb_session"' in client.get(POLICY).content.decode()
    assert cookies.by_name("wb_session") is not None and cookies.by_name("sessionid") is None


@pytest.mark.promise("C1")
def test_it_declares_every_cookie_the_site_sets(client, alice):
    alice.set_password("een-lang-geheim-wachtwoord")
    alice.save()
    seen = set()
    seen |= set(_set(client.get("/")))
    seen |= set(_set(client.post("/i18n/setlang/", {"language": "en", "next": "/"})))
    seen |= set(_set(_choose(client, "accept_all")))
    seen |= set(_set(client.get("/privacy/")))
    seen |= set(_set(client.post("/aanmelden/", {"email": alice.email, "password": "een-lang-geheim-wachtwoord"})))
    seen |= set(_set(client.get("/portaal/toestemmingen/")))
    assert seen == {"csrftoken", "django_language", "messages", "wb_consent", "wb_analytics", "sessionid"}
    assert all(cookies.by_name(name) is not None for name in seen)


@pytest.mark.promise("C1")
def test_it_lets_no_undeclared_cookie_out_nor_one_without_its_consent(rf: RequestFactory):
    def view(request):
        response = HttpResponse("ok")
        response.set_cookie("tracker", "1")
        response.set_cookie(cookies.ANALYTICS_COOKIE, "x" * 32)
        response.set_cookie("csrftoken", "y" * 32)
        response.delete_cookie("old_tracker")
        return response

    with mock.patch.object(middleware.log, "error") as logged:
        response = CookieConsentMiddleware(view)(rf.get("/healthz"))
    assert set(_set(response)) == {"csrftoken"}
    assert "old_tracker" in response.cookies  # taking a cookie away is always allowed
    assert logged.call_args.args[1] == "tracker"


@pytest.mark.promise("C1")
def test_it_sends_the_choice_back_only_to_this_site(client):
    response = client.post(CHOICE, {"action": "refuse_all", "next": "https://evil.example/"})
    assert response["Location"] == POLICY
    with unchanged():
        assert client.post(CHOICE, {"action": "sell_my_data"}).status_code == 400
        assert client.post(CHOICE, {"action": "give", "category": "marketing"}).status_code == 400  # not offered


def test_it_shows_no_banner_on_staff_screens(client, personas):
    testing.sign_in(client, personas.frank)
    body = client.get("/backoffice/").content.decode()
    assert not _banner(body) and 'href="/cookies/"' in body


@pytest.mark.promise("C1")
def test_it_speaks_english_after_the_language_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    banner = _banner(client.get("/").content.decode())
    assert "Cookies on this website" in banner and ">Refuse all<" in banner and ">Accept<" in banner
    body = client.get(POLICY).content.decode()
    assert "<h1>Cookie policy</h1>" in body and "Until you close the browser" in body and "52 weeks" in body
    assert "13 months after the page visit." in body
