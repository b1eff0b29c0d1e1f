"""Behind the reverse proxy each citizen keeps their own address; a forged
X-Forwarded-For from anyone else changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from portal.security import audit
from portal.security.client_ip import client_ip
from portal.security.models import AuditEntry

from .conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
SIGN_IN = "/en/account/sign-in/"
LOOKUP = "/api/v1/petitions/lookup"
ATTEMPT = {"tracking_no": "20261123-00001-6", "access_code": "AAAAAAAAAA"}


@pytest.fixture(autouse=True)
def behind_our_proxy(settings):
    """The deployment of the README: nginx at 10.0.0.2 in front of gunicorn."""
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1", PROXY]
    cache.clear()
    yield
    cache.clear()


def via_proxy(citizen: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": citizen}


def test_forwarded_address_from_our_proxy_is_the_client(rf):
    """Through the proxy, the client is the right-most address it did not add."""
    request = rf.get("/", **via_proxy("192.0.2.50, 203.0.113.9"))
    assert client_ip(request) == "203.0.113.9"
    chain = rf.get("/", **via_proxy("203.0.113.9, 127.0.0.1"))
    assert client_ip(chain) == "203.0.113.9"


def test_forged_header_from_an_untrusted_peer_is_ignored(rf):
    """A client that writes X-Forwarded-For itself is still known by its address."""
    request = rf.get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert client_ip(request) == "198.51.100.7"


def test_loopback_clients_without_the_header_stay_distinct(rf, settings):
    """With the default (127.0.0.1 only), 127.0.0.x load-test clients differ."""
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1"]
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.7")) == "127.0.0.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    spoofed = rf.get("/", REMOTE_ADDR="127.0.0.8", HTTP_X_FORWARDED_FOR="127.0.0.9")
    assert client_ip(spoofed) == "127.0.0.8"


def test_networks_and_garbage_in_the_header(rf, settings):
    """Trusted networks are skipped; a garbled hop stops the walk at our proxy."""
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8"]
    request = rf.get("/", **via_proxy("203.0.113.9, 10.1.2.3"))
    assert client_ip(request) == "203.0.113.9"
    garbled = rf.get("/", **via_proxy("203.0.113.9, not-an-address"))
    assert client_ip(garbled) == PROXY


def test_audit_entries_name_the_citizen_not_the_proxy(rf):
    """The audit log records the address behind the proxy."""
    entry = audit.record(rf.get("/", **via_proxy("203.0.113.9")), "test.proxied")
    entry.refresh_from_db()
    assert entry.ip_address == "203.0.113.9"


@pytest.mark.usefixtures("one_limit_window")
def test_lookup_limit_applies_per_citizen_behind_the_proxy(client):
    """One citizen using up the lookup limit does not block another one."""
    codes = [
        client.post(
            LOOKUP, ATTEMPT, content_type="application/json", **via_proxy("203.0.113.9")
        ).status_code
        for _ in range(11)
    ]
    assert codes == [404] * 10 + [429]
    other = client.post(
        LOOKUP, ATTEMPT, content_type="application/json", **via_proxy("203.0.113.10")
    )
    assert other.status_code == 404
    blocked = AuditEntry.objects.get(action="petition.lookup_rate_limited")
    assert blocked.ip_address == "203.0.113.9"


@pytest.mark.usefixtures("one_limit_window")
def test_forged_headers_do_not_escape_the_lookup_limit(client):
    """A fresh made-up X-Forwarded-For on every try still counts as one client."""
    codes = [
        client.post(
            LOOKUP,
            ATTEMPT,
            content_type="application/json",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        ).status_code
        for number in range(11)
    ]
    assert codes[-1] == 429


def test_sign_in_lock_out_applies_per_citizen_behind_the_proxy(client):
    """Ten failures lock the citizen's pair, not everyone behind the proxy."""
    get_user_model().objects.create_user("handler1", password=STAFF_PASSWORD)
    wrong = {"username": "handler1", "password": "wrong password"}
    for _attempt in range(10):
        client.post(SIGN_IN, wrong, **via_proxy("203.0.113.9"))
    right = {"username": "handler1", "password": STAFF_PASSWORD}
    assert client.post(SIGN_IN, right, **via_proxy("203.0.113.9")).status_code == 429
    elsewhere = client.post(SIGN_IN, right, **via_proxy("203.0.113.10"))
    assert elsewhere.status_code == 302
    locked = AuditEntry.objects.filter(action="sign_in.locked_out")
    assert set(locked.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_forged_headers_do_not_escape_the_sign_in_lock_out(client):
    """An attacker rotating X-Forwarded-For is locked out all the same."""
    get_user_model().objects.create_user("handler1", password=STAFF_PASSWORD)
    for number in range(10):
        client.post(
            SIGN_IN,
            {"username": "handler1", "password": "wrong password"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    response = client.post(
        SIGN_IN,
        {"username": "handler1", "password": STAFF_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429
