from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "security"
    verbose_name = _("Staff security")

    def ready(self):
        # Signal receivers write the audit log for sign-ins, lock-outs, role changes
        # and end the sessions of deactivated users; keycheck registers the system
        # check that refuses a wrong FIELD_ENCRYPTION_KEY.
        from . import keycheck, signals  # noqa: F401
