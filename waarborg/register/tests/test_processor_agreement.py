"""As a host we are a processor for the customers' own data (X7): the agreement, the
sub-processor list and its changes told in advance, breach notice and help with requests."""

import datetime as dt

import pytest
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.auth_web.testing import sign_in
from waarborg.core import clock
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.register.models import ProcessorAgreement, SubprocessorChange
from waarborg.register.services import (
    PROCESSOR_AGREEMENT_VERSION,
    SUBPROCESSOR_NOTICE_DAYS,
    processor_agreement_accept,
    subprocessor_change_announce,
)
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, unchanged

pytestmark = pytest.mark.django_db
PAGE = "/verwerkersovereenkomst/"
PORTAL = "/portaal/verwerkersovereenkomst/"


@pytest.fixture
def mail(smtp_server):
    """Mail goes through a real local SMTP server."""
    return smtp_server


@pytest.fixture
def processors(db):
    return {
        "dc": f.RecipientFactory(
            key="dc",
            name="Rekencentrum Noord B.V.",
            kind="processor",
            category="datacenter",
            data_categories=["D2"],
            agreement_signed_at=dt.date(2024, 1, 1),
        ),
        "unsigned": f.RecipientFactory(
            key="unsigned",
            name="Nog Niet Getekend B.V.",
            kind="processor",
            category="mail_provider",
            data_categories=["D3"],
            agreement_signed_at=None,
        ),
        "bank": f.RecipientFactory(key="bank", name="Bank N.V.", kind="third_party", category="payment_provider"),
    }


@pytest.mark.promise("X7")
def test_it_publishes_the_terms_and_the_sub_processors_with_a_valid_agreement(client, processors):
    page = client.get(PAGE).content.decode()
    for term in ("subject", "nature", "data", "a", "b", "c", "d", "e", "f", "g", "h"):  # art. 28(3)
        assert f'data-term="{term}"' in page
    assert "Rekencentrum Noord B.V." in page
    assert "Nog Niet Getekend B.V." not in page  # no data to a processor without an agreement
    assert "Bank N.V." not in page  # a third party is not our sub-processor
    assert "binnen 24 uur" in page  # breach notice to the customer (art. 33(2))


@pytest.mark.promise("X7")
def test_a_customer_accepts_the_agreement_once_and_it_is_recorded(client, personas):
    sign_in(client, personas.bob)
    assert 'data-form="accept"' in client.get(PORTAL).content.decode()
    refused = client.post(PORTAL, {})
    assert refused.status_code == 400 and ProcessorAgreement.objects.count() == 0
    assert client.post(PORTAL, {"accept": "yes"}).status_code == 302
    agreement = ProcessorAgreement.objects.get()
    assert agreement.customer == personas.bob_customer and agreement.accepted_by == personas.bob
    assert agreement.version == PROCESSOR_AGREEMENT_VERSION
    assert "data-accepted" in client.get(PORTAL).content.decode()
    assert_clean_event(
        AuditEvent.objects.get(action="processor_agreement.accept"),
        action="processor_agreement.accept",
        values=[personas.bob.email],
    )
    with unchanged(), pytest.raises(ValidationError, match="accepted already"):
        processor_agreement_accept(actor=personas.bob)
    assert ProcessorAgreement.objects.count() == 1


@pytest.mark.promise("X7")
@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("nl", "Deze versie van de verwerkersovereenkomst is al geaccepteerd"),
        ("en", "This version of the processing agreement has been accepted already"),
    ],
)
def test_a_refusal_in_the_portal_reads_in_the_customers_language(client, settings, personas, language, error):
    processor_agreement_accept(actor=personas.bob)
    sign_in(client, personas.bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with unchanged():
        refused = client.post(PORTAL, {"accept": "yes"})
    assert refused.status_code == 400 and refused.context["error"] == error
    assert error in refused.content.decode().replace("&#x27;", "'")


@pytest.mark.promise("X7", "B2")
def test_only_a_customer_accepts_and_staff_are_kept_out(client, personas):
    for who in (personas.carol, personas.erin):
        with unchanged(), pytest.raises(PermissionDenied):
            processor_agreement_accept(actor=who)
    sign_in(client, personas.erin)
    with unchanged():
        assert client.post(PORTAL, {"accept": "yes"}).status_code == 403
        assert Client().post(PORTAL, {"accept": "yes"}).status_code in (302, 403)
    assert ProcessorAgreement.objects.count() == 0


@pytest.mark.promise("X7", "T3")
def test_customers_are_told_of_a_sub_processor_change_before_it_takes_effect(client, personas, processors, mail):
    processor_agreement_accept(actor=personas.bob)
    processor_agreement_accept(actor=personas.alice)
    today = clock.today()
    too_soon = today + dt.timedelta(days=SUBPROCESSOR_NOTICE_DAYS - 1)
    with unchanged(), pytest.raises(ValidationError, match="at the earliest"):
        subprocessor_change_announce(
            actor=personas.erin, recipient=processors["dc"], change="added", effective_on=too_soon
        )
    with unchanged(), pytest.raises(ValidationError, match="only a processor"):
        subprocessor_change_announce(
            actor=personas.erin,
            recipient=processors["bank"],
            change="added",
            effective_on=today + dt.timedelta(days=40),
        )
    with unchanged(), pytest.raises(PermissionDenied):
        subprocessor_change_announce(
            actor=personas.carol, recipient=processors["dc"], change="added", effective_on=today + dt.timedelta(days=40)
        )
    assert SubprocessorChange.objects.count() == 0 and mail.settle() == []

    effective = today + dt.timedelta(days=SUBPROCESSOR_NOTICE_DAYS)
    change = subprocessor_change_announce(
        actor=personas.erin, recipient=processors["dc"], change="added", effective_on=effective
    )
    assert change.customers_told == 2
    sent = mail.wait_for(2)
    assert sorted(m["To"] for m in sent) == sorted([personas.bob.email, personas.alice.email])  # one each
    body = mail.body(sent[0])
    assert "Rekencentrum Noord B.V." in body and "bezwaar" in body and "object" in body
    page = client.get(PAGE).content.decode()
    assert f'data-change="{change.pk}"' in page
    assert 'data-subprocessor="dc"' not in page  # not in force before the announced date
    with clock.as_of(effective):
        assert 'data-subprocessor="dc"' in client.get(PAGE).content.decode()
    assert_clean_event(
        AuditEvent.objects.get(action="subprocessor.announce"),
        action="subprocessor.announce",
        values=[personas.bob.email],
    )


@pytest.mark.promise("X7")
def test_nothing_is_recorded_when_the_notices_cannot_be_sent(personas, processors, settings):
    processor_agreement_accept(actor=personas.bob)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    with pytest.raises(OSError):
        subprocessor_change_announce(
            actor=personas.erin,
            recipient=processors["dc"],
            change="removed",
            effective_on=clock.today() + dt.timedelta(days=60),
        )
    assert SubprocessorChange.objects.count() == 0
    assert not AuditEvent.objects.filter(action="subprocessor.announce").exists()


@pytest.mark.promise("X7")
def test_the_shell_lists_and_announces_with_one_line_errors(personas, processors, mail):
    import io

    from django.core.management import CommandError, call_command

    processor_agreement_accept(actor=personas.bob)
    out = io.StringIO()
    call_command("subprocessor", "list", stdout=out)
    assert "Rekencentrum Noord B.V." in out.getvalue() and "Nog Niet Getekend" not in out.getvalue()
    for args, words in (
        (["--recipient", "nobody", "--change", "added", "--on", "2099-01-01"], "no recipient"),
        (["--recipient", "dc", "--change", "added", "--on", "01-01-2099"], "YYYY-MM-DD"),
        (["--recipient", "dc", "--change", "added", "--on", clock.today().isoformat()], "at the earliest"),
    ):
        with unchanged(), pytest.raises(CommandError) as refused:
            call_command("subprocessor", "announce", *args)
        assert refused.value.returncode == 2 and words in str(refused.value)
    assert SubprocessorChange.objects.count() == 0
    on = (clock.today() + dt.timedelta(days=45)).isoformat()
    out = io.StringIO()
    call_command("subprocessor", "announce", "--recipient", "dc", "--change", "removed", "--on", on, stdout=out)
    assert f"announced: dc removed on {on}; 1 customers told" in out.getvalue()
    assert len(mail.wait_for(1)) == 1
