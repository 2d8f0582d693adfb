"""The "we hold no data" answer says what is true: the request itself is now recorded, and until when.

The map keeps the record of a privacy request 2 years after it was handled (art. 5(2), 12 GDPR:
proof that it was handled). The expectations are written out from that rule: a request handled
on 29 February 2028 is kept up to and including 28 February 2030 (there is no 29 February in
2030: the term ends on the last day of that month) and erased on 1 March 2030.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from waarborg.core import clock
from waarborg.privacy.intake import privacy_request_answer_no_data, privacy_request_create
from waarborg.privacy.models import PrivacyRequest

pytestmark = pytest.mark.django_db

HANDLED = dt.date(2028, 2, 29)
LAST_DAY = dt.date(2030, 2, 28)  # 2 years after 29 February 2028
GONE = dt.date(2030, 3, 1)


def _answered(actor, erin, lang: str):
    with clock.as_of(HANDLED):
        request = privacy_request_create(
            actor=actor,
            type="erasure",
            channel="post",
            received_at=HANDLED,
            name="Niemand Bekend",
            postcode="9999 ZZ",
            language=lang,
        )
        return request, privacy_request_answer_no_data(actor=erin, request=request)


@pytest.mark.promise("G1", "G3", "G7")
def test_the_dutch_answer_names_the_record_of_the_request_and_how_long_it_is_kept(personas, carol, erin):
    request, notice = _answered(carol, erin, "nl")
    body = notice.body
    assert "geen persoonsgegevens" in body
    assert "Uw verzoek zelf hebben wij wel vastgelegd" in body
    for part in ("het verzoek met de gegevens die u ons gaf", "onze correspondentie erover", "identiteitscontrole"):
        assert part in body
    assert "2 jaar na de afhandeling van uw verzoek, dus tot en met 28 februari 2030" in body
    assert "wissen het de dag daarna" in body
    assert "Niemand" not in body and "9999" not in body  # never the values given
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.COMPLETED


@pytest.mark.promise("G1", "G3", "G7")
def test_the_english_answer_names_the_record_of_the_request_and_how_long_it_is_kept(personas, carol, erin):
    _request, notice = _answered(carol, erin, "en")
    body = notice.body
    assert "we hold no personal data" in body
    assert "We have, however, recorded your request itself" in body
    for part in ("the request with the details you gave us", "our correspondence about it", "identity check"):
        assert part in body
    assert "for 2 years after your request was handled, that is up to and including 28 February 2030" in body
    assert "erase it the day after" in body


@pytest.mark.promise("G1", "R1")
def test_the_record_goes_the_day_after_the_date_the_answer_named(personas, carol, erin):
    request, _notice = _answered(carol, erin, "nl")
    out = io.StringIO()
    call_command("daily", "--as-of", LAST_DAY.isoformat(), "--only", "retention", stdout=out)
    assert PrivacyRequest.objects.filter(pk=request.pk).exists()  # its last day
    call_command("daily", "--as-of", GONE.isoformat(), "--only", "retention", stdout=out)
    assert not PrivacyRequest.objects.filter(pk=request.pk).exists()
    assert "privacy_request_2y=1" in out.getvalue()
