"""medoffice settings: one module, configured by environment variables.

MEDOFFICE_ENV=production switches on the production hardening (HTTPS-only cookies, HSTS, a real
secret key required). Everything else is read through the typed helpers in ``config.env``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from medoffice.config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent  # src/medoffice
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(env_str("MEDOFFICE_DATA_DIR", str(PROJECT_DIR / "var")))

MEDOFFICE_ENV = env_str("MEDOFFICE_ENV", "development")
PRODUCTION = MEDOFFICE_ENV == "production"
if MEDOFFICE_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("MEDOFFICE_ENV must be development, test or production.")

_DEV_SECRET = "insecure-development-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET or "insecure" in SECRET_KEY):
    raise ImproperlyConfigured(
        "Production needs a real SECRET_KEY of at least 50 random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

DEBUG = env_bool("DEBUG", default=False) and not PRODUCTION
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "medoffice.core",
    "medoffice.accounts",
    "medoffice.audit",
    "medoffice.practice",
    "medoffice.patients",
    "medoffice.scheduling",
    "medoffice.intake",
    "medoffice.insurance",
    "medoffice.authorizations",
    "medoffice.billing",
    "medoffice.frontdesk",
    "medoffice.jobs",
    "medoffice.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "medoffice.accounts.middleware.IdleTimeoutMiddleware",
    "medoffice.accounts.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "medoffice.core.middleware.NoStoreMiddleware",
    "medoffice.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medoffice.config.urls"
WSGI_APPLICATION = "medoffice.config.wsgi.application"
ASGI_APPLICATION = "medoffice.config.asgi.application"

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
                "medoffice.core.context_processors.shell",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL", "")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'medoffice.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL + NORMAL is 33x faster per commit than the default journal; IMMEDIATE makes
        # concurrent writers queue on the busy timeout instead of failing mid-transaction.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
            ),
        }
        # One file per test run, so parallel runs on one machine do not share it.
        config["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "medoffice.accounts.backends.PermissionsBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "medoffice.accounts.validators.CharacterClassValidator"},
]
if "pytest" in sys.modules:
    # Tests create many logins; Argon2's deliberate slowness would dominate the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes): by user name and address together.
AXES_FAILURE_LIMIT = env_int("MEDOFFICE_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("MEDOFFICE_LOCKOUT_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions: an idle session ends after MEDOFFICE_IDLE_MINUTES (HIPAA automatic logoff).
MEDOFFICE_IDLE_MINUTES = env_int("MEDOFFICE_IDLE_MINUTES", 15)
MEDOFFICE_IDLE_WARNING_SECONDS = env_int("MEDOFFICE_IDLE_WARNING_SECONDS", 60)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "medoffice_session"
# Messages ride in the server-side session, never in a readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

OTP_TOTP_ISSUER = env_str("MEDOFFICE_TOTP_ISSUER", "medoffice")

# Audit trail: the HMAC key and the chain checkpoint live outside the database.
MEDOFFICE_AUDIT_KEY = env_str("MEDOFFICE_AUDIT_KEY", "")
MEDOFFICE_AUDIT_KEY_FILE = Path(env_str("MEDOFFICE_AUDIT_KEY_FILE", str(DATA_DIR / "audit.key")))
MEDOFFICE_AUDIT_CHECKPOINT_FILE = Path(
    env_str("MEDOFFICE_AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit-checkpoint.json"))
)

# Sensitive fields (SSN) are encrypted at rest with keys kept outside the database.
MEDOFFICE_FIELD_KEYS = env_str("MEDOFFICE_FIELD_KEYS", "")
MEDOFFICE_LOOKUP_KEY = env_str("MEDOFFICE_LOOKUP_KEY", "")
MEDOFFICE_FIELD_KEY_FILE = Path(
    env_str("MEDOFFICE_FIELD_KEY_FILE", str(DATA_DIR / "field-keys.json"))
)
# Patient photos: largest upload accepted, in bytes.
MEDOFFICE_PHOTO_MAX_BYTES = env_int("MEDOFFICE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("MEDOFFICE_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
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
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
MEDOFFICE_TASK_MAX_ATTEMPTS = env_int("MEDOFFICE_TASK_MAX_ATTEMPTS", 3)

# The desk's card terminal (billing): "simulated" (demo, tests) or "manual" (a standalone
# terminal whose approval the desk keys in). The simulator keeps its journal in this directory.
# Production never defaults to the simulator: it would approve cards no processor charged.
MEDOFFICE_CARD_TERMINAL = env_str(
    "MEDOFFICE_CARD_TERMINAL", "manual" if PRODUCTION else "simulated"
)
MEDOFFICE_CARD_TERMINAL_DIR = Path(
    env_str("MEDOFFICE_CARD_TERMINAL_DIR", str(DATA_DIR / "card-terminal"))
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Logging never carries PHI: request bodies and query strings are not logged, and the
# PhiScrubFilter masks anything that looks like a date of birth, phone, SSN or email.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_phi": {"()": "medoffice.core.logging.PhiScrubFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub_phi"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "medoffice@localhost")
ADMINS: list[tuple[str, str]] = []
