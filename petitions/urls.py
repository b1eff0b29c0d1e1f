"""Public petition pages, inside i18n_patterns: /petitions/ and /en/petitions/."""

from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("new/", views.choose_category, name="choose_category"),
    path("new/<slug:code>/", views.write_petition, name="write"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("rate/", views.rate, name="rate"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("review/", views.review, name="review"),
]
