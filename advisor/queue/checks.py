"""System checks: production never runs background work in the web process."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

IN_PROCESS_IN_PRODUCTION = "advisor.E001"


@register(Tags.compatibility, deploy=False)
def jobs_need_a_queue_in_production(**kwargs: Any) -> list[Error]:
    # In-process jobs live in one process's memory: a restart or a second host loses them.
    if settings.DEBUG or not settings.TASKS_IN_PROCESS:
        return []
    return [Error(
        "Background jobs (PDF reports, mail) need the PostgreSQL task queue when DEBUG is off.",
        hint="Set DATABASE_URL to a PostgreSQL database and run `make worker` "
             "(manage.py worker) next to the web processes.",
        id=IN_PROCESS_IN_PRODUCTION,
    )]
