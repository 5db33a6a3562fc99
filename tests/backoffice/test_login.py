"""Staff login hardening: lockout per client network and per account, one message for any wrong
factor, nothing secret in the attempt records, short staff sessions and re-authentication."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from advisor.backoffice.reauth import REAUTH_FAILED
from advisor.backoffice.site import LOGIN_REFUSED
from advisor.models import Submission
from tests.backoffice.test_admin import current_code, login
from tests.factories import PASSWORD, make_lead, make_staff

pytestmark = pytest.mark.django_db

LOCKED = 429


@pytest.fixture
def sanne() -> TOTPDevice:
    """The consultant with her authenticator app."""
    return TOTPDevice.objects.create(user=make_staff("sanne"), name="phone", confirmed=True)


def fail_five_times(*, ips: list[str], username: str = "sanne") -> None:
    for attempt, ip in enumerate(ips):
        login(Client(), username=username, password=f"wrong {attempt}", ip=ip)


def test_an_ipv4_client_seen_over_ipv6_is_the_same_client(sanne):
    fail_five_times(ips=["198.51.100.1", "::ffff:198.51.100.1"] * 2 + ["198.51.100.1"],
                    username="nobody")
    assert login(Client(), token=current_code(sanne), ip="::ffff:198.51.100.1").status_code \
        == LOCKED
    assert login(Client(), token=current_code(sanne), ip="198.51.100.1").status_code == LOCKED


def test_every_address_in_one_ipv6_64_counts_as_one_client(sanne):
    fail_five_times(ips=[f"2001:db8:1:2::{n:x}" for n in range(1, 6)], username="nobody")
    elsewhere_in_the_64 = "2001:db8:1:2:ffff:ffff:ffff:ffff"
    assert login(Client(), token=current_code(sanne), ip=elsewhere_in_the_64).status_code \
        == LOCKED
    # The neighbouring /64 is another subscriber.
    assert login(Client(), token=current_code(sanne), ip="2001:db8:1:3::1").status_code == 302


def test_many_addresses_against_one_account_lock_that_account(sanne):
    fail_five_times(ips=[f"203.0.113.{n}" for n in range(1, 6)])
    response = login(Client(), token=current_code(sanne), ip="192.0.2.50")
    assert response.status_code == LOCKED
    assert escape(_("Too many failed logins")) in response.content.decode()


def test_the_attempt_records_hold_neither_the_password_nor_the_code(sanne, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    code = current_code(sanne)
    login(Client(), password="my-secret-guess-1", token=code)
    [attempt] = AccessAttempt.objects.all()
    assert "my-secret-guess-1" not in attempt.post_data
    assert code not in attempt.post_data
    assert PASSWORD not in attempt.post_data
    assert "otp_token=" in attempt.post_data  # the field is there, its value masked


def error_and_form(response) -> tuple[list[str], bool]:
    """What the login page tells the visitor: its error notes, and whether it lists devices."""
    html = response.content.decode()
    notes = re.findall(r'<p class="errornote">(.*?)</p>', html, re.S)
    return [" ".join(note.split()) for note in notes], 'name="otp_device"' in html


def test_a_wrong_password_and_a_wrong_code_look_exactly_the_same(sanne, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    wrong_password = login(Client(), password="not the password", token="123456")
    wrong_code = login(Client(), token="000000")
    no_code = login(Client())
    assert wrong_password.status_code == wrong_code.status_code == no_code.status_code == 200
    assert error_and_form(wrong_password) == error_and_form(wrong_code) \
        == error_and_form(no_code) == ([escape(str(LOGIN_REFUSED))], False)


def test_someone_with_two_authenticator_apps_logs_in_with_either(sanne, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    tablet = TOTPDevice.objects.create(user=sanne.user, name="tablet", confirmed=True)
    assert login(Client(), token=current_code(tablet)).status_code == 302
    assert login(Client(), token=current_code(sanne)).status_code == 302


# --- Staff sessions -----------------------------------------------------------------------

def logged_in(client: Client, device: TOTPDevice, settings) -> Client:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    assert login(client, token=current_code(device)).status_code == 302
    return client


def test_a_staff_session_ends_when_the_browser_closes(sanne, settings):
    client = logged_in(Client(), sanne, settings)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert client.session.get_expire_at_browser_close()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]


def test_a_staff_session_ends_after_two_idle_hours(sanne, settings):
    with time_machine.travel("2026-11-30 09:00 +01:00", tick=False) as traveller:
        client = logged_in(Client(), sanne, settings)
        assert client.get(reverse("admin:index")).status_code == 200
        traveller.shift(timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES - 1))
        assert client.get(reverse("admin:index")).status_code == 200  # still active
        traveller.shift(timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES + 1))
        response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_busy_staff_session_still_ends_after_a_working_day(sanne, settings):
    with time_machine.travel("2026-11-30 08:00 +01:00", tick=False) as traveller:
        client = logged_in(Client(), sanne, settings)
        for _ in range(settings.STAFF_SESSION_MAX_HOURS):
            assert client.get(reverse("admin:index")).status_code == 200
            traveller.shift(timedelta(minutes=59))
        traveller.shift(timedelta(hours=1))
        assert client.get(reverse("admin:index")).status_code == 302


def test_visitors_keep_their_unfinished_questionnaire_for_a_day(client, questionnaire,
                                                                 settings):
    questionnaire.post(client, "business", questionnaire.answers["business"])
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 24 * 3600


# --- Fresh authentication for export and erasure --------------------------------------------

EVA = "eva@praktijkjansen.example"


def privacy_post(client: Client, action: str, **identity: str):
    fields = {f"identity-{name}": value for name, value in identity.items()}
    return client.post(reverse("admin_privacy"), {"email": EVA, "action": action, **fields})


@pytest.mark.parametrize("action", ["export", "erase"])
def test_export_and_erasure_ask_for_password_and_code_again(sanne, settings, action):
    make_lead(email=EVA)
    client = logged_in(Client(), sanne, settings)
    response = privacy_post(client, action)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="identity-password"' in html and 'name="identity-otp_token"' in html
    assert Submission.objects.count() == 1  # nothing erased, nothing exported


# Committing, as a request in production does: on PostgreSQL the code check locks the device
# row (select_for_update), which needs a transaction of its own outside a test's.
@pytest.mark.django_db(transaction=True)
def test_the_right_password_and_code_let_the_export_through_for_a_few_minutes(sanne, settings):
    make_lead(email=EVA)
    with time_machine.travel("2026-11-30 09:00 +01:00", tick=False) as traveller:
        client = logged_in(Client(), sanne, settings)
        traveller.shift(timedelta(seconds=30))  # the next code: each code works only once
        done = privacy_post(client, "export", password=PASSWORD, otp_token=current_code(sanne))
        assert done["Content-Type"].startswith("application/json")
        traveller.shift(timedelta(minutes=settings.PRIVACY_REAUTH_MINUTES - 1))
        again = privacy_post(client, "export")
        assert again["Content-Type"].startswith("application/json")
        traveller.shift(timedelta(minutes=2))
        later = privacy_post(client, "export")
    assert later["Content-Type"].startswith("text/html")
    assert 'name="identity-password"' in later.content.decode()


def test_a_wrong_password_or_code_erases_nothing_and_says_the_same(sanne, settings):
    make_lead(email=EVA)
    with time_machine.travel("2026-11-30 09:00 +01:00", tick=False) as traveller:
        client = logged_in(Client(), sanne, settings)
        traveller.shift(timedelta(seconds=30))
        code = current_code(sanne)
        wrong_password = privacy_post(client, "erase", password="guess", otp_token=code)
        wrong_code = privacy_post(client, "erase", password=PASSWORD, otp_token="000000")
        for response in (wrong_password, wrong_code):
            assert escape(str(REAUTH_FAILED)) in response.content.decode()
        assert Submission.objects.count() == 1
        right = privacy_post(client, "erase", password=PASSWORD, otp_token=code)
    assert right.status_code == 302
    assert Submission.objects.count() == 0
