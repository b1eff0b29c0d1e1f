import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from home import demo as home_demo
from petitions import demo as petitions_demo
from petitions import demo_history
from portal.security import demo as security_demo


class Command(BaseCommand):
    help = (
        "Load the demo site, units, categories and an admin account. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--history",
            type=int,
            default=3000,
            help="Synthetic petitions over the last year for the figures "
            "(0: none). Added once.",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            home_demo.seed(self.stdout)
            petitions_demo.seed(self.stdout)
            self.seed_admin()
            security_demo.seed(self.stdout)
            petitions_demo.seed_memberships(self.stdout)
        added = demo_history.seed_history(options["history"])
        if added:
            self.stdout.write(f"Added {added} demo petitions over the last year.")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))

    def seed_admin(self):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@example.invalid", password)
        # Printed once: it is not stored anywhere in plain text.
        self.stdout.write(f"Created administrator 'admin' with password: {password}")
