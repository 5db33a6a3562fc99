"""Realistic Dutch small businesses and the advice an experienced IT consultant would sign.

Data only: the table-driven tests that use it come with the implementation of issue 10.
The reasoning behind every expectation (which rule applies to whom, which plan delivers
which measure, and the source of each fact) is in ``docs/advice-rules-research.md``.

Each business carries two sets of answers:

- ``answers`` uses the keys and values of the CURRENT table (``advisor/advice/table.py``),
  so every business can be run through today's engine as it is;
- ``proposed`` holds the PROPOSED keys and values of the reworked table: the split
  ``sector`` question and the new conditional questions. Merge them over ``answers``
  (``{**b.answers, **b.proposed}``) to get the answers for the new table. A conditional
  question whose condition does not hold is left out, so it takes its "na" default.

The expectations use the PROPOSED keys for measures, norms, add-ons and notes; the
research document lists them with their scope and source.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- Proposed keys (see docs/advice-rules-research.md, "Proposed design") -----------------

# Measures and the capability each one needs.
MFA = "mfa"  # two-factor sign-in on every way into the mailbox
CONDITIONAL_ACCESS = "conditional_access"  # sign-in rules per device/location: Entra ID P1
AUDIT_LOGGING = "audit_logging"  # who signed in and opened what, with alerts
RECORDED_SETTINGS = "recorded_settings"  # settings kept in one place you can show
SECURE_EMAIL = "secure_email"  # encryption plus recipient authentication
RETENTION = "retention_archiving"  # keep mail for years, out of reach of deletion

# Add-ons the advice names when the chosen plan does not deliver a measure itself.
AIP_P1 = "aip_p1"  # Azure Information Protection P1: Purview Message Encryption
SECURE_MAIL_SERVICE = "secure_mail_service"  # a NEN-certified NTA 7516 secure-mail service
ENTRA_ID_P1 = "entra_id_p1"
EXCHANGE_ONLINE_ARCHIVING = "exchange_online_archiving"

# Norms, cited only where their scope holds.
AVG_32 = "avg_32"
NOVA = "nova_voda"  # Advocatenwet art. 10a/11a, Gedragsregel 3: advocaten only
KNB = "knb_wna"  # Wet op het notarisambt, KNB Gedragscode Informatiebeveiliging: notarissen
NBA = "nba_vgba"  # VGBA art. 2 vertrouwelijkheid: accountants (AA/RA) only
WFT = "wft_afm"  # Wft sound and ethical operations, AFM principles: licensed by the AFM/DNB
DORA = "dora"  # Regulation (EU) 2022/2554: financial entities of art. 2(1), not 2(3)
DNB = "dnb_gp"  # DNB Good Practice Informatiebeveiliging: institutions DNB supervises
NEN_7510 = "nen_7510"  # zorgaanbieders (Besluit elektronische gegevensverwerking)
NEN_7513 = "nen_7513"  # logging of access to patient records: the mailbox "aligns with" it
NTA_7516 = "nta_7516"  # e-mail with health information: encryption + recipient auth
WGBO = "wgbo"  # art. 7:454 BW, 20 years: the medical record, not the mailbox
AWR = "awr_52"  # art. 52 AWR, 7 years: fiscally relevant records
IMPOSED = "imposed"  # requirements of clients, insurer or regulator

HEALTHCARE = frozenset({NEN_7510, NEN_7513, NTA_7516, WGBO})
LEGAL = frozenset({NOVA, KNB})
FINANCIAL = frozenset({DORA, DNB, WFT})
PROFESSION_RULES = LEGAL | FINANCIAL | {NBA}
ALL_SECTOR_NORMS = HEALTHCARE | PROFESSION_RULES


def all_sector_norms_but(*allowed: str) -> frozenset[str]:
    """The sector norms a business must NOT see: every one except those that apply to it."""
    return ALL_SECTOR_NORMS - set(allowed)


# Notes the proposed advice adds.
CONTRADICTION = "contradictory_answers"
GOOGLE_MEETS_NEEDS = "google_meets_needs"
GOOGLE_LACKS_MEASURE = "google_lacks_measure"
LARGE_TEAM = "large_team"  # 16+ people: never a clear IMAP
OVER_300 = "business_plans_stop_at_300"
POP = "pop"
RECORD_NOT_MAILBOX = "medical_record_not_mailbox"
MIXED_LICENCES = "mixed_licences"


@dataclass(frozen=True)
class Expected:
    verdict: str  # "imap" or "m365"
    plan: str
    current_setup_advice: str  # "stay", "right_size", "move" or "start"
    measures: frozenset[str]
    cite: frozenset[str]  # norms that must be cited (somewhere in the advice)
    must_not_cite: frozenset[str]
    why: str
    clear: bool | None = None  # None: either is defensible
    add_ons: frozenset[str] = frozenset()
    notes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Business:
    key: str
    description: str
    answers: dict[str, str]  # CURRENT table keys and values
    proposed: dict[str, str]  # PROPOSED keys and values, merged over ``answers``
    expected: Expected


def _answers(**answers: str) -> dict[str, str]:
    """Every current question answered, so a business never leans on a default by accident."""
    base = {
        "team_size": "solo", "sector": "general", "sensitive_data": "no", "growth": "none",
        "email_intensity": "moderate", "devices": "two", "shared_mailboxes": "none",
        "calendar": "personal", "contacts_tasks": "no", "collaboration": "none",
        "office_apps": "none", "security_importance": "important",
        "stability_importance": "normal", "sector_requirements": "no",
        "current_setup": "imap", "it_support": "self", "budget": "balanced",
    }
    unknown = set(answers) - set(base)
    assert not unknown, f"not a current question: {unknown}"
    return {**base, **answers}


def _set(*keys: str) -> frozenset[str]:
    return frozenset(keys)


BUSINESSES: tuple[Business, ...] = (
    # ---------------------------------------------------------------- legal
    Business(
        key="law_firm_of_four",
        description="Advocatenkantoor: four advocaten and a secretary, client files by mail, "
                    "shared agenda for hearings, info@ mailbox.",
        answers=_answers(
            team_size="2_5", sector="legal", sensitive_data="lots", growth="moderate",
            email_intensity="heavy", devices="three_plus", shared_mailboxes="few",
            calendar="shared", contacts_tasks="yes", collaboration="some",
            office_apps="desktop", security_importance="critical",
            stability_importance="high", it_support="external", budget="value"),
        proposed={"sector": "advocatuur", "secure_mail": "sometimes",
                  "retention_need": "none", "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL),
            cite=_set(AVG_32, NOVA),
            must_not_cite=all_sector_norms_but(NOVA),
            why="Advocaten must keep client communication confidential (Gedragsregel 3) and "
                "several people open client files from several devices: Premium brings "
                "Conditional Access, audit log and message encryption in one plan."),
    ),
    Business(
        key="notary_office",
        description="Notariskantoor of eight: deeds, ID copies and bank details by mail; "
                    "on Microsoft 365 Business Standard through an IT partner.",
        answers=_answers(
            team_size="6_15", sector="legal", sensitive_data="lots", growth="none",
            email_intensity="heavy", devices="two", shared_mailboxes="many",
            calendar="shared", contacts_tasks="yes", collaboration="some",
            office_apps="desktop", security_importance="critical",
            stability_importance="high", current_setup="m365", it_support="external",
            budget="value"),
        proposed={"sector": "notariaat", "current_m365_plan": "business_standard",
                  "secure_mail": "regularly", "retention_need": "none",
                  "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="right_size",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL),
            cite=_set(AVG_32, KNB),
            must_not_cite=all_sector_norms_but(KNB),
            why="The KNB information-security code of conduct covers notaries, not the Bar's "
                "rules; they already have Microsoft 365, so the step is Standard to Premium, "
                "not a move."),
    ),
    Business(
        key="sole_legal_adviser",
        description="Zelfstandig juridisch adviseur (no advocaat): employment-law advice to "
                    "small employers, now and then a confidential file by mail.",
        answers=_answers(
            sector="legal", sensitive_data="some", email_intensity="moderate",
            calendar="personal", contacts_tasks="yes", office_apps="none",
            security_importance="important", budget="balanced"),
        proposed={"sector": "legal_other", "secure_mail": "sometimes",
                  "own_domain": "own_provider"},
        expected=Expected(
            verdict="m365", plan="exchange_online_plan_1",
            current_setup_advice="move",
            measures=_set(MFA, SECURE_EMAIL),
            add_ons=_set(AIP_P1),
            cite=_set(AVG_32),
            must_not_cite=ALL_SECTOR_NORMS,
            why="No professional rules of the Bar apply; AVG art. 32 does. Plan 1 enforces "
                "two-factor sign-in on every protocol and syncs the agenda; encryption for the "
                "occasional confidential file is a small add-on."),
    ),
    # ----------------------------------------------------------- healthcare
    Business(
        key="gp_practice",
        description="Huisartsenpraktijk of nine: the HIS holds the records; mail with "
                    "patients and specialists; on Business Standard.",
        answers=_answers(
            team_size="6_15", sector="healthcare", sensitive_data="lots",
            email_intensity="moderate", devices="two", shared_mailboxes="few",
            calendar="shared", contacts_tasks="no", collaboration="some",
            office_apps="desktop", security_importance="critical",
            stability_importance="high", current_setup="m365", it_support="external",
            budget="value"),
        proposed={"sector": "healthcare_patient", "current_m365_plan": "business_standard",
                  "secure_mail": "regularly", "retention_need": "medical",
                  "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="right_size",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL, RETENTION),
            cite=_set(AVG_32, NEN_7510, NEN_7513, NTA_7516, WGBO),
            must_not_cite=PROFESSION_RULES,
            notes=_set(RECORD_NOT_MAILBOX),
            why="A zorgaanbieder works to NEN 7510; patient mail needs NTA 7516 secure mail; "
                "the 20-year WGBO duty is for the record in the HIS, so mail that belongs in "
                "the record goes there."),
    ),
    Business(
        key="physiotherapist",
        description="Fysiotherapiepraktijk of three (BIG-registered): reports to GPs and "
                    "exercise plans to patients by mail; IMAP at the web host.",
        answers=_answers(
            team_size="2_5", sector="healthcare", sensitive_data="some",
            email_intensity="moderate", calendar="shared", office_apps="web",
            security_importance="important", current_setup="imap", budget="balanced"),
        proposed={"sector": "healthcare_patient", "secure_mail": "sometimes",
                  "retention_need": "none", "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL),
            cite=_set(AVG_32, NEN_7510, NEN_7513, NTA_7516),
            must_not_cite=PROFESSION_RULES | {WGBO},
            why="Patient data by mail from several people and devices: NEN 7510 access "
                "control and NTA 7516 secure mail; IMAP can deliver neither."),
    ),
    Business(
        key="sports_masseur",
        description="Sportmasseur, one person: appointments through a booking app, mails "
                    "invoices and training tips, no health details.",
        answers=_answers(
            sector="healthcare", sensitive_data="no", email_intensity="light",
            calendar="not_needed", security_importance="basic", budget="minimal"),
        proposed={"sector": "care_other"},
        expected=Expected(
            verdict="imap", plan="imap_hosting", clear=True,
            current_setup_advice="stay",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Not a zorgaanbieder with patient records and no health data by mail: none of "
                "the healthcare norms applies, and a simple mailbox does the job."),
    ),
    Business(
        key="dental_practice",
        description="Tandartspraktijk of twelve: X-rays and referrals to the orthodontist "
                    "and the dental lab by mail; IMAP from the practice software vendor.",
        answers=_answers(
            team_size="6_15", sector="healthcare", sensitive_data="lots",
            email_intensity="moderate", shared_mailboxes="few", calendar="shared",
            collaboration="some", office_apps="desktop", security_importance="important",
            stability_importance="high", it_support="external", budget="balanced"),
        proposed={"sector": "healthcare_patient", "secure_mail": "regularly",
                  "retention_need": "medical", "field_workers": "none",
                  "own_domain": "own_provider"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL, RETENTION),
            cite=_set(AVG_32, NEN_7510, NEN_7513, NTA_7516, WGBO),
            must_not_cite=PROFESSION_RULES,
            notes=_set(RECORD_NOT_MAILBOX),
            why="Same frame as the GP: NEN 7510, NTA 7516 for X-rays by mail, the WGBO record "
                "duty; twelve people on shared devices need Conditional Access."),
    ),
    Business(
        key="youth_care_coach",
        description="Jeugdhulp coach (zzp) under contract with the municipality: reports on "
                    "children to the wijkteam by mail; uses a free Gmail address now.",
        answers=_answers(
            sector="healthcare", sensitive_data="lots", email_intensity="moderate",
            calendar="personal", contacts_tasks="yes", security_importance="important",
            current_setup="other", budget="minimal"),
        proposed={"sector": "healthcare_patient", "secure_mail": "regularly",
                  "retention_need": "medical", "own_domain": "none"},
        expected=Expected(
            verdict="m365", plan="business_basic", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, AUDIT_LOGGING, RECORDED_SETTINGS, SECURE_EMAIL, RETENTION),
            add_ons=_set(SECURE_MAIL_SERVICE, EXCHANGE_ONLINE_ARCHIVING),
            cite=_set(AVG_32, NTA_7516),
            must_not_cite=PROFESSION_RULES,
            notes=_set(RECORD_NOT_MAILBOX),
            why="Children's data by mail needs secure mail and a business mailbox with an "
                "audit log, not a free Gmail; one person needs no Conditional Access, so "
                "Basic plus a certified secure-mail service fits the budget."),
    ),
    Business(
        key="psychology_practice_on_google",
        description="GZ-psychologen praktijk of two on Google Workspace Business Starter; "
                    "treatment letters to GPs by mail.",
        answers=_answers(
            team_size="2_5", sector="healthcare", sensitive_data="lots",
            email_intensity="moderate", calendar="shared", contacts_tasks="yes",
            collaboration="some", office_apps="web", security_importance="critical",
            current_setup="google", budget="balanced"),
        proposed={"sector": "healthcare_patient", "secure_mail": "regularly",
                  "retention_need": "medical", "field_workers": "none",
                  "own_domain": "own_self"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL, RETENTION),
            cite=_set(AVG_32, NEN_7510, NEN_7513, NTA_7516, WGBO),
            must_not_cite=PROFESSION_RULES,
            notes=_set(GOOGLE_LACKS_MEASURE, RECORD_NOT_MAILBOX),
            why="Context-aware access is Google Enterprise only; Business Premium delivers "
                "the access rules, audit log and encryption at a lower price than upgrading "
                "Google, so moving is the honest advice."),
    ),
    Business(
        key="relationship_coach",
        description="Relatiecoach (not a BIG profession), one person: now and then a session "
                    "summary with personal details by mail.",
        answers=_answers(
            sector="other_sensitive", sensitive_data="some", email_intensity="light",
            calendar="personal", security_importance="important", budget="minimal"),
        proposed={"sector": "care_other", "secure_mail": "sometimes"},
        expected=Expected(
            verdict="imap", plan="imap_hosting",
            current_setup_advice="stay",
            measures=_set(MFA, SECURE_EMAIL),
            add_ons=_set(SECURE_MAIL_SERVICE),
            cite=_set(AVG_32),
            must_not_cite=PROFESSION_RULES | {NEN_7510, NEN_7513, WGBO},
            why="Health-related personal data falls under AVG art. 32, but no sector norm "
                "applies; a secure-mail service next to the existing IMAP box covers the "
                "occasional confidential mail."),
    ),
    # ------------------------------------------------------------- finance
    Business(
        key="accountancy_firm",
        description="Accountantskantoor (AA) of seven: annual accounts, tax returns with BSN; "
                    "on Business Standard.",
        answers=_answers(
            team_size="6_15", sector="financial", sensitive_data="lots",
            email_intensity="heavy", shared_mailboxes="few", calendar="shared",
            contacts_tasks="yes", collaboration="some", office_apps="desktop",
            security_importance="critical", stability_importance="high",
            current_setup="m365", it_support="external", budget="value"),
        proposed={"sector": "accountancy", "current_m365_plan": "business_standard",
                  "secure_mail": "sometimes", "retention_need": "fiscal",
                  "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="right_size",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL, RETENTION),
            cite=_set(AVG_32, NBA, AWR),
            must_not_cite=all_sector_norms_but(NBA),
            why="Accountants are bound to confidentiality by the VGBA; DORA and DNB do not "
                "cover an accountancy firm. Standard to Premium adds the controls they lack."),
    ),
    Business(
        key="bookkeeper_zzp",
        description="Boekhouder (zzp, no accountant title): bookkeeping for tradespeople, now "
                    "and then a payslip or BSN by mail.",
        answers=_answers(
            sector="financial", sensitive_data="some", email_intensity="moderate",
            calendar="personal", contacts_tasks="yes", security_importance="important",
            budget="balanced"),
        proposed={"sector": "bookkeeping_payroll", "secure_mail": "sometimes",
                  "retention_need": "none"},
        expected=Expected(
            verdict="m365", plan="exchange_online_plan_1",
            current_setup_advice="move",
            measures=_set(MFA, SECURE_EMAIL),
            add_ons=_set(AIP_P1),
            cite=_set(AVG_32),
            must_not_cite=ALL_SECTOR_NORMS,
            why="A bookkeeper is not an NBA accountant nor a Wft firm: AVG art. 32 is the "
                "frame. Plan 1 enforces two-factor sign-in everywhere for a few euros."),
    ),
    Business(
        key="payroll_bureau",
        description="Salarisadministratiekantoor of five: salaries, BSN, sick-leave data of "
                    "clients' staff by mail.",
        answers=_answers(
            team_size="2_5", sector="financial", sensitive_data="lots",
            email_intensity="heavy", shared_mailboxes="few", calendar="shared",
            collaboration="some", office_apps="desktop", security_importance="important",
            it_support="external", budget="balanced"),
        proposed={"sector": "bookkeeping_payroll", "secure_mail": "regularly",
                  "retention_need": "fiscal", "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL, RETENTION),
            cite=_set(AVG_32, AWR),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Lots of special and BSN data by several people: AVG art. 32 asks for access "
                "rules, logging and encryption; no financial supervisor is involved."),
    ),
    Business(
        key="mortgage_adviser",
        description="Hypotheekadviseur of three with an AFM licence: income statements and ID "
                    "copies by mail.",
        answers=_answers(
            team_size="2_5", sector="financial", sensitive_data="lots",
            email_intensity="heavy", calendar="shared", contacts_tasks="yes",
            office_apps="desktop", security_importance="important", budget="balanced"),
        proposed={"sector": "financial_advice", "secure_mail": "regularly",
                  "retention_need": "fiscal", "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL, RETENTION),
            cite=_set(AVG_32, WFT, AWR),
            must_not_cite=all_sector_norms_but(WFT),
            why="Credit intermediaries are not in DORA's list; the Wft (sound operations, "
                "AFM principles on information security) and AVG art. 32 are the frame."),
    ),
    Business(
        key="insurance_broker",
        description="Assurantiekantoor of twelve (an SME): claims and policy data by mail; on "
                    "Business Basic.",
        answers=_answers(
            team_size="6_15", sector="financial", sensitive_data="some",
            email_intensity="heavy", shared_mailboxes="many", calendar="shared",
            contacts_tasks="yes", collaboration="some", office_apps="desktop",
            security_importance="important", current_setup="m365", it_support="external",
            budget="balanced"),
        proposed={"sector": "financial_advice", "current_m365_plan": "business_basic",
                  "secure_mail": "sometimes", "retention_need": "fiscal",
                  "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="right_size",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL, RETENTION),
            cite=_set(AVG_32, WFT, AWR),
            must_not_cite=all_sector_norms_but(WFT),
            why="DORA art. 2(3)(e) excludes insurance intermediaries that are micro, small or "
                "medium-sized; the Wft and AVG art. 32 apply. Basic to Premium, no move."),
    ),
    Business(
        key="solo_mortgage_adviser",
        description="Zelfstandig hypotheekadviseur (AFM licence), one person: personal agenda, "
                    "client documents through a portal, sometimes by mail.",
        answers=_answers(
            sector="financial", sensitive_data="some", email_intensity="moderate",
            calendar="personal", contacts_tasks="yes", office_apps="web",
            security_importance="important", budget="balanced"),
        proposed={"sector": "financial_advice", "secure_mail": "sometimes",
                  "retention_need": "none"},
        expected=Expected(
            verdict="m365", plan="business_basic", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, AUDIT_LOGGING, RECORDED_SETTINGS, SECURE_EMAIL),
            add_ons=_set(AIP_P1),
            cite=_set(AVG_32, WFT),
            must_not_cite=all_sector_norms_but(WFT),
            why="A licensed adviser must show sound operations (Wft); Basic gives the audit "
                "log and one admin centre; one person needs no Conditional Access."),
    ),
    Business(
        key="payment_institution",
        description="Betaalinstelling of fourteen with a DNB licence; on Business Premium "
                    "through an IT partner.",
        answers=_answers(
            team_size="6_15", sector="financial", sensitive_data="lots", growth="strong",
            email_intensity="heavy", shared_mailboxes="many", calendar="shared",
            contacts_tasks="yes", collaboration="intensive", office_apps="desktop",
            security_importance="critical", stability_importance="high",
            sector_requirements="yes", current_setup="m365", it_support="external",
            budget="value"),
        proposed={"sector": "financial_institution", "current_m365_plan": "business_premium",
                  "secure_mail": "regularly", "retention_need": "fiscal",
                  "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="stay",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL, RETENTION),
            cite=_set(AVG_32, DORA, IMPOSED, AWR),
            must_not_cite=LEGAL | {NBA} | HEALTHCARE,
            why="Payment institutions are in DORA art. 2(1)(b); DORA sets the ICT-risk frame "
                "(art. 16 simplified if exempted). They already have the right plan."),
    ),
    Business(
        key="small_investment_firm",
        description="Vermogensbeheerder of six (investment firm, AFM licence): client "
                    "portfolios and ID data by mail; IMAP at a hosting party.",
        answers=_answers(
            team_size="6_15", sector="financial", sensitive_data="lots",
            email_intensity="heavy", shared_mailboxes="few", calendar="shared",
            contacts_tasks="yes", collaboration="some", office_apps="desktop",
            security_importance="critical", stability_importance="high",
            sector_requirements="yes", it_support="external", budget="value"),
        proposed={"sector": "financial_institution", "secure_mail": "regularly",
                  "retention_need": "fiscal", "field_workers": "none",
                  "own_domain": "own_provider"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL, RETENTION),
            cite=_set(AVG_32, DORA, IMPOSED, AWR),
            must_not_cite=LEGAL | {NBA} | HEALTHCARE,
            why="Investment firms are in DORA art. 2(1)(e) (small and non-interconnected ones "
                "use the art. 16 simplified framework); an IMAP box cannot show control."),
    ),
    # ------------------------------------------------- other sensitive data
    Business(
        key="recruitment_agency",
        description="Werving- en selectiebureau of eight: CVs, ID copies, references by mail; "
                    "on Business Standard.",
        answers=_answers(
            team_size="6_15", sector="other_sensitive", sensitive_data="lots",
            growth="moderate", email_intensity="heavy", shared_mailboxes="many",
            calendar="shared", contacts_tasks="yes", collaboration="some",
            office_apps="desktop", security_importance="important", current_setup="m365",
            it_support="external", budget="balanced"),
        proposed={"sector": "other_sensitive", "current_m365_plan": "business_standard",
                  "secure_mail": "sometimes", "field_workers": "none"},
        expected=Expected(
            verdict="m365", plan="business_premium", clear=True,
            current_setup_advice="right_size",
            measures=_set(MFA, CONDITIONAL_ACCESS, AUDIT_LOGGING, RECORDED_SETTINGS,
                          SECURE_EMAIL),
            cite=_set(AVG_32),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Lots of personal data handled by eight people: AVG art. 32 asks for access "
                "rules and logging; Premium adds them to what they have."),
    ),
    Business(
        key="hr_consultant_basic_security",
        description="Zelfstandig HR-adviseur: sickness files and dismissal cases of clients' "
                    "staff by mail; thinks basic protection is fine.",
        answers=_answers(
            sector="other_sensitive", sensitive_data="lots", email_intensity="moderate",
            calendar="personal", security_importance="basic", budget="minimal"),
        proposed={"sector": "other_sensitive", "secure_mail": "regularly"},
        expected=Expected(
            verdict="m365", plan="business_basic", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, AUDIT_LOGGING, RECORDED_SETTINGS, SECURE_EMAIL),
            add_ons=_set(AIP_P1),
            cite=_set(AVG_32),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Health data of employees is special-category data: logging is needed "
                "whatever the owner's own view, and IMAP cannot log; Basic plus encryption."),
    ),
    Business(
        key="childcare_centre",
        description="Kinderdagverblijf with fifteen staff: parents' details and allergies by "
                    "mail, group planning in a shared agenda.",
        answers=_answers(
            team_size="6_15", sector="other_sensitive", sensitive_data="some",
            email_intensity="moderate", shared_mailboxes="few", calendar="shared",
            collaboration="some", office_apps="web", security_importance="important",
            budget="balanced"),
        proposed={"sector": "other_sensitive", "secure_mail": "no", "field_workers": "none",
                  "own_domain": "own_provider"},
        expected=Expected(
            verdict="m365", plan="business_basic", clear=True,
            current_setup_advice="move",
            measures=_set(MFA),
            cite=_set(AVG_32),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Childcare is not healthcare: no NEN 7510 or NTA 7516. Fifteen people with a "
                "shared agenda and some children's data: Basic with two-factor sign-in."),
    ),
    Business(
        key="real_estate_agent",
        description="Makelaarskantoor of four (no mortgage advice): viewings in a shared "
                    "agenda, income statements of tenants by mail.",
        answers=_answers(
            team_size="2_5", sector="other_sensitive", sensitive_data="some",
            email_intensity="heavy", shared_mailboxes="few", calendar="shared",
            contacts_tasks="yes", office_apps="desktop", security_importance="important",
            budget="balanced"),
        proposed={"sector": "other_sensitive", "secure_mail": "sometimes",
                  "field_workers": "some"},
        expected=Expected(
            verdict="m365", plan="business_standard", clear=True,
            current_setup_advice="move",
            measures=_set(MFA, SECURE_EMAIL),
            add_ons=_set(AIP_P1),
            cite=_set(AVG_32),
            must_not_cite=ALL_SECTOR_NORMS,
            why="A makelaar without mortgage advice is not under the Wft; heavy mail, shared "
                "viewings agenda and desktop Office: Standard, with encryption as add-on."),
    ),
    Business(
        key="veterinary_practice",
        description="Dierenartspraktijk of five: owners' contact and payment details, animal "
                    "records in practice software, shared consultation agenda.",
        answers=_answers(
            team_size="2_5", sector="healthcare", sensitive_data="some",
            email_intensity="moderate", shared_mailboxes="few", calendar="shared",
            office_apps="web", security_importance="important", budget="balanced"),
        proposed={"sector": "other_sensitive", "secure_mail": "no",
                  "field_workers": "some"},
        expected=Expected(
            verdict="m365", plan="business_basic",
            current_setup_advice="move",
            measures=_set(MFA),
            cite=_set(AVG_32),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Animal records are not patient records under the WGBO; the healthcare norms "
                "do not apply. A shared agenda for five people fits Basic."),
    ),
    # -------------------------------------------------------- general trade
    Business(
        key="bakery",
        description="Bakkerij with six staff, two of whom mail: orders@ mailbox, no "
                    "agenda, invoices from the till system.",
        answers=_answers(
            team_size="6_15", email_intensity="light", shared_mailboxes="few",
            calendar="not_needed", security_importance="basic", budget="minimal"),
        proposed={"sector": "general", "field_workers": "none"},
        expected=Expected(
            verdict="imap", plan="imap_hosting",
            current_setup_advice="stay",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Light mail, no agenda, no personal data: the IMAP box they have is enough; "
                "the orders@ box can be an extra IMAP account."),
    ),
    Business(
        key="builder_with_field_crews",
        description="Aannemer with eighteen people, twelve of them on building sites with only "
                    "a phone: job planning in a shared agenda.",
        answers=_answers(
            team_size="16_50", email_intensity="moderate", devices="two",
            shared_mailboxes="few", calendar="shared", collaboration="some",
            office_apps="web", security_importance="important", budget="balanced"),
        proposed={"sector": "general", "field_workers": "most"},
        expected=Expected(
            verdict="m365", plan="business_basic", clear=True,
            current_setup_advice="move",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            notes=_set(LARGE_TEAM, MIXED_LICENCES),
            why="Crews need the job agenda on their phone and the office needs central "
                "accounts for eighteen people; phone-only staff may take a cheaper licence."),
    ),
    Business(
        key="web_shop",
        description="Webwinkel of two: customer-service mailbox, order mails from the shop "
                    "software, invoices in the bookkeeping package.",
        answers=_answers(
            team_size="2_5", email_intensity="moderate", shared_mailboxes="few",
            calendar="not_needed", security_importance="important", budget="minimal"),
        proposed={"sector": "general", "field_workers": "none"},
        expected=Expected(
            verdict="imap", plan="imap_hosting",
            current_setup_advice="stay",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            why="No agenda, no sensitive data, a tight budget: IMAP with good spam filtering "
                "and two-factor sign-in; moving later stays possible."),
    ),
    Business(
        key="web_shop_on_pop",
        description="Webwinkel of three still on POP: mail downloaded to the shop PC, the "
                    "phone misses half of it.",
        answers=_answers(
            team_size="2_5", email_intensity="moderate", shared_mailboxes="few",
            calendar="not_needed", security_importance="important", current_setup="pop",
            budget="minimal"),
        proposed={"sector": "general", "field_workers": "none",
                  "own_domain": "own_provider"},
        expected=Expected(
            verdict="imap", plan="imap_hosting",
            current_setup_advice="move",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            notes=_set(POP),
            why="POP does not fit several devices; the smallest step is IMAP at the same "
                "host, keeping the mail on the server."),
    ),
    Business(
        key="architect",
        description="Architectenbureau of five: heavy mail with large drawings, shared project "
                    "agenda, daily Teams calls with contractors.",
        answers=_answers(
            team_size="2_5", growth="moderate", email_intensity="heavy",
            devices="three_plus", shared_mailboxes="few", calendar="shared",
            contacts_tasks="yes", collaboration="intensive", office_apps="desktop",
            security_importance="important", stability_importance="high",
            budget="balanced"),
        proposed={"sector": "general", "field_workers": "some"},
        expected=Expected(
            verdict="m365", plan="business_standard", clear=True,
            current_setup_advice="move",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Daily collaboration, shared agenda and desktop Office: Business Standard."),
    ),
    Business(
        key="it_freelancer_on_m365",
        description="IT-freelancer, one person, on Business Standard for years; uses his own "
                    "Office licence, a few mails a day, agenda on phone and laptop.",
        answers=_answers(
            email_intensity="light", calendar="personal", contacts_tasks="yes",
            office_apps="none", security_importance="important", current_setup="m365",
            budget="minimal"),
        proposed={"sector": "general", "current_m365_plan": "business_standard"},
        expected=Expected(
            verdict="m365", plan="exchange_online_plan_1",
            current_setup_advice="right_size",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Moving to IMAP would cost effort and lose the synced agenda to save a euro "
                "or two; right-size from Standard to Plan 1 instead."),
    ),
    Business(
        key="designer_on_google",
        description="Grafisch ontwerper, one person, on Google Workspace: agenda and contacts "
                    "in sync on phone and laptop, client files in Drive.",
        answers=_answers(
            email_intensity="moderate", devices="three_plus", calendar="personal",
            contacts_tasks="yes", collaboration="some", office_apps="none",
            security_importance="important", current_setup="google", budget="balanced"),
        proposed={"sector": "general", "own_domain": "own_self"},
        expected=Expected(
            verdict="m365", plan="business_basic",
            current_setup_advice="stay",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            notes=_set(GOOGLE_MEETS_NEEDS),
            why="Google already gives the integrated agenda, contacts and shared files that "
                "IMAP lacks; stay, and know the trade-offs against Microsoft 365."),
    ),
    Business(
        key="wholesaler_light_mail",
        description="Groothandel with twenty people: light mail, orders@ and invoices@ "
                    "mailboxes, no Office needed, tight budget.",
        answers=_answers(
            team_size="16_50", email_intensity="light", shared_mailboxes="few",
            calendar="personal", security_importance="basic", budget="minimal"),
        proposed={"sector": "general", "field_workers": "some"},
        expected=Expected(
            verdict="m365", plan="exchange_online_plan_1",
            current_setup_advice="move",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            notes=_set(LARGE_TEAM),
            why="Twenty separate IMAP boxes are twenty passwords and no central off-boarding; "
                "Plan 1 is the cheapest central mailbox, and shared mailboxes cost nothing."),
    ),
    Business(
        key="installer_of_sixty",
        description="Installatiebedrijf with sixty people, forty mechanics with phones; "
                    "office staff on Business Standard.",
        answers=_answers(
            team_size="51_plus", sensitive_data="some", growth="moderate",
            email_intensity="moderate", shared_mailboxes="many", calendar="shared",
            contacts_tasks="yes", collaboration="some", office_apps="desktop",
            security_importance="important", stability_importance="high",
            current_setup="m365", it_support="external", budget="balanced"),
        proposed={"sector": "general", "current_m365_plan": "business_standard",
                  "field_workers": "most"},
        expected=Expected(
            verdict="m365", plan="business_standard", clear=True,
            current_setup_advice="stay",
            measures=_set(MFA),
            cite=_set(AVG_32),
            must_not_cite=ALL_SECTOR_NORMS,
            notes=_set(LARGE_TEAM, OVER_300, MIXED_LICENCES),
            why="They have what they need; mechanics on phones may move to a cheaper "
                "licence, and the Business plans stop at 300 users."),
    ),
    Business(
        key="solo_contradiction",
        description="One person who says: shared agendas, several shared mailboxes, daily "
                    "online collaboration.",
        answers=_answers(
            shared_mailboxes="many", calendar="shared", collaboration="intensive",
            office_apps="web", budget="balanced"),
        proposed={"sector": "general"},
        expected=Expected(
            verdict="m365", plan="business_basic",
            current_setup_advice="move",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            notes=_set(CONTRADICTION),
            why="The answers point to Microsoft 365, but 'just me' with several shared "
                "mailboxes is worth a question before buying."),
    ),
    Business(
        key="volunteer_club",
        description="Sportvereniging run by ten volunteers: secretariaat@ and penningmeester@ "
                    "mailboxes, member lists, nobody looks after IT.",
        answers=_answers(
            team_size="6_15", sector="other_sensitive", sensitive_data="some",
            email_intensity="light", shared_mailboxes="few", calendar="not_needed",
            security_importance="important", it_support="none", budget="minimal"),
        proposed={"sector": "other_sensitive", "secure_mail": "no", "field_workers": "none"},
        expected=Expected(
            verdict="imap", plan="imap_hosting",
            current_setup_advice="stay",
            measures=_set(MFA),
            cite=_set(AVG_32),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Light mail by changing volunteers and nobody to run an admin centre: role "
                "mailboxes at the host with two-factor sign-in and app passwords."),
    ),
    Business(
        key="hairdresser",
        description="Kapsalon of three: bookings through an app, a few mails a week.",
        answers=_answers(
            team_size="2_5", email_intensity="light", calendar="not_needed",
            security_importance="basic", budget="minimal"),
        proposed={"sector": "general", "field_workers": "none"},
        expected=Expected(
            verdict="imap", plan="imap_hosting", clear=True,
            current_setup_advice="stay",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            why="The document's simple situation: a mailbox at the host is enough."),
    ),
    Business(
        key="starter_consultant",
        description="Starting management consultant, one person, no mail yet, no domain yet.",
        answers=_answers(
            email_intensity="moderate", calendar="personal", contacts_tasks="yes",
            office_apps="desktop", security_importance="important", current_setup="none",
            budget="balanced"),
        proposed={"sector": "general", "own_domain": "none"},
        expected=Expected(
            verdict="m365", plan="business_standard",
            current_setup_advice="start",
            measures=_set(MFA),
            cite=_set(),
            must_not_cite=ALL_SECTOR_NORMS,
            why="Needs desktop Office and a synced agenda from day one; register a domain "
                "first, then start on Business Standard."),
    ),
)

assert len({b.key for b in BUSINESSES}) == len(BUSINESSES), "business keys must be unique"
