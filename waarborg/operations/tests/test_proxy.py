"""Behind a reverse proxy (B1, B3): forwarded headers count only from WAARBORG_TRUSTED_PROXIES,
and the sign-in throttle and the login records use the client's address the proxy passed on."""

import ipaddress
import logging

import pytest

from waarborg.accounts.models import Account, LoginEvent
from waarborg.auth_web.tests.conftest import PASSWORD
from waarborg.operations import proxy
from waarborg.testing.checks import unchanged

LOGIN = "/aanmelden/"
NGINX = "127.0.0.1"


def nets(*items):
    return tuple(ipaddress.ip_network(i) for i in items)


@pytest.fixture
def behind_nginx(settings):
    settings.WAARBORG_TRUSTED_PROXIES = nets("127.0.0.1/32", "::1/128", "10.0.0.0/24")


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize(
    ("meta", "client"),
    [
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        # the client's own claims on the left are passed over: the first untrusted hop from the right
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9, 10.0.0.5"}, "203.0.113.9"),
        ({"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:db8::7"}, "2001:db8::7"),
        ({"REMOTE_ADDR": "127.0.0.1"}, "127.0.0.1"),  # the proxy itself, e.g. a health check
        ({"REMOTE_ADDR": "198.51.100.4"}, "198.51.100.4"),  # straight from a client, no headers
        ({"REMOTE_ADDR": "::ffff:127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(meta, client):
    assert proxy.resolve(meta, nets("127.0.0.1/32", "::1/128", "10.0.0.0/24")) == client


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "127.0.0.1"},
        {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_PROTO": "https"},
        {"REMOTE_ADDR": "198.51.100.4", "HTTP_FORWARDED": "for=1.2.3.4"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "gopher"},
    ],
)
def test_untrusted_or_malformed_forwarded_headers_are_refused(meta):
    with pytest.raises(proxy.Untrusted):
        proxy.resolve(meta, nets("127.0.0.1/32"))


def test_without_trusted_proxies_every_forwarded_header_is_refused():
    with pytest.raises(proxy.Untrusted):
        proxy.resolve({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, ())


@pytest.mark.django_db
@pytest.mark.promise("B1")
def test_a_forwarded_header_from_an_untrusted_address_gets_a_400_and_changes_nothing(client, settings, caplog):
    settings.WAARBORG_TRUSTED_PROXIES = nets("10.9.9.9/32")
    account = Account.objects.create_user("klant@voorbeeld.example", PASSWORD, role="customer")
    with caplog.at_level(logging.WARNING), unchanged():
        response = client.post(
            LOGIN,
            {"email": account.email, "password": PASSWORD},
            REMOTE_ADDR="198.51.100.4",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    assert response.status_code == 400
    assert b"WAARBORG_TRUSTED_PROXIES" in response.content
    assert "_auth_user_id" not in client.session
    logged = caplog.text
    assert "forwarded headers" in logged
    assert "203.0.113.9" not in logged and "198.51.100.4" not in logged


@pytest.mark.django_db
def test_https_is_believed_only_from_a_trusted_proxy(client, settings, behind_nginx):
    settings.SECURE_SSL_REDIRECT = True
    # from nginx, saying https: served
    assert client.get("/privacy/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_PROTO="https").status_code == 200
    # from nginx without the header: plain http, sent to https
    assert client.get("/privacy/", REMOTE_ADDR=NGINX).status_code == 301
    # anyone else claiming https: refused
    with unchanged():
        assert client.get("/privacy/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_PROTO="https").status_code == 400


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_the_login_record_holds_the_address_nginx_passed_on(client, behind_nginx):
    account = Account.objects.create_user("klant@voorbeeld.example", PASSWORD, role="customer")
    client.post(
        LOGIN, {"email": account.email, "password": "verkeerd"}, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    client.post(
        LOGIN, {"email": account.email, "password": PASSWORD}, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    events = list(LoginEvent.objects.order_by("at").values_list("ip_address", "succeeded"))
    assert events == [("203.0.113.9", False), ("203.0.113.9", True)]


@pytest.mark.django_db
@pytest.mark.promise("B1", "B3")
def test_one_locked_address_behind_the_proxy_does_not_lock_everyone(client, settings, behind_nginx):
    settings.WAARBORG_LOGIN_MAX_FAILURES_PER_IP = 3
    settings.WAARBORG_LOGIN_MAX_FAILURES = 100
    victim = Account.objects.create_user("klant@voorbeeld.example", PASSWORD, role="customer")
    for n in range(3):
        client.post(
            LOGIN,
            {"email": f"onbekend{n}@voorbeeld.example", "password": "raden"},
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    # the guesser's address is locked …
    throttled = {
        "accounts.LoginEvent": "each refused attempt is recorded: the throttle counts them",
        "audit.AuditEvent": "a throttled sign-in is audited",
    }
    with unchanged(except_for=throttled):
        locked = client.post(
            LOGIN, {"email": victim.email, "password": PASSWORD}, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.66"
        )
    assert locked.status_code == 429
    # … but another customer behind the same nginx signs in
    other = client.post(
        LOGIN, {"email": victim.email, "password": PASSWORD}, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert other.status_code == 302
    assert LoginEvent.objects.filter(ip_address="198.51.100.20", succeeded=True).count() == 1
    assert not LoginEvent.objects.filter(ip_address=NGINX).exists()
