"""Print everything stored about one e-mail address as JSON (a data-subject access request)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from advisor.privacy.services import export_personal_data


class Command(BaseCommand):
    help = "Print everything stored about one e-mail address as JSON (AVG article 15)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's e-mail address")

    def handle(self, *args: Any, **options: Any) -> None:
        data = export_personal_data(email=options["email"])
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
