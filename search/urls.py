from django.urls import path

from search import views

urlpatterns = [
    path("", views.search_page, name="search"),
    path("related-guides/", views.related_guides, name="search_related_guides"),
    path("suggest.json", views.suggest_json, name="search_suggest"),
]
