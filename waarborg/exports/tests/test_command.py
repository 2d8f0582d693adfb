"""`waarborg exports access|portability`: the packages from the command line, audited with counts only."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.audit.models import AuditEvent
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("G1", "G6")
@pytest.mark.parametrize("action", ["access", "portability"])
def test_the_command_writes_the_package_and_audits_counts_only(world, tmp_path, action):
    target = tmp_path / f"{action}.zip"
    out = io.StringIO()
    call_command("exports", action, "--email", world["alice"].email.upper(), "--out", str(target), stdout=out)
    assert f"{action} package written to" in out.getvalue()
    with zipfile.ZipFile(target) as archive:
        assert "data.json" in archive.namelist()
    event = AuditEvent.objects.get(action=f"export.{action}")
    assert event.actor == "cli" and event.purpose == "U14" and event.object_type == "subject"
    assert event.subject_ref == f"customer:{world['customer'].pk}"
    assert event.data["by"] == ["email"]
    assert all(isinstance(v, int) for k, v in event.data.items() if k not in ("by", "language"))
    recorded = json.dumps(event.data) + event.reason
    for personal in (world["alice"].email, "Alice", "de Vries", "NL91"):
        assert personal not in recorded


@pytest.mark.promise("G1")
def test_no_subject_no_package(db, tmp_path):
    target = tmp_path / "none.zip"
    with unchanged(), pytest.raises(CommandError, match="no subject found") as caught:
        call_command("exports", "access", "--email", "niemand@example.nl", "--out", str(target))
    assert caught.value.returncode == 1
    assert not target.exists()
    assert not AuditEvent.objects.filter(action="export.access").exists()


@pytest.mark.promise("G1")
def test_a_malformed_identifier_is_refused(db, tmp_path):
    with unchanged(), pytest.raises(CommandError, match="e-mail") as caught:
        call_command("exports", "portability", "--email", "geen-adres", "--out", str(tmp_path / "x.zip"))
    assert caught.value.returncode == 2
