"""`waarborg privacy access`: a postal access request answered from the shell, recorded like any other."""

import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.audit.models import AuditEvent
from waarborg.privacy.models import PrivacyRequest
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.mark.promise("G1", "G7", "G8")
def test_it_records_verifies_and_answers_with_the_package(personas, erin, files, tmp_path):
    out = tmp_path / "answer.zip"
    email = personas.alice.contact.email
    text = StringIO()
    call_command("privacy", "access", "--email", email, "--out", str(out), "--handler", erin.email, stdout=text)
    request = PrivacyRequest.objects.get()
    assert request.type == "access" and request.channel == "post" and request.status == "completed"
    assert request.verification_method == "staff_check" and request.verified_by_id == erin.pk
    assert request.package_ref and (files / "packages" / request.package_ref).exists()
    with zipfile.ZipFile(out) as package:
        data = json.loads(package.read("data.json"))
        assert email in json.dumps(data) and {"rapport.html", "report.html"} <= set(package.namelist())
    assert request.number in text.getvalue()
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert "export.access" in actions and "privacy.request.complete" in actions
    assert email not in json.dumps(list(AuditEvent.objects.values("reason", "data")))


def test_it_refuses_an_unknown_subject_or_handler_and_writes_nothing(personas, erin, files, tmp_path):
    before = database_snapshot()
    out = tmp_path / "answer.zip"
    with pytest.raises(CommandError):
        call_command("privacy", "access", "--email", "nobody@example.nl", "--out", str(out), "--handler", erin.email)
    with pytest.raises(CommandError):
        call_command(
            "privacy", "access", "--email", personas.alice.contact.email, "--out", str(out), "--handler", "x@example.nl"
        )
    with pytest.raises(CommandError):
        call_command(
            "privacy",
            "access",
            "--email",
            personas.alice.contact.email,
            "--out",
            str(tmp_path / "a.txt"),
            "--handler",
            erin.email,
        )
    assert_nothing_changed(before)
    assert not out.exists() and not (files / "packages").exists()
