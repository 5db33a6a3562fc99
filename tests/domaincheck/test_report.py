"""A report is stored as JSON with stable keys and rebuilt from its keys in any language; its
level follows the declared rule; every table it reads is complete."""

import ast
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.functional import Promise

from advisor.domaincheck import LEVELS, PROVIDER_KINDS, DomainReport, Finding, check_domain
from advisor.domaincheck import findings as f
from advisor.domaincheck import providers as p
from advisor.domaincheck.names import normalise_domain

PACKAGE = Path(f.__file__).parent
FINDING_KEYS = {"check", "label", "about", "code", "status", "status_label", "severity", "text",
                "advice", "also", "params", "record"}
REPORT_KEYS = {"version", "domain", "checked_at", "skipped", "skip_text", "skip_advice", "level",
               "level_label", "complete", "provider", "spf", "dmarc", "dkim", "dnssec",
               "mta_sts", "tls_rpt"}


def test_a_report_is_json_with_stable_keys():
    data = json.loads(json.dumps(check_domain("bouwbedrijf-open.nl").as_dict()))
    assert data.keys() == REPORT_KEYS
    for check in f.CHECKS:
        assert data[check].keys() >= FINDING_KEYS
    assert {"key", "name", "mx"} <= data["provider"].keys()
    assert data["provider"]["key"] in PROVIDER_KINDS and data["level"] in LEVELS


def test_a_stored_report_rebuilds_to_the_same_report():
    report = check_domain("eigen-server.nl")
    stored = json.loads(json.dumps(report.as_dict()))
    assert DomainReport.from_dict(stored) == report


def test_a_skipped_report_rebuilds_too():
    report = check_domain("hotmail.com")
    assert DomainReport.from_dict(json.loads(json.dumps(report.as_dict()))) == report


def test_a_report_stored_in_english_reads_in_dutch():
    with translation.override("en"):
        stored = json.loads(json.dumps(check_domain("kapsalon-knip.nl").as_dict()))
    assert stored["dmarc"]["text"].startswith("Your domain has no DMARC record")
    with translation.override("nl"):
        dutch = DomainReport.from_dict(stored).as_dict()
    assert dutch["dmarc"]["text"].startswith("Je domein heeft geen DMARC-record")
    assert dutch["level_label"] == "Risico"


def test_a_stored_code_that_no_longer_exists_still_renders():
    finding = Finding.from_dict({"check": "spf", "code": "spf.retired_code", "params": {}})
    assert finding.status == "unknown" and finding.text


def test_a_stored_finding_missing_a_value_still_renders():
    finding = Finding.from_dict({"check": "spf", "code": "spf.too_many_lookups", "params": {}})
    assert "?" in finding.text


def report_with(*codes: str) -> DomainReport:
    findings = {f"check{i}": Finding("spf", (code,)) for i, code in enumerate(codes)}
    return DomainReport("bakkerij.nl", datetime(2026, 11, 29, tzinfo=UTC), findings)


@pytest.mark.parametrize(("codes", "level"), [
    (("spf.good", "dmarc.reject", "dnssec.signed"), "good"),
    (("spf.good", "dmarc.reject", "mta_sts.missing", "tls_rpt.missing"), "good"),
    (("spf.good", "dmarc.no_reports"), "good"),
    (("spf.good", "dmarc.none"), "improve"),
    (("spf.good", "dnssec.unsigned"), "improve"),
    (("spf.good", "timed_out"), "improve"),
    (("spf.good", "spf.incomplete"), "improve"),
    (("spf.plus_all", "dmarc.reject"), "at_risk"),
    (("spf.missing",), "at_risk"),
    (("dmarc.missing", "timed_out"), "at_risk"),
    (("spf.too_many_lookups", "dnssec.unsigned"), "at_risk"),
])
def test_the_level_rule(codes, level):
    assert report_with(*codes).level == level


def test_a_finding_shows_its_worst_problem_first():
    finding = Finding("dmarc", ("dmarc.reject", "dmarc.no_reports"))
    assert finding.codes == ("dmarc.no_reports", "dmarc.reject")
    assert finding.status == "warning" and finding.severity == "low"


def test_every_message_has_a_known_status_severity_and_dutch_text():
    for code, message in {**f.MESSAGES, **f.SKIP_MESSAGES}.items():
        assert message.status in f.STATUSES, code
        assert message.severity in f.SEVERITIES, code
        assert (message.severity == f.NO_SEVERITY) == (
            message.status in {f.GOOD, f.INFO, f.UNKNOWN} or code in f.SKIP_MESSAGES), code
        for text in (message.text, message.advice):
            assert isinstance(text, Promise), code
            with translation.override("nl"):
                dutch = str(text)
            with translation.override("en"):
                assert dutch != str(text), f"{code}: no Dutch for {text!s}"


def test_every_check_has_a_translated_label_and_explanation():
    for check in f.CHECKS.values():
        for text in (check.about, *([check.label] if check.key in {"provider", "tls_rpt"} else [])):
            with translation.override("nl"):
                dutch = str(text)
            with translation.override("en"):
                assert dutch != str(text), check.key


def test_every_code_the_checks_can_produce_has_a_message():
    source = (PACKAGE / "checks.py").read_text()
    written = set(re.findall(r'"((?:provider|spf|dmarc|dkim|dnssec|mta_sts|tls_rpt)\.[a-z_0-9]+)"',
                             source))
    built = {f"provider.{kind}" for kind in PROVIDER_KINDS} | {
        f"dmarc.{policy}" for policy in ("none", "quarantine", "reject")} | {
        f"{check}.{state}" for check in ("mta_sts", "tls_rpt")
        for state in ("good", "malformed", "missing")}
    assert written and (written | built) <= f.MESSAGES.keys()
    assert f.MESSAGES.keys() <= written | built | {f.LOOKUP_FAILED, f.TIMED_OUT}


def test_the_documentation_lists_every_code():
    documentation = (PACKAGE.parent.parent / "docs" / "domain-check.md").read_text()
    assert [code for code in f.MESSAGES if f"`{code}`" not in documentation] == []


def test_the_provider_table_is_consistent():
    slugs = [provider.slug for provider in p.PROVIDERS]
    assert len(slugs) == len(set(slugs))
    for provider in p.PROVIDERS:
        assert provider.kind in PROVIDER_KINDS and provider.kind not in {p.UNKNOWN, p.NONE}
        for name in (*provider.mx_suffixes, *provider.spf_includes):
            assert name == name.lower() and "." in name and not name.endswith("."), name
    for domain in p.PUBLIC_MAIL_DOMAINS:
        assert normalise_domain(domain) == domain


def test_mx_hosts_are_recognised_by_suffix_not_by_substring():
    assert p.recognise(["praktijk-nl.mail.protection.outlook.com"]).slug == "microsoft_365"
    assert p.recognise(["aspmx.l.google.com", "alt1.aspmx.l.google.com"]).slug == "google_workspace"
    assert p.recognise(["mx.transip.email"]).slug == "transip"
    assert p.recognise(["mail.protection.outlook.com.evil.nl"]) is None
    assert p.recognise(["notoutlook.com"]) is None


def test_the_domain_check_imports_nothing_else_of_the_product():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith("advisor") or name.startswith("advisor.domaincheck"), (
                    f"{path.name} imports {name}")
