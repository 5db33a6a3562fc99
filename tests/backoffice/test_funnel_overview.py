"""The back office's funnel: drop-off per step, completion over time and conversion per
source for a chosen period, its exports, and the lead list by source."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor.backoffice.funnel_overview import funnel_overview, period_days
from advisor.funnel.counting import add
from advisor.funnel.sources import Source
from advisor.models import FunnelCount
from advisor.models import FunnelEvent as E
from tests.factories import make_lead, make_staff, verified_client

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = "admin:advisor_submission_changelist"
LINKEDIN = Source("linkedin", "social", "voorjaar", "")
GOOGLE = Source(referrer="www.google.com")


@pytest.fixture
def consultant() -> Client:
    return verified_client(make_staff())


def count(event, n=1, *, days_ago=0, detail="", source=None, language="nl"):
    for _ in range(n):
        add(day=TODAY - timedelta(days=days_ago), language=language, event=event,
            detail=detail, source=source)


@pytest.fixture
def visits():
    """20 started (12 from LinkedIn, 8 from Google), 6 left at the first step, 4 at the
    second; 10 leads; two weeks ago another 10 started, 1 lead."""
    count(E.STARTED, 12, source=LINKEDIN)
    count(E.STARTED, 8, source=GOOGLE)
    count(E.STEP_REACHED, 20, detail="business")
    count(E.STEP_COMPLETED, 14, detail="business")
    count(E.STEP_REACHED, 14, detail="email")
    count(E.STEP_COMPLETED, 10, detail="email")
    count(E.SUBMITTED, 8, source=LINKEDIN)
    count(E.SUBMITTED, 2, source=GOOGLE)
    count(E.RESULT_VIEWED, 10)
    count(E.PDF_DOWNLOADED, 5)
    count(E.CTA_CLICKED, 2, detail="book")
    count(E.STARTED, 10, days_ago=14)
    count(E.SUBMITTED, 1, days_ago=14)


def test_the_overview_shows_where_visitors_leave_per_step(visits):
    overview = funnel_overview(days=7, today=TODAY)
    first, second = overview["steps"][:2]
    assert (first.reached, first.completed, first.left, first.left_percent) == (20, 14, 6, 30)
    assert (second.reached, second.completed, second.left, second.left_percent) == (14, 10, 4, 29)
    assert first.reached_length == "100.0" and first.completed_length == "70.0"
    assert (overview["started"], overview["submitted"], overview["completion"]) == (20, 10, "50,0")
    after = {bar.key: (bar.value, bar.percent) for bar in overview["after"]}
    assert after == {"result_viewed": (10, 100), "pdf_downloaded": (5, 50), "shared": (0, 0),
                     "cta_clicked": (2, 20)}


def test_the_period_decides_what_is_counted(visits):
    assert funnel_overview(days=7, today=TODAY)["started"] == 20
    assert funnel_overview(days=30, today=TODAY)["started"] == 30
    assert [period_days(value) for value in ("7", "365", "12", "", None, "x")] == [
        7, 365, 30, 30, 30, 30]


def test_the_completion_rate_is_shown_per_day_and_per_week_for_longer_periods(visits):
    daily = funnel_overview(days=30, today=TODAY)["rates"]
    assert len(daily) == 30
    assert (daily[-1].started, daily[-1].submitted, daily[-1].rate) == (20, 10, "50,0")
    assert daily[-15].rate == "10,0"
    assert daily[0].rate == "" and daily[0].height == "0.0"  # nobody started that day
    weekly = funnel_overview(days=90, today=TODAY)["rates"]
    assert 13 <= len(weekly) <= 14
    assert sum(column.started for column in weekly) == 30
    assert weekly[-1].show_label


def test_leads_and_conversion_per_source_link_to_those_leads(visits):
    sources = funnel_overview(days=7, today=TODAY)["sources"]
    assert [(s["label"], s["started"], s["submitted"], s["conversion"]) for s in sources] == [
        ("linkedin / social / voorjaar", 12, 8, "66,7"), ("www.google.com", 8, 2, "25,0")]
    assert [s["filter"] for s in sources] == ["linkedin", "site:www.google.com"]


def test_the_dashboard_page_shows_the_funnel_with_its_figures(consultant, visits):
    page = consultant.get(reverse("admin:dashboard") + "?days=7").content.decode()
    assert 'aria-current="page" class="current">7 dagen' in page
    steps = page[page.index('class="funnel-steps"'):page.index('id="funnel-steps-note"')]
    assert "1. Jouw bedrijf" in steps and "6 (30%)" in steps
    assert "66,7%" in page
    assert f'{reverse(LIST)}?source=site%3Awww.google.com' in page
    # Every chart has its figures as text: the rate chart a table for screen readers.
    assert 'role="img" aria-labelledby="rate-title"' in page
    assert "?days=7" in page[page.index("funnel-exports"):]


def test_an_empty_period_says_so(consultant):
    page = consultant.get(reverse("admin:dashboard")).content.decode()
    assert "Geen bezoeken geteld in deze periode." in page


def export(client, kind: str, days: int = 7):
    response = client.get(reverse("admin:funnel_export", kwargs={"kind": kind}),
                          {"days": days})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode("utf-8")


def test_the_export_per_day_opens_in_dutch_excel(consultant, visits):
    response, text = export(consultant, "days.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert 'filename="funnel-days-' in response["Content-Disposition"]
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Datum", "Gestart", "Verstuurd"]
    assert "Jouw bedrijf: bereikt" in rows[0]
    assert len(rows) == 1 + 7 + 1  # the header, a row a day, the total
    assert rows[-1][:3] == ["Totaal", "20", "10"]
    assert rows[-2][0] == TODAY.isoformat()


def test_the_export_per_source_gives_dutch_percentages_and_no_formulas(consultant, visits):
    # A value that could only be there by tampering with the database: still no formula.
    FunnelCount.objects.create(day=TODAY, language="nl", event=E.STARTED, source="=cmd()",
                               count=1)
    _response, text = export(consultant, "sources.csv")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Campagnebron", "Campagnemedium", "Campagne", "Verwijzende site",
                       "Gestart", "Aanvragen", "Conversie (%)"]
    assert rows[1] == ["linkedin", "social", "voorjaar", "", "12", "8", "66,7"]
    assert ["'=cmd()", "", "", "", "1", "0", "0,0"] in rows


def test_the_json_export_is_the_commands_json(consultant, visits):
    response, text = export(consultant, "json", days=30)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    out = io.StringIO()
    call_command("funnel", "--days", "30", "--json", stdout=out)
    assert json.loads(text) == json.loads(out.getvalue())


def test_an_unknown_export_is_not_found_and_the_exports_need_a_login(consultant):
    url = reverse("admin:funnel_export", kwargs={"kind": "x.csv"})
    assert consultant.get(url).status_code == 404
    anonymous = Client().get(reverse("admin:funnel_export", kwargs={"kind": "json"}))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


# --- The lead list by source ---

@pytest.fixture
def leads_from_sources():
    made = {
        "linkedin": make_lead(company="Bakkerij LinkedIn", utm_source="linkedin",
                              utm_medium="social", utm_campaign="voorjaar"),
        "google": make_lead(company="Bakkerij Google", referrer_host="www.google.com"),
        "newsletter": make_lead(company="Bakkerij Nieuwsbrief", utm_source="nieuwsbrief",
                                utm_medium="email", referrer_host="mail.example"),
        "direct": make_lead(company="Bakkerij Direct"),
    }
    for lead in made.values():
        count(E.SUBMITTED, source=Source.of_submission(lead))
    return made


def companies(client: Client, query: str) -> set[str]:
    page = client.get(reverse(LIST) + query).content.decode()
    return set(re.findall(r"Bakkerij \w+", page[page.index('id="result_list"'):]))


@pytest.mark.parametrize("query, expected", [
    ("?source=linkedin", {"Bakkerij LinkedIn"}),
    ("?source=site:www.google.com", {"Bakkerij Google"}),
    ("?source=-", {"Bakkerij Direct"}),
    ("?medium=email", {"Bakkerij Nieuwsbrief"}),
    ("?campaign=voorjaar", {"Bakkerij LinkedIn"}),
])
def test_the_lead_list_filters_on_where_the_lead_came_from(consultant, leads_from_sources,
                                                            query, expected):
    assert companies(consultant, query) == expected


def test_the_filters_offer_the_sources_that_brought_leads(consultant, leads_from_sources):
    page = consultant.get(reverse(LIST)).content.decode()
    for option in ("?source=linkedin", "?source=site%3Awww.google.com", "?source=-",
                   "?medium=social", "?medium=email", "?campaign=voorjaar"):
        assert option in page, option
    # The newsletter lead's referring site is not a source of its own: it had a campaign.
    assert "site%3Amail.example" not in page


def test_each_lead_shows_its_source_in_the_list_and_on_its_page(consultant, leads_from_sources):
    page = consultant.get(reverse(LIST)).content.decode()
    assert '<td class="field-source">www.google.com</td>' in page
    lead = leads_from_sources["newsletter"]
    detail = consultant.get(reverse("admin:advisor_submission_change", args=[lead.pk]))
    text = detail.content.decode()
    assert "Waar de aanvraag vandaan kwam" in text
    assert "nieuwsbrief" in text and "mail.example" in text


def test_the_lead_csv_holds_the_source_of_each_lead(consultant, leads_from_sources):
    lead = leads_from_sources["linkedin"]
    response = consultant.post(reverse(LIST), {"action": "export_csv",
                                               "_selected_action": [lead.pk]})
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    values = dict(zip(header, row, strict=True))
    assert (values["Campagnebron"], values["Campagnemedium"], values["Campagne"],
            values["Verwijzende site"]) == ("linkedin", "social", "voorjaar", "")
