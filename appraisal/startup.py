"""What a serving process checks before it starts (gunicorn through appraisal.wsgi, the
Celery worker and beat). The settings themselves load without a SECRET_KEY so that a fresh
checkout's tools work; a process that would sign sessions or tokens must not."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NO_KEY_REFUSAL = (
    "SECRET_KEY is not set. Set it in the environment (production: a long random string, see "
    "README «Security settings»), or DEBUG=1 for development only.")


def require_secret_key(**_signal_kwargs) -> None:
    try:
        configured = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django's own terse refusal of an empty key
        configured = False
    if not configured:
        raise ImproperlyConfigured(NO_KEY_REFUSAL)
