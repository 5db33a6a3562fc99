"""Staff login hardening: lockout per client network and per account, one message for any wrong
factor, nothing secret in the attempt records, short staff sessions and re-authentication."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from advisor.backoffice.site import LOGIN_REFUSED
from tests.backoffice.test_admin import current_code, login
from tests.factories import PASSWORD, make_staff

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
