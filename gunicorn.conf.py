"""gunicorn reads this file from the working directory (the Docker image's /app).

The access log stays on (status codes and timings help operations) but goes through the same
redaction filter as Django's logs: request paths hold report tokens (/advies/<token>/).
"""

accesslog = "-"
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
