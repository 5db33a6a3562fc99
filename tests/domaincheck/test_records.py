"""The record readers follow their RFCs as a receiving server reads the records."""

import pytest

from advisor.domaincheck.records import (
    clean_text,
    is_dkim_key,
    is_dmarc,
    is_mta_sts,
    is_spf,
    is_tls_rpt,
    looks_like_dmarc,
    lookup_name,
    parse_dmarc,
    parse_spf,
)


@pytest.mark.parametrize(("text", "spf"), [
    ("v=spf1 -all", True),
    ("V=SPF1 include:_spf.google.com ~all", True),
    ("v=spf1", True),
    ("v=spf10 -all", False),
    ("v=spf1-all", False),
    ("spf2.0/pra include:x -all", False),
    ("google-site-verification=abc", False),
])
def test_an_spf_record_starts_with_its_version_and_a_space(text, spf):
    assert is_spf(text) is spf


def test_spf_counts_look_ups_of_its_own_mechanisms_and_lists_its_includes():
    record = parse_spf("v=spf1 a mx ptr exists:%{i}.x.nl include:_spf.google.com "
                       "ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all")
    assert record.lookups == 5
    assert record.includes == ("_spf.google.com",)
    assert record.all_qualifier == "~"


@pytest.mark.parametrize(("text", "qualifier"), [
    ("v=spf1 -all", "-"), ("v=spf1 all", "+"), ("v=spf1 +all", "+"), ("v=spf1 ?all", "?"),
    ("v=spf1 mx", None), ("v=spf1 redirect=_spf.example.nl", None),
])
def test_spf_all_and_its_qualifier(text, qualifier):
    assert parse_spf(text).all_qualifier == qualifier


def test_mechanisms_after_all_are_never_evaluated_so_not_counted():
    record = parse_spf("v=spf1 -all include:a.nl include:b.nl")
    assert record.lookups == 0 and record.includes == ()


@pytest.mark.parametrize("text", [
    "v=spf1 include -all",
    "v=spf1 include: -all",
    "v=spf1 ip4:300.1.1.1 -all",
    "v=spf1 ip4:2001:db8::1 -all",
    "v=spf1 ip6:192.0.2.1 -all",
    "v=spf1 a/33 -all",
    "v=spf1 mx//129 -all",
    "v=spf1 all:x.nl",
    "v=spf1 foo:bar -all",
    "v=spf1 redirect=a.nl redirect=b.nl",
    "v=spf1 redirect=",
    "v=spf1 ~include:x.nl =all",
])
def test_spf_syntax_errors_make_the_record_unusable(text):
    assert parse_spf(text) is None


def test_spf_accepts_unknown_modifiers_and_dual_cidr():
    record = parse_spf("v=spf1 a:mail.x.nl/24//64 mx/28 foo=bar exp=explain.x.nl -all")
    assert record is not None and record.lookups == 2


@pytest.mark.parametrize(("text", "valid"), [
    ("v=DMARC1; p=reject", True),
    ("v=DMARC1", True),
    ("V = DMARC1 ; p=none", True),
    ("v=dmarc1; p=reject", False),
    ("v=DMARC1 p=reject", False),
    ("p=reject; v=DMARC1", False),
])
def test_a_dmarc_record_starts_with_its_exact_version(text, valid):
    assert is_dmarc(text) is valid


def test_a_record_that_merely_looks_like_dmarc_is_still_recognised_as_an_attempt():
    assert looks_like_dmarc("v=dmarc1; p=reject") and not looks_like_dmarc("v=spf1 -all")


def test_dmarc_policy_reports_percentage_and_subdomain_policy():
    record = parse_dmarc("v=DMARC1; p=Quarantine; sp=none; pct=25; "
                         "rua=mailto:a@x.nl,mailto:b@y.nl!10m,ftp://nope, https://r.example/dmarc")
    assert record.policy == "quarantine" and record.subdomain_policy == "none"
    assert record.percentage == 25
    assert record.reports == ("mailto:a@x.nl", "mailto:b@y.nl!10m", "https://r.example/dmarc")


@pytest.mark.parametrize("text", ["v=DMARC1", "v=DMARC1; p=blokkeer", "v=DMARC1; p="])
def test_a_dmarc_record_without_a_valid_policy_has_none(text):
    assert parse_dmarc(text).policy is None


def test_an_invalid_dmarc_percentage_is_ignored_so_all_mail_counts():
    assert parse_dmarc("v=DMARC1; p=reject; pct=150").percentage == 100
    assert parse_dmarc("v=DMARC1; p=reject; pct=abc").percentage == 100


@pytest.mark.parametrize(("text", "key"), [
    ("v=DKIM1; k=rsa; p=MIIBIjANBg", True),
    ("k=rsa; p=MIIBIjANBg", True),
    ("v=DKIM1; p=", False),  # revoked (RFC 6376 §3.6.1)
    ("v=DKIM2; p=MIIB", False),
    ("v=spf1 -all", False),
])
def test_a_dkim_record_holds_a_key(text, key):
    assert is_dkim_key(text) is key


@pytest.mark.parametrize(("text", "valid"), [
    ("v=STSv1; id=20261101T120000", True),
    ("v=STSv1; id=abc123;", True),
    ("v=STSv1;id=abc", True),
    ("v=STSv1", False),
    ("v=STSv1; id=niet geldig!", False),
    ("v=STSv1; id=" + "9" * 33, False),
    ("v=stsv1; id=abc", False),
])
def test_an_mta_sts_record_has_version_and_id(text, valid):
    assert is_mta_sts(text) is valid


@pytest.mark.parametrize(("text", "valid"), [
    ("v=TLSRPTv1; rua=mailto:tls@x.nl", True),
    ("v=TLSRPTv1; rua=https://reports.x.nl/tls", True),
    ("v=TLSRPTv1;", False),
    ("v=TLSRPTv1; rua=ftp://x.nl", False),
    ("rua=mailto:tls@x.nl; v=TLSRPTv1", False),
])
def test_a_tls_reporting_record_has_version_and_a_report_address(text, valid):
    assert is_tls_rpt(text) is valid


def test_text_from_dns_is_made_printable_and_capped():
    assert clean_text(b"v=spf1 \x1b[31m-all\x00\n") == "v=spf1 ?[31m-all??"
    assert clean_text(b"\xff\xfe ok") == "\ufffd\ufffd ok"
    long = clean_text("x" * 5000, limit=512)
    assert len(long) == 512 and long.endswith("…")


@pytest.mark.parametrize(("text", "name"), [
    ("_spf.google.com", "_spf.google.com"),
    ("SPF.Protection.Outlook.com.", "spf.protection.outlook.com"),
    ("<script>alert(1)</script>", None),
    ("x" * 64 + ".nl", None),
    ("nodots", None),
])
def test_only_real_names_from_dns_are_looked_up(text, name):
    assert lookup_name(text) == name
