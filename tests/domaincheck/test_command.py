"""`manage.py check_domain` prints the findings, or with --json the agreed object."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

CHECKS = ("provider", "spf", "dmarc", "dkim", "mta_sts", "tls_rpt", "dnssec")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("check_domain", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_agreed_keys_statuses_texts_and_level():
    data = json.loads(run("praktijkjansen.nl", "--json"))
    for check in CHECKS:
        assert data[check]["status"] and data[check]["text"]
    assert data["level"] == "good"
    assert data["provider"]["key"] == "microsoft_365"


@pytest.mark.parametrize(("domain", "key", "level"), [
    ("tuinontwerp-devries.nl", "google_workspace", "improve"),
    ("kapsalon-knip.nl", "hosting", "at_risk"),
    ("advocatenkantoor-recht.nl", "filter", "improve"),
    ("eigen-server.nl", "unknown", "improve"),
    ("geenmx.nl", "none", "at_risk"),
])
def test_json_provider_key_and_level_for_each_kind_of_set_up(domain, key, level):
    data = json.loads(run(domain, "--json"))
    assert (data["provider"]["key"], data["level"]) == (key, level)


def test_the_readable_report_is_dutch_by_default_and_english_on_request():
    dutch = run("kapsalon-knip.nl")
    assert dutch.startswith("kapsalon-knip.nl: Risico")
    assert "Je domein heeft geen DMARC-record" in dutch and "Wat te doen:" in dutch
    english = run("kapsalon-knip.nl", "--lang", "en")
    assert english.startswith("kapsalon-knip.nl: At risk")
    assert "Your domain has no DMARC record" in english and "What to do:" in english


def test_an_email_address_is_checked_by_its_domain():
    assert run("eva@bouwbedrijf-open.nl", "--lang", "en").startswith("bouwbedrijf-open.nl: At risk")


def test_a_public_mail_service_is_explained_not_checked():
    data = json.loads(run("eva@gmail.com", "--json", "--lang", "en"))
    assert data["skipped"] == "public_provider" and data["level"] is None
    assert "public mail service" in data["skip_text"]


@pytest.mark.parametrize("domain", ["localhost", "192.168.1.1", "example.com\nfoo", "eva@"])
def test_an_invalid_domain_is_refused_with_its_reason(domain):
    with pytest.raises(CommandError):
        run(domain, "--lang", "en")


def shell(dns_server, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DOMAIN_CHECK_NAMESERVERS": f"127.0.0.1:{dns_server.port}"}
    return subprocess.run([sys.executable, "manage.py", "check_domain", *args],
                          capture_output=True, text=True, env=env, check=False, timeout=60)


def test_from_the_shell_the_environment_variable_points_the_check_at_the_server(dns_server):
    result = shell(dns_server, "praktijkjansen.nl", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["level"] == "good"
    assert ("praktijkjansen.nl.", "MX", "udp") in dns_server.questions


def test_from_the_shell_an_invalid_domain_exits_with_status_1_and_a_clear_message(dns_server):
    result = shell(dns_server, "localhost", "--lang", "en")
    assert result.returncode == 1
    assert "This is not a public internet domain" in result.stderr
    assert dns_server.questions == []
