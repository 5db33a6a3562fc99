"""The result page from the shared cache (web/fragments.private_page): served from one narrow
read while nothing it shows has changed, the same page a fresh render gives after any change,
with each visitor's own CSRF token and CSP nonce, never for a link that no longer works, and
gone from the cache with the data it shows."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from advisor.lib import fragments
from advisor.models import (
    ConsultantProfile,
    DomainCheckState,
    MailKind,
    MailStatus,
    OutgoingMail,
    Submission,
)
from advisor.privacy.services import erase_personal_data, purge_expired
from advisor.questionnaire import views
from advisor.questionnaire.checkup import opt_in
from advisor.questionnaire.domain_check import STORED, store_domain_check_of
from advisor.questionnaire.services import revoke_link
from advisor.web.fragments import CSRF_STAND_IN, NONCE_STAND_IN, PRIVATE_KEY_PREFIX
from tests.confirmation import confirm_by_mail
from tests.conftest import CONTACT

pytestmark = pytest.mark.django_db

COMPANY = CONTACT["company"].encode()


@pytest.fixture
def lead(redis_cache, questionnaire):
    """A submission made through the questionnaire (its advice mail queued), and its page."""
    visitor = Client()
    response = questionnaire.complete(visitor)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert response["Location"] == submission.get_absolute_url()
    return submission


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert CSRF_STAND_IN not in html and NONCE_STAND_IN not in html
    return html


def without_token_and_nonce(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", html)
    return re.sub(r'nonce="[^"]+"', "NONCE", html)


def fresh(monkeypatch, url: str) -> str:
    """The page as it is rendered without the cache."""
    with monkeypatch.context() as patch:
        patch.setattr(views, "private_pages_cached", lambda: False)
        return without_token_and_nonce(page(Client(), url))


def cached_values(redis_cache) -> list[bytes]:
    server, prefix = redis_cache
    return [server.get(key) for key in server.scan_iter(f"{prefix}:*{PRIVATE_KEY_PREFIX}:*")]


def test_a_second_view_is_one_statement_and_no_template_with_its_own_token_and_nonce(
        lead, renders):
    url = lead.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one = page(first, url)
    renders.clear()
    with CaptureQueriesContext(connection) as queries:
        two = page(second, url)

    assert len(queries) == 1  # the page's state; no submission, mails or check-up objects
    assert "advisor/result.html" not in renders
    assert without_token_and_nonce(one) == without_token_and_nonce(two)
    tokens = [set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
              for html in (one, two)]
    assert len(tokens[0]) == len(tokens[1]) == 1 and tokens[0] != tokens[1]
    # The second visitor's own token works in the page's language switch; the first's does not.
    switch = {"language": "en", "next": url}
    foreign = second.post("/i18n/setlang/", {**switch, "csrfmiddlewaretoken": tokens[0].pop()})
    assert foreign.status_code == 403
    own = second.post("/i18n/setlang/", {**switch, "csrfmiddlewaretoken": tokens[1].pop()})
    assert own.status_code == 302


def _report_failed(submission):
    Submission.objects.filter(pk=submission.pk).update(report_failed_at=timezone.now())


def _report_stored(submission):
    Submission.objects.filter(pk=submission.pk).update(report_pdf="reports/2026/12/advies.pdf")


def _advice_mail(status):
    def change(submission):
        OutgoingMail.objects.filter(submission=submission, kind=MailKind.ADVICE).update(
            status=status)
    return change


def _address_confirmed(submission):
    Submission.objects.filter(pk=submission.pk).update(email_confirmed_at=timezone.now())


def _shares_used_up(submission):
    Submission.objects.filter(pk=submission.pk).update(
        email_confirmed_at=timezone.now(), share_count=settings.SHARE_MAX_PER_REPORT)


def _checkup_opted_in(submission):
    opt_in(submission=submission)


def _domain_checked(submission):
    # The questionnaire left the check waiting for its job; the job runs now.
    assert Submission.objects.get(pk=submission.pk).domain_check_level == \
        DomainCheckState.PENDING
    assert store_domain_check_of(submission_id=submission.pk) == STORED


def _consultant_phone(submission):
    profile = ConsultantProfile.load()
    profile.pk = ConsultantProfile.SINGLETON_ID  # as the back office saves it
    profile.phone = "020 765 4321"
    profile.save()


@pytest.mark.parametrize("change", [
    _report_failed, _report_stored, _advice_mail(MailStatus.SENT),
    _advice_mail(MailStatus.FAILED), _address_confirmed, _shares_used_up, _checkup_opted_in,
    _domain_checked, _consultant_phone,
], ids=lambda change: change.__name__.strip("_") if hasattr(change, "__name__") else "")
def test_after_any_change_the_page_is_what_a_fresh_render_gives(lead, monkeypatch, change):
    url = lead.get_absolute_url()
    before = without_token_and_nonce(page(Client(), url))
    assert before == fresh(monkeypatch, url)

    change(lead)

    after = without_token_and_nonce(page(Client(), url))
    assert after != before  # each change shows on the page
    assert after == fresh(monkeypatch, url)


def test_a_change_of_the_share_limit_shows_at_once(lead, monkeypatch, settings):
    _address_confirmed(lead)
    url = lead.get_absolute_url()
    before = page(Client(), url)
    settings.SHARE_MAX_PER_REPORT = 0
    after = without_token_and_nonce(page(Client(), url))
    assert after != without_token_and_nonce(before)
    assert after == fresh(monkeypatch, url)


def english_url(submission: Submission) -> str:
    with translation.override("en"):
        return submission.get_absolute_url()


def test_each_language_has_its_own_page_side_by_side(lead, renders):
    # Both addresses first: the test client leaves the last request's language active.
    dutch_url, english_url_ = lead.get_absolute_url(), english_url(lead)
    dutch, english = page(Client(), dutch_url), page(Client(), english_url_)
    assert '<html lang="nl">' in dutch and '<html lang="en">' in english
    assert "Here is your advice" in english and "Here is your advice" not in dutch
    renders.clear()
    assert without_token_and_nonce(page(Client(), dutch_url)) == without_token_and_nonce(dutch)
    assert without_token_and_nonce(page(Client(), english_url_)) == without_token_and_nonce(
        english)
    assert "advisor/result.html" not in renders


def test_a_message_shows_once_and_the_page_after_it_is_cached_again(lead, renders):
    visitor = Client()
    url = lead.get_absolute_url()
    page(visitor, url)
    confirm_by_mail(visitor, lead)

    shown = page(visitor, url)
    assert 'class="alert alert-success"' in shown and CONTACT["email"] in shown
    assert 'class="alert alert-success"' not in page(visitor, url)
    renders.clear()
    assert 'class="alert alert-success"' not in page(visitor, url)
    assert "advisor/result.html" not in renders


def test_a_page_asked_with_a_query_string_is_not_kept(lead, redis_cache):
    page(Client(), f"{lead.get_absolute_url()}?utm_source=mail")
    assert cached_values(redis_cache) == []


def test_the_page_is_kept_in_the_shared_cache_only_never_in_a_process(lead, redis_cache):
    page(Client(), lead.get_absolute_url())
    assert any(COMPANY in value for value in cached_values(redis_cache))
    assert not any(CONTACT["company"] in html for html in fragments._local.entries.values())


@pytest.mark.parametrize("ended", ["revoked", "expired"])
def test_a_link_that_no_longer_works_is_not_found_though_its_page_was_cached(lead, ended):
    url = lead.get_absolute_url()
    page(Client(), url)
    if ended == "revoked":
        Submission.objects.filter(pk=lead.pk).update(link_revoked_at=timezone.now())
    else:
        Submission.objects.filter(pk=lead.pk).update(
            link_expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(url)
    assert response.status_code == 404
    assert CONTACT["company"] not in response.content.decode()


def _erased(submission):
    erase_personal_data(email=submission.email)


def _revoked(submission):
    revoke_link(submission=submission)


def _purged(submission):
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - timedelta(days=2 * 366))
    purge_expired()


def _purged_but_kept_for_the_checkup(submission):
    opt_in(submission=submission)
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - timedelta(days=2 * 366))
    from advisor.models import CheckupReminder

    CheckupReminder.objects.filter(submission=submission).update(due_at=timezone.now())
    purge_expired()
    assert Submission.objects.filter(pk=submission.pk, name="").exists()  # reduced, not deleted


def _deleted_in_the_back_office(submission):
    request = RequestFactory().post("/")
    site._registry[Submission].delete_queryset(request, Submission.objects.filter(
        pk=submission.pk))


def _deleted_one_in_the_back_office(submission):
    request = RequestFactory().post("/")
    site._registry[Submission].delete_model(request, submission)


@pytest.mark.parametrize("end", [_erased, _revoked, _purged, _purged_but_kept_for_the_checkup,
                                 _deleted_in_the_back_office, _deleted_one_in_the_back_office],
                         ids=lambda end: end.__name__.strip("_"))
def test_the_cached_page_goes_with_the_data_it_shows(lead, redis_cache, end):
    url = lead.get_absolute_url()
    page(Client(), url)
    page(Client(), english_url(lead))
    assert sum(COMPANY in value for value in cached_values(redis_cache)) == 2

    end(lead)

    assert not any(COMPANY in value for value in cached_values(redis_cache))
    assert Client().get(url).status_code == 404


def test_an_erasure_while_the_page_is_rendered_leaves_no_copy(lead, redis_cache, monkeypatch):
    """The erasure commits after the page read the rows and before it stored its copy: its
    own deletion finds nothing yet, so the page deletes the copy it stored."""
    rendered = views._result_context

    def erased_meanwhile(submission, **kwargs):
        context = rendered(submission, **kwargs)
        erase_personal_data(email=submission.email)
        return context

    monkeypatch.setattr(views, "_result_context", erased_meanwhile)
    response = Client().get(lead.get_absolute_url())

    assert response.status_code == 200  # what the visitor saw a moment before
    assert not Submission.objects.exists()
    assert not any(COMPANY in value for value in cached_values(redis_cache))
