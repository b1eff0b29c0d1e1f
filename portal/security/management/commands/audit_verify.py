from django.core.management.base import BaseCommand, CommandError

from portal.security.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain; name the first broken link (exit 1)."

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at entry {broken.entry_id}: {broken.reason}",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("OK: the audit chain is intact."))
