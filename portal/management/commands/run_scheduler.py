import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.scheduler")


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks in settings.PERIODIC_TASKS at their intervals. "
        "The worker runs them; this process only keeps the clock."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Enqueue every task once and exit."
        )

    def handle(self, *args, once=False, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        next_run = {path: 0.0 for path in settings.PERIODIC_TASKS}
        self.stdout.write(f"Scheduler: {len(next_run)} periodic task(s)")
        while not stopping:
            now = time.monotonic()
            for path, interval in settings.PERIODIC_TASKS.items():
                if now >= next_run[path]:
                    self.enqueue(path)
                    next_run[path] = now + interval
            if once:
                return
            time.sleep(1)

    def enqueue(self, path: str) -> None:
        try:
            import_string(path).enqueue()
        except Exception:
            # A queue that is down for a moment must not stop the clock.
            logger.exception("could not enqueue %s", path)
