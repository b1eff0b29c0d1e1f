from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker for the configured task queue (database or RQ)."

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.endswith("RQBackend"):
            self.stdout.write("Worker: RQ on Redis")
            call_command("rqworker", "default", job_class="django_tasks_rq.Job")
        else:
            self.stdout.write("Worker: database queue")
            call_command("db_worker", queue_name="*", interval=1.0)
