"""Fill the database with realistic fake leads: `python manage.py seed_demo --count 1000`.

Dutch company and person names (Faker nl_NL), varied answers, advice from the real engine,
spread over the last year, with follow-up in every stage and a source each, and the funnel's
daily counts of their visits (and of the visits that left early). For demos and benchmarks:
100,000 leads take well under a minute on SQLite. Demo addresses end in ".example" (a domain
that can never receive mail); `--clear` removes them again.
"""

import random
import time
from collections import Counter
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
from advisor.funnel.sources import Source
from advisor.models import LEAD_FIGURES, FollowUpStatus, FunnelCount, FunnelEvent, Submission
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


# Where demo visits come from: (source, share of the visits, share of them that become a lead).
DEMO_SOURCES = (
    (Source(), 0.30, 0.40),
    (Source(referrer="www.google.com"), 0.24, 0.34),
    (Source(referrer="www.devries-it.nl"), 0.14, 0.52),  # the questionnaire embedded there
    (Source("linkedin", "social", "voorjaar-2026"), 0.12, 0.28),
    (Source("nieuwsbrief", "email", "december"), 0.08, 0.58),
    (Source("google", "cpc", "zakelijke-mail"), 0.07, 0.22),
    (Source(referrer="www.kvk.nl"), 0.05, 0.31),
)
# Where a visit that does not send the questionnaire leaves it (the step's name).
DEMO_LEAVES_AT = {"business": 30, "email": 14, "planning": 12, "security": 9, "situation": 7,
                  "current": 4, "contact": 24}
# What a demo lead does with the advice; the contact buttons, of those who use one.
DEMO_AFTER = {FunnelEvent.RESULT_VIEWED: 0.98, FunnelEvent.PDF_DOWNLOADED: 0.52,
              FunnelEvent.SHARED: 0.13, FunnelEvent.CTA_CLICKED: 0.27}
DEMO_BUTTONS = {"book": 55, "call": 28, "mail": 17}
# Of the visits that leave early, the share that said what e-mail they have now (and so are
# asked the conditional step about it).
DEMO_CURRENT_SHARE = 0.7


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
                                      next_follow_up=next_follow_up, notes=notes,
                                      **self.source().submission_fields())

    def _follow_up(self, created: datetime) -> tuple[str, Any, str]:
        rng = self.rng
        age = self.now - created
        status = _pick(rng, RECENT_STATUSES if age < timedelta(days=30) else LATER_STATUSES)
        next_follow_up = None
        if status in OPEN and rng.random() < 0.6:
            next_follow_up = (created + timedelta(days=rng.randint(2, 45))).date()
        notes = rng.choice(NOTES) if status != FollowUpStatus.NEW and rng.random() < 0.5 else ""
        return status, next_follow_up, notes

    def source(self) -> Source:
        """A lead's source: as common as its visits times their conversion."""
        weights = [share * conversion for _source, share, conversion in DEMO_SOURCES]
        return self.rng.choices([source for source, *_rest in DEMO_SOURCES], weights)[0]

    def batches(self, count: int, size: int) -> Iterator[list[Submission]]:
        while count > 0:
            batch = [self.lead() for _ in range(min(size, count))]
            count -= len(batch)
            yield batch


class DemoFunnel:
    """The funnel's daily counts of the demo leads' visits, and of the visits around them that
    left the questionnaire early (as many as each source's conversion implies)."""

    def __init__(self, *, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counts: Counter[tuple[str, ...]] = Counter()
        self.conversion = {source: conversion for source, _share, conversion in DEMO_SOURCES}

    def _add(self, day: str, language: str, event: str, detail: str = "",
             source: Source | None = None) -> None:
        sourced = source is not None and event in {FunnelEvent.STARTED, FunnelEvent.SUBMITTED}
        self.counts[(day, language, event, detail,
                     *(source.as_list() if sourced else ("", "", "", "")))] += 1

    def _visit(self, day: str, language: str, source: Source, steps: list[str],
               completed: int) -> None:
        """A visit that reached steps[:completed + 1] and completed steps[:completed]."""
        self._add(day, language, FunnelEvent.STARTED, source=source)
        for index, step in enumerate(steps[:completed + 1]):
            self._add(day, language, FunnelEvent.STEP_REACHED, step)
            if index < completed:
                self._add(day, language, FunnelEvent.STEP_COMPLETED, step)

    def lead(self, lead: Submission) -> None:
        rng = self.rng
        day, language = timezone.localdate(lead.created_at).isoformat(), lead.language
        source = Source.of_submission(lead)
        steps = [step.name for step in q.STEPS if q.holds(step.condition, lead.answers)]
        self._visit(day, language, source, steps, completed=len(steps))
        self._add(day, language, FunnelEvent.SUBMITTED, source=source)
        for event, share in DEMO_AFTER.items():
            if rng.random() < share:
                detail = _pick(rng, DEMO_BUTTONS) if event == FunnelEvent.CTA_CLICKED else ""
                self._add(day, language, event, detail)
        # The visits from the same source that did not become a lead.
        conversion = self.conversion.get(source, 0.4)
        left = (1 - conversion) / conversion
        for _ in range(int(left) + (rng.random() < left % 1)):
            asked = [step.name for step in q.STEPS
                     if step.name != "current" or rng.random() < DEMO_CURRENT_SHARE]
            leaves_at = _pick(rng, {name: weight for name, weight in DEMO_LEAVES_AT.items()
                                    if name in asked})
            self._visit(day, language, source, asked, completed=asked.index(leaves_at))

    def store(self) -> int:
        """Write the counts, replacing earlier demo counts of the same day and kind."""
        rows = [FunnelCount(**dict(zip(FunnelCount.KEY, key, strict=True)), count=count)
                for key, count in self.counts.items()]
        FunnelCount.objects.bulk_create(rows, batch_size=2000, update_conflicts=True,
                                        unique_fields=FunnelCount.KEY, update_fields=["count"])
        return len(rows)


class Command(BaseCommand):
    help = (
        "Create COUNT realistic fake leads (Dutch names, varied answers, real advice, spread "
        "over the last year), each with a source, and the funnel's counts of their visits. Demo "
        "e-mail addresses end in .example; --clear removes them (and the funnel's counts)."
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
            # The counts cannot tell demo visits from others: on a development database,
            # start the funnel afresh too.
            counts, _ = FunnelCount.objects.all().delete()
            self.stdout.write(f"Deleted {deleted} earlier demo leads and {counts} funnel counts.")
        demo = DemoLeads(seed=options["seed"], profiles=min(options["profiles"],
                                                            max(options["count"], 1)))
        funnel = DemoFunnel(seed=options["seed"])
        created = 0
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # 256 MB of page cache: the lead list's indexes are updated in memory, not on disk.
                cursor.execute("PRAGMA cache_size = -262144")
        with transaction.atomic():
            for batch in demo.batches(options["count"], options["batch_size"]):
                Submission.objects.bulk_create(batch, batch_size=options["batch_size"])
                for lead in batch:
                    funnel.lead(lead)
                created += len(batch)
                # With DEBUG on Django keeps every query's SQL: megabytes per batch here.
                reset_queries()
            funnel_rows = funnel.store()
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
            f"({len(demo.advice_cache)} distinct advices computed) and {funnel_rows} daily "
            "funnel counts of their visits."
        ))
