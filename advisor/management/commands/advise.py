"""Print the advice for a set of answers: `python manage.py advise answers.json --lang en`."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from advisor.advice import table as q
from advisor.advice.engine import InvalidAnswers, advise


def _defaults_help() -> str:
    return "; ".join(f"{key}={question.default}" for key, question in q.QUESTIONS.items())


class Command(BaseCommand):
    help = (
        "Read questionnaire answers as a JSON object (from FILE or standard input) and print "
        "the advice as JSON. Missing answers take these defaults: " + _defaults_help()
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="JSON file with answers; default: stdin")
        parser.add_argument("--lang", choices=["nl", "en"], default="nl",
                            help="language of the texts (default: nl)")

    def handle(self, *args: Any, **options: Any) -> None:
        answers = self._read(options["file"])
        with translation.override(options["lang"]):
            try:
                advice = advise(answers)
            except InvalidAnswers as error:
                raise CommandError(str(error)) from error
            output = advice.as_dict()
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    def _read(self, path: str | None) -> dict[str, str]:
        try:
            if path is None or path == "-":
                raw = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as handle:
                    raw = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            data = json.loads(raw or "{}")
        except json.JSONDecodeError as error:
            raise CommandError(f"Not valid JSON: {error}") from error
        if not isinstance(data, dict):
            raise CommandError("Expected a JSON object with question keys and answers.")
        for key, value in data.items():
            if not isinstance(value, str):
                raise CommandError(f"Answer for {key!r} must be a string, got {value!r}.")
        return data
