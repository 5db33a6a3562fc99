"""Settings for Keuzehulp e-mail, read from the environment.

Development needs no variables at all; production sets DJANGO_DEBUG=false and
DJANGO_SECRET_KEY. Every variable is documented in README.md and .env.example.
"""

import os
from pathlib import Path

import dj_database_url
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    # Development only: a fixed key keeps sessions alive across restarts.
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Django's admin with the back office's site: two-factor login and the dashboard.
    "advisor.apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Trigram search indexes on PostgreSQL (migration 0013); does nothing on SQLite.
    "django.contrib.postgres",
    "formtools",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # The task queue (PDF rendering, mail): its tables, `manage.py procrastinate`, the admin.
    "procrastinate.contrib.django",
    # Only for its system check: rate-limit counters need a cache all processes share.
    "django_ratelimit",
    "advisor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy, Cross-Origin-Resource-Policy, Reporting-Endpoints, admin noindex.
    "advisor.web.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads the body: giant bodies (413) and files on public pages (400).
    "advisor.web.middleware.RequestLimitsMiddleware",
    # A database outage becomes a branded 503 page instead of a traceback.
    "advisor.web.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff sessions: browser-close cookie, idle and maximum age (visitors keep 1 day).
    "advisor.web.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After XFrameOptions: lets the public pages into the sites in EMBED_ALLOWED_ORIGINS.
    "advisor.web.middleware.EmbeddingMiddleware",
    # Turns django-ratelimit's refusal into the branded 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "advisor.web.context_processors.branding",
            ],
            # {% fragment %}: parts of pages rendered once and cached (advisor/web/fragments.py).
            "libraries": {"fragments": "advisor.web.fragments"},
        },
    },
]

# SQLite in the project by default so a fresh clone needs no server;
# DATABASE_URL=postgres://... switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work: procrastinate (README "Background work") ---
# On PostgreSQL jobs wait in procrastinate's tables until a worker (`make worker`) runs them.
# On SQLite there is no queue to share: jobs are kept in memory and run in the web process
# right after the transaction commits. Development only: a system check refuses it when
# DEBUG is off (advisor.queue.checks).
TASKS_IN_PROCESS = DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
if TASKS_IN_PROCESS:
    # procrastinate's schema is PostgreSQL SQL: SQLite skips its migrations.
    MIGRATION_MODULES = {"procrastinate": None}
PROCRASTINATE_ON_APP_READY = "advisor.queue.app.on_app_ready"
# Each room's tasks.py holds its jobs; every process imports them all.
PROCRASTINATE_IMPORT_PATHS = ["advisor.queue.tasks", "advisor.outbox.tasks",
                              "advisor.reports.tasks", "advisor.questionnaire.tasks",
                              "advisor.webhooks.tasks"]
PROCRASTINATE_WORKER_DEFAULTS = {
    # Jobs at the same time per worker process; PDFs are rendered one per job.
    "concurrency": int(os.environ.get("WORKER_CONCURRENCY", "2")),
    # A worker shows it is alive this often; one silent for JOB_STALLED_AFTER seconds is
    # taken for dead and its running jobs are retried by another worker.
    "update_heartbeat_interval": float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10")),
    "stalled_worker_timeout": float(os.environ.get("JOB_STALLED_AFTER", "60")),
    # Finished jobs are removed; failed ones stay for the admin's job list.
    "delete_jobs": "successful",
}
JOB_STALLED_AFTER = PROCRASTINATE_WORKER_DEFAULTS["stalled_worker_timeout"]
# How often a worker looks for jobs of stalled workers (cron; a sixth field means seconds).
JOB_RECOVERY_CRON = os.environ.get("JOB_RECOVERY_CRON", "* * * * *")
# How often a worker hands the yearly check-up reminders that are due to the outbox (cron).
CHECKUP_REMINDER_CRON = os.environ.get("CHECKUP_REMINDER_CRON", "17 * * * *")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# BRAND_ASSETS_DIR: a folder with the consultant's own logo, searched before static/.
STATICFILES_DIRS = [
    *([Path(os.environ["BRAND_ASSETS_DIR"])] if os.environ.get("BRAND_ASSETS_DIR") else []),
    BASE_DIR / "static",
]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Reports and uploaded logos are private: readable by the site's own user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# S3_BUCKET: keep media (reports, logos) in S3-compatible object storage that several hosts
# share, instead of the local disk (README "Files").
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "location": os.environ.get("S3_PREFIX", ""),
            # Private objects; the site serves them itself (logo view, report download).
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Development and tests serve static files from the app folders; production from STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The questionnaire's answers live in the session until the contact step; a day is enough to
# finish it after a break, and every live session is personal data a privacy request must
# reach. A visit that has answered nothing gets no session at all (questionnaire/wizard.py).
SESSION_COOKIE_AGE = 24 * 3600
# Database sessions that index the e-mail addresses they hold by keyed digest, so a privacy
# request finds an unfinished questionnaire without decoding every session.
SESSION_ENGINE = "advisor.privacy.sessions"
SESSION_COOKIE_HTTPONLY = True

# Django 6.1 mailers (the EMAIL_* settings are deprecated). The console backend prints mail
# in development; the deliver_mail job sends through this mailer (README "Mail").
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND,
)
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
        }
        if _email_backend == SMTP_BACKEND
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "keuzehulp@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# A mail that meets a temporary failure (server down, 4xx) is tried again after 1, 2, 4, ...
# minutes, at most MAIL_RETRY_MINUTES apart, MAIL_MAX_RETRIES times (about a day); a
# permanent refusal (5xx) is not retried. Each mail is a row in advisor.OutgoingMail.
MAIL_RETRY_MINUTES = int(os.environ.get("MAIL_RETRY_MINUTES", "15"))
MAIL_MAX_RETRIES = int(os.environ.get("MAIL_MAX_RETRIES", "96"))
MAIL_RETRY_BASE_SECONDS = 60  # the first wait; tests shorten it
# Absolute links in e-mails (result page, admin) start with this; no trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Who is told about new submissions; empty means the branding e-mail address.
CONSULTANT_EMAIL = os.environ.get("CONSULTANT_NOTIFY_EMAIL", "")
# A result-page link stops working this many days after the submission.
SHARE_LINK_DAYS = int(os.environ.get("SHARE_LINK_DAYS", "90"))
# Anti-spam: report e-mails per report in total, and share requests per client IP.
SHARE_MAX_PER_REPORT = int(os.environ.get("SHARE_MAX_PER_REPORT", "5"))
SHARE_RATE_PER_IP = os.environ.get("SHARE_RATE_PER_IP", "10/h")
# Mails one address (mailbox) may get from the site in any 24 hours, over all reports and
# submissions (the consultant's notifications aside): a bot that types someone else's
# address into the questionnaire again and again reaches them this often at most.
MAILS_PER_ADDRESS_PER_DAY = int(os.environ.get("MAILS_PER_ADDRESS_PER_DAY", "3"))
# A PDF report render taking longer than this many seconds is stopped (and retried by the
# worker a few times before the visitor is told it cannot be made).
REPORT_RENDER_TIMEOUT = float(os.environ.get("REPORT_RENDER_TIMEOUT", "30"))
# Request bodies. The largest form (the contact step) is a few kilobytes; the back office's
# logo upload is at most 1 MB (LOGO_MAX_BYTES). Anything larger is refused unread with 413.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", str(2 * 1024 * 1024)))
# Form fields (not files) held in memory, and their number: beyond these Django answers 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# A file part (only the back office takes one) larger than this goes to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FILES = 1
# Error messages use Bootstrap's "danger" alert style.
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

# How long submissions are kept (privacy statement; AVG storage limitation).
RETENTION_MONTHS = int(os.environ.get("RETENTION_MONTHS", "12"))

# --- The consultant's back office (the admin) ---
# DJANGO_ADMIN_URL: where the admin lives, e.g. "kantoor-7f3a/"; a less obvious path gets
# fewer password-guessing bots.
ADMIN_URL = (os.environ.get("DJANGO_ADMIN_URL") or "admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_URL must name a path, e.g. 'kantoor-7f3a/'.")
# Every staff login needs a code from an authenticator app (TOTP). Only development may
# switch it off, explicitly: DJANGO_ADMIN_REQUIRE_2FA=false.
ADMIN_REQUIRE_2FA = env_bool("DJANGO_ADMIN_REQUIRE_2FA", True)
if not ADMIN_REQUIRE_2FA and not DEBUG:
    raise ImproperlyConfigured("DJANGO_ADMIN_REQUIRE_2FA=false is only allowed when DEBUG is on.")
# Staff sessions end when the browser closes, after 2 idle hours, and after 10 hours in any
# case (a working day): a laptop left open or stolen does not keep the back office open.
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "120"))
STAFF_SESSION_MAX_HOURS = int(os.environ.get("STAFF_SESSION_MAX_HOURS", "10"))
# Export and erasure of personal data need password and code again, valid this long.
PRIVACY_REAUTH_MINUTES = int(os.environ.get("PRIVACY_REAUTH_MINUTES", "10"))
# The name the authenticator app shows next to the code.
OTP_TOTP_ISSUER = "Keuzehulp e-mail"
# How many reverse proxies in front of the site append to X-Forwarded-For. 0 (default): the
# client IP is REMOTE_ADDR, and a visitor's own X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out client before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock out after 5 failed logins, for an hour, counted twice: per client (an IPv4 address or
# an IPv6 /64, advisor/lib/client_ip.py) and per account, so neither many addresses against one
# account nor one client against many accounts gets more tries. The price: anyone can lock the
# consultant's account for an hour (SECURITY.md); `manage.py axes_reset_username` lifts it.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# Never store what was typed into the login form's secret fields in the attempt records
# (axes always masks "password"; the code from the authenticator app is as secret).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token", "otp_device",
                             "otp_challenge"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "advisor.lib.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"

# The consultant's branding. Replaceable per deployment without code changes.
BRANDING = {
    "consultant_name": os.environ.get("BRAND_CONSULTANT_NAME", "Sanne de Vries"),
    "company_name": os.environ.get("BRAND_COMPANY_NAME", "De Vries IT-advies"),
    "email": os.environ.get("BRAND_EMAIL", "advies@devries-it.example"),
    "phone": os.environ.get("BRAND_PHONE", "+31 6 12345678"),
    "website": os.environ.get("BRAND_WEBSITE", "https://devries-it.example"),
    # The booking page of the consultant's online calendar (https only); empty: no button.
    "booking_url": os.environ.get("BRAND_BOOKING_URL", ""),
    "kvk": os.environ.get("BRAND_KVK", ""),
    # A path below static/ or an absolute path to an SVG/PNG on disk.
    "logo": os.environ.get("BRAND_LOGO", "img/logo.svg"),
    # "#rrggbb"; empty (or anything else) means the default colours in advisor/models.py.
    "primary_color": os.environ.get("BRAND_PRIMARY_COLOR", ""),
    "accent_color": os.environ.get("BRAND_ACCENT_COLOR", ""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Logs never hold e-mail addresses, phone numbers or report tokens (AVG; see SECURITY.md).
    "filters": {"redact": {"()": "advisor.lib.log_redaction.RedactPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Replace Django's own handlers, which would print request paths (tokens) unredacted.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint and fontTools narrate every render at INFO; only their problems matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # procrastinate announces its task registration on every start.
        "procrastinate.blueprints": {"level": "WARNING"},
        # httpx logs every request's URL at INFO: a CRM's webhook address can hold a token.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# --- Security: headers, cookies, rate limits (SECURITY.md lists each with its test) ---

# Content-Security-Policy: only our own files, inline <script>/<style> only with the
# per-request nonce ({% csp_nonce_attr %}), no plugins, no <base>, forms post to us only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Bootstrap draws checkboxes, radio buttons and select arrows as data: SVG images.
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "upgrade-insecure-requests": not DEBUG,
    # Violations are reported to /csp-report/ (stored as CspReport): report-to for current
    # browsers (with the Reporting-Endpoints header), report-uri for the others.
    "report-uri": "/csp-report/",
    "report-to": "csp",
}
# A report is a few hundred bytes; refuse bigger bodies, count per client, and stop storing
# at a ceiling so a flood cannot fill the database. Kept for CSP_REPORT_RETENTION_DAYS.
CSP_REPORT_MAX_BYTES = 16 * 1024
CSP_REPORT_RATE_PER_IP = os.environ.get("CSP_REPORT_RATE_PER_IP", "30/h")
CSP_REPORT_MAX_STORED = int(os.environ.get("CSP_REPORT_MAX_STORED", "10000"))
CSP_REPORT_RETENTION_DAYS = int(os.environ.get("CSP_REPORT_RETENTION_DAYS", "30"))
# EMBED_ALLOWED_ORIGINS: sites that may show the questionnaire in an iframe, comma-separated,
# e.g. "https://www.devries-it.nl". Empty: no site may frame any page (clickjacking).
EMBED_ALLOWED_ORIGINS = env_list("EMBED_ALLOWED_ORIGINS", "")
for _origin in EMBED_ALLOWED_ORIGINS:
    # Goes into a header: refuse anything that could end or extend the directive.
    if any(char in _origin for char in " ;,'\"") or not _origin.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"EMBED_ALLOWED_ORIGINS: not an origin: {_origin!r}")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
# HEALTH_TOKEN: monitoring that sends "Authorization: Bearer <token>" to /health/ sees the
# database and outbox details; everyone else only "ok"/"fail". Empty: only verified staff.
HEALTH_TOKEN = os.environ.get("HEALTH_TOKEN", "")
# The load balancer may check health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# REDIS_URL: the cache every process shares (rate-limit counters), e.g. redis://host:6379/0.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, reusing its redis-py client (advisor/lib/redis_cache.py).
            "BACKEND": "advisor.lib.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "keuzehulp"),
        }
    }
else:
    # Development: a single process, so its own memory is shared enough.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = [
    # Django's built-in RedisCache increments atomically; django-ratelimit just doesn't list it.
    "django_ratelimit.W001",
    # Without REDIS_URL in development; production must set REDIS_URL (the check then passes).
    *(["django_ratelimit.E003"] if DEBUG and not REDIS_URL else []),
]
RATELIMIT_USE_CACHE = "default"
# The same client IP as django-axes: REMOTE_ADDR, or X-Forwarded-For behind trusted proxies.
RATELIMIT_IP_META_KEY = "advisor.lib.client_ip.client_ip"
RATELIMIT_VIEW = "advisor.web.errors.rate_limited"
# A refused form (expired page, cookies blocked in a frame) gets a page that says what to do.
CSRF_FAILURE_VIEW = "advisor.web.errors.csrf_failure"
# Completed questionnaires per client IP; an office sharing one address stays well below it.
SUBMISSION_RATE_PER_IP = os.environ.get("SUBMISSION_RATE_PER_IP", "20/h")
# A person needs far longer to answer every step; a bot posts the final step at once.
QUESTIONNAIRE_MIN_SECONDS = int(os.environ.get("QUESTIONNAIRE_MIN_SECONDS", "5"))

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # "__Host-": browsers accept these cookies only if Secure, for Path=/ and without Domain,
    # so no subdomain or plain-HTTP page can set or overwrite them (RFC 6265bis §4.1.3.2).
    # They also work with SameSite=None when embedding is configured.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    # One year; browsers then refuse plain HTTP for this host.
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if EMBED_ALLOWED_ORIGINS:
        # In another site's frame our cookies are third-party: browsers only send them
        # with SameSite=None (and Secure). The CSRF token still guards every form.
        SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "None"

# --- Domain check (advisor/domaincheck): the e-mail health of a visitor's domain from DNS ---
# DOMAIN_CHECK_NAMESERVERS: comma-separated "host" or "host:port" ("[::1]:53" for IPv6); only
# these are asked. Empty: the system's resolver.
DOMAIN_CHECK_NAMESERVERS = env_list("DOMAIN_CHECK_NAMESERVERS", "")
# Seconds per DNS look-up, and for the whole check: a slow DNS makes findings "unknown".
DOMAIN_CHECK_TIMEOUT = float(os.environ.get("DOMAIN_CHECK_TIMEOUT", "2"))
DOMAIN_CHECK_BUDGET = float(os.environ.get("DOMAIN_CHECK_BUDGET", "6"))

# --- CRM webhook (advisor/webhooks, README "CRM webhook"): leads posted to the consultant's CRM ---
# Seconds to connect, and to wait for each part of the answer, per attempt.
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))
# A delivery the receiver did not take is tried again after 30 s, 1, 2, 4 ... minutes, at most
# WEBHOOK_RETRY_MINUTES apart, WEBHOOK_MAX_RETRIES times (about a day); then it stays failed
# in the back office, with "send again".
WEBHOOK_RETRY_MINUTES = int(os.environ.get("WEBHOOK_RETRY_MINUTES", "60"))
WEBHOOK_MAX_RETRIES = int(os.environ.get("WEBHOOK_MAX_RETRIES", "30"))
WEBHOOK_RETRY_BASE_SECONDS = 30.0  # the first wait; tests shorten it
# Development and tests only: also post to loopback and private addresses (and there over
# plain http), e.g. a receiver on this machine. Production posts to public https addresses
# only, so a stolen staff login cannot probe the site's own network (SSRF).
WEBHOOK_ALLOW_LOCAL = env_bool("WEBHOOK_ALLOW_LOCAL", False)
if WEBHOOK_ALLOW_LOCAL and not DEBUG:
    raise ImproperlyConfigured("WEBHOOK_ALLOW_LOCAL=true is only allowed when DEBUG is on.")
# A CA bundle (PEM file) to check the CRM's certificate with instead of the public ones, for a
# CRM with a certificate of your own CA (and the tests' throwaway CA). Empty: public CAs.
WEBHOOK_CA_BUNDLE = os.environ.get("WEBHOOK_CA_BUNDLE", "")
