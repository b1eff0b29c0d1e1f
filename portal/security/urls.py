from django.urls import path

from . import views

urlpatterns = [
    path("sign-in/", views.sign_in, name="security_sign_in"),
    path("verify/", views.verify, name="security_verify"),
    path("enrol/", views.enrol, name="security_enrol"),
    path(
        "backup-codes/",
        views.regenerate_backup_codes,
        name="security_backup_codes",
    ),
    path("sign-out/", views.sign_out, name="security_sign_out"),
]
