"""gunicorn reads this file from the working directory (the Docker image's /app).

Every figure can be overridden by an environment variable (README, "Deployment").
The access log stays on (status codes and timings help operations) but writes no query
strings or referrers, and goes through the same redaction filter as Django's logs: request
paths hold report tokens (/advies/<token>/).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# The PDFs are rendered by the task-queue workers, so a web worker only waits on the database:
# the classic (2 x cores) + 1 keeps every core busy without swapping.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# A request that takes longer than this is a bug or an attack: the worker is restarted.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections behind a proxy; the proxy closes them first.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (slow leaks in any library), not all at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Request line and headers: the pages need short URLs and few headers; refuse giants early.
# (Bodies are capped by Django: DATA_UPLOAD_MAX_MEMORY_SIZE in config/settings.py.)
limit_request_line = _int("GUNICORN_LIMIT_REQUEST_LINE", 4094)
limit_request_fields = _int("GUNICORN_LIMIT_REQUEST_FIELDS", 50)
limit_request_field_size = _int("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190)
# Load the app before forking: workers share its memory and start serving at once.
preload_app = True

accesslog = "-"
# Method, path and protocol, never the query string or the Referer: the back office's
# searches (?q=eva%40..., ?q=Eva+Jansen) and links followed from them carry names and
# addresses that no pattern can recognise. gunicorn's atoms: %(U)s is the path alone.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "advisor.lib.log_redaction.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain",
                    "filters": ["redact"], "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
