import os

from django.core.wsgi import get_wsgi_application

from portal.startup import start_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
application = start_application(get_wsgi_application)
