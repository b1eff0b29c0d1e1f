from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled() -> None:
    """Publish the revisions whose go-live time has come and unpublish the pages
    whose expiry has passed (Wagtail's scheduled publishing). Publishing sends
    Wagtail's signals, so the page cache and the search index follow."""
    call_command("publish_scheduled", verbosity=0)
