"""Settings for cocomm, read from the environment. They fail closed.

DEBUG is off unless DEBUG is set to true, and no secret key is written in the code. With DEBUG off
(production, and anything not told otherwise) SECRET_KEY must come from the environment or nothing
starts. A local run (`make run`) sets DEBUG=true; it then uses an SQLite file under var/, runs
Celery tasks in-process, and, unless SECRET_KEY is set, a key generated once into var/secret_key.
Production sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), CELERY_BROKER_URL and, behind
a reverse proxy, TRUSTED_PROXY_COUNT; with DEBUG off every security setting that
`manage.py check --deploy` asks for is switched on.
"""

import datetime as dt
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_whole_number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdecimal():
        raise ImproperlyConfigured(f"{name} must be a whole number (0 or more), not {value!r}.")
    return int(value)


def local_secret_key(path: Path) -> str:
    """The secret key of a local run: generated once into `path` (readable by its owner only), then
    read back on every later start, so sessions survive a restart and the key is never in the code."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a scratch file, then linked into place: runserver's reloader starts a second
        # process at once, and whichever links first wins; the other reads the winner's key.
        fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(50) + "\n")
            os.link(scratch, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(scratch)
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it and the next local start makes a new key.")
    return key


# Off unless set: a deployment that forgets DEBUG must not show tracebacks and settings to the world.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off, as it is unless DEBUG=true is set. In production "
            "set SECRET_KEY to a long random value in the environment. For a local run set DEBUG=true "
            "(`make run` does) and a key is generated once into var/secret_key."
        )
    SECRET_KEY = local_secret_key(BASE_DIR / "var" / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "axes",
    "django_celery_beat",
    # cocomm's own apps, lowest layer first.
    "cocomm",
    "functions",
    "delegation",
    "committees",
    "conflicts",
    "assurance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cocomm.urls"
WSGI_APPLICATION = "cocomm.wsgi.application"

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
                "cocomm.context_processors.visibility",
            ],
        },
    },
]

# Database: SQLite for a local run, PostgreSQL (DATABASE_URL) everywhere else.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'cocomm.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cocomm.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-guardian: our user model is custom, so the anonymous user is built by a helper.
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_GET_INIT_ANONYMOUS_USER = "cocomm.models.anonymous_user_for_guardian"

# django-axes: lock an account (by username and IP) after repeated failures.
# Behind reverse proxies every request reaches the app from the nearest proxy's address, so lock-out
# would count everyone together. TRUSTED_PROXY_COUNT says how many proxies stand in front of the app,
# each adding the address it was reached from to X-Forwarded-For; the client's address is then read
# from that header (`cocomm.client_address`). 0, the default, ignores the header, which any client
# can send: set it only when the proxies are the only way in.
TRUSTED_PROXY_COUNT = env_whole_number("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "cocomm.client_address.client_ip_address"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# simple-history: long reasons are allowed; users explain why they changed a record.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "cocomm" / "static",
    # The NHS.UK frontend, installed by npm at the version pinned in package.json.
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

# E-mail: printed to the console locally; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cocomm <no-reply@cocomm.local>")

# Celery: with no broker configured, tasks run in-process (a local run needs no Redis).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Assurance packs are rendered under these limits (seconds): the soft one raises inside the render,
# which records the failure; the hard one kills a worker stuck outside Python.
ASSURANCE_PACK_SOFT_TIME_LIMIT = 600
ASSURANCE_PACK_TIME_LIMIT = 660
# A pack whose generation was interrupted this many times (a worker killed each time) is marked failed
# instead of being started again, so one pack that kills workers cannot loop for ever.
ASSURANCE_PACK_MAX_ATTEMPTS = 3
# Tasks are acknowledged late, so a message taken by a worker that dies stays in Redis's "unacked"
# set and is delivered again once it is older than the visibility timeout. The timeout is just above
# the pack task's hard limit (by then a live run has finished or been killed, so a slow render is not
# started a second time beside it); no task has an ETA beyond it, and none may run longer. Every
# worker looks for such messages every `unacked_restore_interval` seconds.
CELERY_VISIBILITY_TIMEOUT = int(
    os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(ASSURANCE_PACK_TIME_LIMIT + 60))
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", "30")),
    "unacked_restore_throttle": 1,  # look every interval, not every tenth one
    # A broker that does not answer fails a publish in seconds instead of hanging the request.
    "socket_connect_timeout": 2,
    "socket_timeout": 15,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Publishing tries three times within about a second, then gives up: the caller records that the
# task is still to be sent (an outbox) rather than keeping a web request waiting on a dead broker.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BEAT_SCHEDULE = {
    # Roles start and end on dates; permissions follow the same night.
    "roles-refresh": {"task": "cocomm.tasks.roles_refresh_task", "schedule": crontab(hour=0, minute=5)},
    "memberships-refresh": {
        "task": "committees.tasks.memberships_refresh_task",
        "schedule": crontab(hour=0, minute=10),
    },
    # Declaration campaign reminders go out in the morning, a week before the deadline and on it.
    "campaign-reminders": {
        "task": "conflicts.tasks.campaign_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # The audit trail is checked every night; the result shows on the audit check page.
    "audit-check": {"task": "cocomm.tasks.audit_check_run_task", "schedule": crontab(hour=2, minute=30)},
    # Packs asked for while the broker was down are sent once it answers again (the pack row is the outbox).
    "assurance-packs-send-waiting": {
        "task": "assurance.tasks.packs_send_waiting_task",
        "schedule": crontab(minute="*"),
    },
    # Packs whose worker died are marked failed, so the officer sees it and may retry.
    "assurance-packs-fail-stalled": {
        "task": "assurance.tasks.packs_fail_stalled_task",
        "schedule": crontab(minute="*/5"),
    },
}
# A pack not started within the first limit (counted from when its task reached the broker), or not
# finished within the second, is marked failed. The second is above the visibility timeout plus a
# restore sweep, so a task redelivered after its worker died restarts (and resets the clock) first.
ASSURANCE_PACK_START_WITHIN = dt.timedelta(minutes=60)
ASSURANCE_PACK_FINISH_WITHIN = dt.timedelta(minutes=15)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "cocomm.api.Pagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "cocomm.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cocomm API",
    "DESCRIPTION": "Public data on primary care co-commissioning: CCGs, their levels, "
    "the 14 functions and who decides each on a given date.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would send the schema's address to an outside validator; keep every request here.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Several models have an "outcome" field; name each set of choices after what it grades.
    "ENUM_NAME_OVERRIDES": {"ReviewOutcomeEnum": "assurance.models.ReviewOutcome"},
    # The errors every endpoint shares (a page out of range, the database unreachable) are declared once.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "cocomm.api.describe_errors"],
}

# Security: on whenever DEBUG is off (that is what `check --deploy` verifies).
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Browser-facing protections and session limits, kept together (all pass `check --deploy`).
# - A Content-Security-Policy (django-csp 4): scripts, styles and everything else from this site
#   only, no inline script or style. The NHS.UK stylesheet's Frutiger fonts come from assets.nhs.uk;
#   images may be data: URLs (the NHS.UK and Swagger UI stylesheets draw icons that way).
# - A Permissions-Policy that switches off the browser features cocomm never uses.
# - Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_ABSOLUTE_HOURS after
#   log-in whatever the activity (`cocomm.middleware.SessionTimeoutMiddleware`); the cookie lasts
#   no longer than the absolute limit.
INSTALLED_APPS += ["csp"]
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "cocomm.middleware.PermissionsPolicyMiddleware",
    # After authentication and messages, which it uses to log out and say why.
    "cocomm.middleware.SessionTimeoutMiddleware",
]
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF, "https://assets.nhs.uk"],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    },
}
PERMISSIONS_POLICY_FEATURES = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "xr-spatial-tracking",
]
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "8"))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
