"""Whatever a visitor types, only a public domain in ASCII form reaches the DNS."""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.domaincheck.names import (
    EMPTY,
    IP_ADDRESS,
    NOT_A_DOMAIN,
    NOT_PUBLIC,
    TOO_LONG,
    InvalidDomain,
    domain_of_email,
    normalise_domain,
)


@pytest.mark.parametrize(("typed", "domain"), [
    ("bäcker.nl", "xn--bcker-gra.nl"),
    ("Bäcker.NL.", "xn--bcker-gra.nl"),
    ("  Praktijk-Jansen.nl ", "praktijk-jansen.nl"),
    ("xn--bcker-gra.nl", "xn--bcker-gra.nl"),
    ("straße.de", "xn--strae-oqa.de"),
    # Full-width letters and dot, as a phone keyboard for Asian scripts types them.
    ("\uff22\uff21\uff2b\uff2b\uff25\uff32\uff29\uff2a\uff0e\uff4e\uff4c", "bakkerij.nl"),
    ("mail.bakkerij.co.uk", "mail.bakkerij.co.uk"),
])
def test_a_domain_is_lower_cased_in_idna_form_without_its_final_dot(typed, domain):
    assert normalise_domain(typed) == domain


@pytest.mark.parametrize(("typed", "message"), [
    ("", EMPTY),
    ("   ", EMPTY),
    ("example.com\nfoo", NOT_A_DOMAIN),
    ("example.com\r\nBcc: x@y.nl", NOT_A_DOMAIN),
    ("example.com foo", NOT_A_DOMAIN),
    ("exa\\.mple.com", NOT_A_DOMAIN),
    ("evil\u202eln.com", NOT_A_DOMAIN),
    ("<script>.nl", NOT_A_DOMAIN),
    ("https://bakkerij.nl/", NOT_A_DOMAIN),
    ("eva@bakkerij.nl", NOT_A_DOMAIN),
    ("_dmarc.bakkerij.nl", NOT_A_DOMAIN),
    ("-bakkerij.nl", NOT_A_DOMAIN),
    ("bakkerij..nl", NOT_A_DOMAIN),
    ("xn--zz.nl", NOT_A_DOMAIN),
    ("192.168.1.1", IP_ADDRESS),
    ("[2001:db8::1]", IP_ADDRESS),
    ("::1", IP_ADDRESS),
    ("localhost", NOT_PUBLIC),
    ("nl", NOT_PUBLIC),
    ("printer.local", NOT_PUBLIC),
    ("server.internal", NOT_PUBLIC),
    ("kantoor.lan", NOT_PUBLIC),
    ("bakkerij.test", NOT_PUBLIC),
    ("1.168.192.in-addr.arpa", NOT_PUBLIC),
    ("8.b.d.0.1.0.0.2.ip6.arpa", NOT_PUBLIC),
    ("1.2.3", NOT_PUBLIC),
    ("a" * 64 + ".nl", TOO_LONG),
    (".".join(["a" * 60] * 5), TOO_LONG),
    ("ä" * 2000 + ".nl", TOO_LONG),
])
def test_what_is_no_public_domain_is_refused_with_a_clear_message(typed, message):
    with pytest.raises(InvalidDomain) as refused:
        normalise_domain(typed)
    assert refused.value.message == message
    assert str(refused.value) == str(message)


def test_the_longest_allowed_name_passes_and_one_more_character_does_not():
    longest = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])
    assert len(longest) == 253
    assert normalise_domain(longest) == longest
    with pytest.raises(InvalidDomain):
        normalise_domain(longest + "d")


def test_something_other_than_text_is_refused():
    with pytest.raises(InvalidDomain):
        normalise_domain(b"bakkerij.nl")  # type: ignore[arg-type]


@pytest.mark.parametrize(("email", "domain"), [
    ("eva@praktijkjansen.nl", "praktijkjansen.nl"),
    ("Eva.Jansen@Bäcker.NL", "xn--bcker-gra.nl"),
    ('"odd@local"@bakkerij.nl', "bakkerij.nl"),
    ("eva@[192.168.1.1]", None),
    ("eva@localhost", None),
    ("@bakkerij.nl", None),
    ("bakkerij.nl", None),
    ("eva@bakkerij.nl\nBcc: x@y.nl", None),
    ("", None),
])
def test_the_domain_of_an_email_address(email, domain):
    assert domain_of_email(email) == domain


LABEL = st.text(alphabet=string.ascii_letters + string.digits + "-_äöüßéÅ\u0301", min_size=0,
                max_size=70)
DOMAINISH = st.lists(LABEL, min_size=1, max_size=6).map(".".join)
ANYTHING = st.text(max_size=300)
HOSTILE = st.sampled_from(["\x00", "\n", "\\", "@", "/", " ", ".", "\u202e", "\ud800", "xn--",
                           "[", "]", ":", "%", "*"])


@settings(max_examples=600, deadline=None, database=None)
@given(st.one_of(DOMAINISH, ANYTHING, st.tuples(DOMAINISH, HOSTILE, DOMAINISH).map("".join)))
def test_normalise_domain_raises_nothing_but_its_own_error(text):
    try:
        domain = normalise_domain(text)
    except InvalidDomain:
        return
    assert domain.isascii() and domain == domain.lower()
    assert len(domain) <= 253 and all(0 < len(label) <= 63 for label in domain.split("."))
    assert normalise_domain(domain) == domain


@settings(max_examples=200, deadline=None, database=None)
@given(st.one_of(st.emails(), ANYTHING))
def test_domain_of_email_never_raises(email):
    domain = domain_of_email(email)
    assert domain is None or normalise_domain(domain) == domain
