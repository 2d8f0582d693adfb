"""The back office judges a request at its answer: the queue's filters, the month overview and its
shares — the provider's proof of art. 5(2) — and the extension's refusals (G9, X5, G10).

The requests and their dates are in waarborg/privacy/tests/answers_world.py, judged by hand there.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest

from waarborg.core import clock
from waarborg.privacy.answers import privacy_request_extend
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.tests import answers_world
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db
D = dt.date
QUEUE = "/backoffice/verzoeken/"
OVERVIEW = "/backoffice/verzoeken/maandoverzicht/"
WEEKS_LATER = D(2026, 5, 10)


@pytest.fixture(autouse=True)
def mail(smtp_server):
    return smtp_server


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"


@pytest.fixture
def world(personas):
    return answers_world.build(personas)


def _numbers(response) -> list[str]:
    return [item["row"].request.number for item in response.context["rows"]]


def _row(body: str, number: str) -> str:
    return re.search(rf'<tr data-number="{number}"[^>]*>.*?</tr>', body, re.S).group(0)


# --- The queue's filters ----------------------------------------------------------------------------


@pytest.mark.promise("G9")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=all&due=late", ["refused_late", "open"]),  # refused 8 April, legally due 20 March
        ("status=all&due=overdue", ["open"]),  # answered requests are never overdue
        ("status=completed&due=late", []),
        ("status=refused&due=late", ["refused_late"]),
        ("due=late", ["open"]),
        ("due=overdue", ["open"]),
        ("status=all&due=soon", []),
    ],
)
def test_the_queue_filters_judge_late_and_overdue_at_the_answer(office, personas, world, query, expected):
    with clock.as_of(WEEKS_LATER):
        response = office(personas.erin).get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    assert sorted(_numbers(response)) == sorted(world[name].number for name in expected)


@pytest.mark.promise("G9")
def test_the_queue_shows_an_answer_on_day_12_unflagged_weeks_later(office, personas, world):
    with clock.as_of(WEEKS_LATER):
        body = office(personas.erin).get(f"{QUEUE}?status=all").content.decode()
    day12 = _row(body, world["day12"].number)
    assert "data-overdue" not in day12 and "data-late" not in day12 and 'data-answered="2026-04-01"' in day12
    assert "flag-late" not in day12 and "flag-overdue" not in day12 and "dag 12" in day12
    day30 = _row(body, world["day30"].number)
    assert "data-late" not in day30 and "data-overdue" not in day30 and "flag-late" in day30  # after the promise
    late = _row(body, world["refused_late"].number)
    assert 'data-late="true"' in late and "data-overdue" not in late
    still_open = _row(body, world["open"].number)
    assert 'data-late="true"' in still_open and 'data-overdue="true"' in still_open


@pytest.mark.promise("G9")
def test_the_request_page_says_whether_the_answer_was_in_time(office, personas, world):
    client = office(personas.erin)
    with clock.as_of(WEEKS_LATER):
        day12 = client.get(f"{QUEUE}{world['day12'].pk}/").content.decode()
        day30 = client.get(f"{QUEUE}{world['day30'].pk}/").content.decode()
    assert 'data-within-promise="true" data-within-legal="true"' in day12
    assert 'data-within-promise="false" data-within-legal="true"' in day30
    assert 'data-flag="overdue"' not in day12 and 'data-flag="late"' not in day12


# --- The month overview -----------------------------------------------------------------------------


@pytest.mark.promise("G9", "X5", "G10")
def test_the_month_overview_counts_and_shares_by_hand(office, personas, world):
    client = office(personas.erin)
    with clock.as_of(WEEKS_LATER):
        april = client.get(f"{OVERVIEW}?maand=2026-04")
        march = client.get(f"{OVERVIEW}?maand=2026-03").context["report"]
    report = april.context["report"]
    # Answered in April: day12 (1 Apr), day30 (1 Apr), paused (4 Apr), refused_late (8 Apr),
    # no_data (10 Apr), extended (20 Apr) = 6, one of them a refusal.
    # Within the promise: day12, paused (5 April after its wait), no_data, extended (notice on
    # day 18) = 4 of 6 = 66.66…% -> 66.6 (rounded down); not day30 (1 Apr > 30 Mar), not
    # refused_late (8 Apr > 20 Mar).
    # Within the legal term: all but refused_late = 5 of 6 = 83.33…% -> 83.3.
    # Overdue on a day of April: refused_late (1–7 April, promised 20 March) and open (from
    # 8 April, promised 7 April) = 2; day30 was answered on 1 April, its first day in April.
    assert report.totals == {
        "received": 0,
        "answered": 6,
        "refused": 1,
        "within_promise": 4,
        "within_legal": 5,
        "paused": 1,
        "extended": 0,
        "overdue": 2,
    }
    assert (report.shares["promise"].percent, report.shares["legal"].percent) == (Decimal("66.6"), Decimal("83.3"))
    per_type = {t: (counts, shares) for t, counts, shares in report.per_type}
    access, access_shares = per_type["access"]  # day12, day30, no_data: 2 of 3 and 3 of 3
    assert (access["answered"], access["within_promise"], access["within_legal"]) == (3, 2, 3)
    assert (access_shares["promise"].percent, access_shares["legal"].percent) == (Decimal("66.6"), Decimal("100.0"))
    restriction, restriction_shares = per_type["restriction"]
    assert (restriction["answered"], restriction["refused"], restriction["within_legal"]) == (1, 1, 0)
    assert restriction_shares["legal"].percent == Decimal("0.0") and restriction["overdue"] == 1
    assert per_type["withdrawal"][0]["paused"] == 1 and per_type["rectification"][0]["overdue"] == 1
    assert per_type["erasure"][1]["promise"].percent is None  # nothing answered: no share
    body = april.content.decode()
    total = re.search(r'<tr data-type="total">.*?</tr>', body, re.S).group(0)
    assert 'data-column="within_promise">4 <span class="muted" data-percent="66.6">(66,6%)' in total
    assert 'data-column="within_legal">5 <span class="muted" data-percent="83.3">(83,3%)' in total
    # by the day answered, then by number (day30 was registered before day12)
    assert [a.request.number for a in report.answered] == [
        world[k].number for k in ("day30", "day12", "paused", "refused_late", "no_data", "extended")
    ]
    listed = {k: _row(body, world[k].number) for k in ("day12", "day30", "paused", "refused_late")}
    assert 'data-within-promise="true" data-within-legal="true"' in listed["day12"]
    assert 'data-within-promise="false" data-within-legal="true"' in listed["day30"]
    assert 'data-within-promise="true" data-within-legal="true" data-paused="5"' in listed["paused"]
    assert 'data-within-promise="false" data-within-legal="false"' in listed["refused_late"]
    # March: received day30, extended, paused, open, day12, no_data (30 March) = 6; nothing
    # answered; the objection extended on 20 March; overdue: day30 on 31 March (promised 30
    # March) and refused_late from 21 March = 2.
    assert march.totals == {
        "received": 6,
        "answered": 0,
        "refused": 0,
        "within_promise": 0,
        "within_legal": 0,
        "paused": 0,
        "extended": 1,
        "overdue": 2,
    }
    assert march.shares["promise"].percent is None and march.answered == []


@pytest.mark.promise("G9")
def test_the_month_overview_never_rounds_a_miss_up_to_all(office, personas):
    from waarborg.backoffice.request_selectors import Share

    assert Share(999, 1000).percent == Decimal("99.9") and Share(9999, 10000).percent == Decimal("99.9")
    assert Share(1, 3).percent == Decimal("33.3") and Share(2, 3).percent == Decimal("66.6")
    assert Share(3, 3).percent == Decimal("100.0") and Share(0, 0).percent is None


# --- Extending on the request page: refusals change nothing ------------------------------------------


PRIVACY_MODELS = ("privacy.PrivacyRequest", "privacy.VerificationLink", "privacy.DeadlineWarning")


@pytest.mark.promise("X5")
def test_a_second_extension_is_refused_on_the_request_page(office, personas, alice, erin, mail):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    client = office(personas.erin)
    with clock.as_of(D(2026, 3, 10)):
        privacy_request_extend(actor=erin, request=made, reason="Complex verzoek.")
        before = database_snapshot()
        response = client.post(f"{QUEUE}{made.pk}/verlengen/", {"verlengen-reason": "Nog meer tijd nodig."})
    assert response.status_code == 200
    assert response.context["bound"].errors and "Er is niets gewijzigd" in response.content.decode()
    assert_nothing_changed(before)
    assert len(mail.wait_for(1)) == 1  # the first notice only


@pytest.mark.promise("X5")
def test_an_extension_after_the_promised_date_is_refused_on_the_request_page(office, personas, alice, mail):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    client = office(personas.erin)
    with clock.as_of(D(2026, 3, 31)):  # day 29
        before = database_snapshot()
        response = client.post(f"{QUEUE}{made.pk}/verlengen/", {"verlengen-reason": "Te laat bedacht."})
    assert response.status_code == 200 and "reason" in response.context["bound"].errors
    assert_nothing_changed(before)
    assert mail.settle() == []
