"""Configuration comes from the environment; production needs its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.services import email_settings, tasks_settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "-production-test-secret-that-is-long-enough-1234",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-production-check.sqlite3",
    "FIELD_ENCRYPTION_KEY": "production-test-field-key-0123456789abcdefghijkl",
}


def production(command: list[str], **env_overrides):
    """Run a Python command line of the project on production settings."""
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE would itself be a deploy warning.
    skip = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(*args, **env_overrides):
    return production(["manage.py", *args], **env_overrides)


def start_web_server(**env_overrides):
    """What gunicorn does first: import the WSGI application."""
    return production(["-c", "import portal.wsgi"], **env_overrides)


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "FIELD_ENCRYPTION_KEY"]
)
def test_production_refuses_to_start_without_a_secret(missing):
    """Each required setting, when missing, stops start-up with a line naming it."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"Configuration error: {missing} is not set: production refuses to start "
        "without it"
    ]


def test_web_server_start_up_stops_with_one_line_naming_the_setting():
    """The WSGI application refuses to load: one line, gunicorn's app-load code."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = start_web_server(**env)
    assert result.returncode == 4
    assert result.stderr.splitlines() == [
        "Configuration error: ALLOWED_HOSTS is not set: production refuses to start "
        "without it"
    ]


LOADED_AND_SET_ASIDE = """
import gc, sys
import portal.wsgi
from django.urls import get_resolver
patterns = get_resolver().url_patterns
print(gc.get_freeze_count(), "petitions.workspace" in sys.modules,
      any(o is patterns for o in gc.get_objects()))
"""


def test_a_web_process_loads_every_view_and_sets_it_aside_before_serving():
    """Gunicorn's import of the application loads every URL module and view (an
    error there stops start-up, not a first request), and freezes what it loaded:
    Python's full collections, which stop every thread of the process while they
    walk each object, leave those objects out."""
    result = production(["-c", LOADED_AND_SET_ASIDE], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    frozen, views_loaded, patterns_collected = result.stdout.split()
    assert int(frozen) > 100_000
    assert (views_loaded, patterns_collected) == ("True", "False")


def test_a_malformed_proxy_list_is_named():
    """FORWARDED_ALLOW_IPS with a typo stops start-up naming the variable."""
    result = manage("check", FORWARDED_ALLOW_IPS="10.0.0.300", **PRODUCTION_ENV)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Configuration error: FORWARDED_ALLOW_IPS: '10.0.0.300' is not an IP address "
        "or network"
    ]


def test_production_check_deploy_has_no_warnings():
    """With its secrets set, `check --deploy` on production settings is silent."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_email_url_smtp_with_tls():
    """EMAIL_URL carries host, port, credentials and TLS for SMTP."""
    config = email_settings("submission://mailer:p%40ss@mail.example.org")
    assert config["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert config["EMAIL_HOST"] == "mail.example.org"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert config["EMAIL_USE_TLS"] is True


def test_email_url_rejects_unknown_scheme():
    """A typo in EMAIL_URL is named at start-up, not at the first mail."""
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme"):
        email_settings("smpt://mail.example.org")


def test_redis_url_switches_the_task_queue_to_rq():
    """REDIS_URL set: tasks go to RQ; unset: the database queue."""
    tasks, queues = tasks_settings("redis://127.0.0.1:6379/0")
    assert tasks["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert queues["default"]["URL"] == "redis://127.0.0.1:6379/0"
    tasks, queues = tasks_settings("")
    assert tasks["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert queues == {}


def test_a_secured_elasticsearch_gets_its_api_key_and_ca(settings):
    """ELASTICSEARCH_API_KEY and ELASTICSEARCH_CA_CERTS reach the client."""
    import certifi

    from search.backends.elasticsearch import ElasticsearchBackend

    settings.ELASTICSEARCH_API_KEY = "aWQ6a2V5"
    settings.ELASTICSEARCH_CA_CERTS = certifi.where()
    client = ElasticsearchBackend("https://es.internal:9200").client
    assert client._headers["authorization"] == "ApiKey aWQ6a2V5"
    node = client.transport.node_pool.all()[0]
    assert node.config.ca_certs == certifi.where() and node.config.verify_certs


def test_a_ca_bundle_for_plain_http_is_named():
    """ELASTICSEARCH_CA_CERTS without an https:// cluster stops start-up, named."""
    import certifi

    result = manage(
        "check",
        ELASTICSEARCH_URL="http://es.internal:9200",
        ELASTICSEARCH_CA_CERTS=certifi.where(),
        **PRODUCTION_ENV,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Configuration error: ELASTICSEARCH_CA_CERTS is set, but ELASTICSEARCH_URL "
        "is not an https:// URL"
    ]
