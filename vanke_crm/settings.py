"""Settings for the back office, read from the environment (twelve-factor).

Every value that differs between a laptop and production comes from an environment variable;
the defaults run everything embedded: SQLite, a filesystem Celery broker and a local-memory cache.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.admin_app.AdminConfig",  # django.contrib.admin, on our own site (core.admin_app)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "core.knox_app.KnoxConfig",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "phonenumber_field",
    "simple_history",
    "axes",
    "csp",
    "core",
    "estates",
    "members",
    "touchpoints",
    "complaints",
    "surveys",
    "lookup",
    "onboarding",
    "owners",
    "vanke_crm",  # the project package: the dashboard home and the seed_demo command
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "vanke_crm.urls"
FORM_RENDERER = "core.widgets.WidgetRenderer"
WSGI_APPLICATION = "vanke_crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vanke_crm.context_processors.navigation_items",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The dashboard, a worker and beat share one file: wait for locks instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
# Reports and exports read from a replica when one is given (core.replica); in tests it mirrors the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
READ_REPLICA = None
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    READ_REPLICA = "replica"
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# A connection is kept for a minute, not opened per request: opening one costs a few milliseconds, and a new
# session plans its first queries without the catalogue cached.
CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=60)
CONN_HEALTH_CHECKS = True
for database in DATABASES.values():
    database.setdefault("CONN_MAX_AGE", CONN_MAX_AGE)
    database.setdefault("CONN_HEALTH_CHECKS", CONN_HEALTH_CHECKS)
    if database["ENGINE"] == "django.db.backends.postgresql":
        # Django's, with a health check of no round trip and the token check prepared (core.db.postgresql); behind
        # a pooler that does not keep prepared statements, DATABASE_PREPARED_STATEMENTS=false.
        database["ENGINE"] = "core.db.postgresql"
        database.setdefault("PREPARED_STATEMENTS", env.bool("DATABASE_PREPARED_STATEMENTS", default=True))
        # A list page joins the rows it shows to up to nine tables (select_related). Searching every join order
        # of nine tables plans for 15-20 ms a query that runs in under 1 ms from the list's own index; in groups
        # of four, planning takes 4 ms and the plan is the same. And no JIT: compiling a query costs 10-20 ms,
        # more than the home's and reports' aggregates take to run. A server-side cursor (`.iterator()`: exports,
        # duties, imports) is always read to its end: planned for every row, not for a fast first tenth (an export
        # of one source channel's 125,000 customers read its rows in 205 ms, not 322 ms).
        database.setdefault("OPTIONS", {}).setdefault(
            "options", "-c join_collapse_limit=4 -c from_collapse_limit=4 -c jit=off -c cursor_tuple_fraction=1"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# How long the home keeps a manager's company-wide figures (satisfaction, scorecards, care completion) before
# counting them again; the page shows when they were counted and offers to count them now. 0: every view.
HOME_FIGURES_SECONDS = env.int("HOME_FIGURES_SECONDS", default=300)

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # With Redis down the cache reads as empty and writes are dropped (throttles and progress figures
    # fall back), so the dashboard and the API keep serving; each ignored failure is logged.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
            # Keys of one database apart from another's (a staging copy, the benchmark's million) in a shared Redis.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=str(DATABASES["default"]["NAME"])),
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # A signed-in page reads its session from the shared cache, not the database (a statement fewer on every page);
    # written to both, so a cache that was emptied or is down falls back to the database. Never with the
    # local-memory cache: each process would keep its own copy, and a sign-out would reach only one of them.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "core.security.SignInGuard",  # refuses a locked-out client before any password is checked
    "core.security.StaffBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
FORMAT_MODULE_PATH = ["vanke_crm.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files (evidence, owners' photos, imported sheets) on the local disk, or with FILE_STORAGE=s3 in an
# S3-compatible bucket (AWS, MinIO, a cloud's object storage), read back through the same storage API.
FILE_STORAGE = env.str("FILE_STORAGE", default="local")
if FILE_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
WHITENOISE_USE_FINDERS = DEBUG

PHONENUMBER_DEFAULT_REGION = "CN"
PHONENUMBER_DEFAULT_FORMAT = "E164"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.RoleAccess"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.FilterSetBackend",
        "core.api.ordering.EmptyLastOrderingFilter",
        "core.api.filters.UpdatedSinceFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ContractSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": env.str("LOGIN_THROTTLE_RATE", default="20/min")},
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=24 * 30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": True,
}


def _enum_names() -> dict[str, str]:
    """Name every TextChoices of the apps' choices.py after its class, so that fields called `kind` or
    `channel` in different apps get distinct schema enums (ComplaintChannelEnum, MessageChannelEnum …)."""
    import re

    renamed = {
        ("complaints", "Channel"): "ComplaintChannel",
        ("touchpoints", "Channel"): "MessageChannel",
        # the same two values (open, closed): one enum serves both
        ("complaints", "CrisisStatus"): "OpenClosed",
        ("touchpoints", "IssueStatus"): None,
    }
    names = {}
    for module in sorted(BASE_DIR.glob("*/choices.py")):
        app = module.parent.name
        for cls in re.findall(r"^class (\w+)\(models\.TextChoices\)", module.read_text(encoding="utf-8"), re.M):
            name = renamed.get((app, cls), cls)
            if name:
                names[f"{name}Enum"] = f"{app}.choices.{cls}"
    names["CallOutcomeEnum"] = "core.calls.CallOutcome"
    return names


SPECTACULAR_SETTINGS = {
    "TITLE": "Vanke CRM API",
    "DESCRIPTION": "Back-office API for sales-office tablets and the staff dashboard.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": _enum_names(),
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="")
# The suite run in parallel (pytest-xdist): each test process has its own test database, so it gets its own
# broker folder and, on a shared broker, its own queue: a worker started by one never runs another's tasks.
_TEST_PROCESS = env.str("PYTEST_XDIST_WORKER", default="")
_QUEUE_SUFFIX = f"-{_TEST_PROCESS}" if _TEST_PROCESS else ""
# Work is queued by kind, so each kind can have workers of its own (`celery worker -Q messages` on one node,
# `-Q scans,reports` on another); a worker started without -Q serves every queue. A task not listed here
# goes to the default queue ("celery").
TASK_QUEUES = {
    "messages": ["touchpoints.send_message", "touchpoints.send_due_messages"],
    "scans": [
        "touchpoints.run_care_schedule",
        "touchpoints.run_purchase_duties",
        "members.flag_overdue_follow_ups",
        "members.send_daily_ab_digests",
        "members.run_monthly_cycle",
        "complaints.check_clocks",
        "complaints.apply_retention",
        "complaints.send_quarterly_handbooks",
        "complaints.raise_house_check_defects",
        "surveys.send_reminders",
        "owners.purge_sign_in_records",
        "core.purge_expired_credentials",
        "core.hand_over_waiting_tasks",
        "core.purge_old_exports",
    ],
    "reports": ["members.build_weekly_summaries", "core.run_export"],
    "imports": ["onboarding.check_upload", "onboarding.run_import", "surveys.import_results"],
}
CELERY_TASK_DEFAULT_QUEUE = f"celery{_QUEUE_SUFFIX}"
CELERY_TASK_QUEUES = [Queue(CELERY_TASK_DEFAULT_QUEUE), *(Queue(f"{kind}{_QUEUE_SUFFIX}") for kind in TASK_QUEUES)]
CELERY_TASK_ROUTES = {
    name: {"queue": f"{kind}{_QUEUE_SUFFIX}"} for kind, names in TASK_QUEUES.items() for name in names
}
if CELERY_BROKER_URL == "filesystem://":
    _celery_dir = VAR_DIR / "celery" / _TEST_PROCESS if _TEST_PROCESS else VAR_DIR / "celery"
    _broker_dir = _celery_dir / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
    for _folder in (_broker_dir, *(_celery_dir / name for name in ("processed", "control", "results"))):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = CELERY_RESULT_BACKEND or f"file://{_celery_dir / 'results'}"
elif not CELERY_RESULT_BACKEND and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Every task is idempotent (guarded by unique constraints and conditional updates), so a task whose
# worker died is run again rather than lost: acknowledged after it ran, and given back to the queue
# when its worker process is killed. A Redis broker hands an unacknowledged task to another worker
# after the visibility timeout, which must be longer than the longest task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# Personal data never reaches the logs: see core.logging.MaskPersonalData.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "core.logging.MaskPersonalData"},
        "one_line_refusals": {"()": "core.logging.OneLineRefusals"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data", "one_line_refusals"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Transport security. Off in development; with DEBUG off every switch defaults to the safe value and
# can still be set from the environment (e.g. SECURE_SSL_REDIRECT=false when the proxy redirects).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a proxy that terminates https: the header it sets, "HTTP_X_FORWARDED_PROTO,https" by default.
_proxy_header = env.list("SECURE_PROXY_SSL_HEADER", default=[] if DEBUG else ["HTTP_X_FORWARDED_PROTO", "https"])
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if _proxy_header else None

# Content-Security-Policy (django-csp): only this site's own scripts, styles, images and fonts; no
# inline script or style (charts are shown as images), no framing. SVG and data: images are allowed.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sign-in throttling (django-axes): after SIGN_IN_FAILURE_LIMIT failed sign-ins for one user name from
# one address, that pair is locked out for SIGN_IN_LOCKOUT_MINUTES (answer 429); every lock-out is
# logged and, like every sign-in and failed sign-in, recorded in core's sign-in trail.
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # core.SignInRecord is the trail
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies in front that append the client's address to X-Forwarded-For (core.security.client_address).
CLIENT_PROXY_COUNT = env.int("SIGN_IN_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.security.client_address"

SEED_DEMO_ALLOWED = env.bool("SEED_DEMO_ALLOWED", default=DEBUG)

# Outbound text messages (touchpoints.gateways): the console gateway logs them; the HTTP gateway
# posts them to a provider. Retries back off exponentially up to the attempt limit.
SMS_GATEWAY = env.str("SMS_GATEWAY", default="touchpoints.gateways.ConsoleGateway")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_API_KEY = env.str("SMS_GATEWAY_API_KEY", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
SMS_DELIVERY_REPORT_TOKEN = env.str("SMS_DELIVERY_REPORT_TOKEN", default="")
MESSAGE_MAX_ATTEMPTS = env.int("MESSAGE_MAX_ATTEMPTS", default=5)
# A worker's claim on a message it is sending lasts this long; after that another worker may resend
# it (with the same reference, so the provider sends it once). Longer than the gateway's timeout.
MESSAGE_SEND_LEASE_SECONDS = env.int("MESSAGE_SEND_LEASE_SECONDS", default=300)

# The address customers reach the public pages at (survey links in messages), when a message is sent
# by a scheduled duty rather than from a page whose own address could be used.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The owner portal (owners/): one-time sign-in codes and owner sessions.
OWNER_CODE_TTL_MINUTES = env.int("OWNER_CODE_TTL_MINUTES", default=5)
OWNER_CODES_PER_MINUTE = env.int("OWNER_CODES_PER_MINUTE", default=1)
OWNER_CODES_PER_HOUR = env.int("OWNER_CODES_PER_HOUR", default=5)
OWNER_CODE_MAX_TRIES = env.int("OWNER_CODE_MAX_TRIES", default=5)
OWNER_WEB_SESSION_HOURS = env.int("OWNER_WEB_SESSION_HOURS", default=12)
OWNER_API_TOKEN_DAYS = env.int("OWNER_API_TOKEN_DAYS", default=30)
REPAIR_PHOTOS_MAX = env.int("REPAIR_PHOTOS_MAX", default=6)
REPAIR_PHOTO_MAX_BYTES = env.int("REPAIR_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
REPAIR_PHOTO_MAX_PIXELS = env.int("REPAIR_PHOTO_MAX_PIXELS", default=40_000_000)

# Onboarding imports: the largest file accepted, and the row count past which a worker checks and applies it.
ONBOARDING_MAX_UPLOAD_BYTES = env.int("ONBOARDING_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
ONBOARDING_ASYNC_ROWS = env.int("ONBOARDING_ASYNC_ROWS", default=2000)
# A survey firm's year-end file (S5) past this many rows is written by a worker, the page showing its progress.
SURVEY_IMPORT_ASYNC_ROWS = env.int("SURVEY_IMPORT_ASYNC_ROWS", default=2000)
# A list export past this many rows is written on a worker (core.exports); its file is kept this many days.
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=20_000)
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
