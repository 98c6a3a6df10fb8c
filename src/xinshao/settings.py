"""Settings, read from the environment (see .env.example at the repository root).

Two modes:
- embedded (default): SQLite in a local data folder, secrets made once and kept there,
  background jobs run in-process. For a demo, a trial or one small district.
- production: every secret and host must be given; PostgreSQL through DATABASE_URL.
"""
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from xinshao.env import env_bool, env_choice, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
MODE = env_choice("XINSHAO_MODE", ("embedded", "production"), "embedded")
EMBEDDED = MODE == "embedded"
DATA_DIR = Path(env_str("XINSHAO_DATA_DIR") or Path.cwd() / "data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _kept_secret(name: str, make) -> str:
    """A secret from the environment, or in embedded mode one made once and kept in DATA_DIR."""
    value = env_str(name)
    if value:
        return value
    if not EMBEDDED:
        raise ImproperlyConfigured(f"{name} must be set when XINSHAO_MODE=production")
    path = DATA_DIR / name.lower()
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _kept_secret("SECRET_KEY", lambda: secrets.token_urlsafe(50))
# Fernet keys for sensitive fields (identity numbers, notes). Several, comma separated,
# allow rotation: the first encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = _kept_secret("FIELD_ENCRYPTION_KEY", lambda: Fernet.generate_key().decode()).split(",")
# HMAC key of the blind indexes (equality search of encrypted identity numbers); unset: derived
# from SECRET_KEY. Never the encryption key. See docs/security.md. In embedded mode a restore
# (`xinshao restore --keys`) may keep it in the data folder; it is never made there.
_BLIND_INDEX_KEY_FILE = DATA_DIR / "xinshao_blind_index_key"
BLIND_INDEX_KEY = env_str("XINSHAO_BLIND_INDEX_KEY") or (
    _BLIND_INDEX_KEY_FILE.read_text().strip() if EMBEDDED and _BLIND_INDEX_KEY_FILE.exists() else "")

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if EMBEDDED else None)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when XINSHAO_MODE=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'xinshao.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while a job writes; the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Cache (code-entry throttling). Unset: memory of one process, enough for one `xinshao serve`
# process. Several server processes must share one: redis://host:port/db.
CACHE_URL = env_str("CACHE_URL")
if not CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r} must be a redis:// (or rediss://, unix://) address")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "xinshao.core",
    "xinshao.accounts",
    "xinshao.org",
    "xinshao.people",
    "xinshao.audit",
    "xinshao.rosters",
    "xinshao.instruments",
    "xinshao.campaigns",
    "xinshao.notifications",
    "xinshao.alerts",
    "xinshao.sentinel",
    "xinshao.cases",
    "xinshao.counseling",
    "xinshao.governance",
    "xinshao.norms",
    "xinshao.records",
    "xinshao.partners",
    "xinshao.activities",
    "xinshao.hotline",
    "xinshao.workforce",
    "xinshao.exports",
    "xinshao.dashboards",
    "xinshao.api",
    "xinshao.webhooks",
    "xinshao.compliance",
    "ninja",  # so the API docs page serves Swagger UI from our static files, not a CDN
    "xinshao.demo",
    "xinshao.operations",
    "xinshao.retention",
    "xinshao.consent",
]

MIDDLEWARE = [
    # First, so that its access log line times the whole request and every line carries its id.
    "xinshao.operations.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "xinshao.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every page needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "xinshao.accounts.middleware.IdleTimeoutMiddleware",
    "xinshao.accounts.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "xinshao.urls"
WSGI_APPLICATION = "xinshao.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "xinshao.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not EMBEDDED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Failed sign-ins: after AXES_FAILURE_LIMIT failures for one user name from one address,
# that pair waits AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Staff sign-in (docs/security.md). Two-factor codes are required in production; an embedded
# demo or trial may switch them on with XINSHAO_REQUIRE_TOTP=1 (anyone may enrol from "我的账号").
XINSHAO_REQUIRE_TOTP = env_bool("XINSHAO_REQUIRE_TOTP", not EMBEDDED)
# Minutes without a request after which a signed-in session is ended.
XINSHAO_IDLE_TIMEOUT_MINUTES = env_int("XINSHAO_IDLE_TIMEOUT_MINUTES", 15, minimum=1)
# Hours a psych centre user's emergency access to one student lasts.
XINSHAO_BREAK_GLASS_HOURS = env_int("XINSHAO_BREAK_GLASS_HOURS", 4, minimum=1)
# A user who reads more distinct students than this in a day is listed as unusual access.
XINSHAO_UNUSUAL_ACCESS_STUDENTS = env_int("XINSHAO_UNUSUAL_ACCESS_STUDENTS", 40, minimum=1)
# Hours from discovering a personal information security incident to reporting it to the
# authority (docs/compliance.md explains the default).
XINSHAO_INCIDENT_REPORT_HOURS = env_int("XINSHAO_INCIDENT_REPORT_HOURS", 24, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = EMBEDDED
if not EMBEDDED:
    # Production: collected files get content-hashed names (app.3f2a1c.js) that browsers keep for a
    # year; `xinshao serve` collects them at start. A name missing from the manifest is served unhashed
    # rather than failing its page.
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    WHITENOISE_MANIFEST_STRICT = False
MEDIA_ROOT = DATA_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if EMBEDDED else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xinshao@localhost")


def _http_address(name: str) -> str:
    value = env_str(name)
    if value and not value.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name}={value!r} must start with https:// or http://")
    return value


def _send_timeout(name: str, default: int) -> int:
    # A send is claimed for 3 minutes (notifications/services.py CLAIM_LEASE) and must end sooner.
    value = env_int(name, default, minimum=1)
    if value > 60:
        raise ImproperlyConfigured(f"{name}={value} is above the maximum 60")
    return value


# Seconds to wait for the mail server: a hung server must not hold a notification's send.
EMAIL_TIMEOUT = _send_timeout("EMAIL_TIMEOUT", 20)

# Notifications (xinshao.notifications). Every notification is in the in-app inbox; urgent ones
# also go out through these channels, in order: when one cannot reach the person or has failed
# NOTIFY_MAX_ATTEMPTS times (pauses of 1, then 5 minutes), the next is used. "none": inbox only.
NOTIFY_EXTERNAL_CHANNELS = env_list("NOTIFY_EXTERNAL_CHANNELS", ["sms_webhook", "email"])
if NOTIFY_EXTERNAL_CHANNELS == ["none"]:
    NOTIFY_EXTERNAL_CHANNELS = []
if len(set(NOTIFY_EXTERNAL_CHANNELS)) != len(NOTIFY_EXTERNAL_CHANNELS):
    raise ImproperlyConfigured(f"NOTIFY_EXTERNAL_CHANNELS={','.join(NOTIFY_EXTERNAL_CHANNELS)!r} names a channel twice")
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 3, minimum=1)
# A local norm group (grade × gender) needs this many students before its percentiles are published:
# fewer would rank children against a handful of classmates and could reveal their scores.
NORMS_MIN_GROUP = env_int("NORMS_MIN_GROUP", 30, minimum=5)
# Dashboards hide an aggregate cell counting fewer students than this from aggregate-only readers.
DASHBOARD_MIN_CELL = env_int("DASHBOARD_MIN_CELL", 5, minimum=5)
# The screening figures of terms under way (or ended fewer than SETTLE_DAYS ago) are counted again
# this often; older terms keep their count (dashboards/models.py).
# With a broker, how often the worker raises the red alerts of critical answers committed since (alerts/screening.py).
ALERTS_CRITICAL_RELAY_SECONDS = env_int("ALERTS_CRITICAL_RELAY_SECONDS", 2, minimum=1)
DASHBOARD_TALLY_MINUTES = env_int("DASHBOARD_TALLY_MINUTES", 10, minimum=1)
DASHBOARD_TALLY_SETTLE_DAYS = env_int("DASHBOARD_TALLY_SETTLE_DAYS", 30, minimum=0)
# The site's address as people type it, so that e-mails carry a full link (unset: the path only).
NOTIFY_SITE_URL = _http_address("NOTIFY_SITE_URL").rstrip("/")
# The SMS gateway: JSON {"to", "text", "delivery"} is POSTed here; unset, SMS is not used.
SMS_WEBHOOK_URL = _http_address("SMS_WEBHOOK_URL")
SMS_WEBHOOK_TOKEN = env_str("SMS_WEBHOOK_TOKEN")
SMS_WEBHOOK_TIMEOUT = _send_timeout("SMS_WEBHOOK_TIMEOUT", 5)

# Background work. No broker: tasks run in-process, and `xinshao serve` runs the periodic
# schedule (in a thread, or with --workers > 1 in one `run-periodic-jobs` process).
# With a broker: `celery -A xinshao worker --beat` runs both.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A worker killed mid-task hands the task back (every task is safe to run twice); an alert never
# waits for the broker's visibility timeout either: the sweep raises any the task did not.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.server": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "celery": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"}},
}

# XINSHAO_LOG_FORMAT=json: one JSON object a line for a log collector (operations/logs.py);
# every line names its request's id, access lines the user id, path, status and duration.
LOG_FORMAT = env_choice("XINSHAO_LOG_FORMAT", ("text", "json"), "text")
LOGGING["filters"] = {"request": {"()": "xinshao.operations.logs.RequestContextFilter"}}
LOGGING["formatters"] = {"json": {"()": "xinshao.operations.logs.JsonFormatter"}}
LOGGING["handlers"]["console"]["filters"] = ["request"]
if LOG_FORMAT == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
    # The Celery worker then logs through LOGGING too, in the same format.
    CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Scripts only from this server's static files; inline style attributes (bar widths) are allowed.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'")

if not EMBEDDED:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # Sent only on requests that came over HTTPS: browsers then refuse plain HTTP for a year.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)

XINSHAO_NAME = _("心哨")
# The help line printed on every page (the national psychological assistance line by default).
HOTLINE_NUMBER = env_str("HOTLINE_NUMBER", "12356")
# Requests per minute each API token may make (xinshao/api/auth.py); past it: 429 with Retry-After.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 120, minimum=1)
