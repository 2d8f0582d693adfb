import datetime as dt

import pytest

from waarborg.careers.models import JobApplication
from waarborg.careers.services import application_close, application_keep_consent, job_application_submit
from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)
APPLICANT = {
    "first_name": "Sanne",
    "last_name": "Dijkstra",
    "email": "Sanne.Dijkstra@Example.nl",
    "phone": "06 11 22 33 44",
    "postcode": "2511ab",
    "position": "Supportmedewerker",
    "motivation": "Ik help graag mensen.",
}


def _submit(**kwargs):
    with clock.as_of(TODAY):
        return job_application_submit(**{**APPLICANT, **kwargs})


@pytest.mark.promise("D8", "U13", "D4", "B4")
def test_it_stores_an_application_in_normal_forms(db):
    application = _submit(date_of_birth=dt.date(1990, 4, 2))
    stored = JobApplication.objects.get(pk=application.pk)
    assert (stored.email, stored.phone, stored.postcode) == ("sanne.dijkstra@example.nl", "+31611223344", "2511 AB")
    assert stored.age_band == "18_plus"
    assert_clean_event(
        last_event(),
        action="application.submit",
        values=[
            "Sanne",
            "Dijkstra",
            "sanne.dijkstra@example.nl",
            "+31611223344",
            "2511 AB",
            "1990-04-02",
            "help graag",
        ],
    )
    assert last_event().actor == "public"


@pytest.mark.promise("M1")
@pytest.mark.parametrize(
    "age",
    [
        {"date_of_birth": dt.date(2010, 1, 1)},  # 15
        {"date_of_birth": dt.date(2009, 6, 2)},  # 16 tomorrow
        {"age_band": "under_16"},
        {"age_band": "under_16", "date_of_birth": dt.date(2012, 3, 3)},
    ],
)
def test_it_refuses_an_under_16_applicant_without_a_parents_consent_and_stores_nothing(db, age):
    before = database_snapshot()
    with pytest.raises(ValidationError) as exc:
        _submit(**age)
    assert exc.value.field == "parental_consent_ref"
    assert_nothing_changed(before)
    assert not JobApplication.objects.exists()


@pytest.mark.promise("M1")
def test_it_accepts_an_under_16_applicant_with_a_parents_consent(db):
    application = _submit(date_of_birth=dt.date(2010, 1, 1), parental_consent_ref="OUDER-7781")
    assert (application.age_band, application.parental_consent_ref) == ("under_16", "OUDER-7781")


@pytest.mark.promise("M1")
def test_it_takes_a_16th_birthday_today_as_16(db):
    application = _submit(date_of_birth=dt.date(2009, 6, 1))
    assert application.age_band == "16_17"


@pytest.mark.promise("M1")
def test_it_refuses_an_age_band_that_contradicts_the_date_of_birth(db):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        _submit(date_of_birth=dt.date(2011, 1, 1), age_band="18_plus", parental_consent_ref="")
    assert_nothing_changed(before)


@pytest.mark.promise("D8")
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "sanne@"),
        ("phone", "12"),
        ("postcode", "25110 AB"),
        ("first_name", ""),
        ("position", ""),
        ("age_band", "adult"),
        ("date_of_birth", dt.date(2030, 1, 1)),
    ],
)
def test_it_refuses_invalid_application_data_and_stores_nothing(db, field, value):
    before = database_snapshot()
    with pytest.raises(ValidationError) as exc:
        _submit(**{field: value})
    assert exc.value.field == field
    assert_nothing_changed(before)


@pytest.mark.promise("U13", "B2", "B4")
def test_it_closes_the_procedure_by_the_privacy_officer_only(erin, carol):
    application = _submit()
    with unchanged(), pytest.raises(PermissionDenied):
        application_close(actor=carol, application=application)
    application_close(actor=erin, application=application)
    assert JobApplication.objects.get(pk=application.pk).procedure_closed_at is not None
    assert_clean_event(last_event(), action="application.close", values=["Sanne"])
    application_keep_consent(actor=SYSTEM, application=application)
    assert JobApplication.objects.get(pk=application.pk).keep_consent_at is not None
    assert_clean_event(last_event(), action="application.keep_consent", values=["Sanne", "Dijkstra"])
