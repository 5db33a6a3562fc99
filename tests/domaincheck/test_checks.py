"""The whole check against a real DNS server on loopback, with zones like the real world's."""

import time

import dns.resolver
import pytest
from django.core.exceptions import ImproperlyConfigured

from advisor.domaincheck import check_domain
from advisor.domaincheck.lookups import build_resolver, parse_nameserver


def codes(report, check):
    return report.findings[check].codes


def test_microsoft_365_done_right_is_good_on_every_check():
    report = check_domain("praktijkjansen.nl")
    assert report.provider_key == "microsoft_365"
    assert {key: finding.code for key, finding in report.findings.items()} == {
        "provider": "provider.microsoft_365",
        "spf": "spf.good",
        "dmarc": "dmarc.reject",
        "dkim": "dkim.good",
        "dnssec": "dnssec.signed",
        "mta_sts": "mta_sts.good",
        "tls_rpt": "tls_rpt.good",
    }
    assert report.findings["dkim"].params["selectors"] == ["selector1", "selector2"]
    assert report.level == "good" and report.complete


def test_a_dkim_key_too_big_for_udp_is_fetched_over_tcp(dns_server):
    check_domain("praktijkjansen.nl")
    asked = [(name, protocol) for name, rdtype, protocol in dns_server.questions]
    assert ("selector1._domainkey.praktijkjansen.nl.", "udp") in asked
    assert ("selector1._domainkey.praktijkjansen.nl.", "tcp") in asked


def test_google_workspace_with_good_authentication_can_still_be_better():
    report = check_domain("tuinontwerp-devries.nl")
    assert report.provider_key == "google_workspace"
    assert codes(report, "spf") == ("spf.good",)
    assert report.findings["spf"].params["lookups"] == 4  # the include and Google's three
    assert codes(report, "dmarc") == ("dmarc.quarantine",)
    assert codes(report, "dkim") == ("dkim.good",)
    assert codes(report, "dnssec") == ("dnssec.unsigned",)
    assert report.level == "improve"


def test_a_dutch_hosting_provider_without_dmarc_is_at_risk():
    report = check_domain("kapsalon-knip.nl")
    provider = report.findings["provider"]
    assert report.provider_key == "hosting" and provider.params["provider"] == "transip"
    assert provider.text == "Je mail wordt ontvangen door TransIP, een hostingpartij."
    assert codes(report, "dmarc") == ("dmarc.missing",)
    assert report.findings["dkim"].params["selectors"] == ["transip-A", "transip-B"]
    assert report.level == "at_risk"


def test_spf_that_allows_every_server_is_at_risk():
    report = check_domain("bouwbedrijf-open.nl")
    assert codes(report, "spf") == ("spf.plus_all",)
    assert codes(report, "dmarc") == ("dmarc.none", "dmarc.no_reports")
    assert codes(report, "dkim") == ("dkim.missing",)
    assert report.level == "at_risk"


def test_more_than_ten_spf_look_ups_through_nested_includes_is_an_error(dns_server):
    report = check_domain("webwinkel-druk.nl")
    spf = report.findings["spf"]
    assert spf.code == "spf.too_many_lookups" and spf.params["lookups"] > 10
    assert spf.status == "bad" and spf.severity == "high"
    # Counting stops asking once the limit is passed: nothing beyond it is fetched.
    assert ("_spf.eu.mailgun.org.", "TXT", "udp") not in dns_server.questions


def test_a_domain_without_mx_has_provider_none():
    report = check_domain("geenmx.nl")
    assert report.provider_key == "none"
    assert codes(report, "provider") == ("provider.none",)


def test_a_null_mx_says_the_domain_receives_no_mail():
    report = check_domain("parkeer-domein.nl")
    assert report.provider_key == "none" and report.findings["provider"].code == "provider.null_mx"


def test_two_spf_records_a_broken_dmarc_policy_and_broken_announcements():
    report = check_domain("dubbel.nl")
    assert codes(report, "spf") == ("spf.multiple",)
    assert report.findings["spf"].params == {"count": 2}
    assert codes(report, "dmarc") == ("dmarc.malformed",)
    assert report.findings["dmarc"].record == "v=DMARC1; p=blokkeer; rua=mailto:dmarc@dubbel.nl"
    assert codes(report, "mta_sts") == ("mta_sts.malformed",)
    assert codes(report, "tls_rpt") == ("tls_rpt.malformed",)
    assert report.level == "at_risk"


def test_a_mail_filter_in_front_is_recognised_and_dkim_found_by_common_selectors():
    report = check_domain("advocatenkantoor-recht.nl")
    assert report.provider_key == "filter"
    assert report.findings["provider"].params["name"] == "Mimecast"
    assert report.findings["dkim"].params["selectors"] == ["selector1"]


def test_an_unknown_server_with_a_key_under_an_unusual_selector_and_partial_dmarc():
    report = check_domain("eigen-server.nl")
    assert report.provider_key == "unknown"
    assert report.findings["provider"].params["mx"] == ["mail.eigen-server.nl"]
    assert codes(report, "dkim") == ("dkim.unconfirmed",)
    assert codes(report, "dmarc") == ("dmarc.partial", "dmarc.subdomains_open",
                                      "dmarc.quarantine")
    assert codes(report, "dnssec") == ("dnssec.not_anchored",)
    assert report.level == "improve"


def test_dkim_cnames_without_keys_behind_them_are_unconfirmed_not_missing():
    report = check_domain("kantoor-halfweg.nl")
    assert codes(report, "dkim") == ("dkim.unconfirmed",)
    assert report.findings["dkim"].severity == "low"


def test_an_spf_include_without_a_record_and_dnssec_without_keys_are_broken():
    report = check_domain("stukke-include.nl")
    assert codes(report, "spf") == ("spf.broken_include", "spf.good")
    assert report.findings["spf"].params["include"] == "spf.verhuisd-bedrijf.nl"
    assert codes(report, "dnssec") == ("dnssec.broken",)


def test_a_subdomain_without_dmarc_falls_back_to_its_organisations_record():
    report = check_domain("post.praktijkjansen.nl")
    dmarc = report.findings["dmarc"]
    assert dmarc.code == "dmarc.reject" and dmarc.params["inherited_from"] == "praktijkjansen.nl"
    assert codes(report, "dnssec") == ("dnssec.signed",)


def test_the_provider_s_spf_include_is_expected():
    report = check_domain("kapsalon-knip.nl")
    assert "spf.missing_include" not in codes(report, "spf")
    report = check_domain("webwinkel-druk.nl")
    assert "spf.missing_include" not in codes(report, "spf")


def test_hostile_records_are_stored_printable_capped_and_never_followed(dns_server):
    report = check_domain("vreemde-tekens.nl")
    spf = report.findings["spf"]
    assert spf.code == "spf.malformed"
    assert spf.record == "v=spf1 include:<script>alert(1)</script> -all"
    assert not any("script" in name for name, _, _ in dns_server.questions)
    dmarc = report.findings["dmarc"]
    assert dmarc.code == "dmarc.reject" and "\x07" not in dmarc.record
    mta_sts = report.findings["mta_sts"]
    assert mta_sts.code == "mta_sts.malformed" and len(mta_sts.record) == 512


def test_a_server_that_answers_servfail_makes_every_finding_unknown():
    report = check_domain("kapot.nl")
    assert {finding.code for finding in report.findings.values()} == {"lookup_failed"}
    assert {finding.status for finding in report.findings.values()} == {"unknown"}
    assert report.provider_key == "unknown"
    assert not report.complete and report.level == "improve"


@pytest.mark.parametrize(("timeout", "budget"), [(0.5, 1.5), (2.0, 6.0)])
def test_a_server_that_never_answers_costs_no_more_than_the_budget(settings, dns_server,
                                                                   timeout, budget):
    settings.DOMAIN_CHECK_TIMEOUT = timeout
    settings.DOMAIN_CHECK_BUDGET = budget
    started = time.monotonic()
    report = check_domain("traag.nl")
    elapsed = time.monotonic() - started
    assert elapsed < budget + 1.5
    assert {finding.code for finding in report.findings.values()} == {"timed_out"}
    assert report.provider_key == "unknown" and not report.complete
    # Once the budget is spent nothing more is asked: one question per timeout, at most.
    assert len(dns_server.questions) <= budget / timeout + 1


def test_a_public_mail_service_is_recognised_and_not_looked_up(dns_server):
    report = check_domain("Gmail.com")
    assert report.skipped == "public_provider" and report.findings == {}
    assert report.level is None and report.provider_key is None
    assert dns_server.questions == []


def test_a_domain_that_does_not_exist_is_reported_as_such():
    report = check_domain("bestaat-niet.nl")
    assert report.skipped == "no_such_domain" and report.level is None
    assert report.skip_text == "Het domein bestaat-niet.nl bestaat niet."


def test_only_the_configured_nameservers_are_asked():
    resolver = build_resolver(["127.0.0.1:5353", "[::1]:53", "9.9.9.9"])
    assert [(ns.address, ns.port) for ns in resolver.nameservers] == [
        ("127.0.0.1", 5353), ("::1", 53), ("9.9.9.9", 53)]
    assert build_resolver("192.0.2.1,192.0.2.2:54").nameservers[1].port == 54


def test_without_configured_nameservers_the_system_resolver_is_used(monkeypatch):
    read = []
    monkeypatch.setattr(dns.resolver.Resolver, "read_resolv_conf",
                        lambda self, *args, **kwargs: read.append(True))
    build_resolver([])
    assert read == [True]


@pytest.mark.parametrize("entry", ["dns.google", "127.0.0.1:99999", "1.2.3.4:", "[::1", "::1:53x"])
def test_a_nameserver_that_is_not_an_ip_address_is_a_configuration_error(entry):
    with pytest.raises(ImproperlyConfigured, match="DOMAIN_CHECK_NAMESERVERS"):
        parse_nameserver(entry)
