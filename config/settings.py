"""Waarborg settings: one module, everything from environment variables (see README)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from config.env import (
    data_dir,
    database_from_url,
    env_bind,
    env_bool,
    env_choice,
    env_email,
    env_int,
    env_keys,
    env_list,
    env_networks,
    env_secret_token,
    env_smtp,
    env_str,
    env_url,
    env_webhook,
    keyfile_secrets,
)
from waarborg.core.errors import SettingError

BASE_DIR = Path(__file__).resolve().parent.parent

WAARBORG_ENV = env_choice("WAARBORG_ENV", "development", ("development", "production"))
PRODUCTION = WAARBORG_ENV == "production"
DEBUG = env_bool("WAARBORG_DEBUG", False)
if PRODUCTION and DEBUG:
    raise SettingError("WAARBORG_DEBUG must be off when WAARBORG_ENV=production")

DATA_DIR = data_dir()
FILES_DIR = DATA_DIR / "files"
# Uploaded and generated files (documents, attachments) live in the data directory, never in
# the working directory of the process.
MEDIA_ROOT = FILES_DIR
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": FILES_DIR}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

_keys = {} if PRODUCTION else keyfile_secrets(DATA_DIR)


def _secret(env_name: str, key: str) -> str:
    value = env_str(env_name)
    if value:
        return value
    if PRODUCTION:
        raise SettingError(f"{env_name} must be set when WAARBORG_ENV=production")
    return _keys[key]


SECRET_KEY = _secret("WAARBORG_SECRET_KEY", "secret_key")
WAARBORG_ENCRYPTION_KEY = _secret("WAARBORG_ENCRYPTION_KEY", "encryption_key")
WAARBORG_AUDIT_KEY = _secret("WAARBORG_AUDIT_KEY", "audit_key")
WAARBORG_IDENTIFIER_KEY = _secret("WAARBORG_IDENTIFIER_KEY", "identifier_key")

ALLOWED_HOSTS = env_list(
    "WAARBORG_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise SettingError("WAARBORG_ALLOWED_HOSTS must be set when WAARBORG_ENV=production")

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", "") or "", sqlite_default=DATA_DIR / "waarborg.sqlite3")
}

INSTALLED_APPS = [
    "waarborg.auth_web.apps.AdminConfig",  # Django's admin: verified superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # the API's Swagger UI from its own static files (no CDN)
    "waarborg.core",
    "waarborg.audit",
    "waarborg.accounts",
    "waarborg.customers",
    "waarborg.catalogue",
    "waarborg.billing",
    "waarborg.correspondence",
    "waarborg.consents",
    "waarborg.careers",
    "waarborg.register",
    "waarborg.dunning",
    "waarborg.privacy",
    "waarborg.incidents",
    "waarborg.subjects",
    "waarborg.exports",
    "waarborg.erasure",
    "waarborg.retention",
    "waarborg.operations",
    "waarborg.backup",
    "waarborg.demo",
    "waarborg.auth_web",
    "waarborg.web",
    "waarborg.portal",
    "waarborg.public",
    "waarborg.engagement",
    "waarborg.backoffice",
    "waarborg.api",
]

AUTH_USER_MODEL = "accounts.Account"

MIDDLEWARE = [
    "waarborg.operations.proxy.TrustedProxyMiddleware",  # forwarded headers only from WAARBORG_TRUSTED_PROXIES
    "waarborg.operations.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "waarborg.auth_web.middleware.SecurityHeadersMiddleware",  # CSP, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "waarborg.engagement.middleware.CookieConsentMiddleware",  # declared cookies only; analytics with consent (C1)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "waarborg.web.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "waarborg.auth_web.middleware.SecondFactorMiddleware",  # nobody half signed in (B3)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "waarborg.web.middleware.DomainErrorsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waarborg.web.context.controller",
                "waarborg.web.context.navigation",
            ]
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "waarborg" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Static files are served by the application itself (WhiteNoise), straight from the apps.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(exist_ok=True)  # filled by `collectstatic`; until then the apps' files serve
WHITENOISE_AUTOREFRESH = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions expire: a back office left open must not stay signed in.
SESSION_COOKIE_AGE = env_int("WAARBORG_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"  # a session cookie set only by the language switch

# Sign-in (B3): email + password, then an authenticator code for staff (django-otp TOTP).
LOGIN_URL = "auth_web:login"
LOGIN_REDIRECT_URL = "web:start"
LOGOUT_REDIRECT_URL = "web:start"
PASSWORD_RESET_TIMEOUT = 3600
# Throttling, counted from LoginEvent rows: failures in a window lock sign-in for a while.
WAARBORG_LOGIN_MAX_FAILURES = env_int("WAARBORG_LOGIN_MAX_FAILURES", 5, minimum=1)
WAARBORG_LOGIN_MAX_FAILURES_PER_IP = env_int("WAARBORG_LOGIN_MAX_FAILURES_PER_IP", 20, minimum=1)
WAARBORG_LOGIN_WINDOW_SECONDS = 15 * 60
WAARBORG_LOGIN_LOCK_SECONDS = 15 * 60
if PRODUCTION:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("WAARBORG_HSTS_PRELOAD", False)
    SECURE_SSL_REDIRECT = env_bool("WAARBORG_SSL_REDIRECT", True)
# Behind a reverse proxy (nginx): X-Forwarded-Proto and X-Forwarded-For count only from these
# addresses; the proxy middleware refuses forwarded headers from any other (400).
WAARBORG_TRUSTED_PROXIES = env_networks("WAARBORG_TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A monitor on the server itself may ask the application server directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# The controller (K1): who answers for the data. The defaults are the demo's fictional provider.
WAARBORG_CONTROLLER = {
    "name": env_str("WAARBORG_CONTROLLER_NAME", "Duinhost B.V."),
    "street": env_str("WAARBORG_CONTROLLER_STREET", "Havenkade 12"),
    "postcode": env_str("WAARBORG_CONTROLLER_POSTCODE", "1013 AB"),
    "town": env_str("WAARBORG_CONTROLLER_TOWN", "Amsterdam"),
    "kvk": env_str("WAARBORG_CONTROLLER_KVK", "12345678"),
    "email": env_str("WAARBORG_CONTROLLER_EMAIL", "privacy@duinhost.example"),
    "phone": env_str("WAARBORG_CONTROLLER_PHONE", "020 123 4567"),
    # The account customers pay to by transfer, printed with the payment reference (IBAN).
    "iban": env_str("WAARBORG_CONTROLLER_IBAN", "NL91ABNA0417164300"),
}
OTP_TOTP_ISSUER = f"{WAARBORG_CONTROLLER['name']} Waarborg"

# The version of the privacy statement and cookie policy that consents are given under (C1):
# every consent record keeps it, and a new version shows which consents predate it.
WAARBORG_POLICY_VERSION = env_str("WAARBORG_POLICY_VERSION", "2025-01") or ""
if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,15}", WAARBORG_POLICY_VERSION):
    raise SettingError(
        "WAARBORG_POLICY_VERSION must be 1 to 16 letters, digits, dots, dashes or underscores, "
        f"not {WAARBORG_POLICY_VERSION!r}"
    )

# PostgreSQL keeps erased values in dead row versions until VACUUM: "now" vacuums the tables an
# erasure touched right after it (slower as the tables grow: every index is read), "daily"
# leaves them to the daily erasure job (one VACUUM per table per day). SQLite is always "now".
WAARBORG_ERASURE_VACUUM = env_choice("WAARBORG_ERASURE_VACUUM", "daily", ("now", "daily"))

# Mail goes to an SMTP server; "file" writes every message to <data dir>/mail instead (the demo
# does that unless WAARBORG_MAIL is set).
WAARBORG_MAIL = env_choice("WAARBORG_MAIL", "smtp", ("smtp", "file"))
if WAARBORG_MAIL == "file":
    EMAIL_BACKEND = "waarborg.core.mailfiles.EmailBackend"
EMAIL_FILE_PATH = DATA_DIR / "mail"
_smtp = env_smtp(production=PRODUCTION)  # host, port, user, password, TLS (starttls, tls, none)
EMAIL_HOST, EMAIL_PORT = _smtp["EMAIL_HOST"], _smtp["EMAIL_PORT"]
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _smtp["EMAIL_HOST_USER"], _smtp["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT = _smtp["EMAIL_USE_TLS"], _smtp["EMAIL_USE_SSL"], _smtp["EMAIL_TIMEOUT"]
WAARBORG_SMTP_TLS = _smtp["WAARBORG_SMTP_TLS"]
DEFAULT_FROM_EMAIL = env_str("WAARBORG_MAIL_FROM", "noreply@duinhost.example")

# Privacy requests (G9): the team lead gets the day-21 deadline warning; links in mails to data
# subjects (one-time links) start with the site URL.
WAARBORG_PRIVACY_TEAM_LEAD_EMAIL = env_email("WAARBORG_PRIVACY_TEAM_LEAD_EMAIL", WAARBORG_CONTROLLER["email"])
WAARBORG_SITE_URL = env_url(
    "WAARBORG_SITE_URL",
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION else "http://localhost:8000",
    https=PRODUCTION,
)

# Dunning (A2, A4): blocks, unblocks and cancellations also go to the provisioning platform as a
# signed webhook (HMAC-SHA256) when a URL is set; see README.
WAARBORG_PROVISIONING_WEBHOOK_URL, WAARBORG_PROVISIONING_WEBHOOK_SECRET = env_webhook(
    "WAARBORG_PROVISIONING_WEBHOOK_URL", "WAARBORG_PROVISIONING_WEBHOOK_SECRET", https=PRODUCTION
)

# Backups and key rotation (docs/operations.md): the backup key encrypts backup files; backups
# are kept WAARBORG_BACKUP_DAYS days, and old keys as long as a backup may still need them. The
# erasure ledger file lives apart from the database (a restore replays it and refuses without it).
WAARBORG_BACKUP_KEY = env_str("WAARBORG_BACKUP_KEY", "") or ""
if WAARBORG_BACKUP_KEY and len(WAARBORG_BACKUP_KEY) < 32:
    raise SettingError("WAARBORG_BACKUP_KEY must be at least 32 characters")
WAARBORG_BACKUP_DAYS = env_int("WAARBORG_BACKUP_DAYS", 35, minimum=1)
WAARBORG_ENCRYPTION_KEYS_OLD = env_keys("WAARBORG_ENCRYPTION_KEYS_OLD", fernet=True)
WAARBORG_IDENTIFIER_KEYS_OLD = env_keys("WAARBORG_IDENTIFIER_KEYS_OLD")
WAARBORG_AUDIT_KEYS_OLD = env_keys("WAARBORG_AUDIT_KEYS_OLD")
WAARBORG_ERASURE_LEDGER = env_str("WAARBORG_ERASURE_LEDGER", "") or ""

# The scheduler (`waarborg scheduler`): the daily jobs at this Amsterdam time, one that every day
# has (not 02:00-02:59); a second daily run waits this many seconds for the first, then gives up.
from config.env import env_daily_time  # noqa: E402

WAARBORG_DAILY_AT = env_daily_time("WAARBORG_DAILY_AT", "03:30")
WAARBORG_DAILY_LOCK_WAIT = env_int("WAARBORG_DAILY_LOCK_WAIT", 60, minimum=0)

# The application server (`waarborg serve`) and what an operator watches: /healthz, and /metrics
# for whoever sends `Authorization: Bearer <WAARBORG_METRICS_TOKEN>` (unset: no /metrics).
WAARBORG_BIND = env_bind("WAARBORG_BIND", "127.0.0.1:8000")
WAARBORG_WORKERS = env_int("WAARBORG_WORKERS", 2 * (os.cpu_count() or 1) + 1, minimum=1)
WAARBORG_METRICS_TOKEN = env_secret_token("WAARBORG_METRICS_TOKEN")
WAARBORG_DAILY_RUN_MAX_AGE_HOURS = 26  # /healthz: the last daily run must be younger

# Logs carry ids and codes, never personal values (B1): the formatter has no place for them,
# and request data is not logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "waarborg.core.redact.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "server": {
            "()": "waarborg.core.redact.RedactingServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice("WAARBORG_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
    "loggers": {
        "django.request": {"level": "ERROR", "propagate": True},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}

SILENCED_SYSTEM_CHECKS: list[str] = []
if PRODUCTION and not SECURE_HSTS_PRELOAD:
    # Preloading is the domain owner's decision (WAARBORG_HSTS_PRELOAD), not a configuration slip.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
