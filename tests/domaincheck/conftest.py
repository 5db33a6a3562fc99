import dns.query
import dns.resolver
import pytest


@pytest.fixture(autouse=True)
def _resolver_on_loopback(settings, dns_server):
    """Every check in these tests asks the loopback server, with a short time limit."""
    settings.DOMAIN_CHECK_NAMESERVERS = [f"127.0.0.1:{dns_server.port}"]
    settings.DOMAIN_CHECK_TIMEOUT = 1.0
    settings.DOMAIN_CHECK_BUDGET = 5.0
    dns_server.questions.clear()


@pytest.fixture(autouse=True)
def _no_dns_beyond_loopback(monkeypatch):
    """No test touches the internet: a DNS question to any other address, or reading the
    system's resolver configuration, fails the test."""

    def loopback_only(send):
        def guarded(request, where, *args, **kwargs):
            assert where == "127.0.0.1", f"a DNS question went to {where}"
            return send(request, where, *args, **kwargs)

        return guarded

    def no_system_resolver(*args, **kwargs):
        raise AssertionError("the system's resolver configuration was read")

    monkeypatch.setattr(dns.query, "udp", loopback_only(dns.query.udp))
    monkeypatch.setattr(dns.query, "tcp", loopback_only(dns.query.tcp))
    monkeypatch.setattr(dns.resolver.Resolver, "read_resolv_conf", no_system_resolver)
