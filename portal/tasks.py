from django.core.management import call_command
from django.db import connection
from django_tasks import task

# Rows each index is sampled by: statistics good enough to choose an index, taken
# in milliseconds however large the register grows.
SQLITE_ANALYSIS_LIMIT = 1000


@task()
def prune_task_results():
    """Drop finished database-queue results older than a week."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend"):
        call_command("prune_db_task_results", min_age_days=7, verbosity=0)


@task()
def refresh_planner_statistics():
    """Give SQLite's query planner the table statistics it never gathers by itself.

    Without them it reads the wide petition rows (a walk through overflow pages for
    each long description) where the figures' covering indexes hold everything a
    dashboard query needs. PostgreSQL's autovacuum keeps its own statistics.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
