"""The price table and the estimated monthly cost of a plan for a team."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from advisor.advice import table as q
from advisor.consultant.pricing import (
    DEFAULT_PRICES,
    DEFAULT_PRICES_AS_OF,
    PriceTable,
    estimate_monthly_cost,
    get_price_table,
)
from advisor.models import ConsultantProfile, PlanPrice

pytestmark = pytest.mark.django_db
TABLE = PriceTable(prices=dict(DEFAULT_PRICES), as_of=date(2026, 3, 1))


def test_every_plan_has_a_default_price_and_every_team_size_a_number_of_users():
    assert set(DEFAULT_PRICES) == set(q.PLANS)
    for choice in q.QUESTIONS["team_size"].choices:
        low, high = choice.users
        assert low >= 1 and (high is None or high >= low), choice.value


def test_a_fresh_install_uses_the_default_prices():
    table = get_price_table()
    assert table.prices == DEFAULT_PRICES
    assert table.as_of == DEFAULT_PRICES_AS_OF


def test_prices_from_the_back_office_replace_the_defaults_plan_by_plan():
    profile = ConsultantProfile.objects.create(
        pk=ConsultantProfile.SINGLETON_ID, consultant_name="A", company_name="B",
        email="a@b.example", prices_as_of=date(2026, 2, 1))
    PlanPrice.objects.create(profile=profile, plan="business_basic", monthly_price="6.10")
    table = get_price_table()
    assert table.prices["business_basic"] == Decimal("6.10")
    assert table.prices["business_premium"] == DEFAULT_PRICES["business_premium"]
    assert table.as_of == date(2026, 2, 1)


def test_a_team_of_two_to_five_gets_a_range_in_dutch_amounts():
    cost = estimate_monthly_cost(plan="business_basic", team_size="2_5", table=TABLE)
    assert (cost.monthly_min, cost.monthly_max) == (Decimal("11.20"), Decimal("28.00"))
    with translation.override("nl"):
        assert "€ 11,20" in cost.label and "€ 28,00" in cost.label
    with translation.override("en"):
        assert cost.label == "€ 11.20 to € 28.00 a month"
        assert cost.basis.startswith("2-5 users who sign in, at € 5.60 per user per month, "
                                     "excl. VAT, annual subscription, paid yearly")
        assert "shared mailboxes such as info@ need no licence" in cost.basis
        assert "300" not in cost.basis


def test_a_team_of_more_than_fifty_is_told_the_business_plans_stop_at_300_users():
    with translation.override("en"):
        cost = estimate_monthly_cost(plan="business_standard", team_size="51_plus", table=TABLE)
        assert "the Business plans go up to 300 users" in cost.basis


def test_one_person_gets_one_amount_and_a_large_team_a_lower_bound():
    with translation.override("en"):
        solo = estimate_monthly_cost(plan="imap_hosting", team_size="solo", table=TABLE)
        assert solo.label == "€ 3.00 a month"
        large = estimate_monthly_cost(plan="business_premium", team_size="51_plus", table=TABLE)
        assert large.monthly_max is None
        assert large.label == "from € 1,050.60 a month"


def test_an_untouched_profile_shows_the_date_the_defaults_were_checked_not_the_save_day(db):
    from advisor.models import DEFAULT_PRICES_CHECKED, ConsultantProfile

    profile = ConsultantProfile.from_settings()
    profile.pk = ConsultantProfile.SINGLETON_ID
    profile.save()
    assert ConsultantProfile.load().prices_as_of == DEFAULT_PRICES_CHECKED
    assert get_price_table().as_of == DEFAULT_PRICES_CHECKED


def test_the_estimate_states_the_billing_term_the_consultant_set(db):
    from advisor.models import BillingTerm, ConsultantProfile

    profile = ConsultantProfile.from_settings()
    profile.pk = ConsultantProfile.SINGLETON_ID
    profile.billing_term = BillingTerm.MONTHLY
    profile.save()
    with translation.override("en"):
        cost = estimate_monthly_cost(plan="business_basic", team_size="solo",
                                     table=get_price_table())
        assert "monthly subscription (20% more)" in cost.basis
