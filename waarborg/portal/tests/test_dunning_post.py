"""The portal tells a customer without an agreement to notices by e-mail that the fourteen-day
letter comes by post, that nothing further happens before its term has run, and when it was
posted (A5)."""

import datetime as dt

import pytest

from waarborg.core import clock
from waarborg.dunning.models import Notice
from waarborg.dunning.post import letter_posted
from waarborg.dunning.tests.conftest import World, agree_to_email_notices
from waarborg.dunning.tests.test_post import _to_the_letter

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def mail(smtp_server):
    return smtp_server


@pytest.mark.promise("A5")
def test_the_portal_says_the_letter_comes_by_post_and_when_it_was_posted(as_alice, personas):
    invoice = _to_the_letter(World(personas.alice_customer, personas.alice_contact))
    with clock.as_of(D(2026, 9, 22)):
        body = as_alice.get(f"/portaal/facturen/{invoice.pk}/").content.decode()
    assert 'data-waiting-for="post"' in body
    assert "Wij sturen u de veertiendagenbrief per post, omdat u niet heeft ingestemd" in body
    assert "de brief komt per post naar u toe" in body
    assert "e-mail naar u verstuurd op 21 september" not in body
    with clock.as_of(D(2026, 9, 22)):
        overview = as_alice.get("/portaal/facturen/").content.decode()
    assert "Wij sturen u de veertiendagenbrief per post. Er gebeurt niets verder" in overview

    with clock.as_of(D(2026, 9, 23)):
        letter_posted(actor=personas.dave, notice=Notice.objects.get(kind="wik_letter"), posted_on=D(2026, 9, 23))
        body = as_alice.get(f"/portaal/facturen/{invoice.pk}/").content.decode()
    assert "per post naar u verstuurd op 23 september 2026" in body
    assert "Deze brief sturen wij u per post: wij hebben hem op 23 september 2026 op de post gedaan." in body
    assert "uiterlijk op 9 oktober 2026" in body  # the last day, counted from the posted day
    assert 'data-waiting-for="post"' not in body


@pytest.mark.promise("A5")
def test_the_portal_keeps_the_email_wording_for_a_customer_who_agreed(as_alice, personas):
    agree_to_email_notices(personas.alice_customer)
    invoice = _to_the_letter(World(personas.alice_customer, personas.alice_contact))
    with clock.as_of(D(2026, 9, 22)):
        body = as_alice.get(f"/portaal/facturen/{invoice.pk}/").content.decode()
    assert "e-mail naar u verstuurd op 21 september 2026" in body
    assert "per post" not in body
