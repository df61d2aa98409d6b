"""Django settings for ST-portalen. Every deploy value comes from the environment (see env.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from stportal.env import ConfigError, data_dir, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105
    else:
        raise ConfigError(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment "
            "(or DEBUG=true for local development; after `stportal demo`, the `stportal` "
            "command finds the demo's own secret in the data folder)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Behind the region's TLS proxy these are switched on together (Appendix A).
SECURE = env_bool("SECURE", False)
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
# includeSubDomains and preload bind every host of the region's domain (and, for preload, the
# browsers' lists for a long time): the region chooses them on their own.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE and env_bool("STPORTAL_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = SECURE and env_bool("STPORTAL_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    SILENCED_SYSTEM_CHECKS.append("security.W005")  # a deliberate choice, see above
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Idle timeout: the session lasts this long after the person's last request.
SESSION_IDLE_MINUTES = env_int("STPORTAL_SESSION_IDLE_MINUTES", 60)
if SESSION_IDLE_MINUTES < 1:
    raise ConfigError("STPORTAL_SESSION_IDLE_MINUTES must be at least 1.")
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Single sign-on (below): installed whether or not it is configured, so that the database
    # has the same tables and migrations either way.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ninja",
    "stportal.core",
    "stportal.accounts",
    "stportal.curricula",
    "stportal.courses",
    "stportal.registrations",
    "stportal.notifications",
    "stportal.attendance",
    "stportal.certificates",
    "stportal.catalogue",
    "stportal.faq",
    "stportal.statements",
    "stportal.stdays",
    "stportal.funding",
    "stportal.secondments",
    "stportal.plan",
    "stportal.studytime",
    "stportal.assessments",
    "stportal.annualreport",
    "stportal.completion",
    "stportal.portfolio",
    "stportal.api",
]

MIDDLEWARE = [
    "stportal.core.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "stportal.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stportal.core.middleware.SwedishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "stportal.core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "stportal.core.middleware.ActiveRegionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "stportal.core.middleware.StaffTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "stportal.core.middleware.BusyMiddleware",
]

ROOT_URLCONF = "stportal.urls"
WSGI_APPLICATION = "stportal.wsgi.application"

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
                "stportal.core.context_processors.roles",
            ],
        },
    }
]

# Database: SQLite by default (WAL, IMMEDIATE write transactions so writers queue instead of
# racing, C13); PostgreSQL through psycopg 3 when DATABASE_URL points at it.
DATA_DIR.mkdir(parents=True, exist_ok=True)
_default_sqlite = f"sqlite:///{DATA_DIR / 'stportal.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_sqlite) or _default_sqlite
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
LOCK_TIMEOUT_SECONDS = env_int("STPORTAL_LOCK_TIMEOUT", 5)
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=30000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A write that waits for a lock waits this long, then gives up: the request answers
    # "busy, try again" instead of holding a worker (and piling up the ones behind it).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={LOCK_TIMEOUT_SECONDS * 1000}"
    )

# A cache every worker process shares, in the database itself (the embedded SQLite file too):
# the log-in rate limits and the used one-time codes live here. Its table is made by a
# migration of stportal.core.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "stportal_cache",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
if env_bool("STPORTAL_FAST_PASSWORD_HASHER", False):
    # Test runs only: the default hasher is deliberately slow and dominates test time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# django-allauth: username or e-mail log-in, no self sign-up (people come from HR imports
# and staff), log-in attempts rate limited in the shared cache.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "stportal.accounts.adapters.NoSignupAccountAdapter"
# Ten failed attempts lock that account for 15 minutes, whatever address they come from (the
# adapter keys them on the account). The per-address limits only slow a sweep over many names:
# high enough that the others at a hospital's shared address still log in.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "60/5m/ip,10/15m/key",
}
# The client's address for those limits: X-Forwarded-For behind this many proxies of the
# region's own (0: the connecting address; the header is ignored, as anyone can send it).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("STPORTAL_TRUSTED_PROXIES", 0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ConfigError("STPORTAL_TRUSTED_PROXIES must be 0 or more.")
ACCOUNT_LOGOUT_ON_GET = False
# Two-factor log-in with an authenticator app (TOTP) and recovery codes (django-allauth MFA).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ST-portalen"
# When true, course admins and regional study directors must set up an authenticator app
# before they can use anything else.
REQUIRE_MFA_FOR_STAFF = env_bool("STPORTAL_REQUIRE_MFA_FOR_STAFF", False)

# Optional single sign-on through the region's OpenID Connect identity provider (SPEC 7), off
# unless STPORTAL_OIDC_SERVER_URL is set. The identity is matched to an existing active account
# by a verified attribute (accounts/sso_rules.py), never signed up; password log-in stays. The
# provider is registered under OIDC_PROVIDER_ID: its redirect URI at the provider is
# /accounts/oidc/<OIDC_PROVIDER_ID>/login/callback/.
OIDC_PROVIDER_ID = "region"
OIDC_SERVER_URL = env_str("STPORTAL_OIDC_SERVER_URL")
SOCIALACCOUNT_ADAPTER = "stportal.accounts.adapters.SingleSignOnAdapter"
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
# Origins besides the product's own that a form may lead to (the Content-Security-Policy's
# form-action): the identity provider's, when single sign-on is on.
CSP_FORM_ACTION_ORIGINS: list[str] = []
if OIDC_SERVER_URL:
    _oidc_url = urlsplit(OIDC_SERVER_URL)
    if _oidc_url.scheme != "https" and _oidc_url.hostname not in ("localhost", "127.0.0.1"):
        raise ConfigError("STPORTAL_OIDC_SERVER_URL must be an https:// address.")
    CSP_FORM_ACTION_ORIGINS = [f"{_oidc_url.scheme}://{_oidc_url.netloc}"]
    OIDC_CLIENT_ID = env_str("STPORTAL_OIDC_CLIENT_ID")
    if not OIDC_CLIENT_ID:
        raise ConfigError("STPORTAL_OIDC_CLIENT_ID must be set with STPORTAL_OIDC_SERVER_URL.")
    OIDC_MATCH_CLAIM = env_str("STPORTAL_OIDC_MATCH_CLAIM", "email") or "email"
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,100}", OIDC_MATCH_CLAIM):
        raise ConfigError("STPORTAL_OIDC_MATCH_CLAIM must be the name of a claim, like email.")
    SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": OIDC_PROVIDER_ID,
                    "name": env_str("STPORTAL_OIDC_NAME", "SSO"),
                    "client_id": OIDC_CLIENT_ID,
                    "secret": env_str("STPORTAL_OIDC_CLIENT_SECRET", "") or "",
                    "settings": {
                        "server_url": OIDC_SERVER_URL.rstrip("/"),
                        "match_claim": OIDC_MATCH_CLAIM,
                    },
                }
            ],
        }
    }
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")) or "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")) or "media")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"  # used by the demo's file-based e-mail backend
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# The address people reach the product on, for links in e-mail and on certificates.
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ST-portalen <noreply@localhost>")
# E-mail is queued with each action and sent by the mail worker (`stportal send-mail`, run
# beside the web workers). Where no worker runs (the demo, the test suite) this sends each
# action's e-mail right after its commit instead; never in production.
STPORTAL_SEND_MAIL_INLINE = env_bool("STPORTAL_SEND_MAIL_INLINE", False)
# /readyz answers 503 once the oldest message due has waited longer than this.
OUTBOX_STALLED_MINUTES = env_int("STPORTAL_OUTBOX_STALLED_MINUTES", 30)

# Where people may also write about an accessibility barrier (shown on the accessibility
# statement beside its report form); empty: the form only.
ACCESSIBILITY_CONTACT = env_str("STPORTAL_ACCESSIBILITY_CONTACT", "") or ""

# Domain settings.
OFFER_HOURS = env_int("STPORTAL_OFFER_HOURS", 48)  # C11
API_TOKEN_DAYS = env_int("STPORTAL_API_TOKEN_DAYS", 90)  # a personal API token's lifetime
FREE_CANCEL_HOURS_AFTER_LATE_CONFIRMATION = 24  # C11
# What one night at the host site costs the central ST budget, in whole SEK (C20): the default
# for a new course week's nightly rate, which staff then set per week.
LODGING_NIGHTLY_RATE_SEK = env_int("STPORTAL_LODGING_NIGHTLY_RATE", 1200)
# The largest certificate form staff may upload, in bytes (C18a; the official forms are 1–2 MB).
CERTIFICATE_FORM_MAX_BYTES = env_int("STPORTAL_FORM_MAX_BYTES", 5 * 1024 * 1024)
# The largest course certificate a trainee attaches to a funding application, in bytes (P3).
FUNDING_CERTIFICATE_MAX_BYTES = env_int("STPORTAL_FUNDING_CERTIFICATE_MAX_BYTES", 5 * 1024 * 1024)
# Competence assessments (P12): how many days an assessor's link works, and how many completed
# assessments a year a region expects of a trainee unless its staff set their own number.
ASSESSMENT_LINK_DAYS = env_int("STPORTAL_ASSESSMENT_LINK_DAYS", 30)
if ASSESSMENT_LINK_DAYS < 1:
    raise ConfigError("STPORTAL_ASSESSMENT_LINK_DAYS must be at least 1.")
ASSESSMENTS_PER_YEAR = env_int("STPORTAL_ASSESSMENTS_PER_YEAR", 4)
if not 0 <= ASSESSMENTS_PER_YEAR <= 100:
    raise ConfigError("STPORTAL_ASSESSMENTS_PER_YEAR must be between 0 and 100.")

# Retention (GDPR art. 5(1)(e); docs/privacy.md "Retention and erasure"): a person whose
# account is inactive is anonymised this many years after the last change to anything of
# theirs or the end of their ST, whichever is later (`stportal erase-personal-data`); a sent
# e-mail's address, subject and text are cleared this many days after it was written.
RETENTION_PERSON_YEARS = env_int("STPORTAL_RETENTION_PERSON_YEARS", 10)
if not 1 <= RETENTION_PERSON_YEARS <= 100:
    raise ConfigError("STPORTAL_RETENTION_PERSON_YEARS must be between 1 and 100.")
RETENTION_OUTBOX_DAYS = env_int("STPORTAL_RETENTION_OUTBOX_DAYS", 730)
if not 1 <= RETENTION_OUTBOX_DAYS <= 36_500:
    raise ConfigError("STPORTAL_RETENTION_OUTBOX_DAYS must be between 1 and 36500.")

# Logs on standard error: plain text, or one JSON object per line for log shipping
# (`STPORTAL_LOG_FORMAT=json`). Every line carries the request's id; personal identity
# numbers are masked before any handler sees them (`core.requestlog`).
LOG_FORMAT = env_str("STPORTAL_LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ConfigError("STPORTAL_LOG_FORMAT must be text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "stportal.core.requestlog.RequestIdFilter"},
        "personal_ids": {"()": "stportal.core.requestlog.PersonalIdFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "stportal.core.requestlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "personal_ids"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per request from the product's own middleware; Django's server and
        # gunicorn keep their own access logs out of the way.
        "stportal.request": {"level": env_str("STPORTAL_ACCESS_LOG_LEVEL", "INFO")},
    },
}
