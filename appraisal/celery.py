"""The Celery app. Without REDIS_URL, settings make every task run eagerly in-process."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "appraisal.settings")

app = Celery("appraisal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _require_secret_key(**kwargs) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from appraisal.startup import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as refusal:
        # Celery logs an exception raised by a signal handler and starts all the same.
        raise SystemExit(str(refusal)) from None


# The worker and beat refuse to start without a key (not on import: every manage.py command
# imports this module through appraisal/__init__.py).
worker_init.connect(_require_secret_key, weak=False)
beat_init.connect(_require_secret_key, weak=False)
