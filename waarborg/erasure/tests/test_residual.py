"""The residual scan: every table and stored file, searched for what was erased."""

import pytest

from waarborg.erasure.cases import erasure_request
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.residual import residual_scan
from waarborg.erasure.tests.world import build_alice
from waarborg.register.models import Recipient
from waarborg.subjects.finder import Query
from waarborg.testing import factories as f

pytestmark = pytest.mark.django_db

EMAIL = "alice.devries@example.nl"


@pytest.fixture
def erase(personas, django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            case = erasure_request(actor=personas.erin, query=Query(email=EMAIL), reason="verzoek")
        case.refresh_from_db()
        return case

    return run


@pytest.mark.promise("G3", "B4")
def test_it_fails_the_erasure_when_a_copy_survives_in_a_table_outside_the_map(personas, erase):
    build_alice(personas)
    f.RecipientFactory(key="copy", purpose=f"Notitie: contact via {EMAIL.upper()}")  # a leak, in any case
    case = erase()
    assert case.status == ErasureCase.Status.INCOMPLETE
    assert case.result["scan"]["fail"] == 1
    assert case.result["scan_hits"] == [f"register_recipient.purpose row {Recipient.objects.get().pk}: email (fail)"]
    assert EMAIL not in str(case.result)


@pytest.mark.promise("G3", "B4")
def test_it_fails_the_erasure_when_a_stored_file_still_holds_the_data(personas, erase, _files_in_a_fresh_directory):
    build_alice(personas)
    stray = _files_in_a_fresh_directory / "files" / "exports" / "pakket-17.json"
    stray.parent.mkdir(parents=True)
    stray.write_text('{"telefoon": "06 12345678"}')
    case = erase()
    assert case.status == ErasureCase.Status.INCOMPLETE
    assert "file files/exports/pakket-17.json: phone (fail)" in case.result["scan_hits"]


@pytest.mark.promise("G3", "B4")
def test_it_leaves_a_namesake_for_review_without_failing(personas, erase):
    build_alice(personas)
    other = f.CustomerFactory(private=True, name="Alice de Vries")
    f.InvoiceFactory(customer=other, name_printed="Alice de Vries")
    case = erase()
    assert case.status == ErasureCase.Status.COMPLETE
    assert case.result["scan"]["review"] == 2 and case.result["scan"]["fail"] == 0


@pytest.mark.promise("G3", "R4", "B4")
def test_a_scan_on_its_own_allows_what_the_archive_keeps(personas, erase):
    world = build_alice(personas)
    erase()
    result = residual_scan({"name": {"Alice de Vries"}, "customer_number": {world.customer.number}, "email": {EMAIL}})
    assert result.ok, [h.describe() for h in result.failures]
    verdicts = {(h.table, h.column): h.verdict for h in result.hits}
    assert verdicts[("billing_invoice", "name_printed")] == "allowed"
    assert verdicts[("customers_customer", "number")] == "allowed"
    assert ("files/documents", "") not in verdicts


@pytest.mark.promise("G3", "D6")
def test_it_finds_every_identifier_where_the_database_keeps_it(personas):
    from waarborg.erasure.tests.world import ALICE_IBAN, ALICE_IP

    world = build_alice(personas)
    found = residual_scan(
        {
            "ip": {ALICE_IP},
            "email": {EMAIL},
            "phone": {"+31612345678"},
            "customer_number": {world.customer.number},
            "name": {"Alice de Vries"},
            "iban": {ALICE_IBAN},
        },
        files=False,
    )
    where = {(h.table, h.column, h.kind) for h in found.hits}
    assert ("accounts_loginevent", "ip_address", "ip") in where  # an inet column on PostgreSQL
    assert ("customers_contact", "email", "email") in where
    assert ("customers_contact", "phone", "phone") in where
    assert ("correspondence_message", "body", "phone") in where  # written inside a text
    assert ("customers_customer", "number", "customer_number") in where
    assert ("billing_invoice", "name_printed", "name") in where
    assert not found.ok
