import datetime as dt
from decimal import Decimal

import pytest

from waarborg.catalogue.models import PRODUCT_KINDS, Product, Subscription
from waarborg.catalogue.services import (
    product_create,
    subscription_block,
    subscription_cancel,
    subscription_create,
    subscription_unblock,
)
from waarborg.core import clock
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("S1", "B4")
def test_it_creates_products_of_the_statements_kinds_only(frank, carol):
    product = product_create(actor=frank, code="vps-small", kind="vps", name="CloudinVPS S", monthly_price="12.50")
    assert product.monthly_price == Decimal("12.50")
    assert product.personal_data_needed == PRODUCT_KINDS["vps"]["data"]
    assert_clean_event(last_event(), action="product.create")
    before = database_snapshot()
    with pytest.raises(ValidationError):
        product_create(actor=frank, code="toaster", kind="toaster", name="Broodrooster", monthly_price="1")
    with pytest.raises(PermissionDenied):
        product_create(actor=carol, code="ssl-x", kind="ssl", name="SSL", monthly_price="1")
    assert_nothing_changed(before)


@pytest.mark.promise("S1", "B4")
def test_it_subscribes_a_customer_to_a_domain_in_its_normal_form(alice, personas):
    product = f.ProductFactory(kind="domain", code="nl-domain", name=".nl-domein")
    subscription = subscription_create(
        actor=alice, customer=personas.alice_customer, product=product, label=" AliceDeVries.NL. "
    )
    assert subscription.label == "alicedevries.nl"
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.start_date == clock.today()
    event = last_event()
    assert_clean_event(event, action="subscription.create", values=["alicedevries"])
    assert event.data["kind"] == "domain"


@pytest.mark.promise("S1")
@pytest.mark.parametrize("label", ["", "not a domain", "-bad-.nl"])
def test_it_refuses_a_domain_subscription_without_a_valid_domain(alice, personas, label):
    product = f.ProductFactory(kind="domain", code="nl-domain")
    before = database_snapshot()
    with pytest.raises(ValidationError):
        subscription_create(actor=alice, customer=personas.alice_customer, product=product, label=label)
    assert_nothing_changed(before)


@pytest.mark.promise("S1")
def test_it_refuses_a_product_no_longer_offered(carol, personas):
    product = f.ProductFactory(active=False)
    before = database_snapshot()
    with pytest.raises(ValidationError):
        subscription_create(actor=carol, customer=personas.bob_customer, product=product)
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_answers_not_found_when_a_customer_subscribes_another_customer(alice, personas):
    product = f.ProductFactory()
    before = database_snapshot()
    with pytest.raises(NotFound):
        subscription_create(actor=alice, customer=personas.bob_customer, product=product, label="x.nl")
    assert_nothing_changed(before)


@pytest.mark.promise("A2", "B4")
def test_it_blocks_and_unblocks_with_a_reason(dave, personas):
    subscription = f.SubscriptionFactory(customer=personas.bob_customer)
    subscription_block(actor=dave, subscription=subscription, reason="non_payment")
    stored = Subscription.objects.get(pk=subscription.pk)
    assert (stored.status, stored.block_reason) == ("blocked", "non_payment")
    assert_clean_event(last_event(), action="subscription.block", values=[subscription.label])
    assert last_event().data["reason"] == "non_payment"
    subscription_unblock(actor=dave, subscription=subscription, reason="paid")
    stored.refresh_from_db()
    assert (stored.status, stored.block_reason) == ("active", "")
    assert_clean_event(last_event(), action="subscription.unblock", values=[subscription.label])
    assert (last_event().data["previous_reason"], last_event().data["reason"]) == ("non_payment", "paid")


@pytest.mark.parametrize("reason", ["", "because", None])
def test_it_refuses_a_block_without_a_known_reason(carol, personas, reason):
    subscription = f.SubscriptionFactory(customer=personas.bob_customer)
    before = database_snapshot()
    with pytest.raises(ValidationError):
        subscription_block(actor=carol, subscription=subscription, reason=reason)
    assert_nothing_changed(before)
    assert Subscription.objects.get(pk=subscription.pk).status == "active"


@pytest.mark.promise("B2")
def test_it_lets_no_customer_block_or_unblock(alice, personas):
    subscription = f.SubscriptionFactory(customer=personas.alice_customer, status="blocked", block_reason="abuse")
    with unchanged(), pytest.raises(PermissionDenied):
        subscription_unblock(actor=alice, subscription=subscription)
    assert Subscription.objects.get(pk=subscription.pk).status == "blocked"


def test_it_refuses_to_unblock_an_active_service(carol, personas):
    subscription = f.SubscriptionFactory(customer=personas.bob_customer)
    with unchanged(), pytest.raises(ValidationError):
        subscription_unblock(actor=carol, subscription=subscription)


@pytest.mark.promise("A4")
def test_it_cancels_a_service(alice, personas):
    subscription = f.SubscriptionFactory(customer=personas.alice_customer, start_date=dt.date(2024, 1, 1))
    subscription_cancel(actor=alice, subscription=subscription, end_date=dt.date(2025, 1, 31))
    stored = Subscription.objects.get(pk=subscription.pk)
    assert (stored.status, stored.end_date) == ("cancelled", dt.date(2025, 1, 31))
    assert_clean_event(last_event(), action="subscription.cancel", values=[subscription.label])
    with unchanged(), pytest.raises(ValidationError):
        subscription_cancel(actor=alice, subscription=subscription)


def test_it_keeps_the_catalogue_free_of_unknown_kinds(db):
    assert set(dict(Product._meta.get_field("kind").choices)) == set(PRODUCT_KINDS)
