"""Plan prices and the estimated monthly cost of a plan for a team.

The consultant keeps the price table in the back office; until then the list prices below
apply. Prices are per user per month, excluding VAT.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from advisor.advice import table as q
from advisor.models import DEFAULT_PRICES_CHECKED, BillingTerm, ConsultantProfile, PlanPrice

# Starting point for a fresh install: Microsoft's Dutch list prices (annual subscription,
# paid yearly) as of DEFAULT_PRICES_AS_OF, and a typical IMAP mailbox at a hosting provider.
# Microsoft raised Business Basic and Standard on 1 July 2026; no checked euro prices after
# that were found (docs/advice-rules-research.md, F37-F40), so these are indicative until
# the consultant enters their own prices and date.
DEFAULT_PRICES: dict[str, Decimal] = {
    "imap_hosting": Decimal("3.00"),
    "exchange_online_plan_1": Decimal("3.70"),
    "business_basic": Decimal("5.60"),
    "business_standard": Decimal("11.70"),
    "business_premium": Decimal("20.60"),
}
DEFAULT_PRICES_AS_OF = DEFAULT_PRICES_CHECKED

@dataclass(frozen=True)
class PriceTable:
    prices: dict[str, Decimal]
    as_of: date
    billing_term: str = BillingTerm.ANNUAL_YEARLY


@dataclass(frozen=True)
class CostEstimate:
    plan: str
    price_per_user: Decimal
    users_min: int
    users_max: int | None
    monthly_min: Decimal
    monthly_max: Decimal | None
    as_of: date
    billing_term: str = BillingTerm.ANNUAL_YEARLY

    @property
    def label(self) -> str:
        """The estimate in words, in the active language, e.g. "€ 67,20 to € 168,00 a month"."""
        low = euros(self.monthly_min)
        if self.monthly_max is None:
            return _("from %(low)s a month") % {"low": low}
        if self.monthly_max == self.monthly_min:
            return _("%(amount)s a month") % {"amount": low}
        return _("%(low)s to %(high)s a month") % {"low": low, "high": euros(self.monthly_max)}

    @property
    def basis(self) -> str:
        """How the estimate was made, in one line."""
        users = (
            str(self.users_min) if self.users_max == self.users_min
            else f"{self.users_min}+" if self.users_max is None
            else f"{self.users_min}-{self.users_max}"
        )
        basis = _(
            "%(users)s users who sign in, at %(price)s per user per month, excl. VAT, "
            "%(term)s; shared mailboxes such as info@ need no licence"
        ) % {"users": users, "price": euros(self.price_per_user),
             "term": BillingTerm(self.billing_term).label}
        if self.users_max is None and self.plan != "imap_hosting":
            basis += _("; the Business plans go up to %(cap)s users") % {
                "cap": q.BUSINESS_PLAN_USER_CAP}
        return basis


def euros(amount: Decimal) -> str:
    return "€ " + number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def get_price_table() -> PriceTable:
    profile = ConsultantProfile.load()
    if profile.pk is None:
        return PriceTable(prices=dict(DEFAULT_PRICES), as_of=DEFAULT_PRICES_AS_OF)

    stored = dict(
        PlanPrice.objects.filter(profile=profile).values_list("plan", "monthly_price")
    )
    return PriceTable(
        prices={plan: stored.get(plan, DEFAULT_PRICES[plan]) for plan in q.PLANS},
        as_of=profile.prices_as_of,
        billing_term=profile.billing_term,
    )


def estimate_monthly_cost(*, plan: str, team_size: str, table: PriceTable) -> CostEstimate:
    price = table.prices[plan]
    # How many mailboxes the team-size answer stands for: the table's choice says.
    users = q.QUESTIONS["team_size"].choice(team_size).users
    assert users is not None, "the table's consistency test gives every team size its users"
    users_min, users_max = users
    return CostEstimate(
        plan=plan,
        price_per_user=price,
        users_min=users_min,
        users_max=users_max,
        monthly_min=price * users_min,
        monthly_max=None if users_max is None else price * users_max,
        as_of=table.as_of,
        billing_term=table.billing_term,
    )
