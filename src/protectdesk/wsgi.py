"""WSGI entry point (gunicorn: ``protectdesk.wsgi:application``)."""

import os

from protectdesk.lib.env import use_private_umask

# First, for a server started without `protectdesk serve` (gunicorn or uWSGI run directly):
# what the app writes (database, WAL, logs, encrypted files) stays the service user's only.
use_private_umask()

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after the umask, on purpose

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "protectdesk.settings")
application = get_wsgi_application()
