import pytest
from django.db import transaction

from waarborg.audit.services import audit_record, audit_verify
from waarborg.core.actors import SYSTEM


@pytest.mark.django_db
@pytest.mark.promise("B4")
def test_it_starts_a_chain():
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="test.ping")
    assert audit_verify().ok
