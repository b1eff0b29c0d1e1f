"""Staff search in the Wagtail admin: its pages and its menu entry."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.admin_menu import GatedMenuItem
from search import staff


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    return [
        path(
            "petition-search/",
            staff.PetitionSearchView.as_view(),
            name="search_petitions_staff",
        ),
        path(
            "petition-search/save/",
            staff.save_search,
            name="search_petitions_staff_save",
        ),
        path(
            "petition-search/saved/<int:pk>/forget/",
            staff.delete_saved_search,
            name="search_petitions_staff_forget",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_petition_search_menu():
    return GatedMenuItem(
        _("Search petitions"),
        reverse("search_petitions_staff"),
        icon_name="search",
        order=310,
        shown_to=staff.may_search_petitions,
    )
