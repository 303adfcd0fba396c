"""Settings, read from the environment.

Development is the default. Production (`MESTRING_ENV=production`) refuses to start
with unsafe values, so a forgotten variable cannot weaken a live installation.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mestring.core.logging import logging_config
from mestring.envparse import env_bool, env_database, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

MESTRING_ENV = os.environ.get("MESTRING_ENV", "development").strip().lower()
if MESTRING_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("MESTRING_ENV must be 'development' or 'production'.")
PRODUCTION = MESTRING_ENV == "production"

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-not-for-production-use"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
if not PRODUCTION:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

# Accept synthetic (Tenor) identity numbers: on outside production, never in it.
MESTRING_SYNTHETIC_IDS = env_bool("MESTRING_SYNTHETIC_IDS", default=not PRODUCTION)
# Demo users may log in without the second factor; only `make run` turns it on.
MESTRING_DEMO_2FA_BYPASS = env_bool("MESTRING_DEMO_2FA_BYPASS", default=False)
# Citizens log in with OpenID Connect (ID-porten in production). Without an issuer, the
# built-in development provider (login as a demo person) is used when it is turned on.
MESTRING_OIDC_ISSUER = os.environ.get("MESTRING_OIDC_ISSUER", "")
MESTRING_OIDC_CLIENT_ID = os.environ.get("MESTRING_OIDC_CLIENT_ID", "mestring")
MESTRING_OIDC_CLIENT_SECRET = os.environ.get("MESTRING_OIDC_CLIENT_SECRET", "")
MESTRING_OIDC_MIN_ACR = os.environ.get("MESTRING_OIDC_MIN_ACR", "idporten-loa-high")
# The claim with the identity number (ID-porten: pid).
MESTRING_OIDC_ID_CLAIM = os.environ.get("MESTRING_OIDC_ID_CLAIM", "pid")
# The development provider logs anyone in as any person: off unless asked for
# (`make run` and the tests turn it on), and production refuses to start with it.
MESTRING_DEV_OIDC = env_bool("MESTRING_DEV_OIDC", default=False)
# From this age a child's own consent is needed; parental responsibility alone no longer
# opens the child's pages to a parent.
MESTRING_CHILD_CONSENT_AGE = env_int("MESTRING_CHILD_CONSENT_AGE", default=16)

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG is on")
    if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY is missing, the development default, or shorter than 50")
    if MESTRING_SYNTHETIC_IDS:
        problems.append("MESTRING_SYNTHETIC_IDS is on")
    if MESTRING_DEMO_2FA_BYPASS:
        problems.append("MESTRING_DEMO_2FA_BYPASS is on")
    if MESTRING_DEV_OIDC:
        problems.append("MESTRING_DEV_OIDC (the development login provider) is on")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))

# In a source checkout the data lives in its var/; an installed package uses ./var.
_DEFAULT_DATA_DIR = (
    PROJECT_DIR / "var" if (PROJECT_DIR / "pyproject.toml").exists() else Path.cwd() / "var"
)
DATA_DIR = Path(os.environ.get("MESTRING_DATA_DIR", _DEFAULT_DATA_DIR))
DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'mestring.sqlite3'}",
        conn_max_age=env_int("MESTRING_DB_CONN_MAX_AGE", default=60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once. Under `mestring serve`
    # several worker processes write (sessions, the audit chain): IMMEDIATE takes the
    # write lock at BEGIN, so a transaction that reads and then writes waits for the
    # lock (timeout) instead of failing with "database is locked" on the upgrade; WAL
    # lets readers go on while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "csp",
    "mestring.kernel",
    "mestring.core",
    "mestring.tenancy",
    "mestring.accounts",
    "mestring.people",
    "mestring.access",
    "mestring.referrals",
    "mestring.casework",
    "mestring.plans",
    "mestring.teams",
    "mestring.catalogue",
    "mestring.assessments",
    "mestring.outcomes",
    "mestring.rehab",
    "mestring.institutions",
    "mestring.friskliv",
    "mestring.courses",
    "mestring.devices",
    "mestring.planning",
    "mestring.actionplan",
    "mestring.public",
    "mestring.portal",
    "mestring.api",
    "mestring.fhir",
    "mestring.reports",
    "mestring.jobs",
    "mestring.maintenance",
    "mestring.bench",
    "mestring.demo",
    "mestring.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mestring.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mestring.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mestring.accounts.middleware.SessionTimeoutMiddleware",
    "mestring.portal.middleware.CitizenIdleTimeoutMiddleware",
    "mestring.accounts.middleware.SecondFactorRequiredMiddleware",
    "mestring.access.middleware.ActiveMunicipalityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees a view's uncaught DomainError first (after the messages are set up).
    "mestring.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "mestring.urls"
FORM_RENDERER = "mestring.core.forms.DesignsystemetRenderer"
WSGI_APPLICATION = "mestring.wsgi.application"

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
                "mestring.tenancy.context_processors.active_municipality",
                "mestring.home.context_processors.menu",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
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
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failed logins (password or second factor).
# Emergency access ("break the glass") lasts this many hours.
MESTRING_EMERGENCY_ACCESS_HOURS = env_int("MESTRING_EMERGENCY_ACCESS_HOURS", default=8)
# Registering a message of need lets the registrar open that message (not the record)
# this many days; a leader reviews it (access review queue).
MESTRING_INTAKE_ACCESS_DAYS = env_int("MESTRING_INTAKE_ACCESS_DAYS", default=3)
# Access a leader grants themselves (or their own unit) ends within this many days,
# needs a reason and is reviewed by another leader.
MESTRING_SELF_GRANT_MAX_DAYS = env_int("MESTRING_SELF_GRANT_MAX_DAYS", default=30)
# A message of need not handled within this many days shows as overdue in the inbox.
MESTRING_REFERRAL_DAYS_NORMAL = env_int("MESTRING_REFERRAL_DAYS_NORMAL", default=14)
MESTRING_REFERRAL_DAYS_URGENT = env_int("MESTRING_REFERRAL_DAYS_URGENT", default=3)
# The shortest time the access log is kept: a municipality's administrator may choose a
# longer period for it, never a shorter one; only the installation sets it.
MESTRING_AUDIT_MIN_YEARS = env_int("MESTRING_AUDIT_MIN_YEARS", default=10)
MESTRING_LOGIN_MAX_FAILURES = env_int("MESTRING_LOGIN_MAX_FAILURES", default=5)
MESTRING_LOGIN_LOCK_MINUTES = env_int("MESTRING_LOGIN_LOCK_MINUTES", default=30)

# Sessions: the middleware ends them after the idle and the absolute timeout (and says
# why); the stored session outlives both only so that the middleware sees it to say so.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
MESTRING_SESSION_IDLE_SECONDS = env_int("MESTRING_SESSION_IDLE_MINUTES", default=30) * 60
MESTRING_SESSION_ABSOLUTE_SECONDS = env_int("MESTRING_SESSION_ABSOLUTE_HOURS", default=10) * 3600
# Citizens on Min side (portal.middleware): logged out after this long without a request.
MESTRING_CITIZEN_IDLE_SECONDS = env_int("MESTRING_CITIZEN_IDLE_MINUTES", default=15) * 60
# ... and after this long however active: a login on ID-porten is not for the whole day.
MESTRING_CITIZEN_ABSOLUTE_SECONDS = env_int("MESTRING_CITIZEN_ABSOLUTE_HOURS", default=4) * 3600
SESSION_COOKIE_AGE = MESTRING_SESSION_ABSOLUTE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("nn", _("Norsk nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["mestring.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("MESTRING_STATIC_ROOT", DATA_DIR / "static"))
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

# Serve static files from the apps directly outside production (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG and not PRODUCTION

# Security headers. X-Frame-Options and CSP frame-ancestors both forbid framing.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

if PRODUCTION:
    # TLS ends at the reverse proxy (docs/deploy.md), which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("MESTRING_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("MESTRING_HSTS_SECONDS", default=63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies: Secure, path /, no Domain — cannot be set by a sibling host.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

# JSON lines on stderr with the request id; identity numbers redacted (core/logging.py).
# The access log (one line per request) is INFO; MESTRING_ACCESS_LOG_LEVEL=WARNING hides it.
LOGGING = logging_config(
    level=os.environ.get("MESTRING_LOG_LEVEL", "WARNING"),
    access_level=os.environ.get("MESTRING_ACCESS_LOG_LEVEL", "INFO"),
)

# The address e-mail notices link to (reminders, portal messages).
MESTRING_SITE_URL = os.environ.get("MESTRING_SITE_URL", "http://localhost:8000")
EMAIL_BACKEND = os.environ.get(
    "MESTRING_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
OTP_TOTP_ISSUER = "Mestring"
