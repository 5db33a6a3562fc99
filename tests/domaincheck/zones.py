"""Zones that mimic the real world, served by the loopback DNS server in these tests.

Each business domain below is a set-up a consultant meets in practice; the provider zones hold
what those providers really publish (SPF includes, DKIM CNAME targets), trimmed to what the
check reads. The "nl." and "com." zones play the registries: they hold the DS records and
answer NXDOMAIN for names that do not exist.
"""

import base64
import hashlib


def txt(value: str) -> str:
    """A TXT record's data: strings of at most 255 characters, as in a zone file."""
    return " ".join(f'"{value[i:i + 255]}"' for i in range(0, len(value), 255))


def dkim_key(seed: str) -> str:
    """A DKIM record with a 2048-bit-sized RSA key (392 base64 characters), like Microsoft's."""
    body = b"".join(hashlib.sha256(f"{seed}{i}".encode()).digest() for i in range(9))[:270]
    key = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + base64.b64encode(body).decode()
    return txt(f"v=DKIM1; k=rsa; p={key}")


def soa(zone: str) -> str:
    return (f"$ORIGIN {zone}\n"
            f"@ 3600 IN SOA ns1.{zone} hostmaster.{zone} 2026112901 3600 600 1209600 300\n")


DNSKEY = ("257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbx"
          "ILfDLUT0rAK9iUzy1L53eKGQ==")
DS = "2371 13 2 1F987CC6583E92DF0890718C42A5CF5B1B1A7C8F1F7E8A6B2C8F2B9C4B5E6A7B"

ZONES = "\n".join([
    # --- Registries ---
    soa("nl."),
    "praktijkjansen.nl. IN DS " + DS,
    "kapsalon-knip.nl. IN DS " + DS,
    "stukke-include.nl. IN DS " + DS,  # announced at the registry, but the zone has no keys
    soa("com."),
    soa("email."),
    soa("net."),
    soa("org."),

    # --- Providers ---
    soa("outlook.com."),
    "spf.protection IN TXT " + txt(
        "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/15 ip4:52.102.0.0/16 "
        "ip4:52.103.0.0/17 ip4:104.47.0.0/17 ip6:2a01:111:f400::/48 ip6:2a01:111:f403::/49 "
        "ip6:2a01:111:f403:8000::/50 ip6:2a01:111:f403:c000::/51 ip6:2a01:111:f403:f000::/52 "
        "-all"),
    "praktijkjansen-nl.mail.protection IN A 52.101.68.10",
    "advocatenkantoor-recht-nl.mail.protection IN A 52.101.68.11",
    soa("onmicrosoft.com."),
    "selector1-praktijkjansen-nl._domainkey.praktijkjansen IN TXT " + dkim_key("pj1"),
    "selector2-praktijkjansen-nl._domainkey.praktijkjansen IN TXT " + dkim_key("pj2"),
    "selector1-advocatenkantoor-recht-nl._domainkey.recht IN TXT " + dkim_key("ar1"),
    soa("google.com."),
    "smtp IN A 142.250.27.26",
    "_spf IN TXT " + txt("v=spf1 include:_netblocks.google.com include:_netblocks2.google.com "
                         "include:_netblocks3.google.com ~all"),
    "_netblocks IN TXT " + txt("v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 "
                               "ip4:66.102.0.0/20 ip4:66.249.80.0/20 ~all"),
    "_netblocks2 IN TXT " + txt("v=spf1 ip6:2001:4860:4000::/36 ip6:2404:6800:4000::/36 ~all"),
    "_netblocks3 IN TXT " + txt("v=spf1 ip4:172.217.0.0/19 ip4:172.217.32.0/20 ~all"),
    soa("transip.email."),
    "mx IN A 149.210.149.73",
    "_spf IN TXT " + txt("v=spf1 ip4:149.210.149.0/24 ip4:37.97.138.0/24 "
                         "ip6:2a01:7c8:7c8::/48 ~all"),
    "_dkim-A IN TXT " + dkim_key("transip-a"),
    "_dkim-B IN TXT " + dkim_key("transip-b"),
    soa("hostnet.nl."),
    "mx1 IN A 193.202.110.10",
    "mx2 IN A 193.202.110.11",
    soa("antagonist.nl."),
    "mx IN A 185.84.140.10",
    "spf IN TXT " + txt("v=spf1 ip4:185.84.140.0/22 ~all"),
    soa("mimecast.com."),
    "eu-smtp-inbound-1 IN A 195.130.217.10",
    "eu-smtp-inbound-2 IN A 195.130.217.11",
    "eu._netblocks IN TXT " + txt("v=spf1 ip4:195.130.217.0/24 ip4:91.220.42.0/24 ~all"),
    soa("mcsv.net."),
    "servers IN TXT " + txt("v=spf1 ip4:205.201.128.0/20 ip4:198.2.128.0/18 ~all"),
    soa("sendgrid.net."),
    "@ IN TXT " + txt("v=spf1 ip4:167.89.0.0/17 ip4:208.117.48.0/20 ~all"),
    soa("mailgun.org."),
    "@ IN TXT " + txt("v=spf1 include:_spf.mailgun.org ~all"),
    "_spf IN TXT " + txt("v=spf1 include:_spf.eu.mailgun.org ip4:209.61.151.0/24 ~all"),
    "_spf.eu IN TXT " + txt("v=spf1 ip4:141.193.32.0/23 ~all"),

    # --- Business domains ---
    # Microsoft 365, done right: SPF, DKIM (selector CNAMEs), DMARC reject with reports,
    # MTA-STS, TLS reporting and DNSSEC.
    soa("praktijkjansen.nl."),
    "@ IN MX 0 praktijkjansen-nl.mail.protection.outlook.com.",
    "@ IN TXT " + txt("v=spf1 include:spf.protection.outlook.com -all"),
    "@ IN TXT " + txt("MS=ms48213579"),
    "@ IN TXT " + txt("google-site-verification=Zk3v9Qm2xY7_Lr0aBcDeFgHiJkLmNoPqRsTuVwXyZ12"),
    "@ IN DNSKEY " + DNSKEY,
    "_dmarc IN TXT " + txt("v=DMARC1; p=reject; rua=mailto:dmarc-rapporten@praktijkjansen.nl; "
                           "adkim=s; aspf=s"),
    "selector1._domainkey IN CNAME "
    "selector1-praktijkjansen-nl._domainkey.praktijkjansen.onmicrosoft.com.",
    "selector2._domainkey IN CNAME "
    "selector2-praktijkjansen-nl._domainkey.praktijkjansen.onmicrosoft.com.",
    "_mta-sts IN TXT " + txt("v=STSv1; id=20261101T120000"),
    "_smtp._tls IN TXT " + txt("v=TLSRPTv1; rua=mailto:tls-rapporten@praktijkjansen.nl"),
    "autodiscover IN CNAME autodiscover.outlook.com.",
    # A subdomain with its own mail and no DMARC record: the organisation's record applies.
    "post IN MX 0 praktijkjansen-nl.mail.protection.outlook.com.",
    "post IN TXT " + txt("v=spf1 include:spf.protection.outlook.com -all"),

    # Google Workspace: good authentication, no MTA-STS, TLS reporting or DNSSEC.
    soa("tuinontwerp-devries.nl."),
    "@ IN MX 1 smtp.google.com.",
    "@ IN TXT " + txt("v=spf1 include:_spf.google.com ~all"),
    "google._domainkey IN TXT " + dkim_key("tuin"),
    "_dmarc IN TXT " + txt("v=DMARC1; p=quarantine; rua=mailto:dmarc@tuinontwerp-devries.nl"),

    # A Dutch hosting provider (TransIP) without DMARC.
    soa("kapsalon-knip.nl."),
    "@ IN MX 10 mx.transip.email.",
    "@ IN TXT " + txt("v=spf1 include:_spf.transip.email ~all"),
    "@ IN DNSKEY " + DNSKEY,
    "transip-A._domainkey IN CNAME _dkim-A.transip.email.",
    "transip-B._domainkey IN CNAME _dkim-B.transip.email.",

    # SPF that lets the whole world send: "+all".
    soa("bouwbedrijf-open.nl."),
    "@ IN MX 10 mx1.hostnet.nl.",
    "@ IN MX 20 mx2.hostnet.nl.",
    "@ IN TXT " + txt("v=spf1 a mx +all"),
    "@ IN A 193.202.115.20",
    "_dmarc IN TXT " + txt("v=DMARC1; p=none"),

    # A webshop that added every mailing service: more than ten SPF look-ups, nested.
    soa("webwinkel-druk.nl."),
    "@ IN MX 1 smtp.google.com.",
    "@ IN TXT " + txt("v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com "
                      "include:_spf.webwinkel-druk.nl ~all"),
    "_spf IN TXT " + txt("v=spf1 include:servers.mcsv.net include:sendgrid.net "
                         "include:mailgun.org ip4:93.184.216.34 ~all"),
    "_dmarc IN TXT " + txt("v=DMARC1; p=quarantine; rua=mailto:dmarc@webwinkel-druk.nl"),

    # A domain without MX records: nobody receives its mail.
    soa("geenmx.nl."),
    "@ IN A 93.184.216.35",
    "@ IN TXT " + txt("v=spf1 -all"),

    # Two SPF records and a DMARC record with a policy that does not exist.
    soa("dubbel.nl."),
    "@ IN MX 10 mx.antagonist.nl.",
    "@ IN TXT " + txt("v=spf1 include:spf.antagonist.nl ~all"),
    "@ IN TXT " + txt("v=spf1 mx -all"),
    "_dmarc IN TXT " + txt("v=DMARC1; p=blokkeer; rua=mailto:dmarc@dubbel.nl"),
    "_mta-sts IN TXT " + txt("v=STSv1; id=niet geldig!"),
    "_smtp._tls IN TXT " + txt("v=TLSRPTv1; rua=mailto:a@dubbel.nl"),
    "_smtp._tls IN TXT " + txt("v=TLSRPTv1; rua=mailto:b@dubbel.nl"),

    # A law firm behind a mail filter (Mimecast), Microsoft 365 behind it.
    soa("advocatenkantoor-recht.nl."),
    "@ IN MX 10 eu-smtp-inbound-1.mimecast.com.",
    "@ IN MX 20 eu-smtp-inbound-2.mimecast.com.",
    "@ IN TXT " + txt("v=spf1 include:eu._netblocks.mimecast.com "
                      "include:spf.protection.outlook.com -all"),
    "_dmarc IN TXT " + txt("v=DMARC1; p=reject; rua=mailto:dmarc@advocatenkantoor-recht.nl"),
    "selector1._domainkey IN CNAME "
    "selector1-advocatenkantoor-recht-nl._domainkey.recht.onmicrosoft.com.",

    # A parked domain that says it receives no mail (null MX, RFC 7505).
    soa("parkeer-domein.nl."),
    "@ IN MX 0 .",
    "@ IN TXT " + txt("v=spf1 -all"),
    "_dmarc IN TXT " + txt("v=DMARC1; p=reject;"),

    # Its own mail server: unrecognised, a DKIM key under a selector of its own, a DMARC
    # policy for half the mail and none for subdomains, DNSSEC keys the registry does not know.
    soa("eigen-server.nl."),
    "@ IN MX 10 mail.eigen-server.nl.",
    "mail IN A 93.184.216.36",
    "@ IN TXT " + txt("v=spf1 mx -all"),
    "@ IN DNSKEY " + DNSKEY,
    "2026a._domainkey IN TXT " + dkim_key("eigen"),
    "_dmarc IN TXT " + txt("v=DMARC1; p=quarantine; pct=50; sp=none; "
                           "rua=mailto:postmaster@eigen-server.nl"),

    # An SPF include of a name without an SPF record, and DNSSEC announced without keys.
    soa("stukke-include.nl."),
    "@ IN MX 10 mx.transip.email.",
    "@ IN TXT " + txt("v=spf1 include:_spf.transip.email include:spf.verhuisd-bedrijf.nl -all"),
    "_dmarc IN TXT " + txt("v=DMARC1; p=reject; rua=mailto:dmarc@stukke-include.nl"),

    # Microsoft 365 with the DKIM CNAMEs published but DKIM not switched on in the portal:
    # the CNAME targets do not exist yet.
    soa("kantoor-halfweg.nl."),
    "@ IN MX 0 kantoor-halfweg-nl.mail.protection.outlook.com.",
    "@ IN TXT " + txt("v=spf1 include:spf.protection.outlook.com -all"),
    "_dmarc IN TXT " + txt("v=DMARC1; p=quarantine; rua=mailto:dmarc@kantoor-halfweg.nl"),
    "selector1._domainkey IN CNAME "
    "selector1-kantoor-halfweg-nl._domainkey.halfweg.onmicrosoft.com.",
    "selector2._domainkey IN CNAME "
    "selector2-kantoor-halfweg-nl._domainkey.halfweg.onmicrosoft.com.",

    # Hostile data: markup and a control character in records, and a very long record.
    soa("vreemde-tekens.nl."),
    "@ IN MX 10 mx.transip.email.",
    "@ IN TXT " + txt("v=spf1 include:<script>alert(1)</script> -all"),
    "@ IN TXT " + txt("x" * 3000),
    "_dmarc IN TXT " + txt("v=DMARC1; p=reject; rua=mailto:dmarc@vreemde-tekens.nl") + r' "\007"',
    "_mta-sts IN TXT " + txt("v=STSv1; id=" + "9" * 2000),
])

# Everything below these names goes unanswered, or is answered with SERVFAIL.
DROPPED = ("traag.nl",)
SERVFAIL = ("kapot.nl",)
