import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")

application = get_wsgi_application()

if not settings.HAS_SECRET_KEY:
    raise ImproperlyConfigured(settings.MISSING_KEY_MESSAGE)
