"""Where a webhook may go: https to the public internet only, so the webhook cannot be used
to reach the network the site runs in (SSRF)."""

import socket

import pytest

from advisor.webhooks.destination import (
    HTTPS_ONLY,
    NOT_A_URL,
    NOT_PUBLIC,
    UNKNOWN_HOST,
    RefusedAddress,
    connection_to,
)


@pytest.fixture(autouse=True)
def production_rules(settings):
    settings.WEBHOOK_ALLOW_LOCAL = False


def refused(url: str) -> RefusedAddress:
    with pytest.raises(RefusedAddress) as error:
        connection_to(url)
    return error.value


def resolves(monkeypatch, *addresses: str) -> None:
    """The name server's answer for any name, as getaddrinfo hands it over."""
    def answer(host, port, *args, **kwargs):
        family = lambda a: socket.AF_INET6 if ":" in a else socket.AF_INET  # noqa: E731
        return [(family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]
    monkeypatch.setattr(socket, "getaddrinfo", answer)


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook", "https://10.0.0.5/hook", "https://172.16.3.4/hook",
    "https://192.168.1.10:8443/hook", "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/hook", "https://0.0.0.0/hook", "https://[::1]/hook",
    "https://[fd00::1]/hook", "https://[fe80::1]/hook", "https://[::ffff:127.0.0.1]/hook",
    "https://224.0.0.1/hook", "https://localhost/hook",
])
def test_private_loopback_and_link_local_addresses_are_refused(url):
    error = refused(url)
    assert error.reason == NOT_PUBLIC
    assert f"({error.address})" in error.message
    assert "alleen naar adressen op het openbare internet" in error.message


def test_a_name_with_one_private_answer_among_public_ones_is_refused(monkeypatch):
    resolves(monkeypatch, "93.184.215.14", "10.1.2.3")
    error = refused("https://crm.example/hook")
    assert (error.reason, error.address) == (NOT_PUBLIC, "10.1.2.3")


def test_a_public_name_is_connected_to_by_address_with_its_name_for_tls_and_host(monkeypatch):
    resolves(monkeypatch, "93.184.215.14")
    connection = connection_to("https://user:pw@crm.example:8443/hooks/in?key=abc")
    assert str(connection.url) == "https://user:pw@93.184.215.14:8443/hooks/in?key=abc"
    assert connection.headers == {"Host": "crm.example:8443"}
    assert connection.extensions == {"sni_hostname": "crm.example"}


def test_a_public_address_needs_no_name_lookup():
    connection = connection_to("https://[2001:4860:4860::8888]/hook")
    assert str(connection.url) == "https://[2001:4860:4860::8888]/hook"
    assert connection.extensions == {}


@pytest.mark.parametrize("url", ["http://93.184.215.14/hook", "http://crm.example/hook"])
def test_plain_http_is_refused(monkeypatch, url):
    resolves(monkeypatch, "93.184.215.14")
    assert refused(url).reason == HTTPS_ONLY


@pytest.mark.parametrize("url", ["ftp://crm.example/hook", "https:///hook", "not a url",
                                 "javascript:alert(1)"])
def test_what_is_not_a_web_address_is_refused(url):
    assert refused(url).reason == NOT_A_URL


def test_an_unknown_host_says_so_with_its_name(monkeypatch):
    def no_answer(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_answer)
    error = refused("https://crm.exampel/hook")
    assert error.reason == UNKNOWN_HOST
    assert "crm.exampel" in error.message


def test_development_may_post_to_this_machine_also_over_http(settings):
    settings.WEBHOOK_ALLOW_LOCAL = True
    assert str(connection_to("http://127.0.0.1:8001/hook").url) == "http://127.0.0.1:8001/hook"
    assert connection_to("https://localhost:8443/hook").extensions == {
        "sni_hostname": "localhost"}
    # Still never unencrypted across the internet.
    assert refused("http://93.184.215.14/hook").reason == HTTPS_ONLY
