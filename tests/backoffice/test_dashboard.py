"""The back-office dashboard: figures per week, per advice, sector and plan, and the funnel."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor.backoffice.dashboard import WEEKS, dashboard_figures
from advisor.models import FollowUpStatus, Submission
from tests.factories import make_lead, make_staff, new_lead, verified_client

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONDAY = TODAY - timedelta(days=TODAY.weekday())


def at(day, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def by_key(bars) -> dict[str, tuple[int, int]]:
    return {bar.key: (bar.value, bar.percent) for bar in bars}


def test_leads_are_counted_in_the_week_they_came_in():
    make_lead(created_at=at(MONDAY, 0))  # the first minutes of this week, local time
    make_lead(created_at=at(MONDAY))
    make_lead(created_at=at(MONDAY - timedelta(days=1), 23))  # last Sunday evening
    make_lead(created_at=at(MONDAY - timedelta(weeks=10)))
    make_lead(created_at=at(MONDAY - timedelta(weeks=WEEKS + 1)))  # before the chart
    weeks = dashboard_figures(today=TODAY)["weeks"]
    assert len(weeks) == WEEKS
    assert [weeks[-1].value, weeks[-2].value, weeks[-11].value] == [2, 1, 1]
    assert sum(week.value for week in weeks) == 4


def test_the_splits_count_advice_sector_and_plan():
    solo = {"team_size": "solo", "email_intensity": "light", "budget": "minimal"}
    make_lead(answers=solo)
    team = {"team_size": "2_5"}
    make_lead(answers={**team, "sector": "healthcare_patient", "sensitive_data": "lots"})
    make_lead(answers={**team, "sector": "healthcare_patient", "sensitive_data": "lots"})
    make_lead(answers={**team, "sector": "advocatuur", "sensitive_data": "some"})
    figures = dashboard_figures(today=TODAY)
    assert figures["total"] == 4
    assert by_key(figures["verdicts"]) == {"imap": (1, 25), "m365": (3, 75)}
    sectors = by_key(figures["sectors"])
    assert sectors["healthcare_patient"] == (2, 50)
    assert sectors["advocatuur"] == (1, 25)
    assert sectors["notariaat"] == (0, 0)  # every sector is shown, also without leads
    plans = by_key(figures["plans"])
    assert plans["business_premium"] == (3, 75)
    assert plans["imap_hosting"] == (1, 25)


def test_the_funnel_counts_each_lead_at_every_stage_it_reached():
    statuses = ([FollowUpStatus.NEW] * 4 + [FollowUpStatus.CONTACTED] * 3
                + [FollowUpStatus.PROPOSAL_SENT] * 2 + [FollowUpStatus.CUSTOMER]
                + [FollowUpStatus.LOST] * 2)
    for status in statuses:
        make_lead(status=status)
    figures = dashboard_figures(today=TODAY)
    assert [bar.value for bar in figures["funnel"]] == [12, 6, 3, 1]
    assert [bar.percent for bar in figures["funnel"]] == [100, 50, 25, 8]
    assert figures["lost"] == 2
    assert figures["customers"] == 1


def test_overdue_follow_ups_are_counted_for_open_leads_only():
    yesterday = TODAY - timedelta(days=1)
    make_lead(next_follow_up=yesterday)
    make_lead(next_follow_up=yesterday, status=FollowUpStatus.CONTACTED)
    make_lead(next_follow_up=yesterday, status=FollowUpStatus.LOST)
    make_lead(next_follow_up=TODAY)
    assert dashboard_figures(today=TODAY)["overdue"] == 2


def test_the_dashboard_page_draws_its_charts_as_svg_without_scripts_or_other_sites():
    make_lead(created_at=at(MONDAY))
    make_lead(answers={"sector": "legal", "sensitive_data": "lots"})
    html = verified_client(make_staff()).get(reverse("admin:dashboard")).content.decode()
    main = html.split('id="content-main"')[1]
    assert main.count("<svg") >= 2
    assert "<script" not in main
    assert "http://" not in main.replace("http://www.w3.org", "")
    assert "https://" not in main
    # SVG needs a decimal point, whatever the language of the page.
    for value in re.findall(r'\s(?:x|y|width|height)="([^"]*)"', main):
        assert re.fullmatch(r"-?\d+(\.\d+)?%?", value), value
    assert reverse("admin:advisor_submission_changelist") + "?follow_up=overdue" in main


def test_the_dashboard_takes_the_same_number_of_queries_whatever_the_number_of_leads():
    client = verified_client(make_staff())
    counts = []
    for total in (5, 50, 500):
        Submission.objects.bulk_create([
            new_lead(created_at=timezone.now() - timedelta(days=n % 300))
            for n in range(total - Submission.objects.count())
        ])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("admin:dashboard")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_the_home_page_of_the_back_office_links_to_the_dashboard():
    html = verified_client(make_staff()).get(reverse("admin:index")).content.decode()
    assert reverse("admin:dashboard") in html
