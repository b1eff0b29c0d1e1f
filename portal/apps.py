from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import admin_shortcuts, admin_sidebar

        admin_sidebar.install()
        admin_shortcuts.install()
