"""Record the rules' digest for ENGINE_VERSION: `make engine-digest` (after bumping the version)."""

import inspect
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from advisor.advice import digest
from advisor.advice import table as q


class Command(BaseCommand):
    help = (
        "Write ENGINE_VERSION and the digest of the rules into RULES_DIGEST in "
        "advisor/advice/table.py. Refuses when the rules changed but ENGINE_VERSION did not."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if digest.check() is None:
            self.stdout.write(f"RULES_DIGEST is up to date for {q.ENGINE_VERSION}.")
            return
        try:
            line = digest.record(Path(inspect.getfile(q)))
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Recorded {line}"))
