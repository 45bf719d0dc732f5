"""Satupintu settings, driven by environment variables.

Every deployment runs this one module; environment variables change what differs between
them. The names are stable (operators script against them):

DATABASE_URL            sqlite:///path or postgres://user:pass@host:port/name
                        (default: an embedded SQLite database under var/)
REDIS_URL               redis://host:port/db — when set, background tasks go through RQ
SATUPINTU_CATALOG_DIR   the folder of service and life-event definitions
                        (default: the example catalogue shipped in the package)
SATUPINTU_MEDIA_ROOT    where uploaded files are stored (default: var/media)
SECRET_KEY              required outside the demo and the tests
ALLOWED_HOSTS           comma-separated host names
DEBUG                   "1" to turn debug pages on; off by default
SATUPINTU_DEMO          "1" under `satupintu demo`: debug on, a generated secret kept in var/
OIDC_*                  login through a national identity provider (see docs/operators.md)
SATUPINTU_LOGIN_*, SATUPINTU_RATELIMIT*, SATUPINTU_PROXY_COUNT, SECURE_*
                        login lockout, rate limits and HTTPS (see docs/security.md)
SATUPINTU_STAFF_TOTP    "0" or "1": staff give a one-time code after their password
                        (default: on, except in the demo and in debug mode)
SATUPINTU_REGISTRY_*    the government registries read for prefill (see docs/operators.md)
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SATUPINTU_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEMO = env_bool("SATUPINTU_DEMO")
TESTING = "pytest" in sys.modules
DEBUG = env_bool("DEBUG", default=DEMO)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if TESTING:
        return "insecure-key-for-tests-only"
    if DEMO:
        # The demo keeps one generated key so that logins survive a restart.
        path = VAR_DIR / "demo-secret-key"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()
    # Commands that sign nothing (migrate, catalog validate/load) run without a key;
    # the web server refuses to start without one (see wsgi.py).
    return ""


SECRET_KEY = _secret_key()
HAS_SECRET_KEY = bool(SECRET_KEY)
MISSING_KEY_MESSAGE = (
    "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
    "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
    "or run `satupintu demo` for a local demonstration."
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "satupintu.core",
    "satupintu.organisations",
    "satupintu.accounts",
    "satupintu.registries",
    "satupintu.catalog",
    "satupintu.notifications",
    "satupintu.cases",
    "satupintu.feedback",
    "satupintu.complaints",
    "satupintu.talent",
    "satupintu.learning",
    "satupintu.lrs",
    "satupintu.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "satupintu.core.middleware.ApiMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "satupintu.core.middleware.UnstorableTextMiddleware",
    # Staff who signed in with a password give their one-time code before anything else.
    "satupintu.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a locked-out sign-in into the lockout page (see docs/security.md).
    "axes.middleware.AxesMiddleware",
]

# Benchmarks only: each response says how many queries it cost (see docs/performance.md).
if os.environ.get("SATUPINTU_BENCH_QUERIES"):
    MIDDLEWARE.insert(0, "satupintu.bench.middleware.QueryCountMiddleware")

ROOT_URLCONF = "satupintu.urls"
WSGI_APPLICATION = "satupintu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database -----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'satupintu.sqlite3'}"
# Persistent connections: a new connection per request costs ~8x the throughput.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process and the worker read and write side by side.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when configured, so that every process sees the same values.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: Django's Tasks API. The database queue needs nothing more than the
# database; RQ over Redis is for deployments that run workers on several machines.
TASKS_BACKEND = os.environ.get("SATUPINTU_TASKS", "rq" if REDIS_URL else "database")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "satupintu.accounts.lockout.LockoutBackend",
    "satupintu.accounts.backends.EmailOrUsernameBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:home"
LOGOUT_REDIRECT_URL = "catalog:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login through a national identity provider (OpenID Connect), off unless configured.
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID"))
if OIDC_ENABLED:
    INSTALLED_APPS += ["mozilla_django_oidc"]
    AUTHENTICATION_BACKENDS.insert(1, "satupintu.accounts.backends.NationalIdentityBackend")
    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_NIK_CLAIM = os.environ.get("OIDC_NIK_CLAIM", "nik")

# Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# Static and uploaded files -------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("SATUPINTU_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SATUPINTU_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Security (docs/security.md) -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The load balancer's health check may call this over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/ping$"]
SILENCED_SYSTEM_CHECKS: list[str] = []
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_SSL_REDIRECT:
        # TLS ends at the reverse proxy, which redirects plain HTTP itself (docs/operators.md);
        # SECURE_SSL_REDIRECT=1 has Django redirect too.
        SILENCED_SYSTEM_CHECKS.append("security.W008")
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list cannot be undone quickly: the operator decides
        # (SECURE_HSTS_PRELOAD=1), not the default.
        SILENCED_SYSTEM_CHECKS.append("security.W021")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Content-Security-Policy: scripts, styles and frames from known places only, never inline.
# The video hosts are those whose players the learning module embeds (learning.views.learner).
SATUPINTU_VIDEO_FRAME_HOSTS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
_FORM_ACTIONS = ["'self'"]
if OIDC_ENABLED and _origin(OIDC_OP_AUTHORIZATION_ENDPOINT):
    # Browsers apply form-action to the redirect that follows a form: signing in through the
    # identity provider ends at its authorisation endpoint.
    _FORM_ACTIONS.append(_origin(OIDC_OP_AUTHORIZATION_ENDPOINT))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": SATUPINTU_VIDEO_FRAME_HOSTS,
        "frame-ancestors": ["'none'"],
        "form-action": _FORM_ACTIONS,
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Sign-in lockout (django-axes): failures are counted per username and address together, so
# that nobody can lock another person out from elsewhere.
AXES_ENABLED = env_bool("SATUPINTU_LOGIN_LOCKOUT_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("SATUPINTU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SATUPINTU_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "satupintu.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "satupintu.accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "satupintu.core.ratelimits.client_ip"
# Failed attempts are kept (they are the lockout); a log of every successful sign-in with its
# address and browser would be personal data that nothing needs.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Second factor for staff (docs/security.md): anyone with a role, and the admin's users, give
# a code from an authenticator app (TOTP) or a one-time recovery code after their password.
# On in production; the demo and debug mode leave it off so that its people sign in at once.
SATUPINTU_STAFF_TOTP = env_bool("SATUPINTU_STAFF_TOTP", not DEBUG and not DEMO)
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = os.environ.get("SATUPINTU_TOTP_ISSUER", "Satupintu")
# Wrong codes slow down: after n wrong codes in a row the next try waits 2^(n-1) seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Rate limits (django-ratelimit, counted in the default cache: with several processes, set
# REDIS_URL so that they share the counts). A rate is "<count>/<s|m|h|d>"; empty: no limit.
# Each limit counts per address (_IP) and per person (_USER: the signed-in user; for sign-in
# the username typed; for surveys the link's token).
SATUPINTU_RATELIMITS_ENABLED = env_bool("SATUPINTU_RATELIMITS_ENABLED", True)
SATUPINTU_PROXY_COUNT = int(os.environ.get("SATUPINTU_PROXY_COUNT", "0"))
SATUPINTU_RATELIMITS = {
    group: {
        scope: os.environ.get(f"SATUPINTU_RATELIMIT_{group.upper()}_{scope.upper()}", default)
        for scope, default in defaults.items()
    }
    for group, defaults in {
        "login": {"ip": "10/m", "user": "10/m"},
        "submission": {"ip": "60/m", "user": "30/m"},
        "complaint": {"ip": "20/m", "user": "10/m"},
        "survey": {"ip": "30/m", "user": "10/m"},
    }.items()
}
RATELIMIT_IP_META_KEY = "satupintu.core.ratelimits.client_ip"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Satupintu <no-reply@satupintu.example>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "15"))

# Logs carry no personal data: request paths hold opaque identifiers only, and the
# audit trail (not the log) records who saw what.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line has its NIKs, NIPs and e-mail addresses masked, exception texts included.
    "formatters": {
        "plain": {
            "()": "satupintu.core.redaction.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The rule engine's debug records print every variable of an evaluation: a
        # citizen's answers, NIK included. Personal data never goes to the logs.
        "celpy": {"level": "WARNING"},
    },
}

# Satupintu -----------------------------------------------------------------------------
SATUPINTU_CATALOG_DIR = Path(os.environ.get("SATUPINTU_CATALOG_DIR", PACKAGE_DIR / "definitions"))
# IKM element weight: the regulation prints 1/9 as 0.111; set "exact" for 1/9.
SATUPINTU_IKM_WEIGHT = os.environ.get("SATUPINTU_IKM_WEIGHT", "0.111")
# Satisfaction surveys (IKM, docs/ikm.md). The weight of each element in reports: 0.111 as
# the regulation prints it, or exactly 1/9 with SATUPINTU_IKM_EXACT_WEIGHT=1 (or the older
# SATUPINTU_IKM_WEIGHT=exact).
SATUPINTU_IKM_EXACT_WEIGHT = env_bool(
    "SATUPINTU_IKM_EXACT_WEIGHT", SATUPINTU_IKM_WEIGHT.strip().lower() == "exact"
)
# How many days a survey link stays open after the case closed.
SATUPINTU_IKM_SURVEY_DAYS = int(os.environ.get("SATUPINTU_IKM_SURVEY_DAYS", "30"))
# Reports withhold averages of fewer respondents than this, so that nobody's answers can be
# read off a report of a small scope or a short period.
SATUPINTU_IKM_MIN_RESPONDENTS = int(os.environ.get("SATUPINTU_IKM_MIN_RESPONDENTS", "5"))
# Performance signals: an element whose average is below this is weak.
SATUPINTU_IKM_WEAK_NRR = os.environ.get("SATUPINTU_IKM_WEAK_NRR", "3.00")
SATUPINTU_PAGE_SIZE = 20
# The public performance figures are computed at most once in this many seconds and served
# from the cache in between (0: computed for every request).
SATUPINTU_PUBLIC_FIGURES_SECONDS = int(os.environ.get("SATUPINTU_PUBLIC_FIGURES_SECONDS", "300"))
# The public address of the site, printed in outcome documents' QR codes.
SATUPINTU_PUBLIC_URL = os.environ.get("SATUPINTU_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Uploads: the largest request body Django accepts in memory before spooling to disk, and
# the hard ceiling on any one upload (a service's own limit is usually lower).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
SATUPINTU_UPLOAD_MAX_MB = int(os.environ.get("SATUPINTU_UPLOAD_MAX_MB", "20"))
# Reminders: how many working days before the due date officers are reminded.
SATUPINTU_REMIND_DAYS_BEFORE = int(os.environ.get("SATUPINTU_REMIND_DAYS_BEFORE", "1"))
# How often the worker looks for cases to remind about or escalate (0: never; use cron).
SATUPINTU_SWEEP_MINUTES = int(os.environ.get("SATUPINTU_SWEEP_MINUTES", "15"))
# Collective leave (cuti bersama) as the `holidays` package knows it from the yearly joint
# decree; operators add or override days in the admin. "0" counts only the admin's days.
SATUPINTU_COLLECTIVE_LEAVE_FROM_PACKAGE = env_bool("SATUPINTU_COLLECTIVE_LEAVE_FROM_PACKAGE", True)

# Government registries read for once-only prefill, with the person's consent (see
# docs/operators.md, "Government registries"). Per registry: empty for the built-in adapter
# (the records in the database: the demo's people), "off" for none, or the https:// address
# of the registry's gateway. The token is sent as a bearer token; the timeout is in seconds.
SATUPINTU_REGISTRY_POPULATION_URL = os.environ.get("SATUPINTU_REGISTRY_POPULATION_URL", "")
SATUPINTU_REGISTRY_BUSINESS_URL = os.environ.get("SATUPINTU_REGISTRY_BUSINESS_URL", "")
SATUPINTU_REGISTRY_EDUCATION_URL = os.environ.get("SATUPINTU_REGISTRY_EDUCATION_URL", "")
SATUPINTU_REGISTRY_TOKEN = os.environ.get("SATUPINTU_REGISTRY_TOKEN", "")
SATUPINTU_REGISTRY_TIMEOUT = float(os.environ.get("SATUPINTU_REGISTRY_TIMEOUT", "3"))

# Job-person match bands, in percent (REFERENCE: optimal ≥ 90, fairly optimal 78–90).
TALENT_JPM_OPTIMAL = os.environ.get("TALENT_JPM_OPTIMAL", "90")
TALENT_JPM_FAIRLY_OPTIMAL = os.environ.get("TALENT_JPM_FAIRLY_OPTIMAL", "78")
