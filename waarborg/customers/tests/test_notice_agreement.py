"""The agreement to written notices by e-mail (art. 6:227a BW): recorded with its date and source,
withdrawn from a day, declared in the personal-data map; bad input changes nothing (A5, D5)."""

import datetime as dt

import pytest

from waarborg.core import clock, datamap
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.customers.selectors import notice_agreement_for, notice_agreements_standing
from waarborg.customers.services import notice_agreement_record, notice_agreement_withdraw
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.promise("A5")
def test_staff_record_a_contract_term_and_it_stands_from_its_date_until_withdrawn(personas):
    customer = personas.alice_customer
    with clock.as_of(D(2026, 3, 1)):
        agreement = notice_agreement_record(
            actor=personas.carol,
            customer=customer,
            source="contract",
            agreed_on="2026-02-01",
            reference="Algemene voorwaarden 2026, art. 4.3",
        )
    assert (agreement.source, agreement.agreed_on, agreement.recorded_by_id) == (
        "contract",
        D(2026, 2, 1),
        personas.carol.pk,
    )
    assert_clean_event(last_event(), action="customer.notice_agreement.record", values=["Algemene voorwaarden"])
    assert notice_agreements_standing([customer.pk], D(2026, 1, 31)) == {}
    assert notice_agreements_standing([customer.pk], D(2026, 2, 1)) == {customer.pk: agreement}
    with clock.as_of(D(2026, 5, 1)):
        notice_agreement_withdraw(actor=personas.carol, customer=customer)
    assert notice_agreements_standing([customer.pk], D(2026, 4, 30)) == {customer.pk: agreement}
    assert notice_agreements_standing([customer.pk], D(2026, 5, 1)) == {}
    assert notice_agreement_for(viewer=personas.dave, customer=customer).withdrawn_on == D(2026, 5, 1)


@pytest.mark.promise("A5")
def test_a_customer_records_only_their_own_agreement(personas):
    with clock.as_of(D(2026, 3, 1)):
        own = notice_agreement_record(
            actor=personas.alice,
            customer=personas.alice_customer,
            source="consent",
            agreed_on=D(2026, 3, 1),
            reference="klantportaal",
        )
        assert own.source == "consent"
        before = database_snapshot()
        with pytest.raises(ValidationError, match="not a contract term"):
            notice_agreement_record(
                actor=personas.alice,
                customer=personas.alice_customer,
                source="contract",
                agreed_on=D(2026, 3, 1),
                reference="x",
            )
        with pytest.raises(NotFound):
            notice_agreement_record(
                actor=personas.alice,
                customer=personas.bob_customer,
                source="consent",
                agreed_on=D(2026, 3, 1),
                reference="x",
            )
        with pytest.raises(PermissionDenied):
            notice_agreement_withdraw(actor=personas.frank, customer=personas.alice_customer)
    assert_nothing_changed(before)


@pytest.mark.promise("A5")
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"source": "whatsapp"}, "source"),
        ({"agreed_on": "2026-03-02"}, "agreed_on"),  # in the future
        ({"agreed_on": "1 maart"}, "agreed_on"),
        ({"reference": "  "}, "reference"),
        ({"reference": "x" * 121}, "reference"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(personas, kwargs, field):
    values = {"source": "contract", "agreed_on": "2026-02-01", "reference": "Algemene voorwaarden"} | kwargs
    before = database_snapshot()
    with clock.as_of(D(2026, 3, 1)), pytest.raises(ValidationError) as refused:
        notice_agreement_record(actor=personas.carol, customer=personas.alice_customer, **values)
    assert refused.value.field == field
    assert_nothing_changed(before)


@pytest.mark.promise("D5")
def test_the_agreement_and_the_posting_are_declared_in_the_personal_data_map():
    entry = datamap.entry_for("customers.NoticeAgreement")
    assert set(entry.fields) == {"source", "agreed_on", "reference", "withdrawn_on", "recorded_at"}
    assert entry.fields["agreed_on"].key == "user.contract.electronic_notices"
    notice = datamap.entry_for("dunning.Notice")
    assert {"posted_on", "posting_recorded_at"} <= set(notice.fields)
