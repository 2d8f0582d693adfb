"""The public request form and the pages of its one-time links (G7, G8): the same answer for
everyone, the lightest identity check, a clear page for a link that cannot be used."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from waarborg.core import clock
from waarborg.privacy import storage
from waarborg.privacy.handling import SUBJECT
from waarborg.privacy.identity import (
    LINK_MAX_ATTEMPTS,
    UPLOAD_PATH,
    VERIFY_PATH,
    privacy_request_start_verification,
)
from waarborg.privacy.models import IdDocument, PrivacyRequest, VerificationLink
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db

FORM = "/privacyverzoek/"
LINK = re.compile(r"(/privacyverzoek/(bevestigen|identiteit)/([0-9a-f-]{36})/([A-Za-z0-9_-]+)/)")
PDF = b"%PDF-1.7\n% a redacted identity card\n"
PRIVACY_MODELS = (
    "privacy.PrivacyRequest",
    "privacy.VerificationLink",
    "privacy.IdDocument",
    "privacy.RectificationProposal",
)


def _main(response) -> str:
    """The page's own content, without the CSRF token (which differs per visitor)."""
    body = response.content.decode()
    main = re.search(r'<main id="main".*?</main>', body, re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


@pytest.fixture(autouse=True)
def mail(smtp_server):
    return smtp_server


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


def _link(mail, n=1):
    message = mail.wait_for(n)[n - 1]
    match = LINK.search(mail.body(message))
    assert match, "the mail holds no one-time link"
    return match.group(1), match.group(2)


def _file_request(mail, **data):
    """Alice asks by name and postcode from another address: the check is an ID-copy link."""
    data = {
        "type": "erasure",
        "email": "a.devries@elders.example",
        "name": "Alice de Vries",
        "postcode": "3521ab",
    } | data
    Client().post(FORM, data)
    return _link(mail)[0]


def test_it_answers_the_links_at_the_paths_the_mails_carry():
    link, token = "0d7a5c9e-2f4b-4c7e-9a41-3b1f0e6d8c2a", "abc_DEF-123"
    assert reverse("public:request_confirm", args=[link, token]) == VERIFY_PATH.format(link=link, token=token)
    assert reverse("public:request_upload", args=[link, token]) == UPLOAD_PATH.format(link=link, token=token)


def test_it_shows_the_form_without_sign_in(client):
    response = client.get(FORM)
    assert response.status_code == 200
    body = _main(response)
    for code in ("access", "rectification", "erasure", "withdrawal", "objection", "portability", "restriction"):
        assert f'value="{code}"' in body
    assert 'name="email"' in body and 'type="file"' not in body
    assert "burgerservicenummer (BSN)" in body


@pytest.mark.promise("G7", "G8")
def test_it_answers_the_same_for_a_known_and_an_unknown_person(client, personas, mail):
    known = client.post(
        FORM, {"type": "access", "email": "Alice.DeVries@example.nl", "details": "Wat hebt u?"}, follow=True
    )
    unknown = Client().post(
        FORM, {"type": "access", "email": "niemand@example.nl", "details": "Wat hebt u?"}, follow=True
    )
    ambiguous = Client().post(
        FORM,
        {"type": "access", "email": "alice.devries@example.nl", "customer_number": personas.bob_customer.number},
        follow=True,
    )
    assert (
        known.redirect_chain
        == unknown.redirect_chain
        == ambiguous.redirect_chain
        == [("/privacyverzoek/ontvangen/", 302)]
    )
    assert _main(known) == _main(unknown) == _main(ambiguous)
    assert "PV0" not in _main(known)  # no request number: that would tell who is known
    # The known person's request waits for her confirmation, sent to the address on file.
    made = PrivacyRequest.objects.get(contact=personas.alice_contact)
    assert made.channel == "form" and made.status == "awaiting_id"
    to_alice = [m for m in mail.wait_for(1) if m["To"] == "alice.devries@example.nl"]
    assert len(to_alice) == 1 and "/privacyverzoek/bevestigen/" in mail.body(to_alice[0])
    # Nothing about anyone is sent to the unknown address, and no request of it points to anyone.
    assert not any("/privacyverzoek/" in mail.body(m) for m in mail.settle() if m["To"] == "niemand@example.nl")
    assert all(not r.subject_rows for r in PrivacyRequest.objects.exclude(pk=made.pk))


@pytest.mark.promise("G8")
def test_it_sends_an_id_copy_link_when_the_address_is_not_on_file(personas, mail):
    url = _file_request(mail)
    assert url.startswith("/privacyverzoek/identiteit/")
    made = PrivacyRequest.objects.get()
    assert made.contact == personas.alice_contact and not made.email_on_file
    assert mail.messages[0]["To"] == "a.devries@elders.example"


@pytest.mark.promise("G8")
def test_it_shows_form_errors_and_stores_nothing(client, personas, mail):
    before = database_snapshot()
    response = client.post(FORM, {"type": "", "email": "geen adres", "details": "BSN 111222333", "name": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"type", "email"}
    response = client.post(FORM, {"type": "access", "email": "alice.devries@example.nl", "details": "BSN 111222333"})
    assert response.status_code == 200 and "details" in response.context["form"].errors
    assert "burgerservicenummer (BSN)" in _main(response)
    assert_nothing_changed(before)
    assert mail.settle() == []


@pytest.mark.promise("G4", "G5", "G6")
def test_it_keeps_only_the_fields_of_the_type_asked_for(client, personas, mail):
    client.post(
        FORM,
        {
            "type": "objection",
            "email": "alice.devries@example.nl",
            "purposes": ["U10"],
            "consent_kinds": ["cookies_analytics"],
            "transmit_to": "Elders B.V.",
        },
    )
    made = PrivacyRequest.objects.get()
    assert made.purposes == ["U10"] and made.consent_kinds == [] and made.transmit_to == ""


@pytest.mark.promise("G6")
def test_it_needs_an_e_mail_or_https_address_for_portability_to_an_organisation(client, personas, mail):
    data = {"type": "portability", "email": "alice.devries@example.nl"}
    response = client.post(FORM, data | {"transmit_to": "http://elders.example/import"})
    assert response.status_code == 200 and "transmit_to" in response.context["form"].errors
    assert PrivacyRequest.objects.count() == 0
    client.post(FORM, data | {"transmit_to": "https://elders.example/import"})
    assert PrivacyRequest.objects.get().transmit_to == "https://elders.example/import"


@pytest.mark.promise("G8", "G9")
def test_it_confirms_with_a_button_not_by_opening_the_link(client, personas, mail):
    with clock.as_of(dt.date(2026, 3, 2)):
        client.post(FORM, {"type": "access", "email": "alice.devries@example.nl"})
        url, kind = _link(mail)
        assert kind == "bevestigen"
        page = client.get(url)  # a mail scanner opening the link changes nothing
        assert page.status_code == 200 and 'method="post"' in _main(page)
        assert not PrivacyRequest.objects.get().is_verified
        done = client.post(url)
    made = PrivacyRequest.objects.get()
    assert done.status_code == 200 and made.is_verified and made.verification_method == "email_link"
    assert made.number in _main(done) and "30 maart 2026" in _main(done)


@pytest.mark.promise("G8")
def test_it_answers_a_used_link_with_a_clear_page_and_changes_nothing(client, personas, mail):
    client.post(FORM, {"type": "access", "email": "alice.devries@example.nl"})
    url, _kind = _link(mail)
    client.post(url)
    before = database_snapshot()
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert 'data-problem="used"' in _main(response) and "al gebruikt" in _main(response)
    assert_nothing_changed(before)


@pytest.mark.promise("G8")
def test_it_answers_an_expired_link_with_a_clear_page_and_changes_nothing(client, personas, mail):
    with clock.as_of(dt.date(2026, 3, 2)):
        client.post(FORM, {"type": "access", "email": "alice.devries@example.nl"})
        url, _kind = _link(mail)
    before = database_snapshot()
    with clock.as_of(dt.date(2026, 3, 6)):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 410 and 'data-problem="expired"' in _main(response)
            assert "72 uur" in _main(response) and "Er is niets gewijzigd." in _main(response)
    assert_nothing_changed(before)
    assert not PrivacyRequest.objects.get().is_verified


@pytest.mark.promise("G8")
def test_it_locks_a_link_after_too_many_wrong_tokens(client, personas, mail):
    client.post(FORM, {"type": "access", "email": "alice.devries@example.nl"})
    url, _kind = _link(mail)
    wrong = url.rsplit("/", 2)[0] + "/verkeerd-token/"
    counted = {"privacy.VerificationLink.failed_attempts": "a wrong token is counted: the link locks after too many"}
    for _ in range(LINK_MAX_ATTEMPTS - 1):
        with unchanged(except_for=counted):
            assert client.post(wrong).status_code == 404
    assert client.post(wrong).status_code == 404  # the last one locks the link
    with unchanged():
        response = client.post(url)  # even the right token: the link is locked now
    assert response.status_code == 410 and 'data-problem="locked"' in _main(response)


@pytest.mark.promise("G8")
@pytest.mark.parametrize("problem", ["used", "replaced", "expired"])
def test_a_link_that_changed_after_the_check_still_gets_its_page(client, personas, mail, monkeypatch, problem):
    """The page reads the service's refusal by its code when the link changed after it was looked at."""
    client.post(FORM, {"type": "access", "email": "alice.devries@example.nl"})
    url, _kind = _link(mail)
    monkeypatch.setattr("waarborg.public.requests.link_problem", lambda link, kind: None)
    day = clock.today()
    if problem == "used":
        assert client.post(url).status_code == 200
    elif problem == "replaced":
        privacy_request_start_verification(actor=SUBJECT, request=PrivacyRequest.objects.get())
    else:
        day += dt.timedelta(days=4)
    before = database_snapshot()
    with clock.as_of(day):
        response = client.post(url)
    assert response.status_code == 410 and f'data-problem="{problem}"' in _main(response)
    assert_nothing_changed(before)


@pytest.mark.promise("G8")
def test_it_answers_404_for_a_malformed_or_unknown_link(client, db):
    with unchanged():
        assert client.get("/privacyverzoek/bevestigen/geen-uuid/abc/").status_code == 404
        response = client.get("/privacyverzoek/identiteit/0d7a5c9e-2f4b-4c7e-9a41-3b1f0e6d8c2a/abc/")
    assert response.status_code == 404 and 'data-problem="invalid"' in _main(response)


@pytest.mark.promise("G8")
def test_it_asks_for_a_redacted_copy_on_the_upload_page(client, personas, mail):
    url = _file_request(mail)
    page = _main(client.get(url))
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    for words in ("pasfoto", "MRZ", "documentnummer", "burgerservicenummer (BSN)", "KopieID"):
        assert words in page
    assert 'href="https://www.rijksoverheid.nl/' in page and 'name="redaction_confirmed"' in page


@pytest.mark.promise("G8")
def test_it_refuses_an_upload_without_the_redaction_confirmed_or_of_the_wrong_type(client, personas, mail, files):
    url = _file_request(mail)
    before = database_snapshot()
    response = client.post(url, {"document": SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 200 and "redaction_confirmed" in response.context["form"].errors
    response = client.post(
        url,
        {
            "document": SimpleUploadedFile("id.txt", b"just text", content_type="text/plain"),
            "redaction_confirmed": "on",
        },
    )
    assert response.status_code == 200 and "document" in response.context["form"].errors
    assert "pdf-, jpeg- of png-bestand" in _main(response)
    assert_nothing_changed(before)
    assert not (files / "privacy-id").exists() or not list((files / "privacy-id").iterdir())
    assert VerificationLink.objects.get().used_at is None  # the link still works


@pytest.mark.promise("G8")
@pytest.mark.parametrize(
    ("language", "words"), [("nl", "Upload een pdf-, jpeg- of png-bestand"), ("en", "Upload a PDF, JPEG or PNG file")]
)
def test_it_shows_the_refusal_of_an_upload_at_its_field_in_the_visitors_language(
    client, personas, mail, files, language, words
):
    url = _file_request(mail)
    before = database_snapshot()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the language switch sets
    document = SimpleUploadedFile("id.txt", b"just text", content_type="text/plain")
    response = client.post(url, {"document": document, "redaction_confirmed": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [words]
    assert words in _main(response)
    assert_nothing_changed(before)
    assert VerificationLink.objects.get().used_at is None


@pytest.mark.promise("G8", "B3")
def test_it_stores_the_uploaded_copy_encrypted_and_the_link_works_once(client, personas, mail, files):
    url = _file_request(mail)
    response = client.post(
        url,
        {
            "document": SimpleUploadedFile("id.pdf", PDF, content_type="application/octet-stream"),
            "redaction_confirmed": "on",
        },
    )
    assert response.status_code == 200 and "Kopie ontvangen" in _main(response)
    document = IdDocument.objects.get()
    assert document.content_type == "application/pdf" and document.redaction_confirmed  # by what the bytes are
    stored = (files / "privacy-id" / document.stored_name).read_bytes()
    assert PDF not in stored and b"redacted identity card" not in stored
    assert storage.read(document.stored_name) == PDF
    with unchanged():
        again = client.post(
            url,
            {
                "document": SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf"),
                "redaction_confirmed": "on",
            },
        )
    assert again.status_code == 410


@pytest.mark.promise("B1")
def test_it_refuses_a_form_post_without_the_csrf_token(personas, mail):
    client = Client(enforce_csrf_checks=True)
    with unchanged():
        response = client.post(FORM, {"type": "access", "email": "alice.devries@example.nl"})
    assert response.status_code == 403
    assert mail.settle() == []


def test_it_links_the_form_from_the_contact_page_and_the_statement(client):
    assert f'href="{FORM}"' in client.get("/contact/").content.decode()
    assert f'href="{FORM}"' in client.get("/privacy/").content.decode()
