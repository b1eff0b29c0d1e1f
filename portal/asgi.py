import os

from django.core.asgi import get_asgi_application

from portal.startup import start_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
application = start_application(get_asgi_application)
