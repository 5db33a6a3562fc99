"""Where a webhook may be posted: https, to addresses on the public internet only.

The address is typed by staff, but a stolen staff login must not turn the site into a probe
of the network it runs in (a cloud's metadata service at 169.254.169.254, a database at
10.0.0.5): the status codes and error classes the back office shows would tell what answers
there. So in production a webhook only goes to public addresses, checked when the profile is
saved and again at every attempt, on the very address the connection is then made to (a name
may resolve to another address by then: DNS rebinding). ``settings.WEBHOOK_ALLOW_LOCAL`` lifts
this for development and the tests, whose receiver listens on loopback; the settings refuse
it when DEBUG is off.
"""

import ipaddress
import socket
from dataclasses import dataclass, field

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Why an address is refused; each has the message the profile form shows.
NOT_A_URL, HTTPS_ONLY = "not_a_url", "https_only"
NOT_PUBLIC, UNKNOWN_HOST = "not_public", "unknown_host"
MESSAGES = {
    NOT_A_URL: _("Enter the full address of your CRM's webhook, starting with https://."),
    HTTPS_ONLY: _("The webhook address must start with https://: the lead's details may only "
                  "travel encrypted."),
    NOT_PUBLIC: _("This address leads to a private or local network (%(address)s). The site "
                  "only posts to addresses on the public internet."),
    UNKNOWN_HOST: _("The server %(host)s could not be found. Check the address for typing "
                    "errors."),
}


class RefusedAddress(Exception):
    """The address may not be posted to (or its host name is unknown right now)."""

    def __init__(self, reason: str, *, host: str = "", address: str = "") -> None:
        super().__init__(reason)
        self.reason, self.host, self.address = reason, host, address

    @property
    def message(self) -> str:
        return MESSAGES[self.reason] % {"host": self.host, "address": self.address}


@dataclass(frozen=True)
class Connection:
    """How to reach a checked address: the URL with its host replaced by the checked IP
    address, and the Host header and TLS server name of the original host."""

    url: httpx.URL
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return address.is_global and not address.is_multicast


def _addresses(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise RefusedAddress(UNKNOWN_HOST, host=host) from error
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in found))


def connection_to(url: str) -> Connection:
    """Check the address and resolve it once; raises RefusedAddress.

    Every address the name resolves to must be public (one private answer among public ones
    is refused too); the connection then goes to the first, so no second look-up can lead
    elsewhere.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise RefusedAddress(NOT_A_URL) from error
    if parsed.scheme not in {"https", "http"} or not parsed.host:
        raise RefusedAddress(NOT_A_URL)
    host = parsed.host
    allow_local = settings.WEBHOOK_ALLOW_LOCAL
    if parsed.scheme == "http" and not allow_local:
        raise RefusedAddress(HTTPS_ONLY, host=host)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = _addresses(host, port)
    public = all(is_public(address) for address in addresses)
    if not public and not allow_local:
        refused = next(address for address in addresses if not is_public(address))
        raise RefusedAddress(NOT_PUBLIC, host=host, address=str(refused))
    # Plain http only to this machine or its own network, and only where that is allowed: a
    # lead's details never cross the internet unencrypted.
    if parsed.scheme == "http" and (public or not allow_local):
        raise RefusedAddress(HTTPS_ONLY, host=host)
    connection = Connection(url=parsed.copy_with(host=str(addresses[0])),
                            headers={"Host": parsed.netloc.decode("ascii")})
    if parsed.scheme == "https" and host not in {str(address) for address in addresses}:
        # The certificate is checked against the name, not the address connected to.
        connection.extensions["sni_hostname"] = host
    return connection
