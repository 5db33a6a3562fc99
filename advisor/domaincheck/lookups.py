"""The DNS questions of one check: only the configured resolver, a time limit per question and a
budget for the whole check. DNS trouble never raises here; it becomes an ``Answer`` outcome.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from advisor.domaincheck.records import clean_text

OK = "ok"
NXDOMAIN = "nxdomain"  # the name does not exist
NODATA = "nodata"  # the name exists, without records of this type
FAILED = "failed"  # the DNS answered with an error (SERVFAIL, REFUSED) or nonsense
TIMEOUT = "timeout"  # no answer within the time limit, or the check's budget was spent

# An answer with more records than this is read only this far (a domain with 200 TXT records).
MAX_RECORDS = 20
BAD_NAMESERVER = (
    "DOMAIN_CHECK_NAMESERVERS: {entry!r} is not an IP address with an optional port, "
    "such as 9.9.9.9, 127.0.0.1:5353 or [2620:fe::fe]:53."
)
NAMESERVER_WITH_PORT = re.compile(
    r"\[(?P<v6>[^\]]+)\](?::(?P<v6port>\d+))?|(?P<v4>[^:]+):(?P<port>\d+)"
)


@dataclass(frozen=True)
class Answer:
    outcome: str
    records: tuple[Any, ...] = ()

    @property
    def found(self) -> bool:
        return self.outcome == OK

    @property
    def absent(self) -> bool:
        return self.outcome in {NXDOMAIN, NODATA}

    @property
    def failed(self) -> bool:
        return self.outcome in {FAILED, TIMEOUT}


def parse_nameserver(entry: str) -> dns.nameserver.Do53Nameserver:
    """``host`` or ``host:port`` (IPv6 with a port in brackets) as a plain-DNS nameserver."""
    entry = entry.strip()
    match = NAMESERVER_WITH_PORT.fullmatch(entry)
    host, port = entry, "53"
    if match:
        host = match["v6"] or match["v4"]
        port = match["v6port"] or match["port"] or "53"
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        raise ImproperlyConfigured(BAD_NAMESERVER.format(entry=entry)) from None
    if not 0 < int(port) < 65536:
        raise ImproperlyConfigured(BAD_NAMESERVER.format(entry=entry))
    return dns.nameserver.Do53Nameserver(address, int(port))


def build_resolver(nameservers: Iterable[str] | str) -> dns.resolver.Resolver:
    """A resolver that asks only the given servers; with none, the system's resolver."""
    if isinstance(nameservers, str):
        nameservers = nameservers.split(",")
    servers = [parse_nameserver(entry) for entry in nameservers if entry.strip()]
    # configure=False: /etc/resolv.conf is not read, so no other server is ever asked.
    resolver = dns.resolver.Resolver(configure=not servers)
    if servers:
        resolver.nameservers = servers
    resolver.cache = None
    return resolver


def _txt(answer: dns.resolver.Answer) -> tuple[str, ...]:
    # RFC 7208 §3.3 and RFC 7489 §6.6.3: a record's strings are joined without spaces.
    return tuple(clean_text(b"".join(rdata.strings)) for rdata in list(answer)[:MAX_RECORDS])


def _mx(answer: dns.resolver.Answer) -> tuple[tuple[int, str], ...]:
    hosts = [
        (rdata.preference, clean_text(rdata.exchange.to_text(omit_final_dot=True), limit=253))
        for rdata in list(answer)[:MAX_RECORDS]
    ]
    hosts = [(preference, host.lower()) for preference, host in hosts]
    return tuple(sorted(hosts))


class Lookups:
    """Asks one resolver, each question within ``timeout`` seconds, all within ``budget``."""

    def __init__(self, *, resolver: dns.resolver.Resolver, timeout: float, budget: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._resolver = resolver
        self._timeout = timeout
        self._clock = clock
        self._deadline = clock() + budget
        self._answers: dict[tuple[str, str], Answer] = {}

    @classmethod
    def from_settings(cls) -> Lookups:
        return cls(
            resolver=build_resolver(settings.DOMAIN_CHECK_NAMESERVERS),
            timeout=settings.DOMAIN_CHECK_TIMEOUT,
            budget=settings.DOMAIN_CHECK_BUDGET,
        )

    def txt(self, name: str) -> Answer:
        return self._ask(name, "TXT", _txt)

    def mx(self, name: str) -> Answer:
        return self._ask(name, "MX", _mx)

    def exists(self, name: str, rdtype: str) -> Answer:
        """Whether ``name`` has records of ``rdtype`` (DS, DNSKEY); the records are not kept."""
        return self._ask(name, rdtype, lambda answer: ())

    def zone_apex(self, name: str) -> str | None:
        """The zone ``name`` belongs to, from the SOA record in the answer or its authority part."""
        outcome, answer = self._resolve(name, "SOA", raise_on_no_answer=False)
        if outcome != OK or answer is None:
            return None
        soa = answer.rrset or next(
            (rrset for rrset in answer.response.authority if rrset.rdtype == dns.rdatatype.SOA),
            None,
        )
        return soa.name.to_text(omit_final_dot=True).lower() if soa is not None else None

    def _ask(self, name: str, rdtype: str,
             convert: Callable[[dns.resolver.Answer], tuple[Any, ...]]) -> Answer:
        key = (name, rdtype)
        if key not in self._answers:
            outcome, answer = self._resolve(name, rdtype)
            records = convert(answer) if outcome == OK and answer is not None else ()
            self._answers[key] = Answer(outcome, records)
        return self._answers[key]

    def _resolve(self, name: str, rdtype: str, *,
                 raise_on_no_answer: bool = True) -> tuple[str, dns.resolver.Answer | None]:
        remaining = self._deadline - self._clock()
        if remaining <= 0:
            return TIMEOUT, None
        limit = min(self._timeout, remaining)
        self._resolver.timeout = limit
        try:
            answer = self._resolver.resolve(
                dns.name.from_text(name), rdtype, search=False, lifetime=limit,
                raise_on_no_answer=raise_on_no_answer,
            )
        except dns.resolver.NXDOMAIN:
            return NXDOMAIN, None
        except dns.resolver.NoAnswer:
            return NODATA, None
        except dns.exception.Timeout:
            return TIMEOUT, None
        except (dns.exception.DNSException, ValueError):
            return FAILED, None
        return OK, answer
