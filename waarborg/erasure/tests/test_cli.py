"""`waarborg erasure plan | run | scan | cases`: clear answers and exit codes."""

import io
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.billing.services import payment_record
from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.customers.models import Contact
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.tests.world import build_alice
from waarborg.privacy.models import PrivacyRequest
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db

EMAIL = "alice.devries@example.nl"


def run(*args, capture=None):
    out = io.StringIO()
    call_command("erasure", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    def go(*args):
        with django_capture_on_commit_callbacks(execute=True):
            return run(*args)

    return go


@pytest.mark.promise("G3")
def test_it_prints_the_plan_for_review_and_the_notice(personas):
    build_alice(personas)
    out = run("plan", "--email", EMAIL)
    assert "delete" in out and "customers.Contact" in out and "billing.Invoice" in out
    assert "Wat we hebben bewaard" in out
    assert "What we kept" in run("plan", "--email", EMAIL, "--lang", "en")
    assert "anonymise     name" in out and "[legal_obligation, until " in out  # field by field
    data = json.loads(run("plan", "--email", EMAIL, "--format", "json"))
    fields = {(r["model"], f["field"]): f for r in data["rows"] for f in r["fields"]}
    assert fields[("customers.Customer", "name")]["action"] == "anonymise"
    assert fields[("customers.Contact", "email")]["action"] == "delete"
    kept = fields[("billing.Invoice", "name_printed")]
    assert kept["action"] == "retain" and kept["basis"] == "legal_obligation" and kept["until"].endswith("-12-31")
    assert {f["action"] for f in fields.values()} <= {"delete", "anonymise", "pseudonymise", "retain"}
    assert "What we kept, why, and until when" in data["notice"]["en"]
    assert Contact.objects.filter(email=EMAIL).exists()  # a plan changes nothing


@pytest.mark.promise("G3", "B4")
def test_it_erases_with_yes_and_proves_it(personas, committing):
    build_alice(personas)
    with unchanged(), pytest.raises(CommandError, match="add --yes") as refused:
        run("run", "--email", EMAIL, "--reason", "verzoek per e-mail")
    assert refused.value.returncode == 2
    out = committing("run", "--email", EMAIL, "--reason", "verzoek per e-mail", "--yes")
    case = ErasureCase.objects.get()
    assert case.source == "cli" and case.status == ErasureCase.Status.COMPLETE
    request = PrivacyRequest.objects.get()  # recorded like a request that came by e-mail
    assert f"privacy request {request.number} recorded" in out and case.result["request"] == "answered"
    assert case.privacy_request_id == request.pk and request.type == "erasure" and request.channel == "email"
    assert request.status == "completed" and request.erasure_plan_status == "executed"
    assert request.verified_by == personas.erin and request.erasure_plan_reviewed_by == personas.erin
    assert request.erasure_plan["erased"]["customers.Contact"] == 1
    (answer,) = [m for m in mail.outbox if m.to == [EMAIL]]  # what was erased, what kept, why, until when
    assert "Wat we hebben gewist" in answer.body and "Wat we hebben bewaard, waarom en tot wanneer" in answer.body
    assert "Wettelijke verplichting" in answer.body and "tot en met 31-12-" in answer.body
    assert "complete" in run("cases", "--status", "complete")
    assert not Contact.objects.filter(email=EMAIL).exists()
    with unchanged(), pytest.raises(CommandError, match="already erased") as again:
        run("run", "--email", EMAIL, "--reason", "nogmaals", "--yes")
    assert again.value.returncode == 1
    with unchanged(), pytest.raises(CommandError, match="already erased"):
        run("plan", "--email", EMAIL)
    assert "0 failing" in run("scan", "--email", EMAIL, "--phone", "+31612345678")  # the request's record is kept
    assert PrivacyRequest.objects.count() == 1  # refused runs record nothing


@pytest.mark.promise("G3", "G9")
def test_it_carries_out_a_registered_request_and_answers_it_when_the_hold_is_released(
    personas, committing, django_capture_on_commit_callbacks
):
    world = build_alice(personas, unpaid=True)
    with pytest.raises(CommandError, match="on hold: open_claim") as held:
        committing("run", "--email", EMAIL, "--reason", "verzoek per post", "--yes", "--channel", "post")
    assert held.value.returncode == 3
    request = PrivacyRequest.objects.get()
    # Answered at once, in time: nothing erased yet, which invoice holds it, what is kept.
    assert request.status == "completed" and request.erasure_plan["held"] == ["open_claim"]
    (interim,) = [m for m in mail.outbox if m.to == [EMAIL]]
    assert "Nu wissen we nog niets" in interim.body and world.invoices[-1].number in interim.body
    with pytest.raises(CommandError, match="closed"):
        run("run", "--request", request.number, "--reason", "nogmaals", "--yes")
    assert ErasureCase.objects.count() == 1 and ErasureCase.objects.get().status == "on_hold"

    payment_record(actor=personas.dave, invoice=world.invoices[-1], amount=Decimal("121.00"))
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(clock.today(), only=["erasure"])
    case = ErasureCase.objects.get()
    assert case.status == "complete" and case.result["released"] == {"final_answer": "final answer sent"}
    final = [m for m in mail.outbox if m.to == [EMAIL]][-1]
    assert "Wat we hebben gewist" in final.body and "Wat we hebben bewaard" in final.body


@pytest.mark.promise("G3")
def test_it_wants_an_approved_plan_and_a_privacy_officer_for_a_request(personas, settings):
    build_alice(personas)
    with unchanged(), pytest.raises(CommandError, match="no such privacy request") as unknown:
        run("run", "--request", "PV999999", "--reason", "verzoek", "--yes")
    assert unknown.value.returncode == 1
    with unchanged(), pytest.raises(CommandError, match="no active privacy officer") as nobody:
        run("run", "--email", EMAIL, "--reason", "verzoek", "--yes", "--handler", "carol@duinhost.example")
    assert nobody.value.returncode == 2
    assert Contact.objects.filter(email=EMAIL).exists() and not PrivacyRequest.objects.exists()


@pytest.mark.promise("G3")
def test_it_names_the_hold_and_exits_non_zero(personas):
    build_alice(personas, unpaid=True)
    with pytest.raises(CommandError, match=r"on hold: open_claim \(art. 17\(3\)\(e\)") as held:
        run("run", "--email", EMAIL, "--reason", "verzoek", "--yes")
    assert held.value.returncode == 3
    assert Contact.objects.filter(email=EMAIL).exists()
    assert "on_hold" in run("cases")


@pytest.mark.promise("G3")
def test_it_answers_clearly_for_unknown_subjects_and_bad_input(personas):
    with unchanged(), pytest.raises(CommandError, match="no subject found") as unknown:
        run("run", "--email", "niemand@example.nl", "--reason", "verzoek", "--yes")
    assert unknown.value.returncode == 1
    with unchanged(), pytest.raises(CommandError, match="not a valid e-mail address") as bad:
        run("plan", "--email", "geen-adres")
    assert bad.value.returncode == 2
    with unchanged(), pytest.raises(CommandError, match="personal data") as personal:
        run("run", "--email", "niemand@example.nl", "--reason", "tel 0612345678", "--yes")
    assert personal.value.returncode == 2


@pytest.mark.promise("G3", "B4")
def test_the_scan_fails_while_the_data_is_still_there(personas):
    build_alice(personas)
    with pytest.raises(CommandError, match="remains") as found:
        run("scan", "--email", EMAIL)
    assert found.value.returncode == 1


@pytest.mark.promise("G3", "B4")
def test_a_crash_halfway_is_a_clear_error_and_the_request_can_be_carried_out_after(personas, monkeypatch, committing):
    from waarborg.erasure import ops

    build_alice(personas)
    real = ops.delete_queryset
    calls = []

    def crash_on_the_third(qs, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real(qs, **kw)

    monkeypatch.setattr(ops, "delete_queryset", crash_on_the_third)
    with pytest.raises(CommandError, match="rolled back, nothing changed") as crashed:
        committing("run", "--email", EMAIL, "--reason", "verzoek", "--yes")
    assert crashed.value.returncode == 1 and len(calls) == 3
    assert Contact.objects.filter(email=EMAIL).exists()
    case = ErasureCase.objects.get()
    assert case.status == ErasureCase.Status.OPEN and case.last_error == "RuntimeError"
    request = PrivacyRequest.objects.get()  # recorded, and waiting in the queue
    assert request.status == "in_progress" and request.erasure_plan_status == "approved"

    monkeypatch.setattr(ops, "delete_queryset", real)
    committing("run", "--request", request.number, "--reason", "opnieuw", "--yes")
    request.refresh_from_db()
    assert not Contact.objects.filter(email=EMAIL).exists() and request.status == "completed"


@pytest.mark.promise("G3", "G7")
def test_it_points_to_a_request_that_is_still_open(personas):
    from waarborg.core import clock as clock_
    from waarborg.privacy.intake import privacy_request_create

    build_alice(personas)
    open_one = privacy_request_create(
        actor=personas.erin, type="erasure", channel="post", received_at=clock_.today(), email=EMAIL
    )
    with unchanged(), pytest.raises(CommandError, match=f"request {open_one.number} .* still open.*--request") as twice:
        run("run", "--email", EMAIL, "--reason", "verzoek", "--yes")
    assert twice.value.returncode == 2
    assert PrivacyRequest.objects.count() == 1 and not ErasureCase.objects.exists()
    with unchanged(), pytest.raises(CommandError, match="not been approved") as unapproved:
        run("run", "--request", open_one.number, "--reason", "verzoek", "--yes")
    assert unapproved.value.returncode == 2
