"""Check a domain's e-mail health from public DNS: `python manage.py check_domain bakkerij.nl`."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from advisor.domaincheck import DomainReport, InvalidDomain, check_domain, domain_of_email
from advisor.domaincheck.findings import CHECKS


class Command(BaseCommand):
    help = (
        "Check the e-mail set-up of a domain (or of an e-mail address's domain) in public DNS: "
        "mail provider, SPF, DMARC, DKIM, DNSSEC, MTA-STS and TLS reporting. Asks the servers in "
        "DOMAIN_CHECK_NAMESERVERS, or the system's resolver when it is unset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("domain", help="a domain such as bakkerij.nl, or an e-mail address")
        parser.add_argument("--json", action="store_true",
                            help="print the report as JSON, as it is stored")
        parser.add_argument("--lang", choices=["nl", "en"], default="nl",
                            help="language of the texts (default: nl)")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            domain = options["domain"]
            if "@" in domain:
                # An address's domain; a broken address still gets the normaliser's message.
                domain = domain_of_email(domain) or domain
            try:
                report = check_domain(domain)
            except InvalidDomain as error:
                raise CommandError(str(error)) from error
            if options["json"]:
                output = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
            else:
                output = self._readable(report)
        self.stdout.write(output)

    def _readable(self, report: DomainReport) -> str:
        if report.skipped:
            return f"{report.domain}\n{report.skip_text}\n{report.skip_advice}"
        checked_at = timezone.localtime(report.checked_at).strftime("%Y-%m-%d %H:%M")
        lines = [f"{report.domain}: {report.level_label}", _("Checked at %(moment)s.") % {
            "moment": checked_at}]
        if not report.complete:
            lines.append(_("Not everything could be checked; try again later."))
        data = report.as_dict()
        for finding in (data[key] for key in CHECKS):
            lines += ["", f"{finding['label']}: {finding['status_label']}"]
            for part in (finding, *finding["also"]):
                lines.append(f"  {part['text']}")
                if part["status"] not in {"good", "info"}:
                    lines.append("  " + _("What to do: %(advice)s") % {"advice": part["advice"]})
            if finding["record"]:
                lines.append("  " + _("Record: %(record)s") % {"record": finding["record"]})
        return "\n".join(lines)
