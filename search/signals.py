"""Content changes reach the pages index: publish, unpublish, move, delete.

Each handler only schedules ``search.indexing.index_document`` after the commit;
the task reads the page as committed and writes or removes it.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.indexing import schedule_index


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    schedule_index("pages", instance.pk)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    """Moving a page changes its URL and its descendants' URLs."""
    for pk in Page.objects.descendant_of(instance, inclusive=True).values_list(
        "pk", flat=True
    ):
        schedule_index("pages", pk)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        schedule_index("pages", instance.pk)
