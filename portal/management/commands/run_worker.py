from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker for the configured task queue (database or RQ)."

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.endswith("RQBackend"):
            self.stdout.write("Worker: RQ on Redis")
            # RQ moves deferred jobs (``run_after``: the search index's retries)
            # to the queue only in a worker that runs its scheduler; without it
            # they would wait in the scheduled registry for ever.
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                worker_class="portal.worker.PortalWorker",
                with_scheduler=True,
            )
        else:
            self.stdout.write("Worker: database queue")
            call_command("db_worker", queue_name="*", interval=1.0)
