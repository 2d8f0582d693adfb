"""An erasure answers the privacy request it belongs to; the subject's packages go with it."""

import datetime as dt
import json
import zipfile

import pytest
from django.core import mail

from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Contact
from waarborg.erasure.cases import erasure_request
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.plan import erasure_plan
from waarborg.erasure.tests.world import build_alice
from waarborg.privacy.erasure_answer import privacy_request_erase
from waarborg.privacy.erasure_plan import erasure_plan_review, erasure_plan_submit
from waarborg.privacy.fulfil import privacy_request_fulfil
from waarborg.privacy.identity import privacy_request_verify_by_staff
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.subject import subject_hits
from waarborg.subjects.finder import Query
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db

EMAIL = "alice.devries@example.nl"


def _erasure_request(personas, *, approve=True):
    request = privacy_request_create(
        actor=personas.erin,
        type="erasure",
        channel="email",
        received_at=clock.today() - dt.timedelta(days=2),
        email=EMAIL,
        language="en",
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


@pytest.mark.promise("G3", "G9")
def test_it_carries_out_the_approved_plan_and_answers_with_what_was_erased_and_kept(
    personas, django_capture_on_commit_callbacks
):
    world = build_alice(personas)
    request = _erasure_request(personas)
    with django_capture_on_commit_callbacks(execute=True):
        case = privacy_request_erase(actor=personas.erin, request=request)
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == ErasureCase.Status.COMPLETE and case.privacy_request_id == request.pk
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    assert request.status == PrivacyRequest.Status.COMPLETED and request.erasure_plan_status == "executed"
    assert request.erasure_plan["erased"]["customers.Contact"] == 1
    (answer,) = [m for m in mail.outbox if m.to == [EMAIL]]
    year = max(i.issue_date.year for i in world.invoices) + 7
    assert "What we erased" in answer.body and "What we kept, why, and until when" in answer.body
    assert f"up to and including {year}-12-31" in answer.body and "Legal obligation" in answer.body
    assert case.result["notice"]["en"] in answer.body
    with unchanged(), pytest.raises(ValidationError, match="closed"):  # answered: nothing more to do
        privacy_request_erase(actor=personas.erin, request=request)


@pytest.mark.promise("G3")
def test_it_carries_out_only_an_approved_plan_of_an_erasure_request(personas):
    build_alice(personas)
    request = _erasure_request(personas, approve=False)
    with unchanged(), pytest.raises(ValidationError, match="not been approved"):
        privacy_request_erase(actor=personas.erin, request=request)
    access = privacy_request_create(actor=personas.alice, type="access", channel="portal")
    with unchanged(), pytest.raises(ValidationError, match="only an erasure request"):
        privacy_request_erase(actor=personas.erin, request=access)
    assert not ErasureCase.objects.exists() and Contact.objects.filter(email=EMAIL).exists()


@pytest.mark.promise("G3", "G1", "B4")
def test_it_removes_the_subjects_export_packages(personas, django_capture_on_commit_callbacks):
    build_alice(personas)
    access = privacy_request_create(actor=personas.alice, type="access", channel="portal")
    path, _counts = privacy_request_fulfil(actor=personas.erin, request=access)
    assert path.exists() and zipfile.is_zipfile(path)
    with django_capture_on_commit_callbacks(execute=True):
        case = erasure_request(actor=personas.erin, query=Query(email=EMAIL), reason="verzoek")
    case.refresh_from_db()
    assert not path.exists()
    assert case.result["derived"]["export_packages"] == 1
    assert case.status == ErasureCase.Status.COMPLETE, case.result.get("scan_hits")


@pytest.mark.promise("G3", "B4")
def test_the_scan_looks_inside_a_zip_archive_left_behind(personas, _files_in_a_fresh_directory):
    build_alice(personas)
    stray = _files_in_a_fresh_directory / "files" / "exports" / "oud-pakket.zip"
    stray.parent.mkdir(parents=True)
    with zipfile.ZipFile(stray, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/contact.json", json.dumps({"email": EMAIL.upper()}))
    assert EMAIL.encode() not in stray.read_bytes().lower()  # compressed: not visible as it is
    from waarborg.erasure.residual import residual_scan

    result = residual_scan({"email": {EMAIL}})
    assert "file files/exports/oud-pakket.zip: email (fail)" in [h.describe() for h in result.failures]


def _id_copy(request, *, uploaded_at=None):
    from waarborg.privacy import storage
    from waarborg.privacy.models import IdDocument

    content = b"%PDF-1.4 redacted copy"
    return IdDocument.objects.create(
        request=request,
        stored_name=storage.store(content),
        content_type="application/pdf",
        size=len(content),
        redaction_confirmed=True,
        uploaded_at=uploaded_at or clock.now(),
    )


@pytest.mark.promise("G3", "G8")
def test_it_destroys_an_id_copy_still_waiting_for_its_check(personas, django_capture_on_commit_callbacks):
    from waarborg.privacy import storage
    from waarborg.privacy.models import IdDocument

    build_alice(personas)
    request = privacy_request_create(
        actor=personas.erin, type="access", channel="email", received_at=clock.today(), email=EMAIL
    )
    document = _id_copy(request)
    assert storage.exists(document.stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        case = erasure_request(actor=personas.erin, query=Query(email=EMAIL), reason="verzoek")
    case.refresh_from_db()
    assert not IdDocument.objects.filter(pk=document.pk).exists()
    assert not storage.exists(document.stored_name)  # the encrypted file went with its row
    assert case.status == ErasureCase.Status.COMPLETE and case.result["files_removed"] >= 2
