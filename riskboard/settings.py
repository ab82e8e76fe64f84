"""Riskboard settings: one file, driven by environment variables (see .env.example).

Defaults give a fresh checkout that runs with no services: SQLite in the project folder and Celery
tasks executed in-process. `DATABASE_URL` / `REDIS_URL` switch to PostgreSQL and a real broker;
`RISKBOARD_ENV=production` turns on the secure settings that `check --deploy` expects.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


RISKBOARD_ENV = env_str("RISKBOARD_ENV", "development")
PRODUCTION = RISKBOARD_ENV == "production"

if PRODUCTION and not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set when RISKBOARD_ENV=production")
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "simple_history",
    "apps.common",
    "apps.accounts",
    "apps.inventory",
    "apps.exposure",
    "apps.jobs",
    "apps.scanner",
    "apps.benchmarks",
    "apps.watch",
    "apps.archive",
    "apps.plans",
    "apps.budget",
    "apps.reports",
    "apps.policies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # gunicorn serves the collected static files itself (no CDN, no separate web server needed).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "riskboard.urls"
WSGI_APPLICATION = "riskboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.current_organization",
                "apps.watch.context_processors.inbox",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'riskboard.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and in-process tasks read while a long import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 failures for a username from one address lock it for 15 minutes (then reset).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# --- Security headers (all environments; production adds transport security below) -------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # Plotly writes inline styles from JavaScript; scripts stay nonce-only.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default.

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"

# Behind the compose stack's reverse proxy (docker-compose.yml's `proxy`, which terminates TLS and writes
# X-Forwarded-Proto/-For itself): only then are those headers trusted. Off by default, because a client
# reaching gunicorn directly could forge them (claim HTTPS, or a new IP for every failed log-in).
BEHIND_PROXY = env_bool("RISKBOARD_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_CLIENT_IP_CALLABLE = "apps.accounts.client_ip.client_ip_behind_proxy"

# --- Celery -------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
# No broker configured: run tasks in-process so the app works with no services at all.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "riskboard")
# How long a reserved but unacknowledged task stays invisible before Redis redelivers it.
# Must exceed the longest import; the delivery counter on ImportJob stops poison payloads.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for unacknowledged tasks older than the visibility timeout (those of a
    # dead worker) and requeues them: a fifth of the timeout, 1-60 s. Kombu's default throttling
    # (10 s x every 10th sweep) would wait up to ~100 s past the timeout.
    "unacked_restore_interval": min(60, max(1, CELERY_VISIBILITY_TIMEOUT // 5)),
    "unacked_restore_throttle": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # Producers that run on a schedule register here (one schedule for the whole project).
    "jobs-requeue-stale": {
        # Jobs stored while the broker was down are sent again (a second message is a no-op).
        "task": "apps.jobs.tasks.requeue_stale_jobs",
        "schedule": crontab(minute="*/10"),
    },
    "jobs-send-unsent": {
        # Jobs stored while the broker was unreachable are sent as soon as it answers again.
        "task": "apps.jobs.tasks.send_unsent_jobs",
        "schedule": timedelta(seconds=env_int("RISKBOARD_JOB_SEND_RETRY_SECONDS", 20)),
    },
    "jobs-expire-failed-payloads": {
        # Payloads of jobs that failed RISKBOARD_FAILED_PAYLOAD_DAYS ago are deleted.
        "task": "apps.jobs.tasks.expire_failed_payloads",
        "schedule": crontab(hour=3, minute=30),
    },
    "watch-poll-due-sources": {
        "task": "apps.watch.tasks.poll_due_sources",
        "schedule": crontab(minute="*/15"),
    },
    "watch-weekly-digest": {
        "task": "apps.watch.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    "archive-verify-due-copies": {
        # Re-hash every archive copy not checked for a week (the policy wants one within 30 days).
        "task": "apps.archive.tasks.verify_due_copies",
        "schedule": crontab(minute=20),
    },
    "archive-refresh-coverage": {
        # A copy verified more than the policy's days ago stops counting: rescore who lost credit.
        "task": "apps.archive.tasks.refresh_archive_coverage",
        "schedule": crontab(minute=50),
    },
    "policies-lapse-acceptances": {
        # Accepted risks past their expiry reopen (and alert) within the hour.
        "task": "apps.policies.tasks.lapse_acceptances",
        "schedule": crontab(minute=5),
    },
    "policies-evaluate-all": {
        # Daily re-evaluation of every workflow, so no violation waits for the next change.
        "task": "apps.policies.tasks.evaluate_all",
        "schedule": crontab(hour=3, minute=20),
    },
    "exposure-daily-refresh": {
        # Signals age: re-assess vendor risk, rescore every workflow and record the daily snapshot.
        "task": "apps.exposure.tasks.refresh_all_organizations",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- Archive ------------------------------------------------------------------------------------
# S3-compatible endpoint for s3:// locations (empty = AWS); credentials from the standard AWS variables.
RISKBOARD_S3_ENDPOINT_URL = env_str("RISKBOARD_S3_ENDPOINT_URL")

# --- Email --------------------------------------------------------------------------------------
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    f"django.core.mail.backends.{'smtp' if PRODUCTION else 'console'}.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS"),
            }
            if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "riskboard@localhost")

# --- Riskboard ----------------------------------------------------------------------------------
# Largest payload accepted by the ingest API and upload forms, in bytes.
RISKBOARD_MAX_PAYLOAD_BYTES = env_int("RISKBOARD_MAX_PAYLOAD_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = RISKBOARD_MAX_PAYLOAD_BYTES
# Days the payload of a failed import job is kept for a retry (uploaded files of a succeeded job are
# deleted at once; docs/architecture.md, Jobs).
RISKBOARD_FAILED_PAYLOAD_DAYS = env_int("RISKBOARD_FAILED_PAYLOAD_DAYS", 14)
# Most entries (files and directories) an uploaded repository archive may hold.
RISKBOARD_ARCHIVE_MAX_FILES = env_int("RISKBOARD_ARCHIVE_MAX_FILES", 50_000)
# Key for secrets stored in the database (endpoint API keys); defaults to one derived from SECRET_KEY.
RISKBOARD_FIELD_KEY = env_str("RISKBOARD_FIELD_KEY")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Outbound HTTP (apps/common/outbound.py) ------------------------------------------------------
# URLs people enter are refused when they resolve to a non-public address (loopback, private,
# link-local, CGNAT…). Allow an on-premises model server or an internal feed here: CIDRs and host
# names, comma-separated, e.g. "10.0.8.0/24,ollama.internal".
RISKBOARD_OUTBOUND_ALLOW = env_list("RISKBOARD_OUTBOUND_ALLOW")
# Server-wide endpoint keys (RISKBOARD_ENDPOINT_KEY_*) an organization may use, granted by an operator:
# "acme=OPENAI_PROD,QWEN;agency=DASHSCOPE" (slug=names; see apps/benchmarks/secrets.py).
RISKBOARD_ENDPOINT_KEY_GRANTS = env_str("RISKBOARD_ENDPOINT_KEY_GRANTS")
