"""Search petitions from a shell, as operators and scripts need.

    python manage.py search_petitions "执行款 拖欠" --json [--user USERNAME]

prints ``{"total": N, "hits": [{"tracking_no": ..., "score": ..., "highlights":
[...]}, ...]}``: every unit unless a user is given, whose scope then applies.
"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from search.backends import get_backend
from search.backends.base import SearchRequest, SearchUnavailable
from search.scope import scope_for_user


def flat_highlights(highlights: dict[str, list[str]]) -> list[str]:
    return [snippet for snippets in highlights.values() for snippet in snippets]


class Command(BaseCommand):
    help = "Search petitions with the configured engine."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--json", action="store_true", help="one JSON object")
        parser.add_argument("--user", help="search within this user's units")
        parser.add_argument("--limit", type=int, default=20)

    def handle(self, *args, **options):
        scope = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
            scope = scope_for_user(user)
        request = SearchRequest(
            kind="petitions",
            query=options["query"],
            scope=scope,
            per_page=options["limit"],
        )
        try:
            result = get_backend().search(request)
        except SearchUnavailable as error:
            raise CommandError(f"search unavailable: {error}") from error
        hits = [
            {
                "tracking_no": hit.source.get("tracking_no", ""),
                "score": round(hit.score, 4),
                "highlights": flat_highlights(hit.highlights),
            }
            for hit in result.hits
        ]
        if options["json"]:
            self.stdout.write(
                json.dumps({"total": result.total, "hits": hits}, ensure_ascii=False)
            )
            return
        self.stdout.write(f"{result.total}")
        for hit in hits:
            self.stdout.write(f"{hit['tracking_no']}  {hit['score']}")
            for snippet in hit["highlights"]:
                self.stdout.write(f"    {snippet}")
