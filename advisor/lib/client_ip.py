"""The real client, for login lockouts and rate limits: an address, or the network it stands for.

REMOTE_ADDR is the address that connected to us. Behind reverse proxies that is the last
proxy; each trusted proxy appends the address it saw to X-Forwarded-For, so the client is
the entry TRUSTED_PROXY_COUNT places from the right. Entries further left are whatever the
client sent, so they are never trusted: a spoofed header cannot reset a lockout.

The answer is normalised so that one client is one key. An IPv4 client seen by a dual-stack
proxy arrives as ``::ffff:a.b.c.d``: that is the IPv4 address. An IPv6 client controls a whole
/64 (RFC 4291 §2.5.1 interface identifiers; one /64 is what a single home or office gets, RFC
6177 §3), so every address in it is the same client: the /64's network address stands for it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# The part of an IPv6 address a single subscriber controls (RFC 6177: at least a /64 each).
IPV6_CLIENT_PREFIX = 64


def client_network(address: str) -> str:
    """The address that stands for one client: IPv4 as is, IPv6 as its /64; '' if not an IP."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        network = ipaddress.IPv6Network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False)
        return str(network.network_address)
    return str(ip)


def client_ip(request: HttpRequest) -> str:
    remote = client_network(request.META.get("REMOTE_ADDR", "")) or request.META.get(
        "REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    ]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Fewer entries than proxies: a request that bypassed a proxy; trust only the socket.
        return remote
    return client_network(forwarded[-count]) or remote
