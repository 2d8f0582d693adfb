"""Browser tests: Playwright's sync API driving Debian's Chromium against `live_server`.

Run them with `pytest -m browser`; without /usr/bin/chromium they are skipped. Screenshots go to
test-artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from waarborg.testing.fixtures import audit_triggers

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TIMEOUT_MS = 10_000


def _unavailable() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (install the Debian package 'chromium')"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package 'playwright' is not installed (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _unavailable()
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests; gone again before any other test runs."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on this thread while it runs; the tests' own
    # ORM calls (and the database flush after each) are still plain synchronous code, so
    # Django's async-safety guard is told so, for as long as Playwright runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        # Connections opened while Playwright's loop ran belong to that context: close them
        # here, or the test database cannot be dropped at the end.
        from django.db import connections

        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def _audit_triggers_restored(django_db_blocker):
    """Whatever the tests below did, the append-only triggers are in place afterwards."""
    yield
    audit_triggers(django_db_blocker, on=True)


@pytest.fixture
def _flushable_audit_trail(_audit_triggers_restored, transactional_db, django_db_blocker):
    """After each live-server test the database is emptied (DELETE or TRUNCATE), which the
    audit trail's append-only triggers refuse, as they should. So for that flush only they are
    dropped; the test itself runs with them in place, and they are back before the next test."""
    audit_triggers(django_db_blocker, on=True)
    yield
    audit_triggers(django_db_blocker, on=False)


@pytest.fixture
def page(browser, _flushable_audit_trail, live_server):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


@pytest.fixture
def screenshot(request):
    """screenshot(page, "name") saves test-artifacts/screenshots/<test>-<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = request.node.name.replace("/", "_")

    def take(tab, name: str) -> Path:
        path = SCREENSHOTS / f"{prefix}-{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return take
