"""Staff sign in with a password and then a code; backup codes survive a lost phone."""

import time
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import Group
from django.urls import get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from portal.security.models import AuditEntry, BackupCode, BackupCodeDevice

from .conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

# The English pages, so that messages read as in the assertions.
SIGN_IN = "/en/account/sign-in/"
VERIFY = "/en/account/verify/"
ENROL = "/en/account/enrol/"


@pytest.fixture(autouse=True)
def clock_at_the_start_of_a_step():
    """Each test starts a second into a 30-second TOTP step, with the clock running,
    so that a code taken at the start is still current at the end: a slow run never
    crosses a step boundary and sees "expired" where the test expects another word."""
    assert get_resolver().url_patterns  # the API's schemas are built on the real clock
    now = time.time()
    with freeze_time(datetime.fromtimestamp(now - now % 30 + 1, tz=UTC), tick=True):
        yield


def code_for(device, steps_back=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() - steps_back * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def staff(django_user_model):
    """A handler: may open the Wagtail admin (the Handler role grants it)."""
    user = django_user_model.objects.create_user(
        "handler1", "handler1@example.invalid", STAFF_PASSWORD
    )
    user.groups.add(Group.objects.get(name="Handler"))
    return user


@pytest.fixture
def enrolled(staff):
    device = TOTPDevice.objects.create(
        user=staff, name="authenticator", confirmed=True, tolerance=0
    )
    return device


def sign_in_with_password(client, username="handler1", password=STAFF_PASSWORD):
    return client.post(SIGN_IN, {"username": username, "password": password})


def test_password_then_code_reaches_the_admin(client, enrolled):
    """Password leads to the code page; the right code opens the admin."""
    assert client.get("/admin/").status_code == 302
    response = sign_in_with_password(client)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert client.get("/admin/")["Location"] == "/account/verify/"
    response = client.post(VERIFY, {"otp_token": code_for(enrolled)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_session_key_changes_after_each_step(client, enrolled):
    """The session id rotates after the password and again after the code."""
    client.get(SIGN_IN)
    before = client.cookies.get("sessionid")
    sign_in_with_password(client)
    after_password = client.cookies["sessionid"].value
    assert before is None or before.value != after_password
    client.post(VERIFY, {"otp_token": code_for(enrolled)})
    assert client.cookies["sessionid"].value != after_password


def test_wrong_password_is_refused_with_a_message(client, staff):
    """A wrong password leaves the visitor signed out, with a plain message."""
    response = sign_in_with_password(client, password="not it")
    assert response.status_code == 200
    assert "The username or password is not correct." in response.content.decode()
    assert AuditEntry.objects.filter(
        action="sign_in.password", success=False, actor_username="handler1"
    ).exists()


def test_replayed_code_is_refused(client, enrolled):
    """A code that already signed someone in cannot be used again."""
    code = code_for(enrolled)
    sign_in_with_password(client)
    client.post(VERIFY, {"otp_token": code})
    client.post("/en/account/sign-out/")
    sign_in_with_password(client)
    response = client.post(VERIFY, {"otp_token": code})
    assert response.status_code == 200
    assert "already been used" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    assert AuditEntry.objects.filter(
        action="sign_in.second_factor", success=False, detail__reason="replayed"
    ).exists()


def test_expired_code_is_refused_with_its_own_message(client, enrolled):
    """A code from a minute ago is refused: tolerance is the current step only."""
    sign_in_with_password(client)
    response = client.post(VERIFY, {"otp_token": code_for(enrolled, steps_back=2)})
    assert "This code has expired" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_wrong_codes_are_throttled(client, enrolled):
    """After a wrong code, even the right one waits until the delay passes."""
    sign_in_with_password(client)
    response = client.post(VERIFY, {"otp_token": "000000"})
    assert "not correct" in response.content.decode()
    response = client.post(VERIFY, {"otp_token": code_for(enrolled)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("token", ["", "abc", "1" * 40, "12 34 56", "-----", "٣٣٣٣٣٣"])
def test_bad_input_never_breaks_the_code_page(client, enrolled, token):
    """Empty, over-long or odd input gets a message, never a server error."""
    sign_in_with_password(client)
    response = client.post(VERIFY, {"otp_token": token})
    assert response.status_code == 200


def test_first_sign_in_enrols_an_authenticator_and_shows_backup_codes(client, staff):
    """No device yet: QR code and secret, a first code confirms, ten codes shown."""
    response = sign_in_with_password(client)
    assert response["Location"] == ENROL
    page = client.get(ENROL).content.decode()
    assert "<svg" in page and "<script" not in page
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert device.tolerance == 0
    response = client.post(ENROL, {"otp_token": code_for(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert (
        response["Cache-Control"] == "no-store"
        or "no-store" in response["Cache-Control"]
    )
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert AuditEntry.objects.filter(action="device.enrolled", success=True).exists()


def test_a_phone_thirty_seconds_slow_enrols_and_keeps_signing_in(client, staff):
    """Enrolment learns a slow phone's clock; its later codes work, one step only."""
    sign_in_with_password(client)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    slow_phone = TOTPDevice(key=device.key)  # the same secret, no drift known
    response = client.post(ENROL, {"otp_token": code_for(slow_phone, steps_back=1)})
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed and device.drift == -1 and device.tolerance == 0
    client.post("/en/account/sign-out/")
    with freeze_time(datetime.fromtimestamp(time.time() + 60, tz=UTC), tick=True):
        sign_in_with_password(client)
        client.post(VERIFY, {"otp_token": code_for(slow_phone, steps_back=1)})
        assert client.get("/admin/").status_code == 200
        client.post("/en/account/sign-out/")
    with freeze_time(datetime.fromtimestamp(time.time() + 120, tz=UTC), tick=True):
        sign_in_with_password(client)
        response = client.post(VERIFY, {"otp_token": code_for(slow_phone, 2)})
        assert "This code has expired" in response.content.decode()


def enrol_and_get_codes(client) -> list[str]:
    sign_in_with_password(client)
    client.get(ENROL)
    device = TOTPDevice.objects.get(confirmed=False)
    return client.post(ENROL, {"otp_token": code_for(device)}).context["codes"]


def test_backup_codes_are_stored_hashed_and_work_once(client, staff):
    """A backup code signs in once; the database holds only salted hashes."""
    codes = enrol_and_get_codes(client)
    stored = list(BackupCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10
    for code in codes:
        plain = code.replace("-", "")
        assert all(plain not in value for value in stored)
    assert all(identify_hasher(value) for value in stored)
    client.post("/en/account/sign-out/")

    sign_in_with_password(client)
    response = client.post(VERIFY, {"otp_token": codes[0]})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert AuditEntry.objects.filter(action="backup_code.used").exists()
    client.post("/en/account/sign-out/")

    sign_in_with_password(client)
    response = client.post(VERIFY, {"otp_token": codes[0]})
    assert "already been used" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_two_sign_ins_racing_with_one_backup_code_succeed_once(client, staff):
    """A code both requests read as unused is spent by the first one only."""
    codes = enrol_and_get_codes(client)
    device = BackupCodeDevice.objects.get(user=staff)
    read_by_the_slower_request = device.unused_code_matching(codes[0])
    assert read_by_the_slower_request is not None
    assert device.verify_token(codes[0])  # the faster request signs in
    assert not read_by_the_slower_request.spend()
    assert not device.verify_token(codes[0])
    assert device.remaining() == 9


def test_regenerating_backup_codes_needs_password_and_code(client, staff):
    """New codes only after the password and a fresh code; the old ones stop working."""
    old_codes = enrol_and_get_codes(client)
    device = TOTPDevice.objects.get(user=staff, confirmed=True)
    url = "/en/account/backup-codes/"
    time.sleep(0)  # the enrolment code's step is spent; wait for the next one
    device.last_t -= 1  # let the current step count as fresh for this test
    device.save()
    response = client.post(url, {"password": "wrong", "otp_token": code_for(device)})
    assert "The password is not correct." in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t -= 1
    device.save()
    response = client.post(
        url, {"password": STAFF_PASSWORD, "otp_token": code_for(device)}
    )
    new_codes = response.context["codes"]
    assert set(new_codes).isdisjoint(old_codes)
    assert BackupCodeDevice.objects.get(user=staff).remaining() == 10
    assert not BackupCodeDevice.objects.get(user=staff).verify_token(old_codes[1])
    assert AuditEntry.objects.filter(
        action="backup_codes.regenerated", success=True
    ).exists()


def test_regenerating_backup_codes_needs_a_verified_session(password_only_client):
    """Half-signed-in sessions cannot make new backup codes."""
    response = password_only_client.get(reverse("security_backup_codes"))
    assert response.status_code == 302


def test_ten_failures_lock_the_username_and_address_out(client, staff):
    """The tenth wrong password locks the pair; even the right one is then refused."""
    for _attempt in range(10):
        sign_in_with_password(client, password="wrong password")
    response = sign_in_with_password(client)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="sign_in.locked_out").exists()
    other_user = get_user_model().objects.create_user("other", password=STAFF_PASSWORD)
    assert (
        sign_in_with_password(client, username=other_user.username).status_code == 302
    )


def test_lock_out_holds_one_username_and_address_pair_only(client, staff):
    """The same user signing in from another address is not locked out."""
    for _attempt in range(10):
        sign_in_with_password(client, password="wrong password")
    assert sign_in_with_password(client).status_code == 429
    elsewhere = client.post(
        SIGN_IN,
        {"username": "handler1", "password": STAFF_PASSWORD},
        REMOTE_ADDR="198.51.100.20",
    )
    assert elsewhere.status_code == 302 and elsewhere["Location"] == ENROL


def test_lock_out_ends_after_fifteen_minutes(client, staff):
    """Still locked after fourteen minutes (a try then does not restart the clock),
    open again after sixteen."""
    for _attempt in range(10):
        sign_in_with_password(client, password="wrong password")
    later = time.time()
    with freeze_time(datetime.fromtimestamp(later + 14 * 60, tz=UTC)):
        assert sign_in_with_password(client).status_code == 429
    with freeze_time(datetime.fromtimestamp(later + 16 * 60, tz=UTC)):
        response = sign_in_with_password(client)
        assert response.status_code == 302 and response["Location"] == ENROL


def test_lockout_message_is_in_chinese_for_chinese_readers(client, staff):
    """The lock-out message is localized."""
    for _attempt in range(10):
        sign_in_with_password(client, password="wrong password")
    response = client.post(
        "/account/sign-in/", {"username": "handler1", "password": STAFF_PASSWORD}
    )
    assert "登录失败次数过多" in response.content.decode()


def test_password_reset_is_not_exposed(client):
    """Wagtail's password reset (which would skip the code) is not reachable."""
    response = client.get("/admin/password_reset/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
