from django.core.management import call_command
from django_tasks import task


@task()
def prune_task_results():
    """Drop finished database-queue results older than a week."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend"):
        call_command("prune_db_task_results", min_age_days=7, verbosity=0)
