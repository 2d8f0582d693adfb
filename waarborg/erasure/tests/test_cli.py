"""`waarborg erasure plan | run | scan | cases`: clear answers and exit codes."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.customers.models import Contact
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.tests.world import build_alice

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
    assert Contact.objects.filter(email=EMAIL).exists()  # a plan changes nothing


@pytest.mark.promise("G3", "B4")
def test_it_erases_with_yes_and_proves_it(personas, committing):
    build_alice(personas)
    with pytest.raises(CommandError, match="add --yes") as refused:
        run("run", "--email", EMAIL, "--reason", "verzoek per e-mail")
    assert refused.value.returncode == 2
    committing("run", "--email", EMAIL, "--reason", "verzoek per e-mail", "--yes")
    case = ErasureCase.objects.get()
    assert case.source == "cli" and case.status == ErasureCase.Status.COMPLETE
    assert "complete" in run("cases", "--status", "complete")
    assert not Contact.objects.filter(email=EMAIL).exists()
    with pytest.raises(CommandError, match="already erased") as again:
        run("run", "--email", EMAIL, "--reason", "nogmaals", "--yes")
    assert again.value.returncode == 1
    with pytest.raises(CommandError, match="already erased"):
        run("plan", "--email", EMAIL)
    assert "0 failing" in run("scan", "--email", EMAIL, "--phone", "+31612345678")


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
    with pytest.raises(CommandError, match="no subject found") as unknown:
        run("run", "--email", "niemand@example.nl", "--reason", "verzoek", "--yes")
    assert unknown.value.returncode == 1
    with pytest.raises(CommandError, match="not a valid e-mail address") as bad:
        run("plan", "--email", "geen-adres")
    assert bad.value.returncode == 2
    with pytest.raises(CommandError, match="personal data") as personal:
        run("run", "--email", "niemand@example.nl", "--reason", "tel 0612345678", "--yes")
    assert personal.value.returncode == 2


@pytest.mark.promise("G3", "B4")
def test_the_scan_fails_while_the_data_is_still_there(personas):
    build_alice(personas)
    with pytest.raises(CommandError, match="remains") as found:
        run("scan", "--email", EMAIL)
    assert found.value.returncode == 1
