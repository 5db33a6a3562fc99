"""The checks of a domain, one function per finding, and ``check_domain`` that runs them all.

Each check asks its questions through ``Lookups`` and turns the answers into a ``Finding`` of
codes; it never raises for DNS trouble. The checks run in the order of ``findings.CHECKS``, so
when the time budget runs out it is the least telling findings that stay unknown.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from advisor.domaincheck import findings as f
from advisor.domaincheck import providers as p
from advisor.domaincheck.findings import DomainReport, Finding
from advisor.domaincheck.lookups import NXDOMAIN, TIMEOUT, Answer, Lookups
from advisor.domaincheck.names import normalise_domain
from advisor.domaincheck.records import (
    STORED_LIMIT,
    clean_text,
    is_dkim_key,
    is_dmarc,
    is_mta_sts,
    is_spf,
    is_tls_rpt,
    looks_like_dmarc,
    looks_like_mta_sts,
    looks_like_tls_rpt,
    lookup_name,
    parse_dmarc,
    parse_spf,
)

# RFC 7208 §4.6.4: more look-ups than this make the SPF check fail ("permerror").
MAX_SPF_LOOKUPS = 10
# How an SPF record that ends in "all" treats servers it does not list (RFC 7208 §4.6.2).
SPF_ALL_CODES = {"-": "spf.good", "~": "spf.good", "+": "spf.plus_all", "?": "spf.neutral_all"}
# MX hosts a finding keeps: enough to recognise a set-up, not a dump of someone's DNS.
MAX_MX_SHOWN = 5


def _unanswered(check: str, answer: Answer) -> Finding:
    return Finding(check, (f.TIMED_OUT if answer.outcome == TIMEOUT else f.LOOKUP_FAILED,))


def _stored(record: str) -> str:
    return clean_text(record, limit=STORED_LIMIT)


def check_provider(*, lookups: Lookups, domain: str) -> tuple[Finding, p.Provider | None]:
    """Who receives the mail, from the MX records; also the provider for the other checks."""
    answer = lookups.mx(domain)
    if answer.failed:
        finding = _unanswered("provider", answer)
        return Finding("provider", finding.codes, {"key": p.UNKNOWN}), None
    hosts = [host for _, host in answer.records]
    if not hosts:
        return Finding("provider", ("provider.none",), {"key": p.NONE, "mx": []}), None
    if hosts == ["."]:
        # RFC 7505: a single MX of "." says the domain accepts no mail.
        return Finding("provider", ("provider.null_mx",), {"key": p.NONE, "mx": []}), None
    hosts = [host for host in hosts if host != "."][:MAX_MX_SHOWN]
    provider = p.recognise(hosts)
    kind = provider.kind if provider else p.UNKNOWN
    params = {
        "key": kind,
        "provider": provider.slug if provider else "",
        "name": provider.name if provider else "",
        "mx": hosts,
    }
    return Finding("provider", (f"provider.{kind}",), params), provider


class _SpfWalk:
    """Follows includes and redirects to count look-ups the way a receiver does (RFC 7208)."""

    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups
        self.count = 0
        self.includes: set[str] = set()
        self.broken: list[str] = []
        self.malformed = False
        self.incomplete = False

    def follow(self, text: str, seen: frozenset[str]) -> str | None:
        """The record's verdict on other servers ("-", "~", "+", "?"), None for none, or ""
        when it cannot be told (an error on the way)."""
        record = parse_spf(text)
        if record is None:
            self.malformed = True
            return ""
        self.count += record.lookups
        for spec in record.includes:
            target = self._target(spec)
            if target:
                included = self._fetch(target, seen)
                if included is not None:
                    self.follow(included, seen | {target})
        if record.all_qualifier is not None or record.redirect is None:
            return record.all_qualifier
        # RFC 7208 §6.1: without "all", the redirect's record decides.
        self.count += 1
        target = self._target(record.redirect)
        redirected = self._fetch(target, seen) if target else None
        return self.follow(redirected, seen | {target}) if redirected and target else ""

    def _target(self, spec: str) -> str | None:
        if "%" in spec:
            return None  # a macro needs the sender's address; counted, not followed
        target = lookup_name(spec)
        if target is None:
            self.malformed = True
        else:
            self.includes.add(target)
        return target

    def _fetch(self, target: str, seen: frozenset[str]) -> str | None:
        if target in seen:
            self.malformed = True  # a loop: receivers give up
            return None
        if self.count > MAX_SPF_LOOKUPS:
            return None  # already too many; the rest does not change the verdict
        answer = self.lookups.txt(target)
        if answer.failed:
            self.incomplete = True
            return None
        records = [record for record in answer.records if is_spf(record)]
        if len(records) != 1:
            # RFC 7208 §5.2: an include without exactly one SPF record is an error.
            self.broken.append(target)
            return None
        return records[0]


def check_spf(*, lookups: Lookups, domain: str, provider: p.Provider | None) -> Finding:
    answer = lookups.txt(domain)
    if answer.failed:
        return _unanswered("spf", answer)
    records = [record for record in answer.records if is_spf(record)]
    if not records:
        return Finding("spf", ("spf.missing",))
    if len(records) > 1:
        # RFC 7208 §4.5: more than one SPF record is an error.
        return Finding("spf", ("spf.multiple",), {"count": len(records)},
                       _stored(" | ".join(records)))
    walk = _SpfWalk(lookups)
    verdict = walk.follow(records[0], frozenset({domain}))
    codes: list[str] = []
    params: dict[str, str | int] = {"lookups": walk.count}
    if walk.malformed:
        codes.append("spf.malformed")
    if walk.broken:
        codes.append("spf.broken_include")
        params["include"] = walk.broken[0]
    if walk.count > MAX_SPF_LOOKUPS:
        codes.append("spf.too_many_lookups")
    if verdict != "":
        codes.append(SPF_ALL_CODES.get(verdict or "", "spf.no_all"))
    if provider and provider.spf_includes and not walk.includes & set(provider.spf_includes):
        codes.append("spf.missing_include")
        params.update(name=provider.name, include=provider.spf_includes[0])
    if walk.incomplete:
        codes.append("spf.incomplete")
    # No codes: a redirect through a macro, which only a receiver with the sender can follow.
    return Finding("spf", tuple(codes or ["spf.incomplete"]), params, _stored(records[0]))


def check_dmarc(*, lookups: Lookups, domain: str) -> Finding:
    answer = lookups.txt(f"_dmarc.{domain}")
    inherited_from = None
    has_own = answer.found and any(looks_like_dmarc(record) for record in answer.records)
    if not answer.failed and not has_own and domain.count(".") > 1:
        # RFC 7489 §6.6.3: a subdomain without a record falls back to its organisation's; the
        # zone it lives in stands in for the organisational domain (no public suffix list).
        zone = lookups.zone_apex(domain)
        if zone and zone != domain:
            answer, inherited_from = lookups.txt(f"_dmarc.{zone}"), zone
    if answer.failed:
        return _unanswered("dmarc", answer)
    candidates = [record for record in answer.records if looks_like_dmarc(record)]
    valid = [record for record in candidates if is_dmarc(record)]
    if not candidates:
        return Finding("dmarc", ("dmarc.missing",))
    if len(valid) > 1:
        # RFC 7489 §6.6.3: with more than one record, no DMARC policy applies.
        return Finding("dmarc", ("dmarc.multiple",), record=_stored(" | ".join(valid)))
    record = parse_dmarc(valid[0]) if valid else None
    if record is None or record.policy is None:
        return Finding("dmarc", ("dmarc.malformed",), record=_stored(candidates[0]))
    policy = (record.subdomain_policy or record.policy) if inherited_from else record.policy
    codes = [f"dmarc.{policy}"]
    if record.percentage < 100 and policy != "none":
        codes.append("dmarc.partial")
    if not record.reports:
        codes.append("dmarc.no_reports")
    if not inherited_from and record.subdomain_policy == "none" and policy != "none":
        codes.append("dmarc.subdomains_open")
    params = {"policy": policy, "percentage": record.percentage, "domain": domain,
              "reports": list(record.reports[:3]), "inherited_from": inherited_from or ""}
    return Finding("dmarc", tuple(codes), params, _stored(valid[0]))


def check_dkim(*, lookups: Lookups, domain: str, provider: p.Provider | None) -> Finding:
    # RFC 8020: NXDOMAIN for _domainkey means no name exists below it, so no key at all.
    probe = lookups.txt(f"_domainkey.{domain}")
    if probe.failed:
        return _unanswered("dkim", probe)
    if probe.outcome == NXDOMAIN:
        return Finding("dkim", ("dkim.missing",))
    selectors = (provider.dkim_selectors if provider and provider.dkim_selectors
                 else p.COMMON_DKIM_SELECTORS)
    found: list[str] = []
    unanswered: Answer | None = None
    for selector in selectors:
        answer = lookups.txt(f"{selector}._domainkey.{domain}")
        if answer.failed:
            unanswered = answer
        elif any(is_dkim_key(record) for record in answer.records):
            found.append(selector)
    if found:
        return Finding("dkim", ("dkim.good",), {"selectors": found})
    if unanswered is not None:
        return _unanswered("dkim", unanswered)
    return Finding("dkim", ("dkim.unconfirmed",), {"selectors": list(selectors)})


def check_dnssec(*, lookups: Lookups, domain: str) -> Finding:
    """Signed when the parent holds a DS record for the zone and the zone publishes DNSKEYs.

    Neither needs a validating resolver, so this reads the same from any resolver and from the
    test server; whether the signatures are valid is left to validating resolvers (RFC 4035).
    """
    zone = lookups.zone_apex(domain) or domain
    delegation = lookups.exists(zone, "DS")
    keys = lookups.exists(zone, "DNSKEY")
    for answer in (delegation, keys):
        if answer.failed:
            return _unanswered("dnssec", answer)
    params = {"zone": zone}
    if delegation.found and keys.found:
        return Finding("dnssec", ("dnssec.signed",), params)
    if delegation.found:
        return Finding("dnssec", ("dnssec.broken",), params)
    if keys.found:
        return Finding("dnssec", ("dnssec.not_anchored",), params)
    return Finding("dnssec", ("dnssec.unsigned",), params)


def _announcement(*, lookups: Lookups, check: str, name: str,
                  looks_like: Callable[[str], bool], valid: Callable[[str], bool]) -> Finding:
    """A one-record announcement: exactly one record of its version, or receivers ignore it."""
    answer = lookups.txt(name)
    if answer.failed:
        return _unanswered(check, answer)
    candidates = [record for record in answer.records if looks_like(record)]
    if not candidates:
        return Finding(check, (f"{check}.missing",))
    code = "good" if len(candidates) == 1 and valid(candidates[0]) else "malformed"
    return Finding(check, (f"{check}.{code}",), record=_stored(" | ".join(candidates)))


def check_mta_sts(*, lookups: Lookups, domain: str) -> Finding:
    """RFC 8461 §3.1: the DNS record only; the HTTPS policy file is deliberately not fetched."""
    return _announcement(lookups=lookups, check="mta_sts", name=f"_mta-sts.{domain}",
                         looks_like=looks_like_mta_sts, valid=is_mta_sts)


def check_tls_rpt(*, lookups: Lookups, domain: str) -> Finding:
    """RFC 8460 §3."""
    return _announcement(lookups=lookups, check="tls_rpt", name=f"_smtp._tls.{domain}",
                         looks_like=looks_like_tls_rpt, valid=is_tls_rpt)


def check_domain(domain: str, *, lookups: Lookups | None = None) -> DomainReport:
    """The e-mail health of a domain (or of an e-mail address's domain) from public DNS.

    Raises ``InvalidDomain`` for input that is no public domain. DNS trouble and the time
    budget never raise: they make findings "unknown". Public mail services and domains that do
    not exist are reported as skipped, without findings.
    """
    name = normalise_domain(domain)
    checked_at = timezone.now()
    if p.is_public_mail_domain(name):
        return DomainReport(name, checked_at, skipped=f.PUBLIC_PROVIDER)
    lookups = lookups or Lookups.from_settings()
    if lookups.mx(name).outcome == NXDOMAIN:
        return DomainReport(name, checked_at, skipped=f.NO_SUCH_DOMAIN)
    provider_finding, provider = check_provider(lookups=lookups, domain=name)
    findings = {
        "provider": provider_finding,
        "spf": check_spf(lookups=lookups, domain=name, provider=provider),
        "dmarc": check_dmarc(lookups=lookups, domain=name),
        "dkim": check_dkim(lookups=lookups, domain=name, provider=provider),
        "dnssec": check_dnssec(lookups=lookups, domain=name),
        "mta_sts": check_mta_sts(lookups=lookups, domain=name),
        "tls_rpt": check_tls_rpt(lookups=lookups, domain=name),
    }
    return DomainReport(name, checked_at, findings)
