"""Settings for the real workers of tests/webhooks/test_worker.py: retries after half a
second (thirty in production), so a test does not wait minutes for the receiver to be tried
again. Used as DJANGO_SETTINGS_MODULE=tests.webhooks.worker_settings."""

from config.settings import *  # noqa: F403

WEBHOOK_RETRY_BASE_SECONDS = 0.5
