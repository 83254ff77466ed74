"""Test settings: the application's settings, with fast password hashing and mail kept in
memory. DATABASE_URL / REDIS_URL still come from the environment, so CI runs the suite
against PostgreSQL and Redis."""

import os

# The test client and the browser tests' live server speak plain HTTP; the production
# defaults (HTTPS redirect, secure cookies, HSTS) are checked by tests/appraisal/test_deploy_settings.py.
os.environ.setdefault("PLAIN_HTTP", "1")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")

from appraisal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "file"
# Tasks run in-process in tests even when a broker is configured: a test asserts what a
# task does, the broker round trip is checked by the worker in docker-compose.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Tests travel in time across days with one log-in, which the 30-minute idle end of a session
# (SESSION_COOKIE_AGE) would cut; tests/appraisal/test_login.py checks that end with the
# application's own value.
SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
# django-axes logs every log-in (force_login included) at INFO: keep failing tests' output readable.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}}}  # noqa: F405
# django-axes needs the request to authenticate, which Django's test `client.login()` does not
# pass: off for the suite; tests/appraisal/test_login.py switches it on for the lockout tests.
AXES_ENABLED = False
