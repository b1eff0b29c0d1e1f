"""Admin registration for the shared facts pages point to: one menu group."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.models import ContactPerson, Office, Region, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "slug", "locale"]


class OfficeViewSet(SnippetViewSet):
    model = Office
    icon = "home"
    list_display = ["name", "address", "phone", "locale"]
    search_fields = ["name", "address"]


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    icon = "user"
    list_display = ["name", "role", "phone", "locale"]
    search_fields = ["name", "role"]


class SharedFactsGroup(SnippetViewSetGroup):
    """Topics, regions, offices and contacts: change once, every page follows."""

    items = (TopicViewSet, RegionViewSet, OfficeViewSet, ContactPersonViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Shared facts")
    menu_name = "shared-facts"


register_snippet(SharedFactsGroup)
