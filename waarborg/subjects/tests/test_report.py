import pytest

from waarborg.billing.models import PaymentMethod
from waarborg.core.crypto import keyed_hash
from waarborg.subjects.finder import Query, subject_find
from waarborg.subjects.report import subject_report
from waarborg.subjects.tests.test_finder import NOW, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.promise("D5", "D7")
def test_it_groups_the_subjects_values_by_category_with_purpose_and_retention(world):  # noqa: F811
    PaymentMethod.objects.create(
        customer=world["jan_cust"],
        kind="sepa_mandate",
        holder_name="J. de Vries",
        iban="NL91ABNA0417164300",
        iban_last4="4300",
        iban_hash=keyed_hash("NL91ABNA0417164300", purpose="iban"),
        created_at=NOW,
    )
    report = subject_report(subject_find(Query(email="jan@example.nl")), lang="en")
    by_id = {c.id: c for c in report}
    assert list(by_id) == sorted(by_id, key=lambda c: int(c[1:]))
    emails = [i for i in by_id["D3"].items if i.field == "email"]
    assert {i.value for i in emails} >= {"jan@example.nl"}
    assert "U1" in by_id["D3"].purposes and by_id["D3"].name == "Contact person's e-mail address"
    assert any("customer" in r for r in by_id["D3"].retention_rules)
    values = [i.value for c in report for i in c.items]
    # A password hash or a keyed hash is never shown; the IBAN only masked.
    assert not any(v.startswith(("pbkdf2", "argon2")) for v in values)
    ibans = [i.value for i in by_id["D7"].items if i.field == "iban"]
    assert ibans == ["••••••••••••••4300"]
    assert not any(i.field == "iban_hash" for i in by_id["D7"].items)
    revealed = subject_report(subject_find(Query(email="jan@example.nl")), reveal=True)
    assert "NL91ABNA0417164300" in [i.value for c in revealed for i in c.items]
