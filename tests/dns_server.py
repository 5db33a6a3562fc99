"""A real authoritative DNS server on loopback (dnslib), on UDP and TCP, that tests point at.

Zones are zone-file text; the server answers like an authoritative server does: records of the
asked type, CNAME chains followed through its own zones, NXDOMAIN for a name with nothing at or
below it (RFC 8020), NODATA with the zone's SOA otherwise. Over UDP an answer above 512 bytes is
truncated, so the client retries over TCP. Names under a ``drop`` domain get no answer at all
(a server that times out); names under a ``servfail`` domain get SERVFAIL. Every question is
recorded with its protocol.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable

from dnslib import QTYPE, RCODE, RR, DNSError, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer

# Classic DNS over UDP without EDNS: larger answers are truncated (RFC 1035 §4.2.1).
UDP_LIMIT = 512
MAX_CNAME_HOPS = 8


def _under(name: str, domains: Iterable[str]) -> bool:
    return any(name == d or name.endswith("." + d) for d in (d.rstrip(".") + "." for d in domains))


class ZoneResolver(BaseResolver):
    def __init__(self, zones: str, *, drop: Iterable[str] = (),
                 servfail: Iterable[str] = ()) -> None:
        self.records = RR.fromZone(zones)
        self.apexes = {str(rr.rname).lower() for rr in self.records if rr.rtype == QTYPE.SOA}
        self.drop = tuple(drop)
        self.servfail = tuple(servfail)
        self.questions: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()

    def at(self, name: str) -> list[RR]:
        return [rr for rr in self.records if str(rr.rname).lower() == name]

    def exists(self, name: str) -> bool:
        return any(
            str(rr.rname).lower() == name or str(rr.rname).lower().endswith("." + name)
            for rr in self.records
        )

    def zone_of(self, name: str) -> str | None:
        zones = [apex for apex in self.apexes if name == apex or name.endswith("." + apex)]
        return max(zones, key=len) if zones else None

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        name = str(request.q.qname).lower()
        qtype = request.q.qtype
        with self._lock:
            self.questions.append((name, QTYPE[qtype], handler.protocol))
        if _under(name, self.drop):
            raise DNSError("dropped on purpose: the client must time out")
        reply = request.reply()
        if _under(name, self.servfail):
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        if self.zone_of(name) is None:
            reply.header.rcode = RCODE.REFUSED
            return reply
        owner = name
        for _ in range(MAX_CNAME_HOPS):
            records = self.at(owner)
            matching = [rr for rr in records if rr.rtype == qtype]
            cname = [rr for rr in records if rr.rtype == QTYPE.CNAME]
            if matching:
                reply.add_answer(*matching)
                return reply
            if not cname or qtype == QTYPE.CNAME:
                break
            reply.add_answer(*cname)
            owner = str(cname[0].rdata.label).lower()
            if self.zone_of(owner) is None:
                return reply  # the chain leaves our zones: the client follows it on
        if not self.exists(owner):
            reply.header.rcode = RCODE.NXDOMAIN
        zone = self.zone_of(owner)
        reply.add_auth(*[rr for rr in self.at(zone or "") if rr.rtype == QTYPE.SOA])
        return reply


class _Handler(DNSHandler):
    def get_reply(self, data: bytes) -> bytes:
        request = DNSRecord.parse(data)
        reply = self.server.resolver.resolve(request, self)
        packed = reply.pack()
        if self.protocol == "udp" and len(packed) > UDP_LIMIT:
            # The question stays in, as real servers do; dnspython then retries over TCP.
            truncated = request.reply()
            truncated.header.tc = 1
            packed = truncated.pack()
        return packed


class _Quiet(DNSLogger):
    def __init__(self) -> None:
        super().__init__(logf=lambda message: None)


def _free_port() -> int:
    # The same number must be free for both protocols.
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port


class LoopbackDns:
    """The zones served on 127.0.0.1:``port`` over UDP and TCP while started."""

    def __init__(self, zones: str, *, drop: Iterable[str] = (),
                 servfail: Iterable[str] = ()) -> None:
        self.resolver = ZoneResolver(zones, drop=drop, servfail=servfail)
        self.port = _free_port()
        self._servers = [
            DNSServer(self.resolver, address="127.0.0.1", port=self.port, tcp=tcp,
                      logger=_Quiet(), handler=_Handler)
            for tcp in (False, True)
        ]

    @property
    def questions(self) -> list[tuple[str, str, str]]:
        """(name with final dot, type, "udp" or "tcp") of every question, in order."""
        return self.resolver.questions

    def start(self) -> None:
        for server in self._servers:
            server.start_thread()

    def stop(self) -> None:
        for server in self._servers:
            server.stop()
