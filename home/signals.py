"""Wire cache invalidation to everything that changes what a public page shows,
and keep new translations of reviewed facts out of sight until reviewed."""

from django.db.models.signals import post_delete
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import DraftStateMixin, Page, Site
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_unpublished,
    post_page_move,
)

from home.cache import invalidate_pages
from home.models import (
    ContactPerson,
    NavigationSettings,
    Office,
    Region,
    SiteNotice,
    Topic,
)
from portal.cache import forget_on_change


def translations_start_as_drafts(sender, source_obj, target_obj, **kwargs):
    """A new translation of an office or contact is a draft until Legal review
    approves it: the copy is made from its source's latest, perhaps unreviewed,
    revision. Until then readers see the source's published version."""
    if isinstance(target_obj, DraftStateMixin) and not isinstance(target_obj, Page):
        target_obj.live = False
        target_obj.has_unpublished_changes = True
        target_obj.live_revision = None
        target_obj.first_published_at = target_obj.last_published_at = None


def connect() -> None:
    copy_for_translation_done.connect(
        translations_start_as_drafts, dispatch_uid="home.translations_start_as_drafts"
    )
    uid = "home.cache.invalidate"
    page_published.connect(invalidate_pages, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(invalidate_pages, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(invalidate_pages, dispatch_uid=f"{uid}.moved")
    post_delete.connect(invalidate_pages, sender=Page, dispatch_uid=f"{uid}.deleted")
    forget_on_change(
        invalidate_pages,
        [
            Topic,
            Region,
            Office,
            ContactPerson,
            SiteNotice,
            NavigationSettings,
            Site,
            # Pages show images and link documents by their current title and file;
            # a redirect changes where an old address leads.
            get_image_model(),
            get_document_model(),
            Redirect,
        ],
        uid,
    )
