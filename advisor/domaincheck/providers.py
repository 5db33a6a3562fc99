"""Who handles a domain's mail, recognised from its MX hosts: one declarative table.

Add a provider by adding a row. ``mx_suffixes`` match an MX host exactly or as a parent domain
(``mail.protection.outlook.com`` matches ``praktijk-nl.mail.protection.outlook.com``).
``spf_includes`` are the SPF includes the provider documents for sending through it (any one
is enough); leave it empty when unsure, because a wrong one would tell a visitor their correct
record is incomplete. ``dkim_selectors`` are the names the provider publishes DKIM keys under;
without them the check tries ``COMMON_DKIM_SELECTORS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The provider kinds: the ``provider.key`` of every report, a contract with the command's JSON.
MICROSOFT_365 = "microsoft_365"
GOOGLE_WORKSPACE = "google_workspace"
HOSTING = "hosting"
FILTER = "filter"
UNKNOWN = "unknown"
NONE = "none"
PROVIDER_KINDS = (MICROSOFT_365, GOOGLE_WORKSPACE, HOSTING, FILTER, UNKNOWN, NONE)


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str  # a brand name: the same in every language
    kind: str
    mx_suffixes: tuple[str, ...]
    spf_includes: tuple[str, ...] = ()
    dkim_selectors: tuple[str, ...] = ()

    def handles(self, host: str) -> bool:
        return any(host == suffix or host.endswith("." + suffix) for suffix in self.mx_suffixes)


# Where a provider publishes nothing we could verify, the row has no includes or selectors.
PROVIDERS: tuple[Provider, ...] = (
    Provider("microsoft_365", "Microsoft 365", MICROSOFT_365,
             ("mail.protection.outlook.com", "mx.microsoft"),
             ("spf.protection.outlook.com",), ("selector1", "selector2")),
    Provider("google_workspace", "Google Workspace", GOOGLE_WORKSPACE,
             ("aspmx.l.google.com", "smtp.google.com", "googlemail.com"),
             ("_spf.google.com",), ("google",)),
    # Mail filters in front of the real mailboxes; who keeps the mailboxes behind them is not
    # visible in DNS.
    Provider("mimecast", "Mimecast", FILTER, ("mimecast.com", "mimecast.co.za")),
    Provider("proofpoint", "Proofpoint", FILTER, ("pphosted.com", "ppe-hosted.com")),
    Provider("barracuda", "Barracuda", FILTER, ("barracudanetworks.com",)),
    Provider("spamexperts", "SpamExperts", FILTER,
             ("antispamcloud.com", "spamexperts.com", "spamexperts.eu", "spamexperts.net")),
    Provider("sophos", "Sophos", FILTER, ("hydra.sophos.com",)),
    Provider("hornetsecurity", "Hornetsecurity", FILTER, ("hornetsecurity.com",)),
    Provider("trendmicro", "Trend Micro", FILTER, ("trendmicro.eu", "trendmicro.com")),
    Provider("cisco", "Cisco Secure Email", FILTER, ("iphmx.com",)),
    # Dutch hosting providers.
    Provider("transip", "TransIP", HOSTING, ("transip.email", "transip.nl"),
             ("_spf.transip.email",), ("transip-A", "transip-B", "transip-C")),
    Provider("hostnet", "Hostnet", HOSTING, ("hostnet.nl",)),
    Provider("antagonist", "Antagonist", HOSTING, ("antagonist.nl",)),
    Provider("vimexx", "Vimexx", HOSTING, ("vimexx.nl",)),
    Provider("mijndomein", "Mijndomein", HOSTING, ("mijndomein.nl", "mijndomein.email")),
    Provider("versio", "Versio", HOSTING, ("versio.nl",)),
    Provider("yourhosting", "Yourhosting", HOSTING, ("yourhosting.nl",)),
    # International hosting providers.
    Provider("strato", "Strato", HOSTING, ("rzone.de",), (),
             ("strato-dkim-0001", "strato-dkim-0002", "strato-dkim-0003")),
    Provider("one_com", "one.com", HOSTING, ("one.com",), ("_custspf.one.com",)),
    Provider("hostinger", "Hostinger", HOSTING, ("hostinger.com", "hostinger.nl"),
             ("_spf.mail.hostinger.com",),
             ("hostingermail-a", "hostingermail-b", "hostingermail-c")),
    Provider("ovh", "OVHcloud", HOSTING, ("ovh.net",), ("mx.ovh.com",)),
    Provider("godaddy", "GoDaddy", HOSTING, ("secureserver.net",), ("secureserver.net",)),
    Provider("ionos", "IONOS", HOSTING,
             ("ionos.de", "ionos.nl", "ionos.com", "ionos.fr", "ionos.co.uk", "kundenserver.de"),
             ("_spf-eu.ionos.com", "_spf-us.ionos.com"), ("s1-ionos", "s2-ionos")),
    Provider("zoho", "Zoho Mail", HOSTING, ("zoho.eu", "zoho.com", "zoho.in", "zohomail.com"),
             ("zoho.eu", "zoho.com", "zohomail.eu", "zohomail.com"), ("zmail",)),
    Provider("fastmail", "Fastmail", HOSTING, ("messagingengine.com",),
             ("spf.messagingengine.com",), ("fm1", "fm2", "fm3")),
    Provider("proton", "Proton Mail", HOSTING, ("protonmail.ch",),
             ("_spf.protonmail.ch",), ("protonmail", "protonmail2", "protonmail3")),
)

# Tried when the provider is not recognised or publishes no selectors of its own.
COMMON_DKIM_SELECTORS = ("default", "dkim", "mail", "k1", "s1", "s2", "selector1", "selector2")

# Public mail services: their addresses belong to the service, not to the visitor's business,
# so there is nothing of the visitor's to check. A subdomain counts too (mail.gmx.net).
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com",
    "outlook.com", "outlook.nl", "hotmail.com", "hotmail.nl", "live.com", "live.nl", "msn.com",
    "icloud.com", "me.com", "mac.com",
    "yahoo.com", "yahoo.nl", "ymail.com", "aol.com",
    "ziggo.nl", "upcmail.nl", "chello.nl", "casema.nl", "quicknet.nl",
    "kpnmail.nl", "kpnplanet.nl", "planet.nl", "hetnet.nl", "home.nl", "xs4all.nl", "telfort.nl",
    "tele2.nl", "online.nl", "zonnet.nl", "freeler.nl", "wxs.nl", "kpn.com",
    "gmx.com", "gmx.net", "gmx.de", "gmx.nl", "web.de",
    "proton.me", "protonmail.com", "pm.me", "tutanota.com", "tuta.io",
    "zoho.com", "zohomail.eu", "mail.com", "yandex.com",
    "telenet.be", "skynet.be",
})


def is_public_mail_domain(domain: str) -> bool:
    return any(domain == public or domain.endswith("." + public) for public in PUBLIC_MAIL_DOMAINS)


def recognise(mx_hosts: Iterable[str]) -> Provider | None:
    """The provider behind the first MX host (most preferred first) that the table knows."""
    for host in mx_hosts:
        for provider in PROVIDERS:
            if provider.handles(host):
                return provider
    return None
