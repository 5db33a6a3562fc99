"""Where a visit came from, cleaned to short plain values before anything stores it."""

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from advisor.funnel.sources import (
    MAX_LENGTH,
    Source,
    clean_host,
    clean_value,
    landing_source,
    referring_host,
)
from advisor.lib.spreadsheet import FORMULA_STARTS

rf = RequestFactory()


@pytest.mark.parametrize("raw, kept", [
    ("LinkedIn", "linkedin"),
    ("  Voorjaar   2026 ", "voorjaar 2026"),
    ("nieuwsbrief_dec-2026.v2", "nieuwsbrief_dec-2026.v2"),
    ("café", "café"),
    ("=HYPERLINK(\"http://x\")", ""),
    ("+31 6 12345678", ""),
    ("-2+3", ""),
    ("@cmd", ""),
    ("eva@example.nl", ""),
    ("<script>", ""),
    ("a\u200bb", ""),
    ("line\nbreak", "line break"),
    ("", ""),
])
def test_campaign_values_are_kept_only_as_plain_short_text(raw, kept):
    assert clean_value(raw) == kept


def test_a_long_campaign_value_is_cut_to_its_maximum():
    assert clean_value("x" * 500) == "x" * MAX_LENGTH


@given(st.text(max_size=300))
def test_no_campaign_value_is_ever_a_formula_markup_or_longer_than_allowed(raw):
    value = clean_value(raw)
    assert len(value) <= MAX_LENGTH
    assert not value.startswith(FORMULA_STARTS)
    assert not set(value) & set("<>\"'&;=@\r\n\t")


@pytest.mark.parametrize("raw, kept", [
    ("www.Google.com", "www.google.com"),
    ("nieuws.example.", "nieuws.example"),
    ("127.0.0.1", "127.0.0.1"),
    ("evil.example/path", ""),
    ("-bad.example", ""),
    ("a" * 64 + ".example", ""),
    ("xn--caf-dma.example", "xn--caf-dma.example"),
    ("", ""),
])
def test_a_referring_site_is_kept_as_a_host_name_only(raw, kept):
    assert clean_host(raw) == kept


@pytest.mark.parametrize("referer, host", [
    ("https://www.google.com/search?q=imap+of+exchange", "www.google.com"),
    ("https://user:secret@partner.example:8443/page#x", "partner.example"),
    ("http://testserver/vragen/business/", ""),  # our own site
    ("android-app://com.google.android.gm/", ""),
    ("https://[::1", ""),
    ("not a url", ""),
])
def test_the_referring_site_comes_from_the_referer_header_without_path_or_query(referer, host):
    assert referring_host(rf.get("/", HTTP_REFERER=referer)) == host


def test_the_site_url_counts_as_our_own_site(settings):
    settings.SITE_URL = "https://advies.devries-it.nl"
    request = rf.get("/", HTTP_REFERER="https://advies.devries-it.nl/privacy/")
    assert referring_host(request) == ""


def test_a_handed_on_referring_site_comes_before_the_referer_header():
    request = rf.get("/vragen/business/?utm_source=nieuwsbrief&ref=www.devries-it.nl",
                     HTTP_REFERER="https://www.google.com/")
    assert landing_source(request) == Source("nieuwsbrief", "", "", "www.devries-it.nl")


def test_a_source_hands_itself_on_as_a_query_string_and_back():
    source = Source("nieuwsbrief", "e mail", "dec & jan", "www.devries-it.nl")
    query = Source("nieuwsbrief", "e mail", "", "www.devries-it.nl").as_query()
    assert query == "?utm_source=nieuwsbrief&utm_medium=e+mail&ref=www.devries-it.nl"
    assert Source().as_query() == ""
    assert Source.from_values(source.as_list()) == Source(
        "nieuwsbrief", "e mail", "", "www.devries-it.nl")  # "&" is not kept


def test_a_tampered_session_value_gives_an_unknown_source():
    assert Source.from_values("linkedin") == Source()
    assert Source.from_values(["=1", "", "", "x/y"]) == Source()
