from django.conf import settings

from portal.display import display_mode_for


def portal(request):
    return {
        "portal_name": settings.PORTAL_NAME,
        "display_mode": display_mode_for(request),
    }
