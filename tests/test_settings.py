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
}


def manage(*args, **env_overrides):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deploy check.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_secret(missing):
    """Each required setting, when missing, stops start-up with a line naming it."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


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
