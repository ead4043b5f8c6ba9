"""WSGI entry point for the console (gunicorn console.site.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.site.settings")
application = get_wsgi_application()
