import os

from django.core.wsgi import get_wsgi_application

from appraisal.startup import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "appraisal.settings")
require_secret_key()
application = get_wsgi_application()
