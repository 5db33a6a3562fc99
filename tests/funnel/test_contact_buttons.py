"""The contact buttons under the advice are counted without JavaScript: they pass a small
redirect on our own site. The PDF keeps direct links, which work wherever the file goes."""

import io

import pytest
from pypdf import PdfReader

from advisor.models import Submission
from tests.factories import stored_report
from tests.funnel.test_journeys import Visitor, funnel_json

pytestmark = pytest.mark.django_db

BOOKING_URL = "https://cal.example/sanne"


@pytest.fixture
def advised(settings) -> Visitor:
    settings.BRANDING = {**settings.BRANDING, "booking_url": BOOKING_URL,
                         "phone": "+31 6 12345678", "website": "https://www.devries-it.example/"}
    visitor = Visitor("nl")
    visitor.step("business")
    visitor.complete()
    return visitor


def test_each_button_goes_through_our_site_to_the_consultants_own_link(advised):
    token = Submission.objects.get().token
    for kind, destination in (("book", BOOKING_URL), ("call", "tel:+31612345678")):
        assert f'href="/advies/{token}/contact/{kind}/"' in advised.page
        response = advised.client.get(f"/advies/{token}/contact/{kind}/")
        assert (response.status_code, response["Location"]) == (302, destination)
        # No cache keeps it; the booking site does not learn the advice's address.
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"
    mail = advised.client.get(f"/advies/{token}/contact/mail/")["Location"]
    assert mail.startswith("mailto:advies@devries-it.example?subject=")


def test_a_click_counts_once_per_visit_with_the_first_button_used(advised):
    for kind in ("mail", "book", "mail"):
        advised.client.get(f"{advised.result_url}contact/{kind}/")
    report = funnel_json()
    assert report["cta_clicked"] == 1
    assert report["cta_by_button"] == {"book": 0, "call": 0, "mail": 1}


def test_an_unknown_advice_or_button_is_not_found_and_counts_nothing(advised):
    assert advised.client.get("/advies/not-a-token/contact/book/").status_code == 404
    assert advised.client.get(f"{advised.result_url}contact/https/").status_code == 404
    assert funnel_json()["cta_clicked"] == 0


def pdf_links(pdf: bytes) -> list[str]:
    links = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def test_the_pdf_links_straight_to_the_consultant_so_they_work_wherever_it_is_read(advised):
    links = pdf_links(stored_report(Submission.objects.get()))
    assert "mailto:advies@devries-it.example" in links
    assert "tel:+31612345678" in links
    assert "https://www.devries-it.example/" in links
    assert not [link for link in links if "/contact/" in link]
