"""Fill the database with realistic fake leads: `python manage.py seed_demo --count 1000`.

Dutch company and person names (Faker nl_NL), varied answers, advice from the real engine,
spread over the last year, with follow-up in every stage. For demos and benchmarks: 100,000
leads take well under a minute on SQLite. Demo addresses end in ".example" (a domain that
can never receive mail); `--clear` removes them again.
"""

import random
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from faker import Faker

from advisor.advice import table as q
from advisor.advice.engine import advise, asked_answers
from advisor.models import LEAD_FIGURES, FollowUpStatus, Submission
from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION

DEMO_DOMAIN = ".example"
DAYS = 365
# Share of demo leads with a simple situation: one person, light e-mail, no sensitive data.
SIMPLE_SHARE = 0.45

# Company names that fit the sector; {last}, {city} and {first} come from Faker.
COMPANY_PATTERNS: dict[str, tuple[str, ...]] = {
    "advocatuur": ("Advocatenkantoor {last}", "{last} & {last2} Advocaten"),
    "notariaat": ("Notariskantoor {last}", "{last} Notarissen"),
    "legal_other": ("{last} Juridisch Advies", "Mediation {first} {last}"),
    "healthcare_patient": ("Huisartsenpraktijk {last}", "Fysiotherapie {city}",
                           "Tandartspraktijk {last}", "Verloskundigen {city}",
                           "Psychologenpraktijk {last}", "Jeugdhulp {city}"),
    "care_other": ("Sportmassage {first} {last}", "Coaching {first} {last}"),
    "accountancy": ("{last} Accountants", "Accountantskantoor {last}"),
    "bookkeeping_payroll": ("Administratiekantoor {last}", "{last} Salarisadministratie"),
    "financial_advice": ("{last} Financieel Advies", "Hypotheekadvies {city}",
                         "Assurantiekantoor {last}"),
    "financial_institution": ("{last} Vermogensbeheer", "Betaaldienst {city}"),
    "other_sensitive": ("Kinderopvang {city}", "{last} HR Advies", "Werving {city}"),
    "general": ("{company}", "Bakkerij {last}", "{last} Installatietechniek",
                "{city} Webdesign", "Bouwbedrijf {last}", "{last} Fietsen", "Café {last}"),
}
QUESTIONS_ASKED = (
    "Kunnen we voor de zomer overstappen?",
    "Wat kost het om onze oude mail mee te nemen?",
    "Moeten we voor onze cyberverzekering tweestapsverificatie hebben?",
    "Kan ik mijn eigen domeinnaam houden?",
    "Is Microsoft 365 veilig genoeg voor medische gegevens?",
    "Werkt dit ook op mijn iPhone en Mac?",
)
NOTES = (
    "Teruggebeld, wil een offerte voor het hele team.",
    "Voicemail ingesproken.",
    "Twijfelt over de kosten; demo ingepland.",
    "Offerte verstuurd, reactie volgende week.",
    "Gekozen voor een andere partij.",
    "Migratie gepland in het weekend.",
)
LATER_STATUSES = {
    FollowUpStatus.NEW: 20, FollowUpStatus.CONTACTED: 25, FollowUpStatus.PROPOSAL_SENT: 15,
    FollowUpStatus.CUSTOMER: 20, FollowUpStatus.LOST: 20,
}
RECENT_STATUSES = {FollowUpStatus.NEW: 60, FollowUpStatus.CONTACTED: 30,
                   FollowUpStatus.PROPOSAL_SENT: 10}
OPEN = {FollowUpStatus.NEW, FollowUpStatus.CONTACTED, FollowUpStatus.PROPOSAL_SENT}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class DemoLeads:
    """Makes demo leads; the advice of each answer combination is computed once."""

    def __init__(self, *, seed: int, profiles: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.profiles = [self._answers() for _ in range(profiles)]
        self.advice_cache: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
        self.now = timezone.now()

    def _answers(self) -> dict[str, str]:
        # Small, simple businesses lean towards the answers that point to an IMAP mailbox.
        simple = self.rng.random() < SIMPLE_SHARE
        # Otherwise each answer is as common as its choice's demo_weight in the table says.
        answers = {}
        for key, question in q.QUESTIONS.items():
            offered = [c for c in question.choices if c.offered]
            if simple:
                weights = {c.value: (1 + 3 * c.imap) / (1 + c.m365) for c in offered}
            else:
                weights = {c.value: c.demo_weight for c in offered}
            answers[key] = _pick(self.rng, weights)
        # As a visitor's: only the questions the wizard would have asked.
        return asked_answers(answers)

    def _advice(self, answers: dict[str, str], language: str) -> dict[str, Any]:
        key = (language, tuple(answers.values()))
        if key not in self.advice_cache:
            # The engine is pure: equal answers give equal advice, so compute it once.
            with translation.override(language):
                self.advice_cache[key] = advise(answers).as_dict()
        return self.advice_cache[key]

    def _company(self, sector: str) -> str:
        pattern = self.rng.choice(COMPANY_PATTERNS[sector])
        return pattern.format(
            company=self.fake.company(), last=self.fake.last_name(),
            last2=self.fake.last_name(), city=self.fake.city(), first=self.fake.first_name(),
        )

    def lead(self) -> Submission:
        rng = self.rng
        answers = rng.choice(self.profiles)
        language = "nl" if rng.random() < 0.9 else "en"
        advice = self._advice(answers, language)
        # Skewed towards recent weeks: a practice that grows.
        created = self.now - timedelta(days=DAYS * rng.random() ** 1.4,
                                       seconds=rng.randrange(86400))
        company = self._company(answers["sector"])
        first, last = self.fake.first_name(), self.fake.last_name()
        status, next_follow_up, notes = self._follow_up(created)
        contact = {
            "name": f"{first} {last}",
            "company": company[:150],
            "email": f"{slugify(first)}@{slugify(company)[:40] or 'bedrijf'}{DEMO_DOMAIN}",
            "phone": self.fake.phone_number() if rng.random() < 0.7 else "",
            "question": rng.choice(QUESTIONS_ASKED) if rng.random() < 0.3 else "",
        }
        return Submission.from_advice(advice, contact=contact, language=language,
                                      consent_version=PRIVACY_STATEMENT_VERSION,
                                      created_at=created, status=status,
                                      next_follow_up=next_follow_up, notes=notes)

    def _follow_up(self, created: datetime) -> tuple[str, Any, str]:
        rng = self.rng
        age = self.now - created
        status = _pick(rng, RECENT_STATUSES if age < timedelta(days=30) else LATER_STATUSES)
        next_follow_up = None
        if status in OPEN and rng.random() < 0.6:
            next_follow_up = (created + timedelta(days=rng.randint(2, 45))).date()
        notes = rng.choice(NOTES) if status != FollowUpStatus.NEW and rng.random() < 0.5 else ""
        return status, next_follow_up, notes

    def batches(self, count: int, size: int) -> Iterator[list[Submission]]:
        while count > 0:
            batch = [self.lead() for _ in range(min(size, count))]
            count -= len(batch)
            yield batch


class Command(BaseCommand):
    help = (
        "Create COUNT realistic fake leads (Dutch names, varied answers, real advice, spread "
        "over the last year). Demo e-mail addresses end in .example; --clear removes them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=500, help="number of leads (500)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
        parser.add_argument("--profiles", type=int, default=2000,
                            help="distinct answer combinations to draw from (2000)")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per INSERT")
        parser.add_argument("--clear", action="store_true",
                            help="first delete earlier demo leads")
        parser.add_argument("--allow-production", action="store_true",
                            help="run even when DEBUG is off (a live database)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: this looks like a live database. Fake leads would mix with real "
                "ones; pass --allow-production if you really mean it."
            )
        if options["count"] < 0 or options["profiles"] < 1 or options["batch_size"] < 1:
            raise CommandError("--count must be 0 or more; --profiles and --batch-size 1 or more.")
        started = time.perf_counter()
        if options["clear"]:
            deleted, _ = Submission.objects.filter(email__endswith=DEMO_DOMAIN).delete()
            self.stdout.write(f"Deleted {deleted} earlier demo leads.")
        demo = DemoLeads(seed=options["seed"], profiles=min(options["profiles"],
                                                            max(options["count"], 1)))
        created = 0
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # 256 MB of page cache: the lead list's indexes are updated in memory, not on disk.
                cursor.execute("PRAGMA cache_size = -262144")
        with transaction.atomic():
            for batch in demo.batches(options["count"], options["batch_size"]):
                Submission.objects.bulk_create(batch, batch_size=options["batch_size"])
                created += len(batch)
                # With DEBUG on Django keeps every query's SQL: megabytes per batch here.
                reset_queries()
        # Leads dated over the past year: the back office's cached counts no longer hold.
        LEAD_FIGURES.advance_on_commit()
        # Fresh statistics, so the database picks the lead list's indexes right away; on
        # PostgreSQL also the visibility map, so a COUNT reads an index only (autovacuum gets
        # there too, a while after a bulk load). VACUUM cannot run inside a transaction.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"Created {created} demo leads in {seconds:.1f} s "
            f"({len(demo.advice_cache)} distinct advices computed)."
        ))
