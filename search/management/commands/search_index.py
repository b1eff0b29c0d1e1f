"""Operate the search index: rebuild behind the alias, or reconcile with the database.

python manage.py search_index --rebuild [--kind petitions]
python manage.py search_index --reconcile [--kind pages]
"""

import time

from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.documents import KINDS

BAR_WIDTH = 30


class ProgressBar:
    """A one-line bar on stderr (a command's OutputWrapper): done/total and rate,
    redrawn in place."""

    def __init__(self, label: str, total: int, stream):
        self.label, self.total = label, max(total, 1)
        self.stream = stream
        self.started = time.monotonic()

    def __call__(self, done: int) -> None:
        filled = min(BAR_WIDTH, BAR_WIDTH * done // self.total)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{done}/{self.total} {rate:,.0f}/s",
            ending="",
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("")


class Command(BaseCommand):
    help = "Rebuild the search index without downtime, or reconcile it."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--rebuild", action="store_true")
        action.add_argument("--reconcile", action="store_true")
        parser.add_argument("--kind", choices=sorted(KINDS), action="append")

    def handle(self, *args, **options):
        kinds = options["kind"] or sorted(indexing.available_kinds())
        backend = get_backend()
        try:
            for kind in kinds:
                if options["rebuild"]:
                    self.rebuild(kind)
                else:
                    self.reconcile(kind)
        except SearchUnavailable as error:
            message = f"search engine {backend.name} unavailable: {error}"
            raise CommandError(message) from error

    def rebuild(self, kind: str) -> None:
        source = indexing.get_source(kind)
        bar = ProgressBar(kind, source.count(), self.stderr)
        started = time.monotonic()
        written = indexing.rebuild(kind, progress=bar)
        bar.close()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{kind}: {written} documents in {seconds:.1f} s "
            f"({written / max(seconds, 1e-6):,.0f}/s)"
        )

    def reconcile(self, kind: str) -> None:
        result = indexing.reconcile(kind)
        self.stdout.write(
            f"{kind}: {result.added} added, {result.updated} updated, "
            f"{result.removed} removed, {result.unchanged} unchanged"
        )
