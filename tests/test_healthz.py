"""/healthz tells an operator which part is down, and the pages keep working."""

import socket

import pytest
from django.test import override_settings

from search.backends import get_backend

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def fresh_search_backend():
    get_backend.cache_clear()
    yield
    get_backend.cache_clear()


def test_healthz_ok_when_everything_answers(client):
    """All three parts usable: 200 and each part named with its engine."""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "search", "tasks"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_reports_the_configured_search_engine(client, settings):
    """The search check names Elasticsearch when it is configured, else the database."""
    body = client.get("/healthz").json()
    expected = "elasticsearch" if settings.ELASTICSEARCH_URL else "database"
    assert body["checks"]["search"]["backend"] == expected


def test_healthz_names_an_unreachable_search_engine(client, demo_site, caplog):
    """Elasticsearch down: 503 naming search and its URL; the home page still serves."""
    url = f"http://127.0.0.1:{closed_port()}"
    with override_settings(ELASTICSEARCH_URL=url):
        get_backend.cache_clear()
        response = client.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["failing"] == ["search"]
        assert body["checks"]["search"]["location"] == url
        assert "search unavailable" in caplog.text and url in caplog.text
        assert client.get("/").status_code == 200


def test_healthz_names_an_unreachable_task_queue(client):
    """Redis down: 503 naming the task queue, password not shown."""
    url = f"redis://:secret@127.0.0.1:{closed_port()}/0"
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queues = {"default": {"URL": url}}
    with override_settings(TASKS=tasks, RQ_QUEUES=queues, REDIS_URL=url):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["tasks"]
    assert "secret" not in response.content.decode()


def test_healthz_is_not_cached(client):
    """Monitors always get a fresh answer."""
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_healthz_reports_the_configured_database(client, settings):
    """The database check names PostgreSQL when DATABASE_URL points there."""
    body = client.get("/healthz").json()
    engine = settings.DATABASES["default"]["ENGINE"]
    expected = "postgresql" if "postgresql" in engine else "sqlite"
    assert body["checks"]["database"]["backend"] == expected
