"""The back-office dashboard: figures per week, per advice, sector and plan, and the funnel."""

import io
import re
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor.backoffice.dashboard import COUNTS_CACHE_SECONDS, WEEKS, dashboard_figures
from advisor.backoffice.leads import is_overdue
from advisor.models import LEAD_FIGURES, FollowUpStatus, Submission, lead_figures_changed
from advisor.privacy.services import erase_personal_data, purge_expired
from advisor.questionnaire.services import create_submission
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


def dashboard_queries(client) -> int:
    """The dashboard's queries on the leads (the session's and the funnel's aside)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:dashboard")).status_code == 200
    return sum('FROM "advisor_submission"' in query["sql"] for query in queries)


def test_the_dashboard_takes_the_same_number_of_queries_whatever_the_number_of_leads():
    client = verified_client(make_staff())
    first_views, later_views = [], []
    for total in (5, 50, 500):
        # The same weeks at every size: the oldest lead came in 300 days ago.
        Submission.objects.bulk_create([
            new_lead(created_at=timezone.now() - timedelta(days=300 - n % 300))
            for n in range(Submission.objects.count(), total)
        ])
        LEAD_FIGURES.advance()  # as seed_demo does, having added leads dated before today
        first_views.append(dashboard_queries(client))
        later_views.append(dashboard_queries(client))
    assert first_views[0] == first_views[1] == first_views[2], first_views
    assert later_views[0] == later_views[1] == later_views[2], later_views
    # Later views count only today's leads: the weeks before come from the cache.
    assert later_views[0] < first_views[0]


def test_a_change_counts_only_the_week_of_the_lead_again(
    django_capture_on_commit_callbacks
):
    client = verified_client(make_staff())
    for days in range(0, 200, 3):
        make_lead(created_at=timezone.now() - timedelta(days=days))
    changed = make_lead(created_at=at(MONDAY - timedelta(weeks=5)))
    dashboard_queries(client)
    usual = dashboard_queries(client)
    with django_capture_on_commit_callbacks(execute=True):
        Submission.objects.filter(pk=changed.pk).update(status=FollowUpStatus.CUSTOMER)
        lead_figures_changed(created_at=[changed.created_at])
    assert dashboard_queries(client) == usual + 2  # that week's two grouped counts
    assert dashboard_queries(client) == usual


# --- The figures stay right after every change, while the counts are cached ---------------


@pytest.fixture
def consultant():
    return verified_client(make_staff())


def figures(client) -> dict:
    response = client.get(reverse("admin:dashboard"))
    assert response.status_code == 200
    return response.context["figures"]


def statuses(client) -> dict[str, int]:
    return {bar.key: bar.value for bar in figures(client)["statuses"]}


def test_a_new_lead_from_the_questionnaire_shows_at_once(consultant):
    make_lead(created_at=at(TODAY - timedelta(days=3)))
    assert figures(consultant)["total"] == 1
    create_submission(answers={"sector": "legal"}, language="nl", contact={
        "name": "Pim de Vries", "company": "De Vries Advocaten", "email": "pim@devries.example",
        "phone": "", "question": ""})
    # No cache to clear, nothing to wait for: today's leads are counted on every view.
    after = figures(consultant)
    assert after["total"] == 2
    assert after["this_week"] == 1 + (TODAY - timedelta(days=3) >= MONDAY)
    assert statuses(consultant)[FollowUpStatus.NEW] == 2


def test_a_follow_up_change_in_the_back_office_shows_on_the_next_view(
    consultant, django_capture_on_commit_callbacks
):
    lead = make_lead(created_at=at(TODAY - timedelta(days=10)))
    assert statuses(consultant)[FollowUpStatus.NEW] == 1
    assert figures(consultant)["overdue"] == 0
    change = reverse("admin:advisor_submission_change", args=[lead.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = consultant.post(change, {
            "status": FollowUpStatus.CONTACTED, "notes": "",
            "next_follow_up": (TODAY - timedelta(days=2)).strftime("%d-%m-%Y"),
        })
    assert response.status_code == 302
    assert statuses(consultant)[FollowUpStatus.NEW] == 0
    assert statuses(consultant)[FollowUpStatus.CONTACTED] == 1
    assert figures(consultant)["overdue"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        consultant.post(change, {"status": FollowUpStatus.CUSTOMER, "notes": "",
                                 "next_follow_up": ""})
    after = figures(consultant)
    assert (after["customers"], after["overdue"]) == (1, 0)


def test_an_erasure_leaves_no_trace_in_the_figures(consultant, django_capture_on_commit_callbacks):
    make_lead(created_at=at(TODAY - timedelta(days=20)), email="eva@jansen.example",
              answers={"team_size": "solo", "email_intensity": "light", "budget": "minimal"})
    make_lead(created_at=at(TODAY - timedelta(days=20)), email="pim@devries.example",
              answers={"sector": "legal", "sensitive_data": "lots"})
    assert figures(consultant)["total"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        erase_personal_data(email="Eva@Jansen.example")
    after = figures(consultant)
    assert after["total"] == 1
    assert by_key(after["verdicts"]) == {"imap": (0, 0), "m365": (1, 100)}
    assert sum(week.value for week in after["weeks"]) == 1


def test_the_retention_purge_shows_in_the_figures(consultant, django_capture_on_commit_callbacks):
    make_lead(created_at=timezone.now() - timedelta(days=400))
    make_lead(created_at=at(TODAY - timedelta(days=30)))
    assert figures(consultant)["total"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired().submissions == 1
    assert figures(consultant)["total"] == 1


def test_deleting_leads_in_the_admin_shows_in_the_figures(
    consultant, django_capture_on_commit_callbacks
):
    leads = [make_lead(created_at=at(TODAY - timedelta(days=n))) for n in (5, 6, 7)]
    assert figures(consultant)["total"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        consultant.post(reverse("admin:advisor_submission_changelist"), {
            "action": "delete_selected", "_selected_action": [leads[0].pk, leads[1].pk],
            "post": "yes"})
    assert figures(consultant)["total"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        consultant.post(reverse("admin:advisor_submission_delete", args=[leads[2].pk]),
                        {"post": "yes"})
    assert figures(consultant)["total"] == 0


def test_demo_leads_show_in_the_figures(consultant, django_capture_on_commit_callbacks):
    assert figures(consultant)["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", count=30, allow_production=True, stdout=io.StringIO())
    assert figures(consultant)["total"] == 30


def test_a_change_made_by_hand_in_the_database_shows_within_the_cache_time(consultant):
    lead = make_lead(created_at=at(TODAY - timedelta(days=4)))
    assert figures(consultant)["customers"] == 0
    # Past the services (as an UPDATE in psql would be): the counts are cached a while.
    Submission.objects.filter(pk=lead.pk).update(status=FollowUpStatus.CUSTOMER)
    assert figures(consultant)["customers"] == 0
    with time_machine.travel(timedelta(seconds=COUNTS_CACHE_SECONDS + 1)):
        assert dashboard_figures(today=TODAY)["customers"] == 1


def test_after_a_change_by_hand_advancing_the_generation_shows_it_at_once(consultant):
    lead = make_lead(created_at=at(TODAY - timedelta(days=40)))
    assert figures(consultant)["customers"] == 0
    Submission.objects.filter(pk=lead.pk).update(status=FollowUpStatus.CUSTOMER)
    LEAD_FIGURES.advance()  # what docs/performance.md says to run after such a change
    assert figures(consultant)["customers"] == 1


# --- Exactly right at the edges of weeks and months, and when the day changes --------------

WEDNESDAY = date(2026, 11, 18)  # a Wednesday in winter time (UTC+1 in Amsterdam)


def recounted(*, today: date) -> dict:
    """The dashboard's figures counted the slow way: every lead, in Python."""
    leads = list(Submission.objects.all())
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]

    def week_of(lead) -> date:
        day = timezone.localdate(lead.created_at)
        return day - timedelta(days=day.weekday())

    return {
        "total": len(leads),
        "statuses": Counter(lead.status for lead in leads),
        "verdicts": Counter(lead.verdict for lead in leads),
        "sectors": Counter(lead.sector for lead in leads),
        "plans": Counter(lead.plan for lead in leads),
        "weeks": [sum(week_of(lead) == week for lead in leads) for week in weeks],
        "overdue": sum(is_overdue(lead, today=today) for lead in leads),
    }


def shown(figures: dict) -> dict:
    def counts(bars) -> Counter:
        return Counter({bar.key: bar.value for bar in bars if bar.value})

    return {"total": figures["total"], "statuses": counts(figures["statuses"]),
            "verdicts": counts(figures["verdicts"]), "sectors": counts(figures["sectors"]),
            "plans": counts(figures["plans"]), "weeks": [w.value for w in figures["weeks"]],
            "overdue": figures["overdue"]}


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_the_figures_are_exactly_right_after_every_kind_of_change(
    django_capture_on_commit_callbacks
):
    answers = [{"team_size": "solo", "email_intensity": "light", "budget": "minimal"},
               {"sector": "healthcare_patient", "sensitive_data": "lots"},
               {"sector": "legal", "sensitive_data": "some"}]
    # Around the edges: local midnight on a Monday is Sunday 23:00 in UTC (another UTC week),
    # the last minute of October and the first of November, and leads of long ago.
    moments = [local(date(2026, 11, 16), 0, 0), local(date(2026, 11, 15), 23, 59),
               local(date(2026, 10, 31), 23, 59), local(date(2026, 11, 1), 0, 0),
               local(date(2026, 11, 2), 0, 30), local(WEDNESDAY, 8),
               local(WEDNESDAY - timedelta(days=1), 23, 30),
               *(local(WEDNESDAY - timedelta(days=n), 12) for n in (9, 40, 100, 200, 250))]
    with time_machine.travel(local(WEDNESDAY, 15), tick=False):
        client = verified_client(make_staff())
        leads = [make_lead(created_at=moment, answers=answers[n % 3],
                           email=f"lead{n}@example.nl",
                           next_follow_up=WEDNESDAY - timedelta(days=n % 4 - 1))
                 for n, moment in enumerate(moments)]
        assert shown(figures(client)) == recounted(today=WEDNESDAY)

        def change(lead, **fields) -> None:
            url = reverse("admin:advisor_submission_change", args=[lead.pk])
            data = {"status": lead.status, "notes": "", "next_follow_up": ""} | fields
            with django_capture_on_commit_callbacks(execute=True):
                assert client.post(url, data).status_code == 302
            assert shown(figures(client)) == recounted(today=WEDNESDAY)

        change(leads[0], status=FollowUpStatus.CUSTOMER)  # Monday 00:00, local
        change(leads[1], status=FollowUpStatus.CONTACTED,
               next_follow_up=(WEDNESDAY - timedelta(days=3)).strftime("%d-%m-%Y"))
        change(leads[2], status=FollowUpStatus.LOST)  # 31 October, 23:59
        change(leads[3], next_follow_up="")  # 1 November, 00:00
        change(leads[5], status=FollowUpStatus.PROPOSAL_SENT)  # today
        change(leads[9], status=FollowUpStatus.LOST)  # 100 days ago
        with django_capture_on_commit_callbacks(execute=True):
            erase_personal_data(email="lead4@example.nl")
        assert shown(figures(client)) == recounted(today=WEDNESDAY)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("admin:advisor_submission_changelist"), {
                "action": "delete_selected", "_selected_action": [leads[6].pk, leads[8].pk],
                "post": "yes"})
        assert Submission.objects.count() == len(leads) - 3
        assert shown(figures(client)) == recounted(today=WEDNESDAY)
        # A new lead from the questionnaire, at once.
        make_lead(created_at=timezone.now(), email="new@example.nl")
        assert shown(figures(client)) == recounted(today=WEDNESDAY)


def test_the_next_day_moves_the_weeks_and_the_overdue_follow_ups_without_any_change():
    with time_machine.travel(local(WEDNESDAY, 15), tick=False):
        client = verified_client(make_staff())
        make_lead(created_at=local(WEDNESDAY, 9), next_follow_up=WEDNESDAY + timedelta(days=1))
        make_lead(created_at=local(WEDNESDAY - timedelta(days=1), 9),
                  next_follow_up=WEDNESDAY + timedelta(days=4))
        make_lead(created_at=local(WEDNESDAY - timedelta(days=8), 9))
        before = figures(client)
        assert (before["overdue"], before["this_week"]) == (0, 2)
        assert shown(before) == recounted(today=WEDNESDAY)
    for days, overdue, this_week in ((1, 0, 2), (2, 1, 2), (4, 1, 2), (5, 2, 0)):
        day = WEDNESDAY + timedelta(days=days)
        with time_machine.travel(local(day, 7), tick=False):
            after = figures(verified_client(make_staff(f"staff{days}")))
            assert (after["overdue"], after["this_week"]) == (overdue, this_week), day
            assert shown(after) == recounted(today=day)


def test_the_first_view_of_a_day_counts_only_this_week_before_today_again():
    with time_machine.travel(local(WEDNESDAY, 15), tick=False):
        client = verified_client(make_staff())
        for days in range(0, 200, 2):
            make_lead(created_at=local(WEDNESDAY - timedelta(days=days), 10))
        dashboard_queries(client)
        usual = dashboard_queries(client)
    with time_machine.travel(local(WEDNESDAY + timedelta(days=1), 7), tick=False):
        client = verified_client(make_staff("next-day"))
        assert dashboard_queries(client) == usual + 2  # Monday until today, once
        assert dashboard_queries(client) == usual


def test_the_home_page_of_the_back_office_links_to_the_dashboard():
    html = verified_client(make_staff()).get(reverse("admin:index")).content.decode()
    assert reverse("admin:dashboard") in html
