"""The questionnaire and every rule of the advice, in one declarative table.

This is the one place to edit: a step, a question, a choice label, a weight, the rule
that sends a law firm to Microsoft 365, a plan, a security measure or the norm
behind it, a note, a talking point for the consultant's brief. The engine in
``engine.py`` only reads these tables; the wizard, the result page, the PDF, the
brief, the back office, the demo data and the test fixtures derive from them.

Weights are points for each option: a choice gives ``imap`` points to an IMAP
mailbox at a hosting provider and ``m365`` points to Microsoft 365. A choice that
gives points to one side also carries the one-sentence ``reason`` shown to the
visitor, grounded in the consultant's document.

Conditional steps and questions: a ``condition`` reads the answers to questions
of EARLIER steps. A step or question whose condition does not hold is not asked,
and the engine then uses the question's ``default``, so the default of every
conditional question must be its "not applicable" answer: a choice without points
(tests/advice/test_table.py checks both).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Bump when a weight, condition, rule, plan, measure or norm changes meaning: stored
# submissions record the version that produced their advice. RULES_DIGEST is the digest
# of the rules this version stands for (advisor/advice/digest.py); a test fails when the
# rules change without a new version. After a bump, record it with `make engine-digest`.
ENGINE_VERSION = "2026.11.1"
RULES_DIGEST = "2026.11.1:d7761a0be8cf8be82e053eab00e96fb6da34ac826f0ac3b966583e11526fdf99"

IMAP = "imap"
M365 = "m365"
NEUTRAL = "neutral"

OPTION_NAMES: dict[str, Promise] = {
    IMAP: _("IMAP mailbox"),
    M365: _("Microsoft 365"),
}

# A verdict within this many points is a close call: worth a conversation.
CLOSE_CALL_MARGIN = 3


# A condition holds when ANY of its alternatives holds; an alternative holds
# when EVERY key in it has one of the listed answers.
Condition = tuple[dict[str, frozenset[str]], ...]


def when(*alternatives: dict[str, set[str] | str]) -> Condition:
    """Build a Condition; a plain string is shorthand for a one-value set."""
    return tuple(
        {key: frozenset({v} if isinstance(v, str) else v) for key, v in alt.items()}
        for alt in alternatives
    )


def holds(condition: Condition, facts: Mapping[str, str]) -> bool:
    """True when any alternative of the condition matches the facts (answers and more)."""
    return any(
        all(facts.get(key) in values for key, values in alternative.items())
        for alternative in condition
    )


ALWAYS: Condition = ({},)
REGULATED_SECTORS = {"legal", "healthcare", "financial"}
SOME_SENSITIVE_DATA = {"some", "lots"}
MORE_THAN_ONE = {"2_5", "6_15", "16_50", "51_plus"}
GROWING = {"moderate", "strong"}


@dataclass(frozen=True)
class Choice:
    value: str
    label: Promise
    imap: int = 0
    m365: int = 0
    reason: Promise | None = None
    # For narrow columns (lead list, dashboard) when the label is long.
    short_label: Promise | None = None
    # Team size only: the mailboxes this answer stands for, (fewest, most); None is open-ended.
    users: tuple[int, int | None] | None = None
    # How often demo leads (seed_demo) give this answer, relative to the other choices.
    demo_weight: int = 1

    @property
    def short(self) -> Promise:
        return self.short_label or self.label


# The consultant brief lists the answers to questions that name one of these sections.
BRIEF_TEAM = "team"
BRIEF_SITUATION = "situation"
BRIEF_REQUIREMENTS = "requirements"
BRIEF_SECTIONS = (BRIEF_TEAM, BRIEF_SITUATION, BRIEF_REQUIREMENTS)


@dataclass(frozen=True)
class Question:
    key: str
    label: Promise
    why: Promise  # "why we ask this", shown under the question
    choices: tuple[Choice, ...]
    default: str  # when not answered, or not asked; see the module docstring
    condition: Condition = ALWAYS  # asked only when it holds on earlier steps' answers
    brief: str | None = None  # the section of the consultant brief that lists the answer

    def choice(self, value: str) -> Choice:
        for choice in self.choices:
            if choice.value == value:
                return choice
        raise KeyError(value)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)


# What a step of the wizard asks: questions from this table, or the contact details.
ASK = "ask"
CONTACT = "contact"


@dataclass(frozen=True)
class Step:
    name: str  # also the step's URL: /vragen/<name>/
    title: Promise
    intro: Promise
    questions: tuple[Question, ...] = ()
    condition: Condition = ALWAYS  # the step is skipped when it does not hold
    kind: str = ASK


# --------------------------------------------------------------------------
# The steps and questions
# --------------------------------------------------------------------------

STEPS: tuple[Step, ...] = (
    Step(
        name="business",
        title=_("Your business"),
        intro=_("A few questions about your company: who works there and what you work with."),
        questions=(
            Question(
                key="team_size",
                label=_("How many people in your business use e-mail?"),
                why=_(
                    "Whether you work alone or with others matters most: sharing mailboxes, "
                    "calendars and contacts is where the options differ."
                ),
                default="2_5",
                brief=BRIEF_TEAM,
                choices=(
                    Choice("solo", _("Just me"), imap=3, users=(1, 1), demo_weight=35, reason=_(
                        "You work alone: a standard IMAP mailbox gives you the same inbox on "
                        "every device, which is often all you need."
                    )),
                    Choice("2_5", _("2 to 5 people"), m365=1, users=(2, 5), demo_weight=30,
                           reason=_(
                        "With a few colleagues, shared mailboxes and calendars start to pay off, "
                        "and Microsoft 365 has them as standard."
                    )),
                    Choice("6_15", _("6 to 15 people"), m365=3, users=(6, 15), demo_weight=20,
                           reason=_(
                        "With a team of this size, central management of accounts and security "
                        "saves time and mistakes; Microsoft 365 has it built in."
                    )),
                    Choice("16_50", _("16 to 50 people"), m365=4, users=(16, 50), demo_weight=10,
                           reason=_(
                        "For a team of this size, managing every mailbox separately at a hosting "
                        "party becomes a burden; Microsoft 365 manages them centrally."
                    )),
                    Choice("51_plus", _("More than 50 people"), m365=5, users=(51, None),
                           demo_weight=5, reason=_(
                        "An organisation of this size needs central management, policies and "
                        "collaboration, which Microsoft 365 offers and IMAP does not."
                    )),
                ),
            ),
            Question(
                key="sector",
                label=_("Which sector does your business work in?"),
                why=_(
                    "Some sectors set stricter rules for data protection and security. "
                    "Then extra measures may be needed."
                ),
                default="general",
                brief=BRIEF_REQUIREMENTS,
                choices=(
                    Choice("legal", _("Legal (lawyers, notaries, legal advice)"), m365=3,
                           short_label=_("Legal"), demo_weight=10, reason=_(
                        "The legal profession sets strict requirements for confidentiality; "
                        "Microsoft 365 offers more options for management and policy than a "
                        "standard IMAP mailbox."
                    )),
                    Choice("healthcare", _("Healthcare"), m365=3, demo_weight=15, reason=_(
                        "Healthcare works with medical data, which calls for extra security "
                        "measures; Microsoft 365 offers more options for this."
                    )),
                    Choice("financial", _("Financial services"), m365=3, demo_weight=12, reason=_(
                        "Financial services work with confidential client data under supervision; "
                        "Microsoft 365 offers more options for management and policy."
                    )),
                    Choice(
                        "other_sensitive",
                        _("Another sector with sensitive personal data (for example HR, "
                          "childcare or coaching)"),
                        m365=2,
                        short_label=_("Other, sensitive data"),
                        demo_weight=18,
                        reason=_(
                            "Your sector handles sensitive personal data, so security weighs "
                            "more heavily; Microsoft 365 offers more options for this."
                        ),
                    ),
                    Choice("general", _("Another sector"), demo_weight=45),
                ),
            ),
            Question(
                key="sensitive_data",
                label=_("Do you e-mail confidential or sensitive information?"),
                why=_(
                    "Think of medical details, criminal records, citizen service numbers (BSN) or "
                    "confidential client files. Such data needs extra protection."
                ),
                default="no",
                brief=BRIEF_REQUIREMENTS,
                choices=(
                    Choice("no", _("No, hardly ever"), imap=1, demo_weight=45, reason=_(
                        "You rarely e-mail sensitive information, so basic filtering and "
                        "security are less of a concern."
                    )),
                    Choice("some", _("Now and then"), m365=2, demo_weight=35, reason=_(
                        "You sometimes e-mail sensitive information; the advanced phishing and "
                        "spoofing detection of Microsoft 365 lowers the risk."
                    )),
                    Choice("lots", _("Yes, regularly"), m365=4, demo_weight=20, reason=_(
                        "You regularly e-mail sensitive information; then additional measures "
                        "such as two-factor authentication and logging may be necessary, and "
                        "Microsoft 365 offers more of them."
                    )),
                ),
            ),
            Question(
                key="growth",
                label=_("Do you expect your business to grow in the next two years?"),
                why=_(
                    "A choice that also fits later saves a move. Switching from IMAP to "
                    "Microsoft 365 later is always possible, though."
                ),
                default="none",
                brief=BRIEF_TEAM,
                choices=(
                    Choice("none", _("No, it will stay about the same"), imap=1, reason=_(
                        "Your situation will stay about the same, so a simple solution keeps "
                        "fitting for a long time."
                    )),
                    Choice("moderate", _("A little"), m365=1, reason=_(
                        "You expect some growth; Microsoft 365 grows along with new colleagues "
                        "without a move."
                    )),
                    Choice("strong", _("Yes, considerably"), m365=3, reason=_(
                        "You expect strong growth; a solution that is ready for the future "
                        "spares you a move in the middle of that growth."
                    )),
                ),
            ),
        ),
    ),
    Step(
        name="email",
        title=_("How you use e-mail"),
        intro=_("How intensively you use e-mail, and on how many devices."),
        questions=(
            Question(
                key="email_intensity",
                label=_("How much do you work with e-mail?"),
                why=_(
                    "The more your work runs through e-mail, the more integration, "
                    "filtering and stability matter."
                ),
                default="moderate",
                choices=(
                    Choice("light", _("A little: a few e-mails a day"), imap=3, reason=_(
                        "You use e-mail lightly; for simple situations an IMAP mailbox can be "
                        "enough."
                    )),
                    Choice("moderate", _("Regularly: e-mail is part of my day")),
                    Choice("heavy", _("Intensively: my work runs through e-mail"), m365=3, reason=_(
                        "You work intensively with e-mail; then Microsoft 365 usually offers "
                        "more options and peace of mind."
                    )),
                ),
            ),
            Question(
                key="devices",
                label=_("On how many devices does each person use the same mailbox?"),
                why=_(
                    "Both options keep your e-mail the same on laptop, phone and tablet. Only "
                    "Exchange also keeps calendar and contacts in sync."
                ),
                default="two",
                brief=BRIEF_SITUATION,
                choices=(
                    Choice("one", _("One device"), imap=1, reason=_(
                        "With one device, you need little synchronisation beyond your e-mail."
                    )),
                    Choice("two", _("Two devices (for example a laptop and a phone)")),
                    Choice("three_plus", _("Three or more"), m365=1, reason=_(
                        "On three or more devices, it helps that Exchange synchronises not just "
                        "your e-mail but also your calendar and contacts automatically."
                    )),
                ),
            ),
            Question(
                key="shared_mailboxes",
                label=_("Do you use shared mailboxes, such as info@ or invoices@?"),
                why=_(
                    "A shared mailbox lets several people handle the same address. Exchange "
                    "supports this as standard; IMAP does not."
                ),
                default="none",
                brief=BRIEF_SITUATION,
                choices=(
                    Choice("none", _("No")),
                    Choice("few", _("One or two"), m365=2, reason=_(
                        "You use shared mailboxes; Exchange supports them as standard, IMAP "
                        "does not."
                    )),
                    Choice("many", _("Several"), m365=4, reason=_(
                        "You use several shared mailboxes; Exchange supports them as standard "
                        "and lets you manage who can see what."
                    )),
                ),
            ),
        ),
    ),
    Step(
        name="planning",
        title=_("Planning and working together"),
        intro=_("Calendar, contacts and working together on documents."),
        questions=(
            Question(
                key="calendar",
                label=_("How important is a calendar in your daily work?"),
                why=_(
                    "With IMAP your calendar is not part of your mailbox. Exchange keeps your "
                    "calendar in sync on every device and lets you share it."
                ),
                default="personal",
                choices=(
                    Choice("not_needed", _("I hardly use a calendar"), imap=2, reason=_(
                        "You hardly use a calendar, so the integrated calendar of Exchange adds "
                        "little for you."
                    )),
                    Choice("personal", _("I keep my own calendar"), m365=1, reason=_(
                        "You keep a calendar; Exchange synchronises it automatically on all "
                        "your devices."
                    )),
                    Choice("shared", _("We plan together in shared calendars"), m365=4, reason=_(
                        "You plan together in shared calendars; that is exactly what Exchange "
                        "integrates and IMAP does not offer."
                    )),
                ),
            ),
            Question(
                key="contacts_tasks",
                label=_("Do you want your contacts and tasks in sync on every device?"),
                why=_(
                    "IMAP synchronises e-mail and folders only. Exchange also synchronises "
                    "contacts and tasks."
                ),
                default="no",
                choices=(
                    Choice("no", _("No, that is not necessary"), imap=1, reason=_(
                        "You do not need contacts and tasks in sync, which IMAP does not offer "
                        "anyway."
                    )),
                    Choice("yes", _("Yes"), m365=2, reason=_(
                        "You want contacts and tasks in sync on every device; Exchange does this "
                        "as standard, IMAP does not."
                    )),
                ),
            ),
            Question(
                key="collaboration",
                label=_("Do you work together online on documents, in chat or in video meetings?"),
                why=_(
                    "Microsoft 365 is more than e-mail: it connects e-mail with shared "
                    "documents, chat and online meetings."
                ),
                default="none",
                choices=(
                    Choice("none", _("No"), imap=1, reason=_(
                        "You do not work together online, so the extensive collaboration "
                        "features of Microsoft 365 add little."
                    )),
                    Choice("some", _("Sometimes"), m365=2, reason=_(
                        "You sometimes work together online; Microsoft 365 connects e-mail with "
                        "shared documents and online meetings."
                    )),
                    Choice("intensive", _("Yes, every day"), m365=4, reason=_(
                        "You work together online every day; the extensive collaboration "
                        "features of Microsoft 365 fit that."
                    )),
                ),
            ),
            Question(
                key="office_apps",
                label=_("Do you need Word, Excel and Outlook?"),
                why=_(
                    "Some Microsoft 365 plans include the Office apps; that can replace "
                    "separate licences."
                ),
                default="none",
                choices=(
                    Choice("none", _("No, or I already have them"), imap=1, reason=_(
                        "You do not need new Office apps, so that part of Microsoft 365 adds "
                        "little."
                    )),
                    Choice("web", _("In the browser is enough"), m365=1, reason=_(
                        "You want Word and Excel in the browser; they come with Microsoft 365 "
                        "Business Basic."
                    )),
                    Choice("desktop", _("Yes, installed on the computer"), m365=3, reason=_(
                        "You want the Office apps installed on your computer; Microsoft 365 "
                        "Business Standard includes them."
                    )),
                ),
            ),
        ),
    ),
    Step(
        name="security",
        title=_("Security and stability"),
        intro=_("How important security and reliability are for you and for your clients."),
        questions=(
            Question(
                key="security_importance",
                label=_("How important is the security of your e-mail?"),
                why=_(
                    "IMAP mailboxes often have basic filtering. Microsoft 365 adds detection of "
                    "phishing (fake e-mails that steal passwords) and spoofing (forged senders)."
                ),
                default="important",
                brief=BRIEF_REQUIREMENTS,
                choices=(
                    Choice("basic", _("Basic protection is fine"), imap=1, reason=_(
                        "Basic protection is enough for you; many hosting providers offer basic "
                        "spam filtering."
                    )),
                    Choice("important", _("Important"), m365=2, reason=_(
                        "Security is important to you; Microsoft 365 uses more advanced filters "
                        "that are actively updated."
                    )),
                    Choice("critical", _("Critical: a leak would seriously harm us"), m365=4,
                           reason=_(
                        "Security is critical for you; the security level of Microsoft 365 is "
                        "usually higher and kept up to date."
                    )),
                ),
            ),
            Question(
                key="stability_importance",
                label=_("How bad is it if your e-mail is down for a few hours?"),
                why=_(
                    "The reliability of an IMAP mailbox depends on the hosting provider. "
                    "Microsoft 365 runs on a large, redundant platform."
                ),
                default="normal",
                choices=(
                    Choice("normal", _("Annoying, but we can manage")),
                    Choice("high", _("Serious: we depend on it"), m365=2, reason=_(
                        "You depend on your e-mail; Microsoft 365 runs on a large platform with "
                        "a high guaranteed availability."
                    )),
                ),
            ),
            Question(
                key="sector_requirements",
                label=_("Do clients, insurers or regulators set security requirements for you?"),
                why=_(
                    "For example a client contract, a cyber insurance policy or a sector norm "
                    "that asks for two-factor authentication or logging."
                ),
                default="no",
                brief=BRIEF_REQUIREMENTS,
                choices=(
                    Choice("no", _("No"), demo_weight=55),
                    Choice("unsure", _("I am not sure"), m365=1, demo_weight=30, reason=_(
                        "You are not sure whether requirements apply; it is worth checking, "
                        "and Microsoft 365 leaves room to meet them."
                    )),
                    Choice("yes", _("Yes"), m365=5, demo_weight=15, reason=_(
                        "Security requirements are set for you; Microsoft 365 offers more "
                        "options for management and policy, and makes settings demonstrable."
                    )),
                ),
            ),
        ),
    ),
    Step(
        name="situation",
        title=_("Your current situation"),
        intro=_("What you use now, who helps you with IT, and what you want to spend."),
        questions=(
            Question(
                key="current_setup",
                label=_("What do you use for e-mail now?"),
                why=_("Where you start determines what a move involves."),
                default="none",
                brief=BRIEF_SITUATION,
                choices=(
                    Choice("none", _("Nothing yet, or I am starting a business"), demo_weight=10),
                    Choice("pop", _("POP (e-mail downloaded to one computer)"), demo_weight=10),
                    Choice("imap", _("IMAP at a hosting provider"), imap=1, demo_weight=45,
                           reason=_(
                        "You already use IMAP; staying with it is the smallest step if it "
                        "meets your needs."
                    )),
                    Choice("m365", _("Microsoft 365 / Exchange"), m365=2, demo_weight=15, reason=_(
                        "You already use Microsoft 365; staying avoids a move and keeps what "
                        "you have set up."
                    )),
                    Choice("google", _("Google Workspace (Gmail for business)"), demo_weight=10),
                    Choice("other", _("Something else, or I do not know"), demo_weight=10),
                ),
            ),
            Question(
                key="it_support",
                label=_("Who looks after your IT?"),
                why=_(
                    "Microsoft 365 has a central management environment. Someone has to set it "
                    "up well and keep it that way."
                ),
                default="self",
                brief=BRIEF_SITUATION,
                choices=(
                    Choice("self", _("I do it myself")),
                    Choice("external", _("An IT partner"), m365=1, reason=_(
                        "An IT partner can set up and maintain the central management and "
                        "security of Microsoft 365 for you."
                    )),
                    Choice("none", _("Nobody really"), imap=1, reason=_(
                        "Nobody looks after your IT; a simple mailbox at a hosting provider needs "
                        "the least maintenance."
                    )),
                ),
            ),
            Question(
                key="budget",
                label=_("What matters most to you in the cost?"),
                why=_(
                    "An IMAP mailbox often comes with your web hosting. Microsoft 365 costs a "
                    "monthly amount per user."
                ),
                default="balanced",
                brief=BRIEF_SITUATION,
                choices=(
                    Choice("minimal", _("As cheap as possible"), imap=3, reason=_(
                        "You want to keep costs as low as possible; an IMAP mailbox often comes "
                        "with your hosting, Microsoft 365 costs a monthly fee per user."
                    )),
                    Choice("balanced", _("A fair price for what I get")),
                    Choice("value", _("The best solution; the cost comes second"), m365=2,
                           reason=_(
                        "The best solution matters more to you than the lowest price; Microsoft "
                        "365 offers more integration, security and peace of mind."
                    )),
                ),
            ),
        ),
    ),
    # The last step: who gets the advice. Its form is the contact form, not questions.
    Step(
        name="contact",
        kind=CONTACT,
        title=_("Where shall we send your advice?"),
        intro=_("Fill in your details and see your advice straight away."),
    ),
)

QUESTIONS: dict[str, Question] = {q.key: q for step in STEPS for q in step.questions}


def contact_step() -> Step:
    """The step that asks for the contact details: the last one (a consistency test checks)."""
    return next(step for step in STEPS if step.kind == CONTACT)


def question_steps() -> tuple[Step, ...]:
    return tuple(step for step in STEPS if step.kind == ASK)


# --------------------------------------------------------------------------
# Decisive rules: situations where the document's conclusion is not a matter
# of points. The first that holds sets the verdict, and the advice is clear.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisiveRule:
    key: str
    condition: Condition
    verdict: str
    reason: Promise


DECISIVE_RULES: tuple[DecisiveRule, ...] = (
    DecisiveRule(
        key="regulated_sector_with_sensitive_data",
        condition=when({"sector": REGULATED_SECTORS, "sensitive_data": SOME_SENSITIVE_DATA}),
        verdict=M365,
        reason=_(
            "You work in a sector with strict rules and e-mail sensitive information. Then "
            "additional security measures are necessary, and Microsoft 365 offers more options "
            "for management and policy than a standard IMAP mailbox."
        ),
    ),
    DecisiveRule(
        key="critical_security_with_sensitive_data",
        condition=when({"security_importance": "critical", "sensitive_data": SOME_SENSITIVE_DATA}),
        verdict=M365,
        reason=_(
            "You e-mail confidential information and a leak would seriously harm you. With "
            "higher security requirements, Microsoft 365 usually offers more options and peace "
            "of mind than a standard IMAP mailbox."
        ),
    ),
    DecisiveRule(
        key="imposed_requirements",
        condition=when({"sector_requirements": "yes"}),
        verdict=M365,
        reason=_(
            "Clients, insurers or regulators set security requirements for you. Microsoft 365 "
            "lets you meet them and show that you do; a standard IMAP mailbox usually cannot."
        ),
    ),
)


# --------------------------------------------------------------------------
# Plans: the first rule that holds picks the plan.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    key: str
    name: Promise
    summary: Promise
    # For narrow columns next to the verdict, which already says "Microsoft 365".
    short_name: Promise | None = None

    @property
    def short(self) -> Promise:
        return self.short_name or self.name


PLANS: dict[str, Plan] = {
    plan.key: plan
    for plan in (
        Plan("imap_hosting", _("IMAP mailbox at a hosting provider"), _(
            "An e-mail address at your own domain with a hosting provider. Your e-mail and folders "
            "stay in sync on every device. Choose a party with good spam filtering and "
            "two-factor authentication for webmail."
        )),
        Plan("exchange_online_plan_1", _("Exchange Online (Plan 1)"), _(
            "A business mailbox with integrated calendar, contacts, tasks and shared mailboxes, "
            "without the Office apps. For when e-mail and planning are what you need."
        )),
        Plan("business_basic", _("Microsoft 365 Business Basic"), _(
            "Exchange mailbox plus Teams, OneDrive and Word, Excel and Outlook in the browser. "
            "For working together online."
        ), short_name=_("Business Basic")),
        Plan("business_standard", _("Microsoft 365 Business Standard"), _(
            "Everything in Business Basic plus Word, Excel and Outlook installed on your "
            "computers."
        ), short_name=_("Business Standard")),
        Plan("business_premium", _("Microsoft 365 Business Premium"), _(
            "Everything in Business Standard plus advanced security: Conditional Access (sign-in "
            "rules per user, device and location), Intune (managing and securing devices) and "
            "Defender for Office 365 (protection against phishing and malicious attachments)."
        ), short_name=_("Business Premium")),
    )
}


@dataclass(frozen=True)
class PlanRule:
    plan: str
    verdict: str
    condition: Condition


PLAN_RULES: tuple[PlanRule, ...] = (
    PlanRule("imap_hosting", IMAP, ALWAYS),
    PlanRule("business_premium", M365, when(
        {"sector_requirements": "yes"},
        {"sector": REGULATED_SECTORS, "sensitive_data": SOME_SENSITIVE_DATA},
        {"sensitive_data": "lots"},
        {"security_importance": "critical"},
    )),
    PlanRule("business_standard", M365, when({"office_apps": "desktop"})),
    PlanRule("business_basic", M365, when(
        {"office_apps": "web"},
        {"collaboration": {"some", "intensive"}},
    )),
    PlanRule("exchange_online_plan_1", M365, ALWAYS),
)


# --------------------------------------------------------------------------
# Security measures: the four of the document, when each is required, and
# the norms that ask for them per sector.
# --------------------------------------------------------------------------


NORMS: dict[str, Promise | str] = {
    "avg_32": _("GDPR (AVG) Article 32: appropriate security of personal data"),
    "nen_7510": _("NEN 7510: information security in healthcare"),
    "nta_7516": _("NTA 7516: secure e-mail in healthcare"),
    "nen_7513": _("NEN 7513: logging of access to patient records"),
    "nova": _("Duty of care of the Dutch Bar (NOvA) for confidential client data"),
    "dora": _("DORA: digital operational resilience in the financial sector"),
    "dnb": _("DNB Good Practice Information Security"),
    "imposed": _("The requirements of your clients, insurer or regulator"),
}


@dataclass(frozen=True)
class Measure:
    key: str
    title: Promise
    explanation: Promise  # what it is, in one line, for someone who is not technical
    why: Promise  # why the situation asks for it
    condition: Condition


MEASURES: tuple[Measure, ...] = (
    Measure(
        key="mfa",
        title=_("Two-factor authentication"),
        explanation=_("Signing in takes your password plus a code or confirmation on your phone."),
        why=_(
            "Stolen passwords are the most common way into a mailbox; with a second factor a "
            "password alone is not enough."
        ),
        condition=ALWAYS,
    ),
    Measure(
        key="access_control",
        title=_("Advanced access control"),
        explanation=_(
            "Rules for who may sign in, from which devices and locations, and who sees which "
            "mailbox."
        ),
        why=_(
            "When several people or sensitive data are involved, everyone should see only what "
            "they need, and a lost laptop must not open the mailbox."
        ),
        condition=when(
            {"team_size": MORE_THAN_ONE},
            {"sensitive_data": SOME_SENSITIVE_DATA},
            {"sector": REGULATED_SECTORS | {"other_sensitive"}},
            {"sector_requirements": "yes"},
        ),
    ),
    Measure(
        key="logging_monitoring",
        title=_("Logging and monitoring"),
        explanation=_(
            "Recording who signed in and who opened what, and alerting on unusual activity."
        ),
        why=_(
            "With confidential data you must be able to see who had access and notice a break-in "
            "quickly, for example to report a data breach in time."
        ),
        condition=when(
            {"sensitive_data": "lots"},
            {"sector": REGULATED_SECTORS},
            {"sector_requirements": "yes"},
            {"security_importance": "critical"},
        ),
    ),
    Measure(
        key="demonstrable_settings",
        title=_("Demonstrable security settings"),
        explanation=_(
            "Security settings that are recorded, so you can show a client, auditor or insurer "
            "what you have arranged."
        ),
        why=_(
            "Your sector or your clients may ask you to prove your security; settings you can "
            "show save a lot of work at an audit."
        ),
        condition=when(
            {"sector": REGULATED_SECTORS},
            {"sector_requirements": "yes"},
            {"sector": "other_sensitive", "sensitive_data": "lots"},
        ),
    ),
)


@dataclass(frozen=True)
class NormRule:
    norms: tuple[str, ...]
    condition: Condition
    measures: frozenset[str] = field(
        default=frozenset({"mfa", "access_control", "logging_monitoring", "demonstrable_settings"})
    )


# Every rule that holds adds its norms to the listed measures.
NORM_RULES: tuple[NormRule, ...] = (
    NormRule(("nen_7510", "nta_7516"), when({"sector": "healthcare"})),
    NormRule(("nen_7513",), when({"sector": "healthcare"}), frozenset({"logging_monitoring"})),
    NormRule(("nova",), when({"sector": "legal"})),
    NormRule(("dora", "dnb"), when({"sector": "financial"})),
    NormRule(("imposed",), when({"sector_requirements": "yes"})),
    NormRule(("avg_32",), when(
        {"sensitive_data": SOME_SENSITIVE_DATA},
        {"sector": REGULATED_SECTORS | {"other_sensitive"}},
    )),
)


# --------------------------------------------------------------------------
# Next steps and notes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    key: str
    verdicts: frozenset[str]
    condition: Condition
    text: Promise


BOTH = frozenset({IMAP, M365})

NEXT_STEPS: tuple[NextStep, ...] = (
    NextStep("choose_hosting", frozenset({IMAP}), ALWAYS, _(
        "Choose a hosting provider with good spam filtering, and ask whether webmail supports "
        "two-factor authentication."
    )),
    NextStep("setup_devices", frozenset({IMAP}), ALWAYS, _(
        "Set up the mailbox with IMAP on every device, so you see the same inbox everywhere."
    )),
    NextStep("choose_plan", frozenset({M365}), ALWAYS, _(
        "Take the suggested plan for everyone who needs a mailbox, and connect your own domain "
        "name to Microsoft 365."
    )),
    NextStep("configure_security", frozenset({M365}), ALWAYS, _(
        "Have the security measures in this advice set up before you move, and record how they "
        "are set."
    )),
    NextStep("move_mail", frozenset({M365}), when(
        {"current_setup": {"pop", "imap", "google", "other"}},
    ), _(
        "Plan the move of your existing e-mail, calendar and contacts outside office hours, so "
        "nothing gets lost."
    )),
    NextStep("replace_pop", frozenset({IMAP}), when({"current_setup": "pop"}), _(
        "Move your mail from POP to IMAP, so that the e-mail that is now on one computer is "
        "stored on the server and visible on all your devices."
    )),
    NextStep("check_requirements", BOTH, when({"sector_requirements": "unsure"}), _(
        "Find out which security requirements your clients, insurer or sector set, for example "
        "in contracts or your insurance policy."
    )),
    NextStep("talk", BOTH, ALWAYS, _(
        "Go through this advice in a short call, so we can make a plan that fits your situation "
        "now and your plans for the future."
    )),
)

# --------------------------------------------------------------------------
# Facts about the advice that notes and talking points may read besides the answers.
# --------------------------------------------------------------------------

VERDICT = "verdict"  # IMAP or M365
CLEAR = "clear"  # "yes", or "no" for a close call
HAS_QUESTION = "has_question"  # "yes" when the visitor typed a question (the brief only)
FACTS: dict[str, frozenset[str]] = {
    VERDICT: frozenset({IMAP, M365}),
    CLEAR: frozenset({"yes", "no"}),
    HAS_QUESTION: frozenset({"yes", "no"}),
}


@dataclass(frozen=True)
class Note:
    key: str
    condition: Condition  # on the answers, VERDICT and CLEAR
    text: Promise
    # Shown with the next steps instead of with the verdict.
    with_next_steps: bool = False


NOTES: tuple[Note, ...] = (
    Note("close_call", when({CLEAR: "no"}), _(
        "Your situation is close to the tipping point between the two options: both can work. "
        "A short conversation about your way of working and plans helps to choose."
    )),
    # Start simple, move later: the document says switching is always possible.
    Note("migration", when(
        {VERDICT: IMAP, CLEAR: "no"},
        {VERDICT: IMAP, "growth": GROWING},
        {VERDICT: IMAP, "team_size": MORE_THAN_ONE},
        {VERDICT: IMAP, "sector_requirements": "unsure"},
    ), _(
        "Starting with IMAP now is fine. The choice is not final: you can always move to "
        "Microsoft 365 later, when your situation changes or your needs grow. Your e-mail moves "
        "along."
    ), with_next_steps=True),
    Note("pop", when({"current_setup": "pop"}), _(
        "You now use POP. With POP your e-mail is downloaded to one device and often removed "
        "from the server, so your laptop and phone each show something different and a broken "
        "computer can mean lost e-mail. That does not fit working on several devices, which is "
        "why both options in this advice use a mailbox that stays on the server."
    )),
)


# --------------------------------------------------------------------------
# Talking points for the consultant's brief: every point whose condition holds,
# in this order. Conditions read the answers, VERDICT, CLEAR and HAS_QUESTION.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TalkingPoint:
    key: str
    condition: Condition
    text: Promise


TALKING_POINTS: tuple[TalkingPoint, ...] = (
    TalkingPoint("question", when({HAS_QUESTION: "yes"}), _(
        "Start with their own question (above): it tells you what is on their mind."
    )),
    TalkingPoint("close_call", when({CLEAR: "no"}), _(
        "The advice is a close call. Ask what matters more to them, the lowest monthly cost or "
        "integration and security, and decide together."
    )),
    TalkingPoint("imposed", when({"sector_requirements": "yes"}), _(
        "Requirements are set for them. Ask for the exact wording (client contract, insurer, "
        "regulator), so the set-up can be shown to meet it."
    )),
    TalkingPoint("unsure_requirements", when({"sector_requirements": "unsure"}), _(
        "They do not know which security requirements apply. Ask about client contracts, their "
        "cyber insurance policy and the norms of their sector."
    )),
    TalkingPoint("regulated", when({"sector": REGULATED_SECTORS}), _(
        "Regulated sector: go through the norms in this brief and offer to record the security "
        "settings, so they can show them at an audit."
    )),
    TalkingPoint("pop", when({"current_setup": "pop"}), _(
        "They still use POP: their e-mail may live on one computer only. Plan the move to a "
        "server mailbox first, so nothing gets lost."
    )),
    TalkingPoint("google", when({"current_setup": "google"}), _(
        "They use Google Workspace now. Ask what they would miss, and plan moving mail, "
        "calendars and files."
    )),
    TalkingPoint("imap_to_m365", when({"current_setup": "imap", VERDICT: M365}), _(
        "They are on IMAP at a hosting provider: plan moving the mailboxes outside office hours "
        "and changing the domain's mail settings (DNS)."
    )),
    TalkingPoint("already_m365", when({"current_setup": "m365"}), _(
        "They already use Microsoft 365: check their current plan and security settings; a "
        "review or an upgrade may be enough."
    )),
    TalkingPoint("no_it_support", when({"it_support": "none"}), _(
        "Nobody looks after their IT: offer to set up and maintain it, for example with a "
        "support contract."
    )),
    TalkingPoint("it_partner", when({"it_support": "external"}), _(
        "They have an IT partner: find out who, and agree who sets up and manages what."
    )),
    TalkingPoint("cost_sensitive", when({"budget": "minimal", VERDICT: M365}), _(
        "Cost matters most to them: show the estimate below and explain what the extra cost "
        "buys them."
    )),
    TalkingPoint("growth", when({"growth": "strong"}), _(
        "They expect strong growth: explain how licences grow with the team, and choose a "
        "set-up that scales."
    )),
    TalkingPoint("shared_mailboxes", when({"shared_mailboxes": "many"}), _(
        "Several shared mailboxes: make a list of the addresses and who needs access to each."
    )),
    TalkingPoint("office_licences", when({"office_apps": "desktop"}), _(
        "They want Office installed: check the Office licences they already have, so they do "
        "not pay twice."
    )),
    TalkingPoint("large_team", when({"team_size": "51_plus"}), _(
        "More than 50 users: discuss managing their devices and moving in phases."
    )),
    TalkingPoint("next_step", ALWAYS, _(
        "Agree on the next step: a proposal, a demonstration or a start date."
    )),
)

# The feature comparison of the document: IMAP only has the first two as
# standard; spam filtering depends on the hosting provider or the subscription.
YES = "yes"
NO = "no"
DEPENDS = "depends"


@dataclass(frozen=True)
class Feature:
    key: str
    label: Promise
    imap: str
    m365: str
    imap_note: Promise | None = None
    m365_note: Promise | None = None


FEATURES: tuple[Feature, ...] = (
    Feature("send_receive", _("Sending and receiving e-mail"), YES, YES),
    Feature("folder_sync", _("Folders in sync on every device"), YES, YES),
    Feature("calendar", _("Integrated calendar"), NO, YES),
    Feature("contacts", _("Integrated contacts"), NO, YES),
    Feature("tasks", _("Tasks in sync"), NO, YES),
    Feature("shared_mailboxes", _("Shared mailboxes as standard"), NO, YES),
    Feature("central_management", _("Central management and security"), NO, YES),
    Feature("collaboration", _("Extensive collaboration (documents, chat, meetings)"), NO, YES),
    Feature(
        "filtering",
        _("Advanced spam and security filters"),
        DEPENDS,
        DEPENDS,
        imap_note=pgettext_lazy("feature comparison", "depends on the hosting provider"),
        m365_note=pgettext_lazy("feature comparison", "depends on the subscription"),
    ),
)
