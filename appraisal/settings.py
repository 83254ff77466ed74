"""Settings for Bagalau, read from the environment in one place.

Without DATABASE_URL the application runs on a SQLite file, without REDIS_URL Celery runs
tasks eagerly, and without EMAIL_HOST mail is printed to the console: the embedded default
that the README's demo command uses. Production sets all three (see docker-compose.yml).
"""

import math
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# No built-in key: with DEBUG off and no SECRET_KEY the serving processes (gunicorn through
# appraisal.wsgi, the Celery worker and beat) refuse to start (appraisal.startup), instead of
# signing sessions with a key published in this repository; Django itself refuses anything
# that would sign with the empty key. The settings still load, so a fresh checkout's tools
# (makemigrations, check, compilemessages) work without one. DEBUG=1 (development only)
# falls back to a throwaway key; `./bagalau demo` and `./bagalau check` make a local one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "debug-only-insecure-key-for-local-development-never-deployed"  # noqa: S105  used with DEBUG=1 only
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the widget templates, for FORM_RENDERER below
    "simple_history",
    "django_fsm",
    "axes",
    "csp",
    "appraisal",
    "kci",
    "ranking",
    "survey360",
    "calibration",
    "legacy_commission",
]

MIDDLEWARE = [
    # First: /health/ answers probes before the HTTPS redirect and the host check (appraisal/health.py).
    "appraisal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "appraisal.session_refresh.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "appraisal.urls"
WSGI_APPLICATION = "appraisal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "appraisal.context_processors.user_roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The SQLite demo answers simultaneous writes as PostgreSQL does instead of a 500
    # «database is locked»: WAL lets reads go on during a write, each transaction takes the
    # write lock at BEGIN (IMMEDIATE: two readers never deadlock by both turning writers)
    # and waits up to 20 s for it (tests/appraisal/test_sqlite_concurrency.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Production (docker-compose.yml) keeps connections 60 s, and so does any PostgreSQL set-up
    # that does not say otherwise (the page benchmark stands for production): a connection
    # per request costs a server process start, more than a whole one-query page (issue 12:
    # the floor view went from ~160 to ~570 requests/s). The health check replaces a
    # connection the server dropped. Server-side binding (psycopg preparing repeated
    # statements) was measured too and changed nothing: the pages' time is in Python.
    if "DB_CONN_MAX_AGE" not in os.environ:
        DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The planner's price of a random page read, for this application's connections only.
    # PostgreSQL's default (4) prices spinning disks: with many bodies in one database
    # (issue 12.6) it chose to read all 30,000 schedule lines and hash them rather than look
    # up one body's 200 by index (the 360 campaign page: 4.8 → 1.6 ms for its largest query
    # at 50 bodies). 1.1 is the usual value for SSD storage; DB_RANDOM_PAGE_COST="" leaves
    # the server's own setting.
    # Given as the connection's libpq `options`, which replace PGOPTIONS: those are carried
    # over. A value already there (PGOPTIONS, or DATABASE_URL's ?options=) wins. Behind
    # pgbouncer, which refuses such options, set DB_RANDOM_PAGE_COST="" and the value on the
    # role instead (ALTER ROLE … SET random_page_cost = 1.1).
    random_page_cost = os.environ.get("DB_RANDOM_PAGE_COST", "1.1").strip()
    options = DATABASES["default"].setdefault("OPTIONS", {})
    given = " ".join(filter(None, [os.environ.get("PGOPTIONS", ""), options.get("options", "")]))
    if random_page_cost and "random_page_cost" not in given:
        try:
            cost = float(random_page_cost)
        except ValueError:
            cost = float("nan")
        if not (math.isfinite(cost) and cost >= 0):
            raise ImproperlyConfigured(f"DB_RANDOM_PAGE_COST must be a number ≥ 0, not {random_page_cost!r}")
        given = f"{given} -c random_page_cost={cost:g}"
    if given.strip():
        options["options"] = given.strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Log-in, passwords, sessions --------------------------------------------------------
# Django's validators apply when a person sets a password (the change page, the admin,
# `changepassword`), not when the demo or a fixture creates an account.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "appraisal.passwords.NotTheCurrentPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one user name the account is
# locked (whatever the address: the office shares one). It stays locked until the chief
# specialist unlocks it on the «Блокировки входа» page, or an administrator deletes the
# access attempt in the admin; a successful log-in before the limit clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# axes.W006 asks for the address among the lockout parameters. The lock is by user name, which
# rotating User-Agents or cookies does not change; a lock by address would shut out a whole
# office behind one address (or the TLS proxy) after one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# A session ends after 30 idle minutes and when the browser closes. A request renews it, but
# writes it at most once a minute (appraisal/session_refresh.py): it ends 29–30 minutes after
# the last request.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Russian first, Kazakh available. Django ships no Kazakh date formats, so ours live in
# formats/kk/formats.py.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("kk", "Қазақша")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Scans and evidence files: outside MEDIA_ROOT and static, with no URL; served only by views
# that ask the R20 selector (appraisal/uploads.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Without the manifest (the demo, development) static files are served straight from the
# apps' and static/ folders, so `runserver` shows the CSS without collectstatic.
WHITENOISE_USE_FINDERS = not envbool("STATIC_MANIFEST", False)
# Widgets render with the project's template engine, so templates/ can override one: the
# admin's date-and-time pair gets its labels there (templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Files browsers ask for at the site's root (/favicon.ico, asked by pages without a <link rel="icon">,
# such as the admin's): served by WhiteNoise from static/root/.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Mail: console unless an SMTP host (or a folder, EMAIL_FILE_PATH) is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
elif os.environ.get("EMAIL_FILE_PATH"):
    # Each message written to a file in this folder: a mail-less test of the whole shape
    # (tests/browser/test_production_shape.py), or a server whose mail another process picks up.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bagalau@localhost")

# SMS: see appraisal/notifications/sms.py. "console" prints, "file" appends to SMS_FILE_PATH,
# "http" posts to SMS_GATEWAY_URL (the adapter documented in the README).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms.log"))
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_SENDER = os.environ.get("SMS_SENDER", "BAGALAU")

# Celery: with no broker every task runs in the calling process (the embedded default).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# The one periodic tick: it reads deadlines from the database and queues what is due.
CELERY_BEAT_SCHEDULE = {
    "tick": {"task": "appraisal.tasks.tick", "schedule": envint("TICK_SECONDS", 300)},
}

# --- HTTPS and browser protections ------------------------------------------------------
# On by default: HSTS, the redirect to HTTPS and secure cookies. PLAIN_HTTP=1 turns them off
# for an intranet served over plain HTTP (and for the local demo); `manage.py check --deploy`
# then warns about exactly these. Behind a TLS-terminating proxy set TLS_PROXY=1 so that
# Django trusts its X-Forwarded-Proto header.
PLAIN_HTTP = envbool("PLAIN_HTTP", False)
SECURE_SSL_REDIRECT = not PLAIN_HTTP
SECURE_HSTS_SECONDS = 0 if PLAIN_HTTP else envint("HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = not PLAIN_HTTP
CSRF_COOKIE_SECURE = not PLAIN_HTTP
if envbool("TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): only this site's own files, no inline script or
# style anywhere (templates/pdf/ is rendered by WeasyPrint, not by a browser).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The admin's address: ADMIN_PATH moves it away from the well-known /admin/.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF and fontTools every font subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# A history row's reason is a sentence in the rule's words, sometimes with a user's reason in
# it (an R67 recommendation, an R5.2 absence): simple-history's default varchar(100) made
# PostgreSQL refuse such a change with a DataError (SQLite let it pass).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
