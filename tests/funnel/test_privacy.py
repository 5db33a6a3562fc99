"""The funnel holds nothing personal: its counts outlive the retention purge and an erasure,
a lead's source goes with the lead, and the privacy statement says what is counted."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from advisor.funnel.visits import SESSION_KEY
from advisor.models import FunnelCount, IndexedSession, Submission
from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION
from advisor.privacy.services import erase_personal_data, export_personal_data, purge_expired
from tests.conftest import CONTACT
from tests.funnel.test_journeys import Visitor

pytestmark = pytest.mark.django_db


def a_lead_from_a_campaign(**contact: str) -> Submission:
    visitor = Visitor("nl")
    visitor.open(visitor.land("?utm_source=nieuwsbrief&utm_campaign=december",
                              referer="https://www.devries-it.nl/"))
    visitor.answer_through("current")
    visitor.send("contact", {**CONTACT, **contact})
    return Submission.objects.get(email=contact.get("email", CONTACT["email"]))


def every_count() -> list[tuple]:
    return list(FunnelCount.objects.order_by("pk").values_list())


def test_the_retention_purge_deletes_the_lead_and_keeps_the_counts():
    lead = a_lead_from_a_campaign()
    counts = every_count()
    assert counts
    Submission.objects.filter(pk=lead.pk).update(created_at=timezone.now() - timedelta(days=800))
    FunnelCount.objects.update(day=timezone.localdate() - timedelta(days=800))
    purge_expired()
    assert not Submission.objects.exists()
    assert FunnelCount.objects.count() == len(counts)
    assert sum(row.count for row in FunnelCount.objects.all()) == sum(row[-1] for row in counts)


def test_an_erasure_keeps_the_counts_which_name_nobody():
    a_lead_from_a_campaign()
    before = every_count()
    erase_personal_data(email=CONTACT["email"])
    assert every_count() == before
    stored = " ".join(str(value) for row in before for value in row)
    for personal in (CONTACT["email"], CONTACT["name"], CONTACT["company"], CONTACT["phone"],
                     "praktijkjansen"):
        assert personal not in stored


def test_the_counts_have_no_column_for_a_person():
    columns = {field.name for field in FunnelCount._meta.get_fields()}
    assert columns == {"id", "day", "language", "event", "detail", "source", "medium",
                       "campaign", "referrer", "count"}


def test_a_leads_source_is_in_the_export_of_their_data():
    a_lead_from_a_campaign()
    exported = export_personal_data(email=CONTACT["email"])["submissions"][0]
    assert (exported["utm_source"], exported["utm_campaign"], exported["referrer_host"]) == (
        "nieuwsbrief", "december", "www.devries-it.nl")


def test_the_session_remembers_counts_and_a_source_but_nothing_personal():
    visitor = Visitor("nl")
    visitor.open(visitor.land("?utm_source=nieuwsbrief"))
    visitor.answer_through("situation")
    session = IndexedSession.objects.get().get_decoded()
    remembered = str(session[SESSION_KEY])
    assert "nieuwsbrief" in remembered
    assert CONTACT["email"] not in remembered


@pytest.mark.parametrize("prefix, words", [
    ("", ("Hoe we bezoeken tellen", "geen extra cookie", "utm_source",
          "Waar je vandaan kwam", "gerechtvaardigd belang")),
    ("/en", ("How we count visits", "no\n  extra cookie", "utm_source", "Where you came from",
             "legitimate interest")),
])
def test_the_privacy_statement_says_what_is_counted_and_what_is_kept_of_the_source(
        prefix, words):
    page = Client().get(f"{prefix}/privacy/").content.decode()
    assert PRIVACY_STATEMENT_VERSION in page
    for word in words:
        assert " ".join(word.split()) in " ".join(page.split()), word
