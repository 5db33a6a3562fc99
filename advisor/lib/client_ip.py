"""The real client IP address, for login lockouts and rate limits.

REMOTE_ADDR is the address that connected to us. Behind reverse proxies that is the last
proxy; each trusted proxy appends the address it saw to X-Forwarded-For, so the client is
the entry TRUSTED_PROXY_COUNT places from the right. Entries further left are whatever the
client sent, so they are never trusted: a spoofed header cannot reset a lockout.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
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
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
