"""Print docs/advice-rules.md from the table, or write it with --write."""

from typing import Any

from django.core.management.base import BaseCommand

from advisor.advice import rules_doc


class Command(BaseCommand):
    help = "Print every rule, norm, measure and plan rule of the advice as Markdown."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--write", action="store_true",
                            help="Write docs/advice-rules.md instead of printing it.")

    def handle(self, *args: Any, write: bool = False, **options: Any) -> None:
        text = rules_doc.render()
        if write:
            rules_doc.DOC_PATH.write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {rules_doc.DOC_PATH}"))
        else:
            self.stdout.write(text, ending="")
