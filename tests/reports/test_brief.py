"""The consultant brief: the PDF that prepares the follow-up call with a lead."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from advisor.advice import table as q
from advisor.advice.engine import Advice
from advisor.models import ConsultantProfile, PlanPrice
from advisor.reports.brief import brief_filename, talking_points
from tests.factories import make_lead, make_staff, verified_client

pytestmark = pytest.mark.django_db

PRACTICE = {"team_size": "6_15", "sector": "healthcare_patient", "sensitive_data": "lots",
            "current_setup": "pop", "it_support": "none", "growth": "strong"}
POINT = {point.key: point.text for point in q.TALKING_POINTS}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def flat(text: object) -> str:
    return " ".join(str(text).split())


def brief_text(lead) -> tuple[str, PdfReader]:
    response = verified_client(make_staff()).get(
        reverse("admin:advisor_submission_brief", args=[lead.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{brief_filename(lead)}"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    return flat(" ".join(page.extract_text() for page in reader.pages)), reader


def test_the_brief_holds_everything_needed_for_the_follow_up_call(media):
    profile = ConsultantProfile.objects.create(
        pk=ConsultantProfile.SINGLETON_ID, consultant_name="Noor", company_name="Bakker ICT",
        email="noor@bakker.example", prices_as_of=date(2026, 3, 1))
    PlanPrice.objects.create(profile=profile, plan="business_premium", monthly_price="20.00")
    lead = make_lead(answers=PRACTICE, company="Huisartsenpraktijk Jansen", name="Eva Jansen",
                     question="Moeten we NEN 7510 aantonen voor de zorgverzekeraar?")
    advice = Advice.from_dict(lead.advice)
    text, reader = brief_text(lead)

    assert "Huisartsenpraktijk Jansen" in text and "Eva Jansen" in text
    assert flat(advice.headline) in text
    for reason in advice.reasons[:3]:  # the strongest reasons
        assert flat(reason.text) in text
    # Sector requirements, the current set-up and the team, as labels.
    assert flat(q.QUESTIONS["sector"].choice("healthcare_patient").label) in text
    assert flat(q.NORMS["nen_7510"].label) in text
    assert flat(q.QUESTIONS["current_setup"].choice("pop").label) in text
    assert flat(q.QUESTIONS["team_size"].choice("6_15").label) in text
    # The plan with the cost from the consultant's own price table: 6 to 15 users at € 20.
    assert flat(q.PLANS["business_premium"].name) in text
    assert "€ 120,00" in text and "€ 300,00" in text
    assert "2026" in text  # prices as of
    assert "Moeten we NEN 7510 aantonen voor de zorgverzekeraar?" in text
    for key in ("question", "regulated", "pop", "no_it_support", "growth", "next_step"):
        assert flat(POINT[key]) in text, key
    assert reader.metadata.title and "Huisartsenpraktijk Jansen" in reader.metadata.title


def test_the_brief_is_for_the_consultant_only():
    assert "gespreksvoorbereiding" in brief_filename(make_lead(company="Bakkerij Brood"))


def test_visitor_text_in_the_brief_is_printed_as_text(media):
    lead = make_lead(company="Bakkerij <b>Brood</b>", question="<img src=x> & co")
    text, _reader = brief_text(lead)
    assert "Bakkerij <b>Brood</b>" in text
    assert "<img src=x> & co" in text


def test_talking_points_follow_the_answers_and_the_advice():
    simple = make_lead(answers={"team_size": "solo", "current_setup": "imap"})
    keys = {key for key, text in POINT.items()
            if text in talking_points(simple, Advice.from_dict(simple.advice))}
    assert "next_step" in keys
    assert not keys & {"question", "pop", "regulated", "imposed"}

    close = make_lead(answers={"team_size": "2_5"}, question="Wat kost het?")
    close_advice = Advice.from_dict(close.advice)
    points = talking_points(close, close_advice)
    assert POINT["question"] in points
    assert (POINT["close_call"] in points) == (not close_advice.clear)


def test_moving_from_imap_to_microsoft_365_gets_a_migration_point():
    lead = make_lead(answers={**PRACTICE, "current_setup": "imap"})
    assert Advice.from_dict(lead.advice).verdict == q.M365
    assert POINT["imap_to_m365"] in talking_points(lead, Advice.from_dict(lead.advice))


def test_the_brief_names_the_add_ons_and_what_to_do_with_the_current_setup(db):
    from advisor.advice.table import SETUP_ADVICE_TEXTS
    from advisor.reports.brief import brief_context
    from tests.advice.businesses import BUSINESSES
    from tests.factories import make_lead

    adviser = next(b for b in BUSINESSES if b.key == "sole_legal_adviser")
    lead = make_lead(answers={**adviser.answers, **adviser.proposed})
    context = brief_context(lead)
    assert [a.key for a in context["advice"].add_ons] == ["aip_p1"]
    assert context["advice"].current_setup_text == SETUP_ADVICE_TEXTS["move"]
