# The production image: one image for web (gunicorn), worker and beat (Celery).
FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango and HarfBuzz; DejaVu covers Cyrillic and Kazakh letters.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=appraisal.settings \
    STATIC_MANIFEST=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media \
    SMS_FILE_PATH=/app/var/sms.log \
    XDG_CACHE_HOME=/tmp/cache

WORKDIR /app
# Only what production runs: requirements.lock holds the runtime pins. The test and check
# tools (pytest, Playwright, Hypothesis, ruff, pip-audit) are in requirements-test.lock,
# which the image never installs (and .dockerignore leaves out, with tests/).
COPY requirements.lock .
RUN pip install -r requirements.lock

COPY . .
# Hashed, compressed static files for WhiteNoise (STATIC_MANIFEST=1); no database needed.
# (a throwaway key for this one build step: the settings refuse to load without one)
RUN SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput -v0 \
 && useradd --system --home-dir /app --no-create-home bagalau \
 && mkdir -p /app/var/media \
 && chown -R bagalau /app/var
USER bagalau

EXPOSE 8000
# docker-compose.yml probes GET /health/ on web (database and broker reachable); worker and beat
# run the same image without serving HTTP, so the probe is not baked in here.
CMD ["gunicorn", "appraisal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
