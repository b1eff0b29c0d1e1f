from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self):
        from PIL import Image

        from portal import admin_sidebar

        from . import conf, signals  # noqa: F401 - connects the audit receivers
        from .models import UnitMembership

        # The workspace's menu items are shown to the members of units.
        admin_sidebar.watch(UnitMembership)

        # Pillow refuses pictures over twice this many pixels outright and warns
        # above it; our upload check refuses above it before decoding.
        Image.MAX_IMAGE_PIXELS = min(
            Image.MAX_IMAGE_PIXELS or conf.max_image_pixels(), conf.max_image_pixels()
        )
