import datetime
import io
import os
from pathlib import Path

import freezegun
import pytest

# pytest times each test through _pytest.timing; frozen clocks must not reach it,
# or --durations reports tests that "took" years.
freezegun.configure(extend_ignore_list=["_pytest.timing"])

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Chromium in a closed network: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Rendered pages cached by one test must not leak into the next."""
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def views_imported_on_the_real_clock():
    """Every URL module (and so every view and API schema) is imported before the
    first test runs: a module first imported under a frozen clock keeps
    freezegun's FakeDate as its ``date``, which the API's schemas cannot
    describe, so a test that froze time failed whenever it was the first of its
    process to load the views."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every URL module)


@pytest.fixture
def one_limit_window():
    """The per-address limits count in fixed windows of the clock (a minute, ten
    minutes, a day: petitions/limits.py). A test that fills a window must not cross
    into the next one, so its clock starts one second into the next UTC day, where
    every window begins, and runs on from there."""
    tomorrow = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tomorrow, datetime.time(0, 0, 1), datetime.UTC)
    with freezegun.freeze_time(start, tick=True):
        yield


@pytest.fixture
def demo_site(db):
    """The demo site: content in zh-Hans and English, units and categories."""
    from home import demo as home_demo
    from petitions import demo as petitions_demo

    home = home_demo.seed(io.StringIO())
    petitions_demo.seed(io.StringIO())
    return home


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests still call
    # the ORM synchronously around it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A fresh browser tab the size of a phone."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """Save a screenshot under tests/artifacts/ named after the test."""

    def take(page, label: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


STAFF_PASSWORD = "correct horse battery staple 42"


def follow(page, action) -> None:
    """Run action (a click or a key press) and return once the page it opens has
    loaded. A click alone returns before the navigation starts, so a check made
    straight after it may still read the page being left."""
    with page.expect_navigation():
        action()


@pytest.fixture
def staff_client_for(db):
    """Factory: a test client for `user` whose session passed password and code.

    Later tests of staff pages use it, e.g. `staff_client_for(handler).get(url)`.
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def make(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name="authenticator", confirmed=True, tolerance=0
            )
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


@pytest.fixture
def otp_client(staff_client_for, django_user_model):
    """A superuser's client, signed in with password and a verified code."""
    user = django_user_model.objects.create_superuser(
        "otp-admin", "otp-admin@example.invalid", STAFF_PASSWORD
    )
    client = staff_client_for(user)
    client.user = user
    return client


@pytest.fixture
def password_only_client(client, django_user_model):
    """A superuser's client that passed the password step only (no code yet)."""
    user = django_user_model.objects.create_superuser(
        "half-signed-in", "half@example.invalid", STAFF_PASSWORD
    )
    client.force_login(user)
    client.user = user
    return client


# --- Running the suite in parallel (pytest-xdist) --------------------------------
#
# A transactional test (live server, threads) empties the database when it ends,
# migrated rows included (roles, locales, the page tree). Run alone, pytest-django
# puts those tests last, so nothing after them misses the rows; spread over
# workers, a worker would run other files after them. tests/run.sh therefore runs
# the suite in two passes: `--db-transactions=skip`, then `--db-transactions=only`.


def pytest_addoption(parser):
    parser.addoption(
        "--db-transactions",
        choices=["only", "skip"],
        default=None,
        help="run only, or leave out, the tests that use a transactional database",
    )


def uses_transactions(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & {"transactional_db", "live_server"})


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, tmp_path_factory):
    """Tests that commit (live server, threads) run on a SQLite file, as the
    portal does: on the in-memory test database every live-server thread would
    share one connection, so one request's read could meet another's
    transaction, and threads could not wait for each other's locks. The tests
    that roll back keep the faster in-memory database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if (
        database["ENGINE"] == "django.db.backends.sqlite3"
        and request.config.getoption("--db-transactions") != "skip"
    ):
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    # pytest-xdist's per-worker suffix goes on the name chosen here.
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


def pytest_collection_modifyitems(config, items):
    choice = config.getoption("--db-transactions")
    if choice is None:
        return
    wanted = choice == "only"
    kept = [item for item in items if uses_transactions(item) == wanted]
    dropped = [item for item in items if uses_transactions(item) != wanted]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
