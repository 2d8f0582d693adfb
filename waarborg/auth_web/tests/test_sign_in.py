import base64
import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.accounts.models import LoginEvent
from waarborg.auth_web import testing
from waarborg.auth_web.flow import PENDING_KEY
from waarborg.auth_web.tests.conftest import PASSWORD
from waarborg.testing.checks import unchanged

LOGIN = "/aanmelden/"
ENROL = "/aanmelden/instellen/"
VERIFY = "/aanmelden/code/"


def _password(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_urls_are_dutch():
    assert reverse("auth_web:login") == LOGIN
    assert reverse("auth_web:verify") == VERIFY
    assert reverse("auth_web:enrol") == ENROL
    assert reverse("web:backoffice") == "/backoffice/"
    assert reverse("web:portal") == "/portaal/"


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_staff_without_a_device_must_enrol_before_any_page(client, staff):
    response = _password(client, staff.email)
    assert response.status_code == 302 and response["Location"] == ENROL
    assert not _signed_in(client)  # half signed in is not signed in

    for path in ("/backoffice/", "/portaal/", "/", "/django-admin/", "/portaal/beveiliging/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == ENROL, path

    page = client.get(ENROL)
    assert page.status_code == 200
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert testing.current_code(device) not in body  # the code is never shown, the key is
    assert "<svg" in body and 'id="totp-secret"' in body
    # the key is shown as base32 text, in groups of four
    shown = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    assert base64.b32decode(shown + "=" * (-len(shown) % 8)) == device.bin_key
    # the same secret on a reload
    assert client.get(ENROL).content.decode().count(page.context["secret"]) == 1

    response = client.post(ENROL, {"code": testing.current_code(device)})
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    device.refresh_from_db()
    assert device.confirmed
    assert _signed_in(client)
    assert client.get("/backoffice/").status_code == 200
    event = LoginEvent.objects.filter(account=staff).latest("at")
    assert event.succeeded and event.method == "totp"


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_a_wrong_enrolment_code_confirms_nothing(client, staff):
    _password(client, staff.email)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=staff)
    wrong = f"{(int(testing.current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/backoffice/")["Location"] == ENROL


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_staff_with_a_device_enters_the_code_and_a_wrong_one_is_refused(client, staff, no_otp_backoff):
    device = testing.confirmed_device(staff)
    response = _password(client, staff.email)
    assert response["Location"] == VERIFY
    assert client.get("/backoffice/")["Location"] == VERIFY

    right = testing.current_code(device)
    for wrong in (f"{(int(right) + 1) % 1_000_000:06d}", "000000" if right != "000000" else "111111"):
        response = client.post(VERIFY, {"code": wrong})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        assert not _signed_in(client)
        assert client.get("/backoffice/")["Location"] == VERIFY
    failures = LoginEvent.objects.filter(account=staff, method="totp", succeeded=False)
    assert failures.count() == 2

    response = client.post(VERIFY, {"code": right})
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200
    # a used code does not work a second time
    client.post("/afmelden/")
    _password(client, staff.email)
    assert client.post(VERIFY, {"code": right}).status_code == 200
    assert not _signed_in(client)


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_django_otp_back_off_is_shown(client, staff):
    device = testing.confirmed_device(staff)
    _password(client, staff.email)
    right = testing.current_code(device)
    client.post(VERIFY, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    recorded = {
        "accounts.LoginEvent": "a code refused by the back-off is a failed sign-in, recorded",
        "audit.AuditEvent": "the failed sign-in is audited",
    }
    with unchanged(except_for=recorded):
        response = client.post(VERIFY, {"code": right})  # too soon after a wrong one
    assert response.status_code == 429
    assert not _signed_in(client)


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_a_session_signed_in_without_the_code_is_sent_back(client, staff):
    testing.confirmed_device(staff)
    client.force_login(staff)  # as Django's admin login would
    response = client.get("/backoffice/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert not _signed_in(client)
    assert client.session[PENDING_KEY]["account"] == staff.pk


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_a_pending_sign_in_expires(client, staff):
    testing.confirmed_device(staff)
    _password(client, staff.email)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11), tick=False):
        response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert PENDING_KEY not in client.session


@pytest.mark.django_db
@pytest.mark.promise("B1", "B3")
def test_wrong_password_is_recorded_and_told_vaguely(client, staff):
    unknown = _password(client, "niemand@voorbeeld.example", "wat-dan-ook-123")
    wrong = _password(client, staff.email, "verkeerd-wachtwoord")
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    events = list(LoginEvent.objects.order_by("at"))
    assert [(e.account_id, e.succeeded, e.method) for e in events] == [
        (None, False, "password"),
        (staff.pk, False, "password"),
    ]
    assert all(e.ip_address == "127.0.0.1" for e in events)


@pytest.mark.django_db
@pytest.mark.promise("B1")
def test_the_user_agent_is_cut_to_300_characters(client, customer):
    _password(client, customer.email, HTTP_USER_AGENT="x" * 1000)
    event = LoginEvent.objects.get()
    assert event.succeeded and event.user_agent == "x" * 300


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_customer_without_second_factor_goes_to_the_portal(client, customer):
    response = _password(client, customer.email.upper())
    assert response.status_code == 302 and response["Location"] == "/portaal/"
    assert client.get("/portaal/").status_code == 200
    with unchanged():
        assert client.get("/backoffice/").status_code == 403


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_next_is_kept_but_only_on_this_site(client, customer):
    response = client.post(LOGIN + "?next=/portaal/beveiliging/", {"email": customer.email, "password": PASSWORD})
    assert response["Location"] == "/portaal/beveiliging/"
    client.post("/afmelden/")
    response = client.post(LOGIN + "?next=https://evil.example/", {"email": customer.email, "password": PASSWORD})
    assert response["Location"] == "/portaal/"


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_customer_turns_on_the_second_factor_and_is_then_asked_for_it(client, customer, no_otp_backoff):
    _password(client, customer.email)
    page = client.get("/portaal/beveiliging/instellen/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=customer, confirmed=False)
    response = client.post("/portaal/beveiliging/instellen/", {"code": testing.current_code(device)})
    assert response["Location"] == "/portaal/beveiliging/"
    assert client.get("/portaal/").status_code == 200  # this session counts as verified
    client.post("/afmelden/")

    response = _password(client, customer.email)
    assert response["Location"] == VERIFY
    assert client.get("/portaal/")["Location"] == VERIFY

    # turning it off takes a current code
    testing.sign_in(client, customer)
    assert (
        client.post(
            "/portaal/beveiliging/", {"code": "123456" if testing.current_code(device) != "123456" else "654321"}
        ).status_code
        == 200
    )
    assert TOTPDevice.objects.filter(user=customer).exists()
    response = client.post("/portaal/beveiliging/", {"code": testing.current_code(device, offset_steps=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=customer).exists()


@pytest.mark.django_db
@pytest.mark.promise("B2", "B3")
def test_guards_by_role(client, staff, customer):
    with unchanged():
        anonymous = client.get("/backoffice/")
        assert anonymous.status_code == 302 and anonymous["Location"] == "/aanmelden/?next=/backoffice/"
        assert client.get("/portaal/")["Location"] == "/aanmelden/?next=/portaal/"

    testing.sign_in(client, staff)
    assert client.get("/backoffice/").status_code == 200
    with unchanged():
        assert client.get("/portaal/").status_code == 403
        assert client.get("/portaal/beveiliging/").status_code == 403

    client.logout()
    testing.sign_in(client, customer)
    with unchanged():
        assert client.get("/backoffice/").status_code == 403


@pytest.mark.django_db
@pytest.mark.promise("B2")
def test_staff_required_with_a_scope(rf, staff):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from waarborg.auth_web.decorators import staff_required

    @staff_required("tickets")
    def tickets(request):
        return HttpResponse("ok")

    @staff_required(scope="invoices")
    def invoices(request):
        return HttpResponse("ok")

    request = rf.get("/x/")
    staff.is_verified = lambda: True
    request.user = staff
    assert tickets(request).status_code == 200
    with unchanged(), pytest.raises(PermissionDenied):
        invoices(request)
    staff.is_verified = lambda: False
    assert tickets(request).status_code == 302
    request.user = AnonymousUser()
    assert tickets(request)["Location"].startswith("/aanmelden/")


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_sign_out_needs_a_post(client, customer):
    testing.sign_in(client, customer)
    with unchanged():
        assert client.get("/afmelden/").status_code == 405
    assert _signed_in(client)
    response = client.post("/afmelden/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert not _signed_in(client)


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_django_admin_is_for_verified_superusers_only(client, staff, db):
    from waarborg.accounts.models import Account

    response = client.get("/django-admin/")
    assert response.status_code == 302 and response["Location"].startswith("/django-admin/login/")
    login = client.get("/django-admin/login/?next=/django-admin/")
    assert login.status_code == 302 and login["Location"] == "/aanmelden/?next=/django-admin/"

    admin = Account.objects.create_user("beheer@duinhost.example", PASSWORD, role="admin")
    testing.sign_in(client, admin)
    assert client.get("/django-admin/").status_code == 302  # admin role, but not a superuser
    client.logout()

    root = Account.objects.create_superuser("root@duinhost.example", PASSWORD)
    testing.sign_in(client, root)
    assert client.get("/django-admin/").status_code == 200


@pytest.mark.django_db
@pytest.mark.promise("B2")
def test_the_mixins_guard_class_based_views(rf, staff, customer):
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse
    from django.views import View

    from waarborg.auth_web.decorators import CustomerRequiredMixin, StaffRequiredMixin

    class Audit(StaffRequiredMixin, View):
        scope = "audit"

        def get(self, request):
            return HttpResponse("ok")

    class Mine(CustomerRequiredMixin, View):
        def get(self, request):
            return HttpResponse("ok")

    request = rf.get("/x/")
    staff.is_verified = lambda: True
    request.user = staff
    with unchanged(), pytest.raises(PermissionDenied):  # support may not read the audit trail
        Audit.as_view()(request)
    with unchanged(), pytest.raises(PermissionDenied):
        Mine.as_view()(request)
    customer.is_verified = lambda: False
    request.user = customer
    assert Mine.as_view()(request).status_code == 200
