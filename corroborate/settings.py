"""Corroborate settings, read from the environment (see README "Configuration").

Defaults run a local instance on SQLite with nothing else installed. Production sets
DJANGO_DEBUG=false, and then refuses to start without DJANGO_SECRET_KEY and allowed hosts.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Each app imports only those above it: core, investigations, then the domain apps,
    # then what spans them. The site package (settings, URLs) comes last and is no app.
    "core.apps.CoreConfig",
    "accounts.apps.AccountsConfig",
    "investigations",
    "claims",
    "evidence",
    "assessment",
    "proofs.apps.ProofsConfig",
    "teamwork.apps.TeamworkConfig",
    "dossiers",
    "imports",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.permissions_policy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language a signed-in person chose, over the browser's.
    "accounts.middleware.preferred_language",
    # Every page needs a login except those marked @login_not_required (the login page).
    "corroborate.middleware.SiteLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Two-factor sign-in where it is required, and sessions that end when left idle.
    "accounts.middleware.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "corroborate.middleware.StorageUnavailableMiddleware",
    # Turns a lockout into its page (or JSON under /api/); last, so it sees every response.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Serves collected static files in production; in development runserver does it.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "corroborate.urls"
WSGI_APPLICATION = "corroborate.wsgi.application"

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
                "investigations.context_processors.roles",
                "teamwork.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'corroborate.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once (two workers, the API, an import): WAL lets readers go on
    # while one writes; IMMEDIATE takes the write lock when a transaction starts, so a
    # writer waits its turn (up to the timeout) instead of failing with "database is
    # locked" when it upgrades a read lock mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Prepared statements kept per connection (Python's default: 128). Bulk writes
            # send `IN (...)` lists of every length, each its own statement of up to a few
            # hundred kB: 128 of them is tens of MB held for nothing.
            "cached_statements": 16,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one
# account name, or from one address, both are locked for SIGN_IN_LOCKOUT_MINUTES, on the
# web, the admin and the API token endpoint alike. Each failure also waits
# SIGN_IN_FAILURE_DELAY seconds before it is answered.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A locked client hammering on does not extend the lockout of the account it aims at.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Staff lift lockouts on the Lockouts page, which logs it; not by deleting rows in the admin.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# The client's address: the connection's, or behind a proxy (DJANGO_BEHIND_TLS_PROXY) the
# one the proxy added to X-Forwarded-For (accounts.services.request_address).
AXES_CLIENT_IP_CALLABLE = "accounts.services.request_address"
ADDRESS_FROM_PROXY = False
try:
    SIGN_IN_FAILURE_DELAY = float(env_str("SIGN_IN_FAILURE_DELAY", "1") or 1)
except ValueError:
    raise ImproperlyConfigured(
        f"SIGN_IN_FAILURE_DELAY={env_str('SIGN_IN_FAILURE_DELAY')!r} is not a number of seconds."
    ) from None

# Single sign-on with OpenID Connect, on when OIDC_RP_CLIENT_ID is set (README, Security).
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_NAME = env_str("OIDC_NAME", "your organisation's account")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT") or None
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
OIDC_STAFF_GROUP = env_str("OIDC_STAFF_GROUP")
OIDC_USE_PKCE = True
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
if OIDC_ENABLED:
    missing = [
        name
        for name in (
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
        )
        if not globals()[name]
    ]
    if missing:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(missing)} as well.")
    AUTHENTICATION_BACKENDS.append("accounts.oidc.OrganisationBackend")

# Password sign-in; may be switched off when single sign-on is on.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
if not PASSWORD_SIGN_IN:
    if not OIDC_ENABLED:
        raise ImproperlyConfigured(
            "PASSWORD_SIGN_IN=false needs single sign-on (OIDC_RP_CLIENT_ID)."
        )
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")

# Two-factor sign-in (django-otp: an authenticator app and one-time backup codes).
# Required of staff when this is on (the default in production); a lead may require it
# of everyone in an investigation.
TWO_FACTOR_REQUIRED_FOR_STAFF = env_bool("TWO_FACTOR_REQUIRED_FOR_STAFF", not DEBUG)
OTP_TOTP_ISSUER = env_str("CORROBORATE_ORGANISATION", "Corroborate")

# Sessions end after this many minutes without a request (and always when the person
# signs out, or is signed out everywhere). The session's expiry moves on at most once a
# minute, not on every request.
SESSION_ENGINE = "accounts.sessions"
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 8 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

# Mail (password resets), sent by the task queue where there is one. Without EMAIL_HOST,
# messages are written to the console (development).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "corroborate@localhost")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 2) * 3600

# The interface's languages: the browser's choice (Accept-Language) unless the person chose
# one (the header's switcher, kept with their account). Catalogues in locale/, compiled by
# `make run`, `make serve` and `make test` (compilemessages). CORROBORATE_LANGUAGE is the
# instance's own: what commands print, and pages and mail for whoever chose none we have.
LANGUAGES = [
    ("en", "English"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("ar", "العربية"),
]
LANGUAGE_CODE = env_choice("CORROBORATE_LANGUAGE", "en", [code for code, name in LANGUAGES])
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")

# Evidence files live here. Nothing under MEDIA_ROOT is ever served from a public URL:
# MEDIA_URL is deliberately unset, and files go out only through permission-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")

# Every uploaded file goes to disk as it arrives, hashed on the way (evidence/uploads.py);
# nothing of a file is held in memory.
FILE_UPLOAD_HANDLERS = ["evidence.uploads.HashingUploadHandler"]
FILE_UPLOAD_PERMISSIONS = 0o640

REST_FRAMEWORK = {
    # Token first: an unauthenticated call gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.tokens.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.base.MemberPermission"],
    "DEFAULT_PAGINATION_CLASS": "api.base.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.base.exception_handler",
    # JSON for clients; the browsable pages for a person who opens /api/v1/ in a browser.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Corroborate API",
    "DESCRIPTION": "Claims, claimants and evidence, with the web workbench's permissions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs' JavaScript and CSS come from the sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name each for choice sets that several serializers use.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "evidence.models.ReviewStatus",
        "MediaAuthenticityEnum": "evidence.models.MediaAuthenticity",
    },
}

# Dossiers: the address their links point to, and the organisation named as author of
# their ClaimReview and MediaReview markup.
CORROBORATE_BASE_URL = env_str("CORROBORATE_BASE_URL", "http://127.0.0.1:8000")
CORROBORATE_ORGANISATION = env_str("CORROBORATE_ORGANISATION", "Corroborate")
# A claim's PDF or ZIP with more evidence items than this is prepared in the background
# (a PDF takes about 0.14 s per item); so is every ZIP of a list's selection, of at most
# DOSSIER_SELECTION_MAX claims. Prepared files are kept DOSSIER_KEEP_DAYS days.
DOSSIER_INLINE_MAX_ITEMS = env_int("DOSSIER_INLINE_MAX_ITEMS", 20)
DOSSIER_SELECTION_MAX = env_int("DOSSIER_SELECTION_MAX", 1000)
DOSSIER_KEEP_DAYS = env_int("DOSSIER_KEEP_DAYS", 7)

# Evidence intake limits (see evidence/intake.py).
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 2 * 1024**3)
# Images with more pixels than this are refused before they are decoded (decompression
# bombs); 200 megapixels admits large satellite scenes.
EVIDENCE_MAX_IMAGE_PIXELS = env_int("EVIDENCE_MAX_IMAGE_PIXELS", 200_000_000)
# Images up to this many pixels get their previews during the upload; larger ones, and
# every video and audio file, in a background task (evidence/tasks.py).
EVIDENCE_INLINE_IMAGE_PIXELS = env_int("EVIDENCE_INLINE_IMAGE_PIXELS", 16_000_000)
# Resumable uploads not finished, or not taken by an evidence item, within this many hours
# are removed (evidence/resumable.py).
UPLOAD_EXPIRE_HOURS = env_int("UPLOAD_EXPIRE_HOURS", 24)
# A task queued or running this long without news may be started again by hand.
EVIDENCE_PROCESSING_STALE_MINUTES = env_int("EVIDENCE_PROCESSING_STALE_MINUTES", 30)

# Renaming a claimant or tag on more claims than this refreshes their search documents in
# background tasks (claims.services.claims_search_refresh_soon).
SEARCH_REFRESH_INLINE_MAX = env_int("SEARCH_REFRESH_INLINE_MAX", 500)

# The task queue (Celery). With a broker (redis://... or amqp://...), `make worker` runs
# the tasks, on as many machines as needed; without one, each task runs in the process
# that asked for it, once its transaction has committed, so `make run` needs nothing else.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Several sites (or a test) can share one broker, each with its own queue.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "corroborate")
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it has finished, not when a worker takes it: a worker killed
# mid-task leaves it on the queue for another (every task is written to run twice safely).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Results live in the database (an item's processing state, a prepared dossier).
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged task to another worker after this many seconds; it must
# exceed the longest task (RabbitMQ notices a lost worker by itself).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3 * 3600),
    # How often a Redis worker looks for such tasks (seconds).
    "unacked_restore_interval": min(env_int("CELERY_VISIBILITY_TIMEOUT", 3 * 3600), 60),
    "unacked_restore_throttle": 1,
}
# A request that queues work waits at most about a second for a broker that is down.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 2 * 3600)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Notifications: changes to one record within this many minutes make one notification (and
# one email); the daily digest goes out at this hour (UTC).
NOTIFICATION_BURST_MINUTES = env_int("NOTIFICATION_BURST_MINUTES", 5)
NOTIFICATION_DIGEST_HOUR = env_int("NOTIFICATION_DIGEST_HOUR", 7)
if not 0 <= NOTIFICATION_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("NOTIFICATION_DIGEST_HOUR must be an hour from 0 to 23.")
if NOTIFICATION_BURST_MINUTES < 0:
    raise ImproperlyConfigured("NOTIFICATION_BURST_MINUTES must be 0 or more.")
# Run by `make scheduler` (exactly one per deployment).
CELERY_BEAT_SCHEDULE = {
    "verify-evidence": {
        "task": "evidence.tasks.verify_evidence",
        "schedule": env_int("EVIDENCE_VERIFY_EVERY_HOURS", 24) * 3600,
    },
    "remove-abandoned-uploads": {
        "task": "evidence.tasks.remove_abandoned_uploads",
        "schedule": 3600,
    },
    # Catches up with the history (watchers, saved-search alerts) when a message was lost;
    # each change also queues this at once.
    "fan-out-notifications": {"task": "teamwork.tasks.fan_out", "schedule": 60},
    "mail-due-notifications": {"task": "teamwork.tasks.mail_due", "schedule": 300},
    "mail-digests": {
        "task": "teamwork.tasks.mail_digests",
        "schedule": crontab(minute=0, hour=NOTIFICATION_DIGEST_HOUR),
    },
    "remove-expired-dossiers": {
        "task": "dossiers.tasks.remove_expired",
        "schedule": 3600,
    },
}

# Proofs (README, "Dossiers a court can check"): the Ed25519 key dossiers are signed with,
# kept outside the database: a file (created by `manage.py signing_key create`), or its PEM
# text in SIGNING_KEY. A Time-Stamping Authority (RFC 3161) timestamps each dossier and,
# every TIMESTAMP_HISTORY_EVERY_HOURS, the history's head; TIMESTAMP_CA_FILE is its
# certificate (or its CA's), to check its tokens against.
# The roots of content-credential signers this instance trusts (a PEM bundle: the C2PA
# trust list, a newsroom's own CAs); without it no signer is trusted, only checked.
C2PA_TRUST_ANCHORS = env_str("C2PA_TRUST_ANCHORS")
SIGNING_KEY = env_str("SIGNING_KEY")
SIGNING_KEY_FILE = Path(env_str("SIGNING_KEY_FILE") or BASE_DIR / "keys" / "signing-key.pem")
TIMESTAMP_URL = env_str("TIMESTAMP_URL")
TIMESTAMP_CA_FILE = env_str("TIMESTAMP_CA_FILE")
TIMESTAMP_TIMEOUT = env_int("TIMESTAMP_TIMEOUT", 10)
TIMESTAMP_HISTORY_EVERY_HOURS = env_int("TIMESTAMP_HISTORY_EVERY_HOURS", 24)
CELERY_BEAT_SCHEDULE["timestamp-history-head"] = {
    "task": "proofs.tasks.timestamp_history",
    "schedule": TIMESTAMP_HISTORY_EVERY_HOURS * 3600,
}

# Secure by default whenever debug is off; each may be relaxed behind a TLS-terminating proxy.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        ADDRESS_FROM_PROXY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# The Content-Security-Policy of every page (django-csp): scripts, styles and images come
# from this site's own files only; no inline script or style is allowed, so none is
# written. An evidence file's own response keeps its stricter sandboxed policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the icons that the admin's and the API docs' style sheets embed.
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Powerful browser features no page of Corroborate uses.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# Where evidence originals, previews and prepared dossiers are kept: "local" (MEDIA_ROOT,
# the default) or "s3", an S3-compatible object store (django-storages). The bucket stays
# private: files are streamed after the app's own permission check, or handed out as
# links signed for at most a minute (EVIDENCE_DOWNLOAD_REDIRECT). MEDIA_ROOT stays the
# local scratch space for uploads in progress either way.
EVIDENCE_STORAGE = env_str("EVIDENCE_STORAGE", "local").lower()
_LOCAL_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_OPTIONS = {
    "bucket_name": env_str("S3_BUCKET"),
    "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
    "region_name": env_str("S3_REGION") or None,
    "access_key": env_str("S3_ACCESS_KEY_ID") or None,
    "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
    "location": env_str("S3_PREFIX"),
    # "path" for most self-hosted stores (SeaweedFS, MinIO); "virtual" or "auto" for AWS.
    "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
    "signature_version": "s3v4",
    "default_acl": None,  # the bucket's own: private
    "querystring_auth": True,
    "querystring_expire": min(env_int("S3_LINK_SECONDS", 60), 60),
    "file_overwrite": True,  # names are generated and unique; a task rewrites its own
}
_S3_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}
if EVIDENCE_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"EVIDENCE_STORAGE={EVIDENCE_STORAGE!r}: use local or s3.")
if EVIDENCE_STORAGE == "s3" and not S3_OPTIONS["bucket_name"]:
    raise ImproperlyConfigured("EVIDENCE_STORAGE=s3 needs S3_BUCKET (and usually S3_ENDPOINT_URL).")
# With the object store: hand out signed links (True) or stream through the app (False).
EVIDENCE_DOWNLOAD_REDIRECT = env_bool("EVIDENCE_DOWNLOAD_REDIRECT", True)

STORAGES = {
    "default": _S3_STORAGE if EVIDENCE_STORAGE == "s3" else _LOCAL_STORAGE,
    # Both stores by name, for copying one into the other (manage.py storage_copy).
    "local": _LOCAL_STORAGE,
    **({"s3": _S3_STORAGE} if S3_OPTIONS["bucket_name"] else {}),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# WhiteNoise compresses static files once, at collectstatic (gzip and Brotli). Source
# maps are for developers' tools and the CJK font for the PDF renderer only: compressing
# them took most of the half minute collectstatic spent, for no reader.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("woff", "woff2", "mp4", "webm", "map", "ttf"),
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
