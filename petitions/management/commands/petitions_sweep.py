import json

from django.core.management.base import BaseCommand

from petitions.sweep import sweep


class Command(BaseCommand):
    help = (
        "Send deadline reminders (3 days before) and escalations (once passed). "
        "Idempotent: a second run sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print one line of JSON counts."
        )

    def handle(self, *args, **options):
        result = sweep()
        if options.get("json"):
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            self.stdout.write(
                f"{result.reminders} reminder(s), {result.escalations} escalation(s)"
            )
