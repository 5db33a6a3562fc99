"""The consultant's back office: the lead list, the detail page, the actions and admin security."""

import csv
import io
import re
import zipfile
from datetime import timedelta
from importlib import reload

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from advisor.advice.engine import OPTION_NAMES, Advice
from advisor.advice.table import NORMS, PLANS, QUESTIONS
from advisor.backoffice.admin import REPORT_PREPARING, SELECT_ONE_LEAD
from advisor.backoffice.leads import ZIP_MAX_REPORTS
from advisor.backoffice.site import LOGIN_REFUSED
from advisor.models import FollowUpStatus, MailStatus, OutgoingMail, Submission
from tests.factories import (
    PASSWORD,
    make_lead,
    make_staff,
    new_lead,
    stored_report,
    verified_client,
)

pytestmark = pytest.mark.django_db

LIST = "admin:advisor_submission_changelist"
HEALTHCARE = {"team_size": "6_15", "sector": "healthcare_patient", "sensitive_data": "lots"}
SOLO = {"team_size": "solo", "sector": "general", "email_intensity": "light",
        "budget": "minimal", "calendar": "not_needed"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def consultant() -> Client:
    return verified_client(make_staff())


def change_url(lead: Submission) -> str:
    return reverse("admin:advisor_submission_change", args=[lead.pk])


def run_action(client: Client, action: str, leads: list[Submission], *, follow: bool = False,
               **extra):
    return client.post(reverse(LIST), {
        "action": action, "_selected_action": [lead.pk for lead in leads], **extra,
    }, follow=follow)


def label(question: str, answer: str) -> str:
    return escape(str(QUESTIONS[question].choice(answer).label))


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# --- The lead list ---------------------------------------------------------------------------


def test_the_list_shows_each_lead_with_labels_not_keys(consultant):
    make_lead(answers=HEALTHCARE, company="Huisartsenpraktijk Jansen", name="Eva Jansen")
    html = consultant.get(reverse(LIST)).content.decode()
    assert "Huisartsenpraktijk Jansen" in html
    assert "Eva Jansen" in html
    assert f">{label('sector', 'healthcare')}<" in html
    assert f">{label('team_size', '6_15')}<" in html
    assert f">{OPTION_NAMES['m365']}<" in html
    assert "Business Premium" in html
    assert f">{FollowUpStatus.NEW.label}<" in html
    assert ">healthcare<" not in html


def test_filters_narrow_the_list_by_advice_plan_sector_team_size_and_status(consultant):
    make_lead(answers=HEALTHCARE, company="Praktijk Zorgvuldig")
    make_lead(answers=SOLO, company="Eenmanszaak Simpel", status=FollowUpStatus.CUSTOMER)
    url = reverse(LIST)
    for query, shown, hidden in [
        ("verdict=imap", "Eenmanszaak Simpel", "Praktijk Zorgvuldig"),
        ("plan=business_premium", "Praktijk Zorgvuldig", "Eenmanszaak Simpel"),
        ("sector=healthcare_patient", "Praktijk Zorgvuldig", "Eenmanszaak Simpel"),
        ("team_size=solo", "Eenmanszaak Simpel", "Praktijk Zorgvuldig"),
        ("status__exact=customer", "Eenmanszaak Simpel", "Praktijk Zorgvuldig"),
    ]:
        html = consultant.get(f"{url}?{query}").content.decode()
        assert shown in html, query
        assert hidden not in html, query


def test_the_date_filter_shows_only_recent_leads(consultant):
    make_lead(company="Nieuw Bedrijf")
    make_lead(company="Oud Bedrijf", created_at=timezone.now() - timedelta(days=60))
    # As the admin's date filter links do: an aware moment, not a bare date.
    since = (timezone.now() - timedelta(days=7)).isoformat()
    html = consultant.get(reverse(LIST), {"created_at__gte": since}).content.decode()
    assert "Nieuw Bedrijf" in html
    assert "Oud Bedrijf" not in html


@pytest.mark.parametrize("term", [
    "korenschoof",  # part of the company name
    "De Korenschoof",  # two words: both must match
    "Joost",  # the contact's first name
    "JOOST BAKKER",  # in any letter case
    "joost@korenschoof.example",  # the exact address, as in a privacy request
    "Joost@Korenschoof.Example",
    "@korenschoof",  # part of an address
])
def test_search_finds_leads_by_company_name_and_e_mail(consultant, term):
    make_lead(company="Bakkerij De Korenschoof", name="Joost Bakker",
              email="joost@korenschoof.example")
    make_lead(company="Notariskantoor Visser", name="Anna Visser", email="anna@visser.example")
    response = consultant.get(reverse(LIST), {"q": term})
    assert [lead.company for lead in response.context["cl"].result_list] == [
        "Bakkerij De Korenschoof"]


def test_a_search_that_matches_nothing_says_so(consultant):
    make_lead(company="Bakkerij De Korenschoof")
    response = consultant.get(reverse(LIST), {"q": "onbekend@nergens.example"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def column_number(client: Client, column: str) -> int:
    return client.get(reverse(LIST)).context["cl"].list_display.index(column)


def listed(client: Client, **query: str) -> list[str]:
    response = client.get(reverse(LIST), query)
    assert response.status_code == 200
    return [lead.company for lead in response.context["cl"].result_list]


def sorted_headers(html: str) -> list[tuple[str, str]]:
    """The columns the list's header marks as sorted, and how."""
    return re.findall(r'<th[^>]* class="sortable column-([\w-]+) sorted (\w+)', html)


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def test_every_sortable_column_sorts_both_ways(consultant):
    today = timezone.localdate()
    make_lead(company="Bakker", status=FollowUpStatus.PROPOSAL_SENT,
              next_follow_up=today + timedelta(days=2), created_at=days_ago(3))
    make_lead(company="Aalbers", status=FollowUpStatus.CUSTOMER,
              next_follow_up=today + timedelta(days=9), created_at=days_ago(1))
    make_lead(company="Ceelen", status=FollowUpStatus.CONTACTED,
              next_follow_up=today + timedelta(days=5), created_at=days_ago(2))
    for column, ascending in [
        ("company", ["Aalbers", "Bakker", "Ceelen"]),
        ("submitted", ["Bakker", "Ceelen", "Aalbers"]),
        ("status", ["Ceelen", "Aalbers", "Bakker"]),  # contacted, customer, proposal_sent
        ("follow_up", ["Bakker", "Ceelen", "Aalbers"]),
    ]:
        number = column_number(consultant, column)
        assert listed(consultant, o=str(number)) == ascending, column
        assert listed(consultant, o=f"-{number}") == ascending[::-1], column
        html = consultant.get(reverse(LIST), {"o": str(number)}).content.decode()
        assert sorted_headers(html) == [(column, "ascending")]


def test_ties_follow_the_direction_of_the_sort_so_reversing_reverses_the_list(consultant):
    oldest = make_lead(company="Jansen", name="Eerste", created_at=days_ago(9))
    newest = make_lead(company="Jansen", name="Tweede", created_at=days_ago(1))
    number = column_number(consultant, "company")
    ascending = consultant.get(reverse(LIST), {"o": str(number)}).context["cl"].result_list
    descending = consultant.get(reverse(LIST), {"o": f"-{number}"}).context["cl"].result_list
    assert [lead.pk for lead in ascending] == [oldest.pk, newest.pk]
    assert [lead.pk for lead in descending] == [newest.pk, oldest.pk]


def test_a_column_without_an_index_is_not_sorted_whatever_the_address_says(consultant):
    make_lead(company="Oud", name="Aart", created_at=days_ago(2))
    make_lead(company="Nieuw", name="Zeger")
    assert listed(consultant, o=str(column_number(consultant, "name"))) == ["Nieuw", "Oud"]
    assert listed(consultant, o="abc") == ["Nieuw", "Oud"]


def test_only_the_first_of_several_clicked_columns_sorts_the_list(consultant):
    make_lead(company="Aalbers", status=FollowUpStatus.NEW)
    make_lead(company="Bakker", status=FollowUpStatus.CONTACTED)
    status, company = column_number(consultant, "status"), column_number(consultant, "company")
    # As the admin's header links make it after clicking "company", then "status".
    response = consultant.get(reverse(LIST), {"o": f"{status}.-{company}"})
    assert [lead.company for lead in response.context["cl"].result_list] == ["Bakker", "Aalbers"]
    assert sorted_headers(response.content.decode()) == [("status", "ascending")]


def test_overdue_follow_ups_are_marked_and_can_be_filtered(consultant):
    yesterday = timezone.localdate() - timedelta(days=1)
    make_lead(company="Te Laat BV", next_follow_up=yesterday, status=FollowUpStatus.CONTACTED)
    make_lead(company="Op Tijd BV", next_follow_up=timezone.localdate() + timedelta(days=3))
    make_lead(company="Al Klant BV", next_follow_up=yesterday, status=FollowUpStatus.CUSTOMER)
    html = consultant.get(reverse(LIST)).content.decode()
    assert html.count('class="follow-up-overdue"') == 1

    overdue = consultant.get(reverse(LIST), {"follow_up": "overdue"}).content.decode()
    assert "Te Laat BV" in overdue
    assert "Op Tijd BV" not in overdue
    assert "Al Klant BV" not in overdue  # a customer needs no more chasing


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", [
    "", "?follow_up=overdue", "?sector=legal&verdict=m365", "?status__exact=new",
    "?q=bakkerij", "?q=eva@praktijkjansen.example", "?o=company", "?o=-submitted",
    "?o=status", "?o=-follow_up", "?source=site:www.google.com",
])
def test_a_list_page_takes_the_same_number_of_queries_whatever_the_number_of_leads(
    consultant, query
):
    if query.startswith("?o="):
        sign, column = query.removeprefix("?o=").rpartition("-")[1:]
        query = f"?o={sign}{column_number(consultant, column)}"
    counts = {}
    for total in (5, 50, 500):
        missing = total - Submission.objects.count()
        Submission.objects.bulk_create([
            new_lead(answers={"sector": "legal"}, company=f"Bakkerij {n}",
                     next_follow_up=timezone.localdate() - timedelta(days=1))
            for n in range(missing)
        ])
        counts[total] = page_queries(consultant, reverse(LIST) + query)
    assert counts[5] == counts[50] == counts[500], counts
    # Session, user, second factor, one COUNT, one page of rows (+ the profile's add check),
    # and the source filters' options from the funnel's counts (one grouped query).
    assert counts[500] <= 7, counts


def test_the_list_never_counts_all_leads_a_second_time(consultant):
    make_lead()
    with CaptureQueriesContext(connection) as queries:
        consultant.get(reverse(LIST), {"sector": "legal"})
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "legal" in counts[0]


def test_the_list_does_not_load_the_stored_answers_and_advice(consultant):
    make_lead()
    with CaptureQueriesContext(connection) as queries:
        consultant.get(reverse(LIST))
    page = [q["sql"] for q in queries if 'FROM "advisor_submission"' in q["sql"]
            and "COUNT(" not in q["sql"]]
    assert page and all('"advice"' not in sql for sql in page)


# --- The detail page -------------------------------------------------------------------------


def test_the_detail_page_shows_answers_as_labels_and_the_advice_with_reasons(consultant):
    lead = make_lead(answers=HEALTHCARE, question="Kunnen we voor de zomer over?")
    html = consultant.get(change_url(lead)).content.decode()
    assert escape(str(QUESTIONS["sector"].label)) in html
    assert label("sector", "healthcare_patient") in html
    assert label("sensitive_data", "lots") in html
    advice = Advice.from_dict(lead.advice)
    for reason in advice.reasons:
        assert escape(str(reason.text)) in html
    assert escape(str(advice.headline)) in html
    assert escape(str(PLANS["business_premium"].name)) in html
    assert escape(str(NORMS["nen_7510"].label)) in html  # a norm behind a required measure
    assert "Kunnen we voor de zomer over?" in html


def test_the_detail_page_shows_the_consent_record(consultant):
    lead = make_lead()
    html = consultant.get(change_url(lead)).content.decode()
    assert lead.consent_version in html
    assert date_format(timezone.localtime(lead.consent_at), "DATETIME_FORMAT") in html


def test_visitor_text_on_the_detail_page_is_escaped(consultant):
    lead = make_lead(company="<script>alert(1)</script>", question="<img src=x onerror=alert(1)>")
    html = consultant.get(change_url(lead)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_detail_page_shows_the_share_link_status_and_a_revoke_button(consultant):
    active = make_lead()
    html = consultant.get(change_url(active)).content.decode()
    assert "link-active" in html
    assert reverse("admin:advisor_submission_revoke", args=[active.pk]) in html
    assert reverse("admin:advisor_submission_report", args=[active.pk]) in html
    assert reverse("admin:advisor_submission_brief", args=[active.pk]) in html

    expired = make_lead(link_expires_at=timezone.now() - timedelta(days=1))
    html = consultant.get(change_url(expired)).content.decode()
    assert "link-expired" in html
    assert reverse("admin:advisor_submission_revoke", args=[expired.pk]) not in html


def test_the_revoke_button_makes_the_result_page_stop_working(consultant, client):
    lead = make_lead()
    assert client.get(lead.get_absolute_url()).status_code == 200
    response = consultant.post(reverse("admin:advisor_submission_revoke", args=[lead.pk]))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.link_revoked_at is not None
    assert client.get(lead.get_absolute_url()).status_code == 404
    assert "link-revoked" in consultant.get(change_url(lead)).content.decode()


def test_the_revoke_button_only_works_with_a_post(consultant):
    lead = make_lead()
    assert consultant.get(reverse("admin:advisor_submission_revoke", args=[lead.pk])).status_code \
        == 405
    lead.refresh_from_db()
    assert lead.link_revoked_at is None


def test_the_consultant_records_status_notes_and_next_follow_up(consultant):
    lead = make_lead()
    next_week = timezone.localdate() + timedelta(days=7)
    response = consultant.post(change_url(lead), {
        "status": FollowUpStatus.PROPOSAL_SENT, "notes": "Offerte gemaild; bellen na de 15e.",
        "next_follow_up": next_week.strftime("%d-%m-%Y"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    lead.refresh_from_db()
    assert lead.status == FollowUpStatus.PROPOSAL_SENT
    assert lead.notes == "Offerte gemaild; bellen na de 15e."
    assert lead.next_follow_up == next_week


def test_leads_cannot_be_added_by_hand(consultant):
    assert consultant.get(reverse("admin:advisor_submission_add")).status_code == 403


def test_the_visitor_details_cannot_be_changed_in_the_back_office(consultant):
    lead = make_lead(company="Echt Bedrijf")
    consultant.post(change_url(lead), {"status": "new", "company": "Verzonnen BV"})
    lead.refresh_from_db()
    assert lead.company == "Echt Bedrijf"


# --- Actions ---------------------------------------------------------------------------------


def test_the_pdf_action_downloads_the_report_of_one_lead(consultant, media):
    lead = make_lead(answers=HEALTHCARE, company="Huisartsenpraktijk Jansen")
    stored_report(lead)  # rendered by the worker after the submission
    response = run_action(consultant, "download_report", [lead])
    assert response["Content-Type"] == "application/pdf"
    assert "huisartsenpraktijk-jansen-email-advies-" in response["Content-Disposition"]
    assert "Huisartsenpraktijk Jansen" in pdf_text(response.content)


def test_the_pdf_action_asks_for_exactly_one_lead(consultant):
    leads = [make_lead(), make_lead()]
    response = run_action(consultant, "download_report", leads, follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert escape(str(SELECT_ONE_LEAD)) in response.content.decode()


def test_the_zip_holds_one_valid_pdf_per_selected_lead(consultant, media):
    leads = [
        make_lead(answers=HEALTHCARE, company="Praktijk Één"),
        make_lead(answers=SOLO, company="Praktijk Één"),  # same name, same day
    ]
    for lead in leads:
        stored_report(lead)
    response = run_action(consultant, "download_reports_zip", leads)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 2 and len(set(names)) == 2
    for name in names:
        assert name.endswith(".pdf")
        reader = PdfReader(io.BytesIO(archive.read(name)))
        assert "Praktijk Één" in " ".join(page.extract_text() for page in reader.pages)


def test_the_zip_refuses_more_leads_than_one_download_can_render(consultant):
    Submission.objects.bulk_create(
        [new_lead() for _ in range(ZIP_MAX_REPORTS + 1)]
    )
    response = run_action(consultant, "download_reports_zip", [], select_across="1", follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert str(ZIP_MAX_REPORTS) in response.content.decode()


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs for UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_opens_in_dutch_excel_with_labels_and_dutch_characters_intact(consultant):
    lead = make_lead(answers=HEALTHCARE, company="Zorgcentrum Ærø & Zoë", name="Joëlle Çelik",
                     notes="Bellen; na 12:00")
    response = run_action(consultant, "export_csv", [lead])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="leads-')
    header, row = read_csv(response)
    record = dict(zip(header, row, strict=True))
    assert header[:3] == [_("Submitted at"), _("Company"), _("Name")]
    assert record[_("Company")] == "Zorgcentrum Ærø & Zoë"
    assert record[_("Name")] == "Joëlle Çelik"
    assert record[_("Sector")] == str(QUESTIONS["sector"].choice("healthcare_patient").label)
    assert record[_("Advice")] == str(OPTION_NAMES["m365"])
    assert record[_("Suggested plan")] == str(PLANS["business_premium"].name)
    # The separator inside a cell is quoted, so the columns stay in place.
    assert record[_("Notes")] == "Bellen; na 12:00"
    assert record[str(QUESTIONS["sensitive_data"].label)] == str(
        QUESTIONS["sensitive_data"].choice("lots").label)
    assert "healthcare" not in row and "business_premium" not in row


def test_the_csv_exports_the_whole_filtered_list_with_select_all(consultant):
    make_lead(answers={"sector": "legal"}, company="Advocaten Eén")
    make_lead(answers={"sector": "legal"}, company="Advocaten Twee")
    make_lead(answers={"sector": "general"}, company="Fietsen Drie")
    response = consultant.post(reverse(LIST) + "?sector=legal", {
        "action": "export_csv", "select_across": "1", "_selected_action": ["0"],
    })
    companies = {row[1] for row in read_csv(response)[1:]}
    assert companies == {"Advocaten Eén", "Advocaten Twee"}


def test_the_csv_neutralises_formulas_a_visitor_typed(consultant):
    lead = make_lead(company='=HYPERLINK("http://evil.example","klik")', phone="+31 6 1234")
    header, row = read_csv(run_action(consultant, "export_csv", [lead]))
    record = dict(zip(header, row, strict=True))
    assert record[_("Company")].startswith("'=")
    assert record[_("Phone")] == "'+31 6 1234"


def test_the_revoke_action_revokes_the_share_links_of_the_selected_leads(consultant, client):
    leads = [make_lead(), make_lead()]
    untouched = make_lead()
    response = run_action(consultant, "revoke_share_links", leads, follow=True)
    assert response.status_code == 200
    for lead in leads:
        lead.refresh_from_db()
        assert lead.link_revoked_at is not None
        assert client.get(lead.get_absolute_url()).status_code == 404
    untouched.refresh_from_db()
    assert untouched.link_revoked_at is None


def test_the_detail_page_offers_the_pdf_for_download(consultant, media):
    lead = make_lead(company="Bakkerij Brood")
    stored_report(lead)
    response = consultant.get(reverse("admin:advisor_submission_report", args=[lead.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "Bakkerij Brood" in pdf_text(response.content)


def test_a_report_still_being_made_gives_the_consultant_a_clear_message(consultant, media,
                                                                        monkeypatch):
    deferred = []
    monkeypatch.setattr("advisor.reports.report.defer_on_commit",
                        lambda task, **kwargs: deferred.append(kwargs["queueing_lock"]))
    lead = make_lead(company="Bakkerij Brood")
    response = consultant.get(reverse("admin:advisor_submission_report", args=[lead.pk]),
                              follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert escape(str(REPORT_PREPARING)) in response.content.decode()
    zipped = run_action(consultant, "download_reports_zip", [lead], follow=True)
    assert zipped["Content-Type"].startswith("text/html")
    assert deferred == [f"report-{lead.pk}", f"report-{lead.pk}"]  # queued, not rendered


def test_the_mail_list_shows_status_and_error_and_sends_a_failed_mail_again(consultant,
                                                                           monkeypatch):
    deferred = []
    monkeypatch.setattr("advisor.outbox.mail.defer_on_commit",
                        lambda task, **kwargs: deferred.append(kwargs["queueing_lock"]))
    lead = make_lead()
    from advisor.outbox.mail import queue_advice_mail

    mail = queue_advice_mail(submission=lead)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.FAILED, attempts=1, last_error="SMTPRecipientsRefused 550")
    listing = consultant.get(reverse("admin:advisor_outgoingmail_changelist"))
    assert "SMTPRecipientsRefused 550" in listing.content.decode()
    found = consultant.get(reverse("admin:advisor_outgoingmail_changelist"),
                           {"q": lead.email.upper()})
    assert found.context["cl"].result_count == 1

    consultant.post(reverse("admin:advisor_outgoingmail_changelist"), {
        "action": "send_mails_again", "_selected_action": [mail.pk]})
    mail.refresh_from_db()
    assert (mail.status, mail.last_error) == (MailStatus.QUEUED, "")
    assert deferred[-1] == f"mail-{mail.pk}"
    assert consultant.get(reverse("admin:advisor_outgoingmail_change",
                                  args=[mail.pk])).status_code == 200
    assert consultant.post(reverse("admin:advisor_outgoingmail_change", args=[mail.pk]),
                           {"recipient": "x@y.example"}).status_code == 403


# --- Admin security --------------------------------------------------------------------------


def back_office_urls(lead: Submission) -> list[tuple[str, str]]:
    return [
        ("get", reverse("admin:index")),
        ("get", reverse(LIST)),
        ("get", change_url(lead)),
        ("get", reverse("admin:dashboard")),
        ("get", reverse("admin:advisor_submission_report", args=[lead.pk])),
        ("get", reverse("admin:advisor_submission_brief", args=[lead.pk])),
        ("post", reverse("admin:advisor_submission_revoke", args=[lead.pk])),
        ("get", reverse("admin:advisor_consultantprofile_changelist")),
    ]


def assert_kept_out(client: Client, lead: Submission) -> None:
    for method, url in back_office_urls(lead):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    for action in ("download_report", "download_reports_zip", "export_csv",
                   "revoke_share_links"):
        response = run_action(client, action, [lead])
        assert response.status_code == 302, action
        assert response["Location"].startswith(reverse("admin:login")), action
    lead.refresh_from_db()
    assert lead.link_revoked_at is None


def test_anonymous_visitors_reach_nothing_of_the_back_office(client):
    assert_kept_out(client, make_lead())


def test_logged_in_users_who_are_not_staff_reach_nothing(client):
    user = make_staff("bezoeker", staff=False, superuser=False)
    client.force_login(user)
    assert_kept_out(client, make_lead())


def test_staff_without_a_verified_second_factor_reach_nothing(client):
    user = make_staff()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)  # password only: no code entered
    assert_kept_out(client, make_lead())


def test_verified_staff_reach_every_back_office_page(consultant, media):
    lead = make_lead()
    for method, url in back_office_urls(lead):
        response = getattr(consultant, method)(url)
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("admin:login")), url


def login(client: Client, *, username: str = "sanne", password: str = PASSWORD, token: str = "",
          ip: str = "203.0.113.7", **extra):
    return client.post(reverse("admin:login"), {
        "username": username, "password": password, "otp_token": token,
        "next": reverse("admin:index"),
    }, REMOTE_ADDR=ip, **extra)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_logging_in_takes_password_and_the_code_from_the_authenticator_app(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting after the wrong code below
    user = make_staff()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert login(client).status_code == 200  # password only: the form again
    wrong = login(client, token="000000")
    assert escape(str(LOGIN_REFUSED)) in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302

    response = login(client, token=current_code(device))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_login_page_asks_for_the_code_in_plain_words(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert 'name="otp_token"' in html
    assert 'autocomplete="one-time-code"' in html


def test_development_can_switch_the_second_factor_off_explicitly(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    client.force_login(make_staff())
    assert client.get(reverse(LIST)).status_code == 200
    assert 'name="otp_token"' not in Client().get(reverse("admin:login")).content.decode()


def test_repeated_failed_logins_lock_out_the_client_ip_even_with_the_right_password(client):
    user = make_staff()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    for attempt in range(5):
        login(client, password=f"wrong {attempt}", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    response = login(client, token=current_code(device))
    assert response.status_code == 429
    assert escape(_("Too many failed logins")) in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    # Another person from another address is not locked out.
    other = make_staff("joris")
    other_device = TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    assert login(Client(), username="joris", token=current_code(other_device),
                 ip="192.0.2.99").status_code == 302


def test_behind_a_trusted_proxy_the_lockout_counts_the_address_the_proxy_saw(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_staff()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    for attempt in range(5):
        login(client, password=f"wrong {attempt}", ip="10.0.0.1",
              HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.20")
    locked = login(client, token=current_code(device), ip="10.0.0.1",
                   HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert locked.status_code == 429
    other_device = TOTPDevice.objects.create(user=make_staff("joris"), name="phone",
                                             confirmed=True)
    other = login(Client(), username="joris", token=current_code(other_device), ip="10.0.0.1",
                  HTTP_X_FORWARDED_FOR="198.51.100.21")
    assert other.status_code == 302


def test_the_admin_url_is_configurable(settings):
    import config.urls

    settings.ADMIN_URL = "kantoor-7f3a/"
    try:
        reload(config.urls)
        clear_url_caches()
        assert reverse("admin:index") == "/kantoor-7f3a/"
    finally:
        settings.ADMIN_URL = "admin/"
        reload(config.urls)
        clear_url_caches()
    assert reverse("admin:index") == "/admin/"


# --- Setting up an authenticator app ---------------------------------------------------------


def test_setup_2fa_creates_a_device_and_prints_the_qr_code_and_secret():
    user = make_staff()
    out = io.StringIO()
    call_command("setup_2fa", "sanne", stdout=out)
    device = TOTPDevice.objects.get(user=user)
    printed = out.getvalue()
    assert device.confirmed
    assert "otpauth://totp/" in printed
    assert "█" in printed  # the QR code, drawn in the terminal
    secret = printed.split("6 digits): ")[1].split()[0]
    from base64 import b32decode

    assert b32decode(secret) == device.bin_key
    assert device.verify_token(current_code(device))


def test_setup_2fa_keeps_an_existing_device_unless_asked_to_replace_it():
    user = make_staff()
    call_command("setup_2fa", "sanne", "--no-qr", stdout=io.StringIO())
    first = TOTPDevice.objects.get(user=user).key
    with pytest.raises(CommandError, match="--replace"):
        call_command("setup_2fa", "sanne", stdout=io.StringIO())
    call_command("setup_2fa", "sanne", "--replace", "--no-qr", stdout=io.StringIO())
    assert TOTPDevice.objects.get(user=user).key != first


def test_setup_2fa_names_an_unknown_user():
    with pytest.raises(CommandError, match="No user 'niemand'"):
        call_command("setup_2fa", "niemand", stdout=io.StringIO())
    assert not User.objects.exists()


# --- The start page: the consultant's work first -----------------------------------------


def test_the_start_page_shows_the_work_and_folds_the_technical_tables_away_for_a_superuser():
    consultant = verified_client(make_staff("sanne", superuser=True))
    response = consultant.get(reverse("admin:index"))
    html = response.content.decode()
    assert [app["app_label"] for app in response.context["work_app_list"]] == ["advisor"]
    technical = {app["app_label"] for app in response.context["technical_app_list"]}
    assert {"axes", "otp_totp", "auth"} <= technical
    assert html.index('class="module backoffice-start"') < html.index("app-advisor") \
        < html.index('<details class="technical-apps">') < html.index("app-axes")


def test_staff_without_superuser_rights_see_no_technical_tables():
    user = make_staff("assistent", superuser=False)
    user.user_permissions.add(*Permission.objects.filter(codename__in=[
        "view_submission", "change_submission", "view_accessattempt"]))
    response = verified_client(user).get(reverse("admin:index"))
    assert response.context["technical_app_list"] == []
    assert "app-axes" not in response.content.decode()


def test_select_boxes_in_the_dutch_back_office_offer_a_dutch_empty_choice():
    consultant = verified_client(make_staff())
    make_lead()
    html = consultant.get(reverse("admin:advisor_submission_changelist")).content.decode()
    assert "- Select an option -" not in html
    assert "- Kies een optie -" in html
