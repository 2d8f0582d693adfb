"""The "nothing changed" check sees every row of every model, and says what changed where."""

import pytest
from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core.actors import SYSTEM
from waarborg.customers.models import Contact
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, snapshot_models, unchanged


def test_the_snapshot_holds_every_concrete_model_of_every_installed_app(db):
    labels = {model._meta.label for model in snapshot_models()}
    for label in ("sessions.Session", "otp_totp.TOTPDevice", "privacy.PrivacyRequest_earlier_requests"):
        assert label in labels
    assert set(database_snapshot()) == labels


def test_it_passes_when_nothing_changed(personas):
    with unchanged():
        list(Contact.objects.all())


def test_it_names_the_model_pk_and_field_of_a_change(personas):
    contact = personas.alice_contact
    with pytest.raises(AssertionError) as failure, unchanged():
        Contact.objects.filter(pk=contact.pk).update(town="Zwolle")
    assert f"changed customers.Contact pk={contact.pk} town:" in str(failure.value)
    assert "'Zwolle'" in str(failure.value)


def test_it_names_rows_added_and_removed(personas):
    before = database_snapshot()
    event = f.LoginEventFactory(account=personas.alice)
    contact = personas.bob.contact.pk
    personas.bob.contact.delete()
    with pytest.raises(AssertionError) as failure:
        assert_nothing_changed(before)
    assert f"added   accounts.LoginEvent pk={event.pk}" in str(failure.value)
    assert f"removed customers.Contact pk={contact}" in str(failure.value)
    assert f"changed accounts.Account pk={personas.bob.pk} contact_id: {contact} -> None" in str(failure.value)


def test_it_leaves_out_only_what_is_allowed_and_wants_a_reason(personas):
    contact = personas.alice_contact
    before = database_snapshot()
    Contact.objects.filter(pk=contact.pk).update(town="Zwolle")
    assert_nothing_changed(before, except_for={"customers.Contact.town": "the test changed it"})
    Contact.objects.filter(pk=contact.pk).update(street="Elders 1")
    with pytest.raises(AssertionError, match="street"):
        assert_nothing_changed(before, except_for={"customers.Contact.town": "the test changed it"})
    with pytest.raises(AssertionError, match="say why"):
        assert_nothing_changed(before, except_for={"customers.Contact": ""})
    with pytest.raises(AssertionError, match="names no field"):
        assert_nothing_changed(before, except_for={"customers.Contact.twon": "a typo"})


def test_allowing_the_audit_trail_allows_its_head(db):
    before = database_snapshot()
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="test.event", purpose="U1", reason="test")
    with pytest.raises(AssertionError, match="audit.AuditHead"):
        assert_nothing_changed(before, except_for={"audit.AuditEvent.seq": "not enough"})
    assert_nothing_changed(before, except_for={"audit.AuditEvent": "the test records one"})
