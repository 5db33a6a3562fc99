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
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Bump when a weight, condition, rule, plan, measure or norm changes meaning: stored
# submissions record the version that produced their advice. RULES_DIGEST is the digest
# of the rules this version stands for (advisor/advice/digest.py); a test fails when the
# rules change without a new version. After a bump, record it with `make engine-digest`.
ENGINE_VERSION = "2026.11.2"
RULES_DIGEST = "2026.11.2:c98509cdc449f1323c82be27ff19e517003da9103678c97895c038806bd61b3f"

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


def both(condition: Condition, **extra: set[str] | str) -> Condition:
    """The condition with every alternative also requiring ``extra`` (keys must not overlap)."""
    added = when(extra)[0]
    assert all(not set(alt) & set(added) for alt in condition), "overlapping keys"
    return tuple({**alt, **added} for alt in condition)


# Sectors with a statutory secrecy or a supervisor: the rules in NORMS say which applies.
REGULATED_SECTORS = {"advocatuur", "notariaat", "healthcare_patient", "accountancy",
                     "financial_advice", "financial_institution"}
# The sector answers of engine 2026.11.1 and before: no longer offered, because each lumped
# together groups that different rules govern; kept so stored answers still read and score.
LEGACY_SECTORS = {"legal", "healthcare", "financial"}
SENSITIVE_SECTORS = REGULATED_SECTORS | LEGACY_SECTORS | {
    "legal_other", "care_other", "bookkeeping_payroll", "other_sensitive"}
SOME_SENSITIVE_DATA = {"some", "lots"}
MORE_THAN_ONE = {"2_5", "6_15", "16_50", "51_plus"}
LARGE_TEAM = {"16_50", "51_plus"}
GROWING = {"moderate", "strong"}
NOT_APPLICABLE = "na"


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
    # False for answers the wizard does not offer: "not applicable" defaults of conditional
    # questions, and legacy answers kept so stored submissions still read.
    offered: bool = True

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
                    Choice("advocatuur", _("Law firm (advocaten)"), m365=3, demo_weight=5,
                           reason=_(
                        "Advocaten must keep client communication confidential and choose secure "
                        "means of communication; Microsoft 365 offers more options for this than "
                        "a standard IMAP mailbox."
                    )),
                    Choice("notariaat", _("Notary office"), m365=3, demo_weight=3, reason=_(
                        "Notaries have a statutory duty of secrecy and a code of conduct on "
                        "information security; Microsoft 365 offers more options for this."
                    )),
                    Choice("legal_other", _("Other legal advice (not an advocaat or notary)"),
                           m365=2, short_label=_("Other legal advice"), demo_weight=3,
                           reason=_(
                        "You handle confidential client matters, so security weighs more "
                        "heavily; Microsoft 365 offers more options for this."
                    )),
                    Choice("healthcare_patient",
                           _("Healthcare with patient or client records (for example GP, "
                             "physiotherapist, dentist, psychologist, youth care)"),
                           m365=3, short_label=_("Healthcare with records"), demo_weight=10,
                           reason=_(
                        "Care providers work with medical data and the NEN 7510 standard; "
                        "Microsoft 365 offers more options for the measures it asks."
                    )),
                    Choice("care_other",
                           _("Other care or wellness without medical records (for example "
                             "sports massage or coaching)"),
                           m365=1, short_label=_("Other care or wellness"), demo_weight=5,
                           reason=_(
                        "You may hear personal matters from clients, so security weighs a little "
                        "more heavily."
                    )),
                    Choice("accountancy", _("Accountancy firm (AA or RA accountants)"), m365=3,
                           short_label=_("Accountancy"), demo_weight=4, reason=_(
                        "Accountants are bound to confidentiality by their professional rules; "
                        "Microsoft 365 offers more options for this."
                    )),
                    Choice("bookkeeping_payroll", _("Bookkeeping or payroll bureau"), m365=2,
                           short_label=_("Bookkeeping or payroll"), demo_weight=5, reason=_(
                        "You handle your clients' financial and payroll data, so security weighs "
                        "more heavily; Microsoft 365 offers more options for this."
                    )),
                    Choice("financial_advice",
                           _("Financial advice or insurance intermediary with an AFM licence"),
                           m365=3, short_label=_("Financial advice (Wft)"), demo_weight=5,
                           reason=_(
                        "The Wft asks for controlled and ethical operations, including "
                        "information security; Microsoft 365 offers more options for this."
                    )),
                    Choice("financial_institution",
                           _("Financial institution that DORA covers (bank, payment or e-money "
                             "institution, investment firm, insurer, pension fund, large "
                             "intermediary)"),
                           m365=3, short_label=_("Financial institution (DORA)"), demo_weight=1,
                           reason=_(
                        "DORA asks for documented ICT risk management; Microsoft 365 offers "
                        "more options for management and policy."
                    )),
                    Choice(
                        "other_sensitive",
                        _("Another sector with sensitive personal data (for example HR, "
                          "recruitment or childcare)"),
                        m365=2,
                        short_label=_("Other, sensitive data"),
                        demo_weight=18,
                        reason=_(
                            "Your sector handles sensitive personal data, so security weighs "
                            "more heavily; Microsoft 365 offers more options for this."
                        ),
                    ),
                    Choice("legal", _("Legal (lawyers, notaries, legal advice)"), m365=3,
                           short_label=_("Legal"), demo_weight=0, offered=False, reason=_(
                        "The legal profession sets strict requirements for confidentiality; "
                        "Microsoft 365 offers more options for management and policy than a "
                        "standard IMAP mailbox."
                    )),
                    Choice("healthcare", _("Healthcare"), m365=3, demo_weight=0, offered=False,
                           reason=_(
                        "Healthcare works with medical data, which calls for extra security "
                        "measures; Microsoft 365 offers more options for this."
                    )),
                    Choice("financial", _("Financial services"), m365=3, demo_weight=0,
                           offered=False, reason=_(
                        "Financial services work with confidential client data under supervision; "
                        "Microsoft 365 offers more options for management and policy."
                    )),
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
            Question(
                key="secure_mail",
                label=_("Do you e-mail confidential data, such as medical or financial details "
                        "or citizen service numbers (BSN), to clients or patients?"),
                why=_(
                    "Such mail should be encrypted, and only the right recipient should be able "
                    "to open it. That takes a secure-mail option."
                ),
                default=NOT_APPLICABLE,
                condition=when({"sector": SENSITIVE_SECTORS,
                                "sensitive_data": SOME_SENSITIVE_DATA}),
                brief=BRIEF_REQUIREMENTS,
                choices=(
                    Choice(NOT_APPLICABLE, _("Not applicable"), offered=False, demo_weight=0),
                    Choice("no", _("No")),
                    Choice("sometimes", _("Sometimes"), m365=1, reason=_(
                        "You sometimes e-mail confidential data; Microsoft 365 Business Premium "
                        "can encrypt such mail and ask the recipient to sign in."
                    )),
                    Choice("regularly", _("Regularly"), m365=2, reason=_(
                        "You regularly e-mail confidential data; encryption with recipient "
                        "sign-in is then part of your daily work, which Microsoft 365 supports."
                    )),
                ),
            ),
            Question(
                key="field_workers",
                label=_("Do people work in the field with only a phone?"),
                why=_(
                    "Think of mechanics or carers on the road. They need their agenda and "
                    "e-mail on the phone, and sometimes a cheaper licence fits them."
                ),
                default=NOT_APPLICABLE,
                condition=when({"team_size": MORE_THAN_ONE}),
                brief=BRIEF_TEAM,
                choices=(
                    Choice(NOT_APPLICABLE, _("Not applicable"), offered=False, demo_weight=0),
                    Choice("none", _("No")),
                    Choice("some", _("Some of them"), m365=1, reason=_(
                        "Some people work on the road; Exchange puts their agenda and contacts "
                        "on the phone as well."
                    )),
                    Choice("most", _("Most of them"), m365=2, reason=_(
                        "Most people work on the road; a shared job agenda on every phone is "
                        "what Exchange does as standard."
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
            Question(
                key="retention_need",
                label=_("Must you keep e-mail for years?"),
                why=_(
                    "Invoices and agreements must be kept for 7 years for the tax authorities; "
                    "medical and youth-care records for 20 years."
                ),
                default=NOT_APPLICABLE,
                condition=when({"sector": REGULATED_SECTORS | {"bookkeeping_payroll"}}),
                brief=BRIEF_REQUIREMENTS,
                choices=(
                    Choice(NOT_APPLICABLE, _("Not applicable"), offered=False, demo_weight=0),
                    Choice("none", _("No")),
                    Choice("fiscal", _("Yes, invoices and agreements: 7 years"), m365=1,
                           short_label=_("Yes, 7 years"), reason=_(
                        "You must keep mail for 7 years; Microsoft 365 has an archive mailbox "
                        "and retention settings, a standard IMAP mailbox does not."
                    )),
                    Choice("medical", _("Yes, it belongs to patient or client records: 20 "
                                        "years"), m365=2, short_label=_("Yes, 20 years"),
                           reason=_(
                        "You keep records for many years; Microsoft 365 can keep mail in an "
                        "archive that users cannot empty, which a standard IMAP mailbox cannot."
                    )),
                    Choice("unsure", _("I don't know")),
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
    # Asked only of those who have e-mail somewhere now: what a move or a right-size starts from.
    Step(
        name="current",
        title=_("What you have now"),
        intro=_("Two details about your current e-mail, so the advice starts from there."),
        condition=when({"current_setup": {"none", "pop", "m365", "google", "other"}}),
        questions=(
            Question(
                key="current_m365_plan",
                label=_("Which Microsoft 365 plan do you have now?"),
                why=_("Then we can say whether your plan fits, or whether another one fits "
                      "better."),
                default=NOT_APPLICABLE,
                condition=when({"current_setup": "m365"}),
                brief=BRIEF_SITUATION,
                choices=(
                    Choice(NOT_APPLICABLE, _("Not applicable"), offered=False, demo_weight=0),
                    Choice("exchange_online_plan_1", _("Exchange Online (Plan 1)")),
                    Choice("business_basic", _("Microsoft 365 Business Basic")),
                    Choice("business_standard", _("Microsoft 365 Business Standard")),
                    Choice("business_premium", _("Microsoft 365 Business Premium")),
                    Choice("unknown", _("I don't know")),
                ),
            ),
            Question(
                key="own_domain",
                label=_("Do you have your own domain name, and who manages it?"),
                why=_(
                    "Your domain name is the part after the @. Whoever manages its settings "
                    "(DNS) is needed for a move and for protection against forged senders."
                ),
                default=NOT_APPLICABLE,
                condition=when({"current_setup": {"none", "pop", "google", "other"}}),
                brief=BRIEF_SITUATION,
                choices=(
                    Choice(NOT_APPLICABLE, _("Not applicable"), offered=False, demo_weight=0),
                    Choice("own_self", _("Yes, and I manage it myself")),
                    Choice("own_provider", _("Yes, my hosting or IT partner manages it")),
                    Choice("own_unknown", _("Yes, but I don't know who manages it")),
                    Choice("none", _("No, not yet")),
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
# Plans, cheapest first: the engine picks the first plan, from the floor the plan rules
# set, that delivers every required measure itself or through a named add-on.
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
            "stay in sync on every device. Choose a party with good spam filtering. Turn on "
            "two-factor sign-in for webmail and give every mail program its own app password; "
            "your old password then no longer opens the mailbox. Better still: a provider that "
            "only allows modern sign-in."
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
M365_PLANS = ("exchange_online_plan_1", "business_basic", "business_standard",
              "business_premium")
# The Business plans are sold up to 300 users (Business Premium FAQ, Microsoft Learn).
BUSINESS_PLAN_USER_CAP = 300


@dataclass(frozen=True)
class PlanRule:
    plan: str
    verdict: str
    condition: Condition


# The floor: the plan the wanted features need. The measures may lift it (see MEASURES).
PLAN_RULES: tuple[PlanRule, ...] = (
    PlanRule("imap_hosting", IMAP, ALWAYS),
    PlanRule("business_standard", M365, when({"office_apps": "desktop"})),
    PlanRule("business_basic", M365, when(
        {"office_apps": "web"},
        {"collaboration": {"some", "intensive"}},
    )),
    PlanRule("exchange_online_plan_1", M365, ALWAYS),
)


# --------------------------------------------------------------------------
# Security measures: when each is required, the capability it needs and which plans
# deliver it. Sources: docs/advice-rules-research.md (F numbers).
# --------------------------------------------------------------------------

# Sensitive data in a regulated sector, lots of it anywhere, imposed requirements or
# critical security: then access must be traceable and the settings showable (AVG art. 32).
NEEDS_CONTROLS = when(
    {"sector": REGULATED_SECTORS, "sensitive_data": SOME_SENSITIVE_DATA},
    {"sensitive_data": "lots"},
    {"sector_requirements": "yes"},
    {"security_importance": "critical"},
)


@dataclass(frozen=True)
class Measure:
    key: str
    title: Promise
    explanation: Promise  # what it is, in one line, for someone who is not technical
    why: Promise  # why the situation asks for it
    condition: Condition
    capability: Promise | None = None  # what it takes, named as the vendor names it
    plans: frozenset[str] = frozenset()  # the Microsoft 365 plans that deliver it themselves
    on_imap: bool = False  # an IMAP mailbox can deliver it (possibly with an add-on)
    source: str = ""  # where the capability facts come from


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
        capability=_(
            "Two-factor sign-in on every way in. Microsoft 365: security defaults, which also "
            "block old sign-in methods. IMAP: app passwords per device, or a provider that "
            "enforces modern sign-in."
        ),
        plans=frozenset(M365_PLANS), on_imap=True,
        source="Entra security defaults (F25); legacy auth bypasses MFA (F41); F42, F43",
    ),
    Measure(
        key="conditional_access",
        title=_("Sign-in rules per device and location (Conditional Access)"),
        explanation=_(
            "Rules for who may sign in, from which devices and locations; a lost laptop or a "
            "sign-in from abroad is stopped."
        ),
        why=_(
            "Several people open confidential mail from several devices; everyone should get in "
            "only from devices and places you trust."
        ),
        condition=both(NEEDS_CONTROLS, team_size=MORE_THAN_ONE),
        capability=_("Conditional Access: Microsoft Entra ID P1, included in Business Premium."),
        plans=frozenset({"business_premium"}),
        source="Conditional Access licence requirements (F25); Business Premium FAQ (F27)",
    ),
    Measure(
        key="audit_logging",
        title=_("Logging and monitoring"),
        explanation=_(
            "Recording who signed in and who opened what, and alerting on unusual activity."
        ),
        why=_(
            "With confidential data you must be able to see who had access and notice a break-in "
            "quickly, for example to report a data breach in time."
        ),
        condition=NEEDS_CONTROLS,
        capability=_("Microsoft Purview Audit (Standard): records kept 180 days, in Business "
                     "Basic, Standard and Premium."),
        plans=frozenset({"business_basic", "business_standard", "business_premium"}),
        source="Purview Audit licensing (F28); Plan 1 not verified, so not promised (F29)",
    ),
    Measure(
        key="recorded_settings",
        title=_("Demonstrable security settings"),
        explanation=_(
            "Security settings kept in one admin centre, so you can show a client, auditor or "
            "insurer what you have arranged."
        ),
        why=_(
            "Your sector or your clients may ask you to show your security; settings kept in one "
            "place save a lot of work at an audit."
        ),
        condition=NEEDS_CONTROLS,
        capability=_("A central admin centre: every Microsoft 365 plan."),
        plans=frozenset(M365_PLANS),
        source="Consultant's document: central management and security environment",
    ),
    Measure(
        key="secure_email",
        title=_("Secure e-mail"),
        explanation=_(
            "Confidential mail is encrypted, and the recipient must sign in or enter a code "
            "before reading it."
        ),
        why=_(
            "You e-mail confidential data to clients or patients; an ordinary e-mail can be read "
            "by anyone who gets hold of it."
        ),
        condition=when({"secure_mail": {"sometimes", "regularly"}}),
        capability=_(
            "Microsoft Purview Message Encryption (in Business Premium, or with Azure Information "
            "Protection P1), or a separate secure-mail service. In healthcare: a NEN-certified "
            "NTA 7516 secure-mail service is the safe choice."
        ),
        plans=frozenset({"business_premium"}), on_imap=True,
        source="Message Encryption FAQ (F30); OME against NTA 7516 not verified (F31)",
    ),
    Measure(
        key="retention_archiving",
        title=_("Archiving and retention"),
        explanation=_(
            "Mail is kept for the years you must keep it, in an archive that cannot be emptied "
            "by accident."
        ),
        why=_(
            "You must keep mail for years; a mailbox that anyone can empty does not keep it safe."
        ),
        condition=when({"retention_need": {"fiscal", "medical"}}),
        capability=_(
            "An archive mailbox and retention settings in every Exchange plan; a hold that users "
            "cannot undo with Exchange Online Archiving (in Business Premium, or as an add-on)."
        ),
        plans=frozenset(M365_PLANS),
        source="Mailbox and archive sizes, Exchange Online Archiving (F34); AWR art. 52 (F24)",
    ),
)


@dataclass(frozen=True)
class AddOn:
    key: str
    name: Promise
    explanation: Promise


ADD_ONS: dict[str, AddOn] = {
    add_on.key: add_on
    for add_on in (
        AddOn("secure_mail_service", _("A secure-mail service"), _(
            "A separate service for encrypted mail with recipient sign-in. In healthcare, choose "
            "one that is certified for NTA 7516; the certificate alone does not make you meet "
            "it, how you use it does."
        )),
        AddOn("aip_p1", _("Azure Information Protection P1"), _(
            "Adds Microsoft Purview Message Encryption to your plan, for every user who sends "
            "encrypted mail."
        )),
        AddOn("exchange_online_archiving", _("Exchange Online Archiving"), _(
            "An archive that grows as needed and a hold that users cannot undo, for mail you "
            "must keep for many years."
        )),
    )
}


@dataclass(frozen=True)
class AddOnRule:
    add_on: str
    measure: str
    plans: frozenset[str]  # on these plans the measure comes through the add-on
    condition: Condition = ALWAYS


# The first rule that holds for a required measure on the chosen plan names its add-on.
ADD_ON_RULES: tuple[AddOnRule, ...] = (
    AddOnRule("secure_mail_service", "secure_email", frozenset({"imap_hosting"})),
    AddOnRule("secure_mail_service", "secure_email",
              frozenset({"exchange_online_plan_1", "business_basic", "business_standard"}),
              when({"sector": "healthcare_patient"})),
    AddOnRule("aip_p1", "secure_email",
              frozenset({"exchange_online_plan_1", "business_basic", "business_standard"})),
    # Twenty years: the 50 GB archive of the smaller plans is not enough, and needs a hold.
    AddOnRule("exchange_online_archiving", "retention_archiving",
              frozenset({"exchange_online_plan_1", "business_basic", "business_standard"}),
              when({"retention_need": "medical"})),
)


# --------------------------------------------------------------------------
# Norms: each with its scope (who it applies to) and its source. A norm is cited on a
# measure only where its scope holds; the texts say a measure helps meet it, never that
# a plan complies: the configuration and the way of working decide that.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Norm:
    key: str
    label: Promise
    scope: Condition
    measures: frozenset[str]
    source: str


ALL_MEASURES = frozenset(m.key for m in MEASURES)
NORMS: dict[str, Norm] = {
    norm.key: norm
    for norm in (
        Norm("avg_32", _("GDPR (AVG) Article 32: security appropriate to the risk"),
             when({"sensitive_data": SOME_SENSITIVE_DATA},
                  {"sector": SENSITIVE_SECTORS - {"care_other"}}),
             ALL_MEASURES - {"retention_archiving"},
             "Regulation (EU) 2016/679 art. 32; Autoriteit Persoonsgegevens (F10, F11)"),
        Norm("nova_voda", _("The duty of confidentiality of advocaten (Advocatenwet art. 11a, "
                            "Gedragsregel 3): choose secure means of communication"),
             when({"sector": "advocatuur"}),
             frozenset({"mfa", "conditional_access", "secure_email", "audit_logging"}),
             "Advocatenwet art. 10a, 11a; Gedragsregels advocatuur 2018, regel 3 (F12-F14)"),
        Norm("knb_wna", _("The notarial duty of secrecy (Wet op het notarisambt) and the KNB "
                          "code of conduct on information security"),
             when({"sector": "notariaat"}), ALL_MEASURES,
             "Wet op het notarisambt; KNB Gedragscode Informatiebeveiliging Notariaat (F15)"),
        Norm("nba_vgba", _("Accountants' duty of confidentiality (VGBA art. 2, NBA)"),
             when({"sector": "accountancy"}),
             frozenset({"mfa", "conditional_access", "secure_email", "audit_logging"}),
             "Verordening gedrags- en beroepsregels accountants, art. 2 (F17)"),
        Norm("wft_afm", _("Wft: controlled and ethical operations; the AFM's principles for "
                          "information security"),
             when({"sector": {"financial_advice", "financial_institution"}}),
             ALL_MEASURES - {"secure_email"},
             "Wft, beheerste en integere bedrijfsvoering; AFM Principes voor "
             "informatiebeveiliging (F7-F9)"),
        Norm("dora", _("DORA (Regulation (EU) 2022/2554): ICT risk management"),
             when({"sector": "financial_institution"}), ALL_MEASURES,
             "Regulation (EU) 2022/2554 art. 2(1), 2(3)(e), 16 (F1-F5)"),
        Norm("nen_7510", _("NEN 7510: information security in healthcare"),
             when({"sector": "healthcare_patient"}), ALL_MEASURES,
             "Besluit elektronische gegevensverwerking door zorgaanbieders art. 3 (F19)"),
        Norm("nen_7513", _("NEN 7513: logging of access to patient records (the mailbox's "
                           "audit log aligns with it)"),
             when({"sector": "healthcare_patient"}), frozenset({"audit_logging"}),
             "Besluit elektronische gegevensverwerking door zorgaanbieders (F19)"),
        Norm("nta_7516", _("NTA 7516: secure e-mail with health information (encryption and "
                           "authentication of the recipient)"),
             when({"sector": "healthcare_patient", "secure_mail": {"sometimes", "regularly"}}),
             frozenset({"secure_email", "mfa"}),
             "NTA 7516:2019 Eisen voor veilige e-mail en chatapplicaties (F20)"),
        Norm("wgbo", _("Keeping the medical record (WGBO, art. 7:454 BW) or the youth-care "
                       "record (Jeugdwet) for 20 years"),
             when({"sector": "healthcare_patient", "retention_need": "medical"}),
             frozenset({"retention_archiving"}),
             "Burgerlijk Wetboek art. 7:454(3); Jeugdwet (F22)"),
        Norm("awr_52", _("The fiscal retention duty of 7 years (art. 52 AWR)"),
             when({"retention_need": "fiscal"}), frozenset({"retention_archiving"}),
             "Algemene wet inzake rijksbelastingen art. 52(4) (F24)"),
        Norm("imposed", _("The requirements of your clients, insurer or regulator"),
             when({"sector_requirements": "yes"}), ALL_MEASURES,
             "What the client contract, insurance policy or regulator asks"),
    )
}


# --------------------------------------------------------------------------
# Decisive rules: situations where the conclusion is not a matter of points. The first
# that holds sets the verdict, and the advice is clear.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisiveRule:
    key: str
    condition: Condition
    verdict: str
    reason: Promise


DECISIVE_RULES: tuple[DecisiveRule, ...] = (
    DecisiveRule(
        key="required_measure_beyond_imap",
        # Any situation that requires a measure an IMAP mailbox cannot deliver.
        condition=tuple(alt for m in MEASURES if not m.on_imap for alt in m.condition),
        verdict=M365,
        reason=_(
            "Your situation asks for a security measure that an IMAP mailbox at a hosting "
            "provider cannot deliver (see the measures below). Microsoft 365 gives you the means "
            "to set it up and show how it is set."
        ),
    ),
    DecisiveRule(
        key="large_team",
        condition=when({"team_size": LARGE_TEAM}),
        verdict=M365,
        reason=_(
            "With 16 or more people, separate mailboxes at a hosting provider mean many "
            "passwords and no central way to add or remove people. Microsoft 365 manages them "
            "centrally."
        ),
    ),
    DecisiveRule(
        key="keep_microsoft_365",
        condition=when({"current_setup": "m365"}),
        verdict=M365,
        reason=_(
            "You already use Microsoft 365. Moving away costs effort and money and loses the "
            "calendar and shared mailboxes you have; choosing the plan that fits is the better "
            "step."
        ),
    ),
)

# --------------------------------------------------------------------------
# Legacy: keys that advice of earlier engine versions stored, with their texts as they
# were, so an old report still renders as given. Never used for new advice.
# --------------------------------------------------------------------------

LEGACY_MEASURES: dict[str, Measure] = {
    measure.key: measure
    for measure in (
        Measure(
            key="access_control",
            title=_("Advanced access control"),
            explanation=_(
                "Rules for who may sign in, from which devices and locations, and who sees "
                "which mailbox."
            ),
            why=_(
                "When several people or sensitive data are involved, everyone should see only "
                "what they need, and a lost laptop must not open the mailbox."
            ),
            condition=(),
        ),
        Measure(
            key="logging_monitoring",
            title=_("Logging and monitoring"),
            explanation=_(
                "Recording who signed in and who opened what, and alerting on unusual activity."
            ),
            why=_(
                "With confidential data you must be able to see who had access and notice a "
                "break-in quickly, for example to report a data breach in time."
            ),
            condition=(),
        ),
        Measure(
            key="demonstrable_settings",
            title=_("Demonstrable security settings"),
            explanation=_(
                "Security settings that are recorded, so you can show a client, auditor or "
                "insurer what you have arranged."
            ),
            why=_(
                "Your sector or your clients may ask you to prove your security; settings you "
                "can show save a lot of work at an audit."
            ),
            condition=(),
        ),
    )
}

LEGACY_NORMS: dict[str, Promise] = {
    "nova": _("Duty of care of the Dutch Bar (NOvA) for confidential client data"),
    "dnb": _("DNB Good Practice Information Security"),
}

LEGACY_DECISIVE_RULES: dict[str, Promise] = {
    "regulated_sector_with_sensitive_data": _(
        "You work in a sector with strict rules and e-mail sensitive information. Then "
        "additional security measures are necessary, and Microsoft 365 offers more options "
        "for management and policy than a standard IMAP mailbox."
    ),
    "critical_security_with_sensitive_data": _(
        "You e-mail confidential information and a leak would seriously harm you. With "
        "higher security requirements, Microsoft 365 usually offers more options and peace "
        "of mind than a standard IMAP mailbox."
    ),
    "imposed_requirements": _(
        "Clients, insurers or regulators set security requirements for you. Microsoft 365 "
        "lets you meet them and show that you do; a standard IMAP mailbox usually cannot."
    ),
}


# --------------------------------------------------------------------------
# Facts about the advice that next steps, notes and talking points may read besides the
# answers: the verdict, the plan, what to do with the current set-up, the measures.
# --------------------------------------------------------------------------

VERDICT = "verdict"  # IMAP or M365
CLEAR = "clear"  # "yes", or "no" for a close call
PLAN = "plan"  # the chosen plan's key
SETUP_ADVICE = "current_setup_advice"  # stay, right_size, move or start
HAS_QUESTION = "has_question"  # "yes" when the visitor typed a question (the brief only)
STAY, RIGHT_SIZE, MOVE, START = "stay", "right_size", "move", "start"


def needs(measure: str) -> str:
    """The fact that says whether a measure is required ("yes" or "no")."""
    return f"needs_{measure}"


FACTS: dict[str, frozenset[str]] = {
    VERDICT: frozenset({IMAP, M365}),
    CLEAR: frozenset({"yes", "no"}),
    PLAN: frozenset(PLANS),
    SETUP_ADVICE: frozenset({STAY, RIGHT_SIZE, MOVE, START}),
    HAS_QUESTION: frozenset({"yes", "no"}),
    **{needs(m.key): frozenset({"yes", "no"}) for m in MEASURES},
}


# --------------------------------------------------------------------------
# What to do with what the customer has now: the first rule that holds (on the answers,
# VERDICT, PLAN and the needs_ facts) decides. Moving costs effort and money, so staying
# or right-sizing comes first where it fits.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SetupRule:
    value: str
    condition: Condition


CURRENT_SETUP_RULES: tuple[SetupRule, ...] = (
    SetupRule(START, when({"current_setup": "none"})),
    SetupRule(STAY, when({"current_setup": "imap", VERDICT: IMAP})),
    SetupRule(STAY, when(
        {"current_setup": "m365", "current_m365_plan": {"unknown", NOT_APPLICABLE}},
        *({"current_setup": "m365", "current_m365_plan": plan, PLAN: plan}
          for plan in M365_PLANS),
    )),
    SetupRule(RIGHT_SIZE, when({"current_setup": "m365"})),
    # Context-aware access is in Google's Enterprise editions only (F44).
    SetupRule(STAY, when({"current_setup": "google", needs("conditional_access"): "no"})),
    SetupRule(MOVE, ALWAYS),
)

SETUP_ADVICE_TEXTS: dict[str, Promise] = {
    START: _("You are starting: set up the suggested solution from day one, with your own "
             "domain name."),
    STAY: _("Stay with what you have: it fits your needs. Check that the security measures "
            "below are set."),
    RIGHT_SIZE: _("Keep Microsoft 365, but change to the suggested plan: it fits what you need "
                  "better. Shared mailboxes need no licence."),
    MOVE: _("Move to the suggested solution. Plan the move of your mail, calendar and contacts, "
            "so nothing gets lost."),
}

# Said instead of the verdict's headline when the customer already has what fits.
SETUP_HEADLINES: dict[tuple[str, str], Promise] = {
    ("google", STAY): _("Stay with Google Workspace: it already does what you need."),
    ("m365", STAY): _("Keep Microsoft 365: your plan fits."),
    ("m365", RIGHT_SIZE): _("Keep Microsoft 365, on a plan that fits."),
}


# --------------------------------------------------------------------------
# Next steps and notes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    key: str
    verdicts: frozenset[str]
    condition: Condition  # on the answers and the facts above
    text: Promise


BOTH = frozenset({IMAP, M365})
NOT_ON_A_PLATFORM = {"none", "pop", "imap", "other"}

NEXT_STEPS: tuple[NextStep, ...] = (
    NextStep("register_domain", BOTH, when({"own_domain": "none"}), _(
        "Register your own domain name first (the part after the @), so your address stays "
        "yours whatever you choose."
    )),
    NextStep("dns_access", BOTH, when({"own_domain": "own_unknown"}), _(
        "Find out who manages your domain name's settings (DNS) and make sure you can reach "
        "them: a move needs them."
    )),
    NextStep("choose_hosting", frozenset({IMAP}), when({"current_setup": NOT_ON_A_PLATFORM}), _(
        "Choose a hosting provider with good spam filtering that supports two-factor sign-in "
        "with app passwords for every mail program, or only allows modern sign-in."
    )),
    NextStep("setup_devices", frozenset({IMAP}), when({"current_setup": NOT_ON_A_PLATFORM}), _(
        "Set up the mailbox with IMAP on every device, so you see the same inbox everywhere."
    )),
    NextStep("stay_google", BOTH, when({"current_setup": "google", SETUP_ADVICE: STAY}), _(
        "Stay with Google Workspace: turn on 2-Step Verification for everyone and check your "
        "domain's SPF, DKIM and DMARC settings."
    )),
    NextStep("choose_plan", frozenset({M365}), when({SETUP_ADVICE: {START, MOVE}}), _(
        "Take the suggested plan for everyone who needs a mailbox, and connect your own domain "
        "name to Microsoft 365."
    )),
    NextStep("right_size_plan", frozenset({M365}), when({SETUP_ADVICE: RIGHT_SIZE}), _(
        "Change your licences to the suggested plan at the next renewal; shared mailboxes such "
        "as info@ need no licence."
    )),
    NextStep("configure_security", frozenset({M365}), when(
        {SETUP_ADVICE: {START, MOVE, RIGHT_SIZE}}, {"current_setup": "m365"},
    ), _(
        "Have the security measures in this advice set up before you move, and record how they "
        "are set."
    )),
    NextStep("move_mail", frozenset({M365}), when(
        {"current_setup": {"pop", "imap", "google", "other"}, SETUP_ADVICE: MOVE},
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


@dataclass(frozen=True)
class Note:
    key: str
    condition: Condition  # on the answers and the facts above
    text: Promise
    # Shown with the next steps instead of with the verdict.
    with_next_steps: bool = False


# Solo, yet at least two of: shared calendars, several shared mailboxes, daily collaboration.
_TEAM_WORK = ({"calendar": "shared"}, {"shared_mailboxes": "many"},
              {"collaboration": "intensive"})

NOTES: tuple[Note, ...] = (
    Note("close_call", when({CLEAR: "no"}), _(
        "Your situation is close to the tipping point between the two options: both can work. "
        "A short conversation about your way of working and plans helps to choose."
    )),
    # Start simple, move later: the document says switching is always possible. Never said to
    # someone on Microsoft 365 or Google Workspace: for them IMAP would be a step back.
    Note("migration", both(when(
        {VERDICT: IMAP, CLEAR: "no"},
        {VERDICT: IMAP, "growth": GROWING},
        {VERDICT: IMAP, "team_size": MORE_THAN_ONE},
        {VERDICT: IMAP, "sector_requirements": "unsure"},
    ), current_setup=NOT_ON_A_PLATFORM), _(
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
    Note("contradictory_answers", when(*(
        {"team_size": "solo", **first, **second}
        for i, first in enumerate(_TEAM_WORK) for second in _TEAM_WORK[i + 1:]
    )), _(
        "You work alone, yet you plan in shared calendars, use several shared mailboxes or work "
        "together online every day. Is someone else involved, such as an assistant or a "
        "partner? That changes the advice, so let's check it together."
    )),
    Note("google_meets_needs", when({"current_setup": "google", SETUP_ADVICE: STAY}), _(
        "Google Workspace already gives you mail, calendar and contacts in sync on every "
        "device, so there is no need to move. Compared with Microsoft 365: Microsoft works "
        "closely with Outlook and the Office apps and has sign-in rules per device in Business "
        "Premium; at Google, the archive (Vault) needs Business Plus and such sign-in rules an "
        "Enterprise edition."
    )),
    Note("google_lacks_measure", when({"current_setup": "google", SETUP_ADVICE: MOVE}), _(
        "Your situation asks for sign-in rules per device and location. Google Workspace has "
        "them only in its Enterprise editions; Microsoft 365 Business Premium has them. You "
        "could also upgrade Google; we can compare both for you."
    )),
    Note("large_team", when({"team_size": LARGE_TEAM}), _(
        "With 16 or more people, central management of accounts pays off: adding and removing "
        "people, resetting passwords and setting security in one place."
    )),
    Note("business_plans_stop_at_300", when({"team_size": "51_plus"}), _(
        "The Microsoft 365 Business plans are for up to 300 users; above that we quote the "
        "Enterprise plans."
    )),
    Note("mixed_licences", when({"field_workers": "most"}), _(
        "Staff who only use a phone may need a cheaper licence; we check which one fits."
    )),
    Note("medical_record_not_mailbox", when({"retention_need": "medical"}), _(
        "The 20 years apply to the medical or client record. File mail that belongs in the "
        "record in your record system; the mail archive is a back-stop, not the record."
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
