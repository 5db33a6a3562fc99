"""Settings for Keuzehulp e-mail, read from the environment.

Development needs no variables at all; production sets DJANGO_DEBUG=false and
DJANGO_SECRET_KEY. Every variable is documented in README.md and .env.example.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "formtools",
    "crispy_forms",
    "crispy_bootstrap5",
    "post_office",
    "advisor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "advisor.context_processors.branding",
            ],
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The questionnaire's answers live in the session until the contact step;
# a week is long enough to come back to an unfinished questionnaire.
SESSION_COOKIE_AGE = 7 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "keuzehulp@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Mail outbox (django-post-office): mails are stored in the database with the submission
# and sent by `make worker` (manage.py send_queued_mail); a failed send is retried.
POST_OFFICE = {
    "MAX_RETRIES": int(os.environ.get("MAIL_MAX_RETRIES", "96")),
    "RETRY_INTERVAL": timedelta(minutes=int(os.environ.get("MAIL_RETRY_MINUTES", "15"))),
    "LOG_LEVEL": 1,
}
# Absolute links in e-mails (result page, admin) start with this; no trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Who is told about new submissions; empty means the branding e-mail address.
CONSULTANT_EMAIL = os.environ.get("CONSULTANT_NOTIFY_EMAIL", "")
# A result-page link stops working this many days after the submission.
SHARE_LINK_DAYS = int(os.environ.get("SHARE_LINK_DAYS", "90"))
# Anti-spam: report e-mails per report in total, and share requests per client IP.
SHARE_MAX_PER_REPORT = int(os.environ.get("SHARE_MAX_PER_REPORT", "5"))
SHARE_RATE_PER_IP = os.environ.get("SHARE_RATE_PER_IP", "10/h")

# How long submissions are kept (privacy statement; AVG storage limitation).
RETENTION_MONTHS = int(os.environ.get("RETENTION_MONTHS", "12"))

# The consultant's branding. Replaceable per deployment without code changes.
BRANDING = {
    "consultant_name": os.environ.get("BRAND_CONSULTANT_NAME", "Sanne de Vries"),
    "company_name": os.environ.get("BRAND_COMPANY_NAME", "De Vries IT-advies"),
    "email": os.environ.get("BRAND_EMAIL", "advies@devries-it.example"),
    "phone": os.environ.get("BRAND_PHONE", "+31 6 12345678"),
    "website": os.environ.get("BRAND_WEBSITE", "https://devries-it.example"),
    "kvk": os.environ.get("BRAND_KVK", ""),
    # A path below static/ or an absolute path to an SVG/PNG on disk.
    "logo": os.environ.get("BRAND_LOGO", "img/logo.svg"),
    "primary_color": os.environ.get("BRAND_PRIMARY_COLOR", "#1f4e79"),
    "accent_color": os.environ.get("BRAND_ACCENT_COLOR", "#e07a1f"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # One year; browsers then refuse plain HTTP for this host.
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
