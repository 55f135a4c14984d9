"""Protection Desk settings: one module, configured from environment variables.

PROTECTDESK_DATA_DIR         database, encrypted files, logs (default ./var)
DATABASE_URL                 PostgreSQL when set (postgres://user@host:5432/name)
PROTECTDESK_SECRET_KEY_FILE  the server secret (generated into the data dir when unset)
PROTECTDESK_ALLOWED_HOSTS    comma-separated host names (default 127.0.0.1,localhost)
PROTECTDESK_DEBUG            1 for development (runserver, debug pages)
PROTECTDESK_HTTPS            1 when served over HTTPS (secure cookies, HSTS, redirect)
PROTECTDESK_ONION            1 when served only as an onion service (no HTTPS needed)
PROTECTDESK_IDLE_MINUTES     idle session expiry (default 30)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from protectdesk.crypto.kdf import PRODUCTION_KDF
from protectdesk.lib.env import env_bool, env_int, env_list, make_private, read_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PROTECTDESK_DATA_DIR", "./var")).resolve()
LOG_DIR = DATA_DIR / "logs"
FILES_DIR = DATA_DIR / "files"
STATIC_ROOT = DATA_DIR / "static"
BACKUPS_DIR = DATA_DIR / "backups"  # made by `protectdesk backup` when first needed
for _directory in (DATA_DIR, LOG_DIR, FILES_DIR, STATIC_ROOT):
    _directory.mkdir(parents=True, exist_ok=True, mode=0o700)
# mkdir's mode applies only to directories it creates; ones made by an installer, an earlier
# version or by hand are tightened here (only the desk's own paths: the data dir may be shared).
make_private(DATA_DIR, LOG_DIR, FILES_DIR, STATIC_ROOT, BACKUPS_DIR, DATA_DIR / "tmp")
make_private(*LOG_DIR.iterdir())

SECRET_KEY, SECRET_KEY_PATH, SECRET_KEY_GENERATED = read_secret_key(
    os.environ.get("PROTECTDESK_SECRET_KEY_FILE"), DATA_DIR
)
DEBUG = env_bool("PROTECTDESK_DEBUG")
HTTPS = env_bool("PROTECTDESK_HTTPS")
ONION = env_bool("PROTECTDESK_ONION")
ALLOWED_HOSTS = env_list("PROTECTDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Background jobs: Django's tasks framework (backport) and its database backend, whose
    # worker `protectdesk serve` runs beside the web server (protectdesk/records/jobs.py).
    "django_tasks",
    "django_tasks_db",
    # The project package itself: the `protectdesk` CLI commands, shared templates and static.
    "protectdesk",
    "protectdesk.accounts",
    "protectdesk.audit",
    "protectdesk.records",
    "protectdesk.cases",
    "protectdesk.attachments",
    "protectdesk.search",
    "protectdesk.incidents",
    "protectdesk.threats",
    "protectdesk.risk",
    "protectdesk.plans",
    "protectdesk.wheel",
    "protectdesk.exports",
    "protectdesk.imports",
    "protectdesk.library",
    "protectdesk.training",
    "protectdesk.partners",
    "protectdesk.advocacy",
    "protectdesk.analytics",
    "protectdesk.intake",
    "protectdesk.api",
]
# Deliberately absent: django.contrib.admin (its LogEntry stores object reprs in clear) and
# django.contrib.sessions (our session model in `accounts` records the owner, for "sign out all").

MIDDLEWARE = [
    "protectdesk.attachments.uploads.PendingUploadCleanup",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "protectdesk.lib.headers.SecurityHeadersMiddleware",
    "protectdesk.lib.headers.NoCookieMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "protectdesk.accounts.middleware.SessionKeyMiddleware",
    "protectdesk.lib.headers.TamperedDataMiddleware",
]

ROOT_URLCONF = "protectdesk.urls"
WSGI_APPLICATION = "protectdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "protectdesk.lib.context.shell",
            ],
            "string_if_invalid": "",
        },
    }
]

# --- background jobs (protectdesk/records/jobs.py) -----------------------------------------
# The queue lives in the database, so a laptop needs no other server. A job's arguments are ids
# only; the keys it needs are sealed to a one-time key of the worker that will run it, which
# takes them from a queue of its own (named after the worker), so "QUEUES" is not a fixed list.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": [],
    }
}

# --- database -----------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "protectdesk.sqlite3"
# The entry points' umask makes a new database 0600, and SQLite gives its -wal and -shm the
# database file's mode; a database created earlier (older versions left it 0644) is fixed here.
make_private(*(Path(f"{SQLITE_PATH}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")))
if os.environ.get("DATABASE_URL"):
    # Connections are kept for a minute (no new connection per request); health checks make
    # each request test a kept connection before its first query and reconnect if it died, so
    # after PostgreSQL restarts the app serves again at once (without them, the first request
    # on each kept connection would fail). tests/faults/test_postgres_restart.py.
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # Writers queue instead of failing; BEGIN IMMEDIATE takes the write lock at the
                # start of every transaction, which also serialises audit-chain appends.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                # WAL for concurrent readers; secure_delete so freed pages are zeroed.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA secure_delete=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts, passwords, sessions --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["protectdesk.accounts.backends.LoginBackend"]
PASSWORD_HASHERS = ["protectdesk.accounts.hashers.ProtectDeskArgon2Hasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "protectdesk.accounts.validators.BundledCommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("login", "display_name")},
    },
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

#: Argon2id cost for sealing users' private keys (security.md Keys 1). Tests lower it.
PROTECTDESK_KDF = PRODUCTION_KDF
PROTECTDESK_IDLE_MINUTES = env_int("PROTECTDESK_IDLE_MINUTES", 30)
PROTECTDESK_INVITATION_DAYS = 7
#: Calls a JSON API token may make per minute (api.actions).
PROTECTDESK_API_CALLS_PER_MINUTE = env_int("PROTECTDESK_API_CALLS_PER_MINUTE", 120)

SESSION_ENGINE = "protectdesk.accounts.sessions"
SESSION_COOKIE_NAME = "pd_session"
SESSION_COOKIE_AGE = PROTECTDESK_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle expiry slides with every request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # no Max-Age on the cookie
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "protectdesk.views.csrf_failure"
LANGUAGE_COOKIE_SAMESITE = "Strict"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
# Messages live in the session; they never carry identifying data (canary-tested).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
OTP_TOTP_ISSUER = "Protection Desk"

# --- security headers (security.md "Other controls"; pinned by tests/test_headers.py) -------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "style-src": [SELF],
        "img-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}
# Same-origin: the desk's own pages get the Referer and Origin that Django's stock CSRF
# middleware checks; every other site gets nothing (security.md, "Less hand-written code").
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
# Preload-list submission is a commitment for the whole domain, the desk's decision, not ours.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if ONION:
    # An onion service's transport is end-to-end encrypted by Tor; HTTPS-only settings do not
    # apply (https:// on .onion needs a special certificate most desks will not have).
    SILENCED_SYSTEM_CHECKS += [
        "security.W004",
        "security.W008",
        "security.W011",
        "security.W012",
        "security.W016",
    ]

# --- uploads: nothing identifying may touch the disk in clear -------------------------------
# The only upload handler encrypts as bytes arrive (images are cleaned in memory first); see
# protectdesk/attachments/uploads.py. Django's own handlers would write large files to /tmp.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Django's hard stop on files per request. Each form's own limit is kept by the upload handler
# (one file, five on the public intake's report): a file past it is refused as it arrives and
# nothing of it is kept (attachments.uploads.FILES_ALLOWED). Past this many, the whole request
# is refused as malformed.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_HANDLERS = ["protectdesk.attachments.uploads.EncryptingUploadHandler"]

# --- internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True  # serve straight from the package; nothing to collect by hand

# --- logging: ids only, never identifying data (canary-tested) ------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "protectdesk.lib.logs.RedactFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "file": {
            "class": "protectdesk.lib.logs.PrivateRotatingFileHandler",
            "filename": str(LOG_DIR / "protectdesk.log"),
            "maxBytes": 5 * 1024 * 1024,
            "backupCount": 3,
            "formatter": "plain",
            "filters": ["redact"],
        },
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["file", "console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The development server logs each 4xx request line, query string included (a public
        # library search): errors only.
        "django.server": {"level": "ERROR"},
        # WeasyPrint names, in its warnings, each character a font cannot draw: from a plan,
        # that is identifying text. It logs nothing anywhere (lib/pdf.py counts what it can).
        "weasyprint": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "fontTools": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
