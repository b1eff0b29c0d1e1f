"""The worker and the scheduler processes of `make run` do their jobs."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

DB_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@pytest.mark.django_db(transaction=True)
def test_scheduler_enqueues_and_the_database_worker_runs_it():
    """`run_scheduler --once` queues the periodic jobs; the worker finishes them."""
    with override_settings(TASKS=DB_QUEUE):
        call_command("run_scheduler", "--once", stdout=io.StringIO())
        queued = DBTaskResult.objects.filter(
            task_path="portal.tasks.prune_task_results"
        )
        assert queued.count() == 1
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--queue-name",
            "*",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        assert queued.get().status == "SUCCESSFUL"
