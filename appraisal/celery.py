"""The Celery app. Without REDIS_URL, settings make every task run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "appraisal.settings")

app = Celery("appraisal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
