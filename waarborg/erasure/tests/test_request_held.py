"""An erasure request of a customer whose erasure is held (a service still runs) is answered in
time: at once, with what will be erased once the hold ends and what is kept; the daily run
erases once the service has ended and mails the final answer before the address goes."""

import calendar
import datetime as dt

import pytest
from django.core import mail

from waarborg.auth_web import testing
from waarborg.catalogue.models import Subscription
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Contact
from waarborg.erasure.jobs import erasure_daily
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.plan import erasure_plan
from waarborg.erasure.tests.world import build_alice
from waarborg.privacy import notices, timeliness
from waarborg.privacy.answers import privacy_request_complete
from waarborg.privacy.erasure_answer import privacy_request_erase
from waarborg.privacy.erasure_plan import erasure_plan_review, erasure_plan_submit
from waarborg.privacy.identity import privacy_request_verify_by_staff
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.subject import subject_hits
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db

EMAIL = "alice.devries@example.nl"


def _one_month_after(day: dt.date) -> dt.date:
    """Art. 12(3): one month after receipt — the same day of the next month, or its last day."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _request(personas, *, language="en", approve=True):
    request = privacy_request_create(
        actor=personas.erin,
        type="erasure",
        channel="email",
        received_at=clock.today() - dt.timedelta(days=3),
        email=EMAIL,
        language=language,
    )
    privacy_request_verify_by_staff(actor=personas.erin, request=request, note="checked against the file")
    preview = erasure_plan(subject_hits(request))
    erasure_plan_submit(
        actor=personas.erin, request=request, categories=preview.categories(), summary=preview.row_counts()
    )
    if approve:
        erasure_plan_review(actor=personas.erin, request=request, approve=True)
    request.refresh_from_db()
    return request


def _running_until(world_customer, days: int) -> Subscription:
    service = Subscription.objects.get(customer=world_customer)
    service.end_date = clock.today() + dt.timedelta(days=days)
    service.save(update_fields=["end_date"])
    return service


def _service_ends(service: Subscription) -> None:
    service.status = Subscription.Status.CANCELLED
    service.end_date = clock.today() - dt.timedelta(days=1)
    service.save(update_fields=["status", "end_date"])


def _to_alice():
    return [m for m in mail.outbox if m.to == [EMAIL]]


@pytest.mark.promise("G3", "G9", "X5")
def test_a_held_erasure_is_answered_at_once_and_finished_by_the_daily_run(
    personas, django_capture_on_commit_callbacks, monkeypatch
):
    world = build_alice(personas, running=True)
    service = _running_until(world.contact.customer, 20)
    request = _request(personas)
    legal_due = _one_month_after(request.received_at.astimezone(clock.AMSTERDAM).date())

    with django_capture_on_commit_callbacks(execute=True):
        case = privacy_request_erase(actor=personas.erin, request=request)
    request.refresh_from_db()
    assert case.status == ErasureCase.Status.ON_HOLD and case.hold == "active_contract"
    assert Contact.objects.filter(pk=world.contact.pk).exists()  # nothing erased yet
    # Answered at once, within the legal term, and counted as answered — not overdue.
    assert request.status == PrivacyRequest.Status.COMPLETED and request.answered_at.date() == clock.today()
    assert clock.today() <= legal_due
    facts = timeliness.facts_of(request)
    assert not timeliness.is_overdue(facts, legal_due + dt.timedelta(days=10))
    assert timeliness.within_legal(facts, legal_due + dt.timedelta(days=10)) is True
    assert request.erasure_plan["held"] == ["active_contract"] and request.erasure_plan["erased"] == {}
    (interim,) = _to_alice()
    until = service.end_date.strftime("%d-%m-%Y")
    assert "We erase nothing yet" in interim.body
    assert f"{service.product.name} (until {until})" in interim.body  # which service, until when
    assert "What we will erase as soon as we can" in interim.body
    assert "What we will keep after that, why, and until when" in interim.body
    assert "Legal obligation" in interim.body  # the fiscal record, art. 17(3)(b)
    year = max(i.issue_date.year for i in world.invoices) + 7
    assert f"up to and including {year}-12-31" in interim.body

    # A daily run while the service runs changes nothing and mails nothing.
    with django_capture_on_commit_callbacks(execute=True):
        erasure_daily(clock.today())
    assert ErasureCase.objects.get(pk=case.pk).status == ErasureCase.Status.ON_HOLD and len(_to_alice()) == 1

    # The service ends: the daily run mails the final answer, then erases the address.
    _service_ends(service)
    sent_while_known = []
    real_send = notices.send

    def send(to, text):
        sent_while_known.append(Contact.objects.filter(pk=world.contact.pk, email=EMAIL).exists())
        return real_send(to, text)

    monkeypatch.setattr(notices, "send", send)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_daily(clock.today())
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == ErasureCase.Status.COMPLETE, case.result.get("scan_hits")
    assert case.result["released"] == {"final_answer": "final answer sent"}
    assert sent_while_known == [True]  # sent first, then erased
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    interim_again, final = _to_alice()
    assert interim_again is interim and request.number in final.subject
    assert "What we erased" in final.body and "What we kept, why, and until when" in final.body
    assert request.erasure_plan["finished"] == clock.today().isoformat()
    assert request.erasure_plan["erased"]["customers.Contact"] == 1
    assert request.answered_at.date() == clock.today()  # still answered on the first day


@pytest.mark.promise("G3")
def test_a_failing_final_mail_is_recorded_and_the_erasure_still_runs(
    personas, django_capture_on_commit_callbacks, monkeypatch
):
    world = build_alice(personas, running=True)
    service = _running_until(world.contact.customer, 20)
    request = _request(personas, language="nl")
    with django_capture_on_commit_callbacks(execute=True):
        case = privacy_request_erase(actor=personas.erin, request=request)
    (interim,) = _to_alice()
    assert "Nu wissen we nog niets" in interim.body and f"tot {service.end_date.strftime('%d-%m-%Y')}" in interim.body
    _service_ends(service)

    def broken(to, text):
        raise OSError("mail server down")

    monkeypatch.setattr(notices, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_daily(clock.today())
    case.refresh_from_db()
    assert case.status == ErasureCase.Status.COMPLETE
    assert case.result["released"] == {"final_answer": "failed (OSError)"}
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    assert len(_to_alice()) == 1


@pytest.mark.promise("G3", "G9")
def test_a_customer_without_holds_still_gets_the_single_answer(personas, django_capture_on_commit_callbacks):
    world = build_alice(personas)
    request = _request(personas)
    with django_capture_on_commit_callbacks(execute=True):
        case = privacy_request_erase(actor=personas.erin, request=request)
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == ErasureCase.Status.COMPLETE and "released" not in case.result
    assert request.status == PrivacyRequest.Status.COMPLETED and "held" not in request.erasure_plan
    (answer,) = _to_alice()
    assert "What we erased" in answer.body and "We erase nothing yet" not in answer.body
    assert not Contact.objects.filter(pk=world.contact.pk).exists()


@pytest.mark.promise("G3")
def test_an_unapproved_plan_of_a_held_customer_changes_nothing(personas):
    world = build_alice(personas, running=True)
    _running_until(world.contact.customer, 20)
    request = _request(personas, approve=False)
    with unchanged(), pytest.raises(ValidationError, match="not been approved"):
        privacy_request_erase(actor=personas.erin, request=request)
    assert not ErasureCase.objects.exists() and _to_alice() == []


@pytest.mark.promise("G3", "G9")
def test_the_request_page_shows_the_holds_in_words(personas, client, django_capture_on_commit_callbacks):
    world = build_alice(personas, running=True)
    service = _running_until(world.contact.customer, 20)
    request = _request(personas)
    with django_capture_on_commit_callbacks(execute=True):
        privacy_request_erase(actor=personas.erin, request=request)
    testing.sign_in(client, personas.erin)
    page = client.get(f"/backoffice/verzoeken/{request.pk}/").content.decode()
    assert "data-held" in page and 'data-hold="active_contract"' in page
    assert service.product.name in page and service.end_date.strftime("%d-%m-%Y") in page


@pytest.mark.promise("G3", "G9")
def test_a_held_request_without_an_address_is_answered_by_the_officer_with_the_interim_account(
    personas, django_capture_on_commit_callbacks
):
    world = build_alice(personas, running=True)
    service = _running_until(world.contact.customer, 20)
    request = privacy_request_create(
        actor=personas.erin,
        type="erasure",
        channel="post",
        received_at=clock.today() - dt.timedelta(days=3),
        customer_number=world.contact.customer.number,
        language="en",
    )
    privacy_request_verify_by_staff(actor=personas.erin, request=request, note="checked against the letter")
    preview = erasure_plan(subject_hits(request))
    erasure_plan_submit(
        actor=personas.erin, request=request, categories=preview.categories(), summary=preview.row_counts()
    )
    erasure_plan_review(actor=personas.erin, request=request, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        case = privacy_request_erase(actor=personas.erin, request=request)
    request.refresh_from_db()
    assert case.status == ErasureCase.Status.ON_HOLD and request.is_open
    assert request.erasure_plan_status == "executed" and request.erasure_plan["held"] == ["active_contract"]
    letter = privacy_request_complete(actor=personas.erin, request=request, by_post=True)
    assert "We erase nothing yet" in letter.body and service.product.name in letter.body
    assert mail.outbox == []
