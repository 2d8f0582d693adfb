"""A first visit: the cookie banner, refusing with one click, then analytics from the cookie policy (C1, G4, U8)."""

import re

import pytest

from waarborg.consents.models import ConsentRecord
from waarborg.engagement import cookies
from waarborg.engagement.models import PageView

NECESSARY = {c.name for c in cookies.cookies() if not c.needs_consent}


def _names(page) -> set[str]:
    return {c["name"] for c in page.context.cookies()}


@pytest.mark.promise("C1", "G4", "U8", "U9")
def test_a_visitor_refuses_with_one_click_and_later_consents_to_analytics_on_the_policy_page(page, screenshot):
    from playwright.sync_api import expect

    page.goto(page.base_url + "/")
    banner = page.get_by_role("region", name="Cookies op deze website")
    expect(banner).to_be_visible()
    refuse = banner.get_by_role("button", name="Alles weigeren")
    accept = banner.get_by_role("button", name="Accepteren")
    expect(refuse).to_be_visible()
    expect(accept).to_be_visible()
    # equally prominent: the same size and the same colours, side by side
    refuse_box, accept_box = refuse.bounding_box(), accept.bounding_box()
    assert abs(refuse_box["height"] - accept_box["height"]) < 1 and abs(refuse_box["width"] - accept_box["width"]) < 1
    assert abs(refuse_box["y"] - accept_box["y"]) < 1
    look = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color, getComputedStyle(e).fontSize]"
    assert refuse.evaluate(look) == accept.evaluate(look)
    expect(banner.get_by_text("Kiezen", exact=True)).to_be_visible()
    # the site is all there behind it: no cookie wall
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert _names(page) <= NECESSARY and cookies.CONSENT_COOKIE not in _names(page)
    screenshot(page, "1-banner")

    banner.get_by_text("Kiezen", exact=True).click()  # the choice per category, on the first layer
    box = banner.get_by_label("Analytische cookies")
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()  # nothing ticked in advance
    screenshot(page, "2-choose")

    refuse.click()  # one click
    expect(page.get_by_role("status")).to_contain_text("U hebt alle cookies geweigerd")
    expect(page.get_by_role("region", name="Cookies op deze website")).to_have_count(0)
    assert cookies.CONSENT_COOKIE in _names(page) and cookies.ANALYTICS_COOKIE not in _names(page)
    assert _names(page) <= NECESSARY
    record = ConsentRecord.objects.get()
    assert (record.kind, record.granted, record.source, record.policy_version) == (
        "cookies_analytics",
        False,
        "banner",
        "2025-01",
    )
    screenshot(page, "3-refused")

    page.get_by_role("navigation", name="Over uw gegevens").get_by_role("link", name="Cookie-instellingen").click()
    expect(page).to_have_url(re.compile(r"/cookies/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookiebeleid")
    analytics = page.locator('section[data-category="analytics"]')
    expect(analytics).to_contain_text("Geweigerd")
    for cookie in cookies.cookies():
        expect(page.locator(f'tr[data-cookie="{cookie.name}"]')).to_be_visible()
    screenshot(page, "4-policy")
    assert PageView.objects.count() == 0

    analytics.get_by_role("button", name="Toestemming geven").click()  # one click
    expect(page.get_by_role("status")).to_contain_text("U hebt toestemming gegeven voor: Analytische cookies")
    expect(analytics).to_contain_text("Toestemming gegeven")
    assert cookies.ANALYTICS_COOKIE in _names(page)
    view = PageView.objects.get()
    analytics_id = next(c["value"] for c in page.context.cookies() if c["name"] == cookies.ANALYTICS_COOKIE)
    assert view.path == "/cookies/" and view.device_id == analytics_id
    screenshot(page, "5-analytics-given")

    analytics.get_by_role("button", name="Toestemming intrekken").click()  # withdrawing: one click as well
    expect(page.get_by_role("status")).to_contain_text("U hebt uw toestemming ingetrokken voor: Analytische cookies")
    expect(analytics).to_contain_text("Toestemming ingetrokken")
    assert cookies.ANALYTICS_COOKIE not in _names(page)
    page.goto(page.base_url + "/privacy/")
    assert PageView.objects.count() == 1
    screenshot(page, "6-analytics-withdrawn")


@pytest.mark.promise("C1")
def test_refusing_works_without_javascript(browser, _flushable_audit_trail, live_server, screenshot):
    from playwright.sync_api import expect

    context = browser.new_context(locale="nl-NL", java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/contact/")
        banner = page.get_by_role("region", name="Cookies op deze website")
        expect(banner).to_be_visible()
        screenshot(page, "1-banner-small-screen")
        banner.get_by_role("button", name="Alles weigeren").click()
        expect(page).to_have_url(re.compile(r"/contact/$"))
        expect(page.get_by_role("region", name="Cookies op deze website")).to_have_count(0)
        assert ConsentRecord.objects.filter(granted=False, source="banner").count() == 1
        screenshot(page, "2-refused")
    finally:
        context.close()
