"""Delete everything stored about one e-mail address (a data-subject erasure request)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisor.privacy.services import erase_personal_data, export_personal_data


class Command(BaseCommand):
    help = (
        "Delete everything stored about one e-mail address (AVG article 17): submissions, "
        "PDF reports, mails and an unfinished questionnaire. Irreversible."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's e-mail address")
        parser.add_argument("--yes", action="store_true",
                            help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"]
        if not options["yes"]:
            found = export_personal_data(email=email)
            self.stdout.write(
                f"Found {len(found['submissions'])} submissions, {len(found['mails'])} mails "
                f"and {len(found['unfinished_questionnaires'])} unfinished questionnaires."
            )
            try:
                answer = input("Delete all of it? Type 'yes' to continue: ")
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing deleted.")
        removed = erase_personal_data(email=email)
        self.stdout.write(
            f"Deleted {removed.submissions} submissions, {removed.files} files, "
            f"{removed.mails} mails, {removed.crm_deliveries} CRM webhook deliveries and "
            f"{removed.sessions} unfinished questionnaires."
        )
        if removed.crm_deliveries:
            self.stdout.write("Their details were sent to the CRM too: delete them there.")
