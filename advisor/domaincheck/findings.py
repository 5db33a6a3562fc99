"""What a check found, in words for a business owner: the tables, the level rule, the report.

A finding holds keys (``codes``) and a few values from DNS (``params``); its status, severity,
text and advice are looked up in ``MESSAGES`` when read. So a stored report renders in whichever
language is active, and a better sentence here improves every stored report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from advisor.domaincheck import providers as p

# Bump when a code changes meaning; stored reports keep the version that made them.
REPORT_VERSION = 1

GOOD = "good"
INFO = "info"  # a fact, neither good nor bad: who handles the mail
WARNING = "warning"
BAD = "bad"
MISSING = "missing"
UNKNOWN = "unknown"  # the DNS did not answer (in time): nothing is known
STATUSES = (BAD, MISSING, WARNING, UNKNOWN, GOOD, INFO)  # worst first

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
NO_SEVERITY = "none"
SEVERITIES = (HIGH, MEDIUM, LOW, NO_SEVERITY)  # worst first

AT_RISK = "at_risk"
IMPROVE = "improve"
LEVEL_GOOD = "good"
LEVELS = (AT_RISK, IMPROVE, LEVEL_GOOD)

# Why a domain was not checked.
PUBLIC_PROVIDER = "public_provider"
NO_SUCH_DOMAIN = "no_such_domain"

# Codes every check can end in when the DNS does not give an answer.
LOOKUP_FAILED = "lookup_failed"
TIMED_OUT = "timed_out"


@dataclass(frozen=True)
class Check:
    key: str
    label: Promise
    about: Promise  # what it is, in one or two sentences without jargon


# In the order they run and are shown; the most telling first, in case the budget runs out.
CHECKS: dict[str, Check] = {check.key: check for check in (
    Check("provider", _("Mail provider"), _(
        "Who receives the mail for your domain. We read it from the MX records: the entries in "
        "the internet's address book (DNS) that tell other servers where to deliver your mail."
    )),
    Check("spf", _("SPF"), _(
        "SPF is a list of servers that may send mail on behalf of your domain. Receiving "
        "servers use it to recognise forged senders."
    )),
    Check("dmarc", _("DMARC"), _(
        "DMARC tells receiving servers what to do with mail that falsely uses your domain: "
        "deliver it, put it in spam or refuse it. It can also send you reports about it."
    )),
    Check("dkim", _("DKIM"), _(
        "DKIM puts an invisible digital signature on the mail you send, so receivers can check "
        "that it really comes from you and was not changed on the way."
    )),
    Check("dnssec", _("DNSSEC"), _(
        "DNSSEC signs your domain's entries in the internet's address book (DNS), so nobody can "
        "secretly redirect your mail or website to another server."
    )),
    Check("mta_sts", _("MTA-STS"), _(
        "MTA-STS tells other mail servers to deliver mail to you only over an encrypted and "
        "verified connection."
    )),
    Check("tls_rpt", _("TLS reporting"), _(
        "TLS reporting asks other mail servers to let you know when they could not deliver mail "
        "to you securely."
    )),
)}


@dataclass(frozen=True)
class Message:
    status: str
    severity: str
    text: Promise
    advice: Promise


NOTHING_TO_DO = _("Nothing to do.")

MESSAGES: dict[str, Message] = {
    # Who handles the mail.
    "provider.microsoft_365": Message(INFO, NO_SEVERITY, _(
        "Your mail is received by Microsoft 365 (Exchange Online)."), NOTHING_TO_DO),
    "provider.google_workspace": Message(INFO, NO_SEVERITY, _(
        "Your mail is received by Google Workspace."), NOTHING_TO_DO),
    "provider.hosting": Message(INFO, NO_SEVERITY, _(
        "Your mail is received by %(name)s, a hosting provider."), NOTHING_TO_DO),
    "provider.filter": Message(INFO, NO_SEVERITY, _(
        "Your mail first passes a spam and virus filter (%(name)s). Who keeps your mailboxes "
        "behind it cannot be seen from outside."), NOTHING_TO_DO),
    "provider.unknown": Message(INFO, NO_SEVERITY, _(
        "Your mail is received by a server we do not recognise (%(mx)s). It may be your own "
        "server or a smaller provider."), NOTHING_TO_DO),
    "provider.none": Message(MISSING, MEDIUM, _(
        "Your domain has no MX record, so other servers do not know where to deliver mail for "
        "your domain."), _(
        "If you use e-mail addresses with this domain, ask your provider to add the MX "
        "records.")),
    "provider.null_mx": Message(MISSING, MEDIUM, _(
        "Your domain states that it receives no mail at all (a \"null MX\" record)."), _(
        "If you do use e-mail addresses with this domain, ask your provider to replace it "
        "with the right MX records.")),
    # SPF.
    "spf.good": Message(GOOD, NO_SEVERITY, _(
        "Your domain has an SPF record that tells receivers to refuse or distrust mail from "
        "servers it does not list."), NOTHING_TO_DO),
    "spf.missing": Message(MISSING, HIGH, _(
        "Your domain has no SPF record. Anyone can send mail that seems to come from you, and "
        "your own mail ends up in spam more often."), _(
        "Ask your mail provider for the right SPF record and add it to your domain.")),
    "spf.multiple": Message(BAD, HIGH, _(
        "Your domain has %(count)s SPF records instead of one. Receivers then ignore SPF "
        "completely."), _("Merge them into one record.")),
    "spf.malformed": Message(BAD, HIGH, _(
        "Your SPF record contains an error, so receivers cannot use it."), _(
        "Have the record checked and corrected by whoever manages your domain.")),
    "spf.plus_all": Message(BAD, HIGH, _(
        "Your SPF record ends in \"+all\": it allows every server in the world to send mail "
        "on behalf of your domain."), _("Replace \"+all\" with \"-all\" or \"~all\".")),
    "spf.neutral_all": Message(BAD, MEDIUM, _(
        "Your SPF record ends in \"?all\": it says nothing about other servers, so forged mail "
        "is not stopped."), _("Replace \"?all\" with \"-all\" or \"~all\".")),
    "spf.no_all": Message(BAD, MEDIUM, _(
        "Your SPF record does not say what to do with mail from other servers, so forged mail "
        "is not stopped."), _("End the record with \"-all\" or \"~all\".")),
    "spf.too_many_lookups": Message(BAD, HIGH, _(
        "Your SPF record needs %(lookups)s look-ups in the DNS, while the limit is 10. "
        "Receivers then treat it as broken, and your mail may end up in spam."), _(
        "Have the record simplified, for example by removing services you no longer use.")),
    "spf.broken_include": Message(BAD, HIGH, _(
        "Your SPF record refers to %(include)s, which has no valid SPF record. Receivers then "
        "treat your SPF record as broken."), _("Remove or correct that reference.")),
    "spf.missing_include": Message(WARNING, MEDIUM, _(
        "Your SPF record does not mention %(name)s, which handles your mail. Mail you send "
        "through %(name)s may then be seen as forged."), _(
        "Add \"include:%(include)s\" to your SPF record.")),
    "spf.incomplete": Message(UNKNOWN, NO_SEVERITY, _(
        "We could not follow every part of your SPF record in time, so we could not count all "
        "its look-ups."), _("Try the check again later.")),
    # DMARC.
    "dmarc.reject": Message(GOOD, NO_SEVERITY, _(
        "Your DMARC policy tells receivers to refuse mail that falsely uses your domain. That "
        "is the strongest protection."), NOTHING_TO_DO),
    "dmarc.quarantine": Message(GOOD, NO_SEVERITY, _(
        "Your DMARC policy tells receivers to put mail that falsely uses your domain in spam."),
        _("Nothing to do. Once you are sure all your own mail passes, you can go one step "
          "further and have such mail refused (p=reject).")),
    "dmarc.none": Message(WARNING, MEDIUM, _(
        "Your DMARC policy only observes (p=none): mail that falsely uses your domain is still "
        "delivered."), _(
        "When the reports show that your own mail passes, move to p=quarantine and then to "
        "p=reject.")),
    "dmarc.missing": Message(MISSING, HIGH, _(
        "Your domain has no DMARC record, so receivers do not know what to do with mail that "
        "falsely uses your domain."), _(
        "Add a DMARC record: start with p=none and an address for the reports, and make it "
        "stricter step by step.")),
    "dmarc.multiple": Message(BAD, HIGH, _(
        "Your domain has more than one DMARC record. Receivers then ignore DMARC "
        "completely."), _("Keep one DMARC record.")),
    "dmarc.malformed": Message(BAD, HIGH, _(
        "Your DMARC record contains an error, so receivers ignore it or only observe."), _(
        "Have it corrected: it must start with v=DMARC1 and contain p=none, p=quarantine or "
        "p=reject.")),
    "dmarc.partial": Message(WARNING, MEDIUM, _(
        "Your DMARC policy applies to only %(percentage)s%% of the mail that falsely uses your "
        "domain."), _("Raise the percentage (pct) to 100, or remove it.")),
    "dmarc.no_reports": Message(WARNING, LOW, _(
        "Your DMARC record asks for no reports, so you do not see who sends mail in your "
        "name."), _(
        "Add an address for the reports (rua=mailto:...), for example of a DMARC report "
        "service.")),
    "dmarc.subdomains_open": Message(WARNING, LOW, _(
        "Your DMARC policy does not protect subdomains (sp=none): mail from made-up addresses "
        "such as invoice.%(domain)s can still be forged."), _(
        "Remove sp=none, or set it to quarantine or reject.")),
    # DKIM.
    "dkim.good": Message(GOOD, NO_SEVERITY, _(
        "We found DKIM keys for your domain (%(selectors)s), so your mail can carry a "
        "signature."), NOTHING_TO_DO),
    "dkim.missing": Message(MISSING, MEDIUM, _(
        "We found no DKIM keys for your domain, so your mail carries no signature of your "
        "domain."), _(
        "Switch on DKIM at your mail provider and add the records it gives you.")),
    "dkim.unconfirmed": Message(WARNING, LOW, _(
        "Your domain seems to have DKIM keys, but not under the usual names, so we could not "
        "confirm them."), _(
        "Ask your mail provider whether DKIM signing is switched on for your domain.")),
    # DNSSEC.
    "dnssec.signed": Message(GOOD, NO_SEVERITY, _(
        "Your domain is signed with DNSSEC."), NOTHING_TO_DO),
    "dnssec.unsigned": Message(MISSING, MEDIUM, _(
        "Your domain is not signed with DNSSEC, so answers about your domain can be forged on "
        "the way."), _("Ask your domain provider to switch on DNSSEC.")),
    "dnssec.not_anchored": Message(WARNING, MEDIUM, _(
        "Your domain has DNSSEC keys, but the registry of %(zone)s does not know them (no DS "
        "record), so nobody checks the signatures."), _(
        "Ask your domain provider to publish the DS record at the registry.")),
    "dnssec.broken": Message(BAD, HIGH, _(
        "The registry announces DNSSEC for %(zone)s, but the domain publishes no matching keys. "
        "Servers that check signatures may then not reach your domain at all."), _(
        "Ask your domain provider to repair DNSSEC right away.")),
    # MTA-STS.
    "mta_sts.good": Message(GOOD, NO_SEVERITY, _(
        "Your domain announces MTA-STS. (We checked the announcement in DNS, not the policy "
        "file on your web server.)"), NOTHING_TO_DO),
    "mta_sts.missing": Message(MISSING, LOW, _(
        "Your domain does not use MTA-STS. Mail to you is usually encrypted, but an attacker "
        "on the way could make it travel unencrypted."), _(
        "Optional: ask your mail provider whether they support MTA-STS.")),
    "mta_sts.malformed": Message(BAD, LOW, _(
        "Your MTA-STS record contains an error, or there is more than one, so other servers "
        "ignore it."), _(
        "Keep one record of the form v=STSv1; id=... (letters and digits).")),
    # TLS reporting.
    "tls_rpt.good": Message(GOOD, NO_SEVERITY, _(
        "Your domain asks for TLS reports, so you hear about problems delivering mail to you "
        "securely."), NOTHING_TO_DO),
    "tls_rpt.missing": Message(MISSING, LOW, _(
        "Your domain does not ask for TLS reports."), _(
        "Optional: add a TLS reporting record, especially when you use MTA-STS.")),
    "tls_rpt.malformed": Message(BAD, LOW, _(
        "Your TLS reporting record contains an error, or there is more than one, so other "
        "servers ignore it."), _(
        "Keep one record of the form v=TLSRPTv1; rua=mailto:... .")),
    # The DNS gave no answer.
    LOOKUP_FAILED: Message(UNKNOWN, NO_SEVERITY, _(
        "The DNS answered with an error, so we could not check this."), _(
        "Try the check again later. If it keeps failing, ask your domain provider to look at "
        "your DNS.")),
    TIMED_OUT: Message(UNKNOWN, NO_SEVERITY, _(
        "The DNS did not answer in time, so we could not check this."), _(
        "Try the check again later.")),
}
# A stored code that a later version no longer knows still renders.
RETIRED = Message(UNKNOWN, NO_SEVERITY, _("This result is out of date."), _(
    "Run the check again."))

SKIP_MESSAGES: dict[str, Message] = {
    PUBLIC_PROVIDER: Message(INFO, NO_SEVERITY, _(
        "%(domain)s is a public mail service. Its protection is the service's job, so there "
        "is nothing of yours to check."), _(
        "With an address on your own domain name (such as info@yourbusiness.nl) you look more "
        "professional and you control its protection yourself.")),
    NO_SUCH_DOMAIN: Message(MISSING, NO_SEVERITY, _(
        "The domain %(domain)s does not exist."), _(
        "Check the spelling of the domain or e-mail address.")),
}

STATUS_LABELS: dict[str, Promise] = {
    GOOD: _("Good"), INFO: _("Info"), WARNING: _("Warning"), BAD: _("Problem"),
    MISSING: _("Missing"), UNKNOWN: _("Unknown"),
}
LEVEL_LABELS: dict[str, Promise] = {
    LEVEL_GOOD: _("Good"), IMPROVE: _("Can be better"), AT_RISK: _("At risk"),
}


def _rank(code: str) -> tuple[int, int]:
    message = MESSAGES.get(code, RETIRED)
    return STATUSES.index(message.status), SEVERITIES.index(message.severity)


@dataclass(frozen=True)
class Finding:
    check: str
    codes: tuple[str, ...]  # the state of the check and each problem; sorted worst first
    params: Mapping[str, Any] = field(default_factory=dict)  # values from DNS, capped
    record: str = ""  # the DNS record it is about, capped, for the consultant

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", tuple(sorted(dict.fromkeys(self.codes), key=_rank)))

    def _message(self, code: str) -> Message:
        return MESSAGES.get(code, RETIRED)

    @property
    def code(self) -> str:
        return self.codes[0]

    @property
    def status(self) -> str:
        return self._message(self.code).status

    @property
    def severity(self) -> str:
        return self._message(self.code).severity

    @property
    def known(self) -> bool:
        """The DNS answered every question of this check."""
        return all(self._message(code).status != UNKNOWN for code in self.codes)

    def text_of(self, code: str) -> str:
        return _format(self._message(code).text, self.params)

    def advice_of(self, code: str) -> str:
        return _format(self._message(code).advice, self.params)

    @property
    def text(self) -> str:
        return self.text_of(self.code)

    @property
    def advice(self) -> str:
        return self.advice_of(self.code)

    def as_dict(self) -> dict[str, Any]:
        check = CHECKS[self.check]
        return {
            "check": self.check,
            "label": str(check.label),
            "about": str(check.about),
            "code": self.code,
            "status": self.status,
            "status_label": str(STATUS_LABELS[self.status]),
            "severity": self.severity,
            "text": self.text,
            "advice": self.advice,
            "also": [
                {"code": code, "status": self._message(code).status,
                 "severity": self._message(code).severity,
                 "text": self.text_of(code), "advice": self.advice_of(code)}
                for code in self.codes[1:]
            ],
            "params": dict(self.params),
            "record": self.record,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            check=data["check"],
            codes=(data["code"], *(also["code"] for also in data.get("also", ()))),
            params=dict(data.get("params", {})),
            record=data.get("record", ""),
        )


class _Params(dict):
    # A value missing from stored data (an older report) shows as "?", never as an error.
    def __missing__(self, key: str) -> str:
        return "?"


def _format(text: Promise, params: Mapping[str, Any]) -> str:
    values = _Params({key: ", ".join(map(str, value)) if isinstance(value, list | tuple)
                      else value for key, value in params.items()})
    return str(text) % values


def level_of(findings: Mapping[str, Finding]) -> str:
    """The declared rule: any high-severity finding puts a domain at risk; any medium one, or a
    check that could not run, means it can be better; otherwise it is good."""
    severities = {finding.severity for finding in findings.values()}
    if HIGH in severities:
        return AT_RISK
    if MEDIUM in severities or not all(finding.known for finding in findings.values()):
        return IMPROVE
    return LEVEL_GOOD


@dataclass(frozen=True)
class DomainReport:
    domain: str
    checked_at: datetime
    findings: Mapping[str, Finding] = field(default_factory=dict)
    skipped: str | None = None  # PUBLIC_PROVIDER or NO_SUCH_DOMAIN: nothing was checked
    version: int = REPORT_VERSION

    @property
    def level(self) -> str | None:
        return None if self.skipped else level_of(self.findings)

    @property
    def complete(self) -> bool:
        """Every check got its answers from the DNS."""
        return not self.skipped and all(f.known for f in self.findings.values())

    @property
    def provider_key(self) -> str | None:
        """One of ``providers.PROVIDER_KINDS``; None when the domain was not checked."""
        if self.skipped:
            return None
        return self.findings["provider"].params.get("key", p.UNKNOWN)

    @property
    def level_label(self) -> Promise | None:
        return LEVEL_LABELS[self.level] if self.level else None

    @property
    def skip_text(self) -> str:
        if not self.skipped:
            return ""
        return _format(SKIP_MESSAGES[self.skipped].text, {"domain": self.domain})

    @property
    def skip_advice(self) -> str:
        if not self.skipped:
            return ""
        return _format(SKIP_MESSAGES[self.skipped].advice, {"domain": self.domain})

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with stable keys; texts in the active language (rebuilt on read)."""
        data: dict[str, Any] = {
            "version": self.version,
            "domain": self.domain,
            "checked_at": self.checked_at.isoformat(),
            "skipped": self.skipped,
            "skip_text": self.skip_text,
            "skip_advice": self.skip_advice,
            "level": self.level,
            "level_label": str(self.level_label) if self.level_label else None,
            "complete": self.complete,
        }
        for key in CHECKS:
            finding = self.findings.get(key)
            data[key] = finding.as_dict() if finding else None
        if data["provider"]:
            # The provider's key, name and MX hosts at the top of its finding, as documented.
            data["provider"] = {**self.findings["provider"].params, **data["provider"]}
            data["provider"]["key"] = self.provider_key
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DomainReport:
        """Rebuild a stored report from its keys; texts and level come from today's tables."""
        return cls(
            domain=data["domain"],
            checked_at=datetime.fromisoformat(data["checked_at"]),
            findings={key: Finding.from_dict(data[key]) for key in CHECKS if data.get(key)},
            skipped=data.get("skipped"),
            version=data.get("version", REPORT_VERSION),
        )
