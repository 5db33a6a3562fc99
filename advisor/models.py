"""What is stored: one submission per completed questionnaire."""

import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from importlib import import_module
from pathlib import PurePath
from typing import Any, Self

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.validators import MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from advisor.advice.table import PLANS
from advisor.lib.contrast import TEXT_CONTRAST, WHITE, contrast_ratio, darker_shade
from advisor.lib.generations import Generation, Generations

# 32 random bytes = 256 bits, URL-safe: unguessable, unlike an id or a UUID.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class FollowUpStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    PROPOSAL_SENT = "proposal_sent", _("Proposal sent")
    CUSTOMER = "customer", _("Customer")
    LOST = "lost", _("Lost")


# Follow-ups stop counting once a lead is decided either way.
OPEN_STATUSES = (FollowUpStatus.NEW, FollowUpStatus.CONTACTED, FollowUpStatus.PROPOSAL_SENT)

# The back office's counts of leads are cached per week of leads (backoffice/dashboard.py),
# under this generation (all weeks at once: seed_demo, which adds leads dated before today)
# and under that of each week. Whatever deletes leads or changes their follow-up calls
# lead_figures_changed() with their dates, so only those weeks are counted again. A new lead
# from the questionnaire need not: today's leads are counted on every view.
LEAD_FIGURES = Generation("lead-figures")
# Longer than the dashboard keeps a week's counts; an expired token only counts that week again.
LEAD_WEEKS = Generations("lead-figures-week", timeout=60 * 24 * 3600)
# A Monday: weeks of leads are numbered from it.
WEEK_ZERO = date(1970, 1, 5)


def lead_week(moment: datetime) -> str:
    """The week (Monday to Monday, in the site's TIME_ZONE) a lead that came in at this moment
    counts in for LEAD_WEEKS: the same member whoever makes the change, and one member for
    each of the dashboard's weeks (it counts in that time zone too)."""
    day = timezone.localtime(moment, timezone.get_default_timezone()).date()
    return str((day - WEEK_ZERO).days // 7)


def lead_weeks_between(start: datetime, end: datetime) -> list[str]:
    """The LEAD_WEEKS members of the leads that came in from start until (not at) end."""
    first, last = int(lead_week(start)), int(lead_week(end - timedelta(microseconds=1)))
    return [str(week) for week in range(first, last + 1)]


def lead_figures_changed(*, created_at: Iterable[datetime]) -> None:
    """Leads that came in at these moments changed their follow-up or are being deleted: the
    back office counts their weeks again, once the transaction commits."""
    LEAD_WEEKS.advance_on_commit(lead_week(moment) for moment in created_at)


# Advanced by every save or deletion of the consultant profile (below): the key of the cached
# profile that every page's branding is read from (consultant/branding.py).
PROFILE_GENERATION = Generation("consultant-profile")


class DomainCheckState(models.TextChoices):
    """Where the domain check of a submission stands; the last three are the report's levels."""

    PENDING = "pending", _("being checked")
    SKIPPED = "skipped", _("not checked")
    FAILED = "failed", _("check failed")
    AT_RISK = "at_risk", _("at risk")
    IMPROVE = "improve", _("can be better")
    GOOD = "good", _("good")


class Submission(models.Model):
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token,
                             editable=False)
    # A default rather than auto_now_add, so seed_demo can spread demo leads over a year.
    # Indexed with the id in Meta.indexes: the lead list's order, newest first.
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    language = models.CharField(_("language"), max_length=8)

    answers = models.JSONField(_("answers"))
    advice = models.JSONField(_("advice as given"))
    engine_version = models.CharField(_("engine version"), max_length=32)
    # Copied out of the advice and answers so the back office can filter on them.
    # Indexed together with created_at (Meta.indexes): filter, then newest first.
    verdict = models.CharField(_("verdict"), max_length=8)
    clear = models.BooleanField(_("clear advice"))
    plan = models.CharField(_("suggested plan"), max_length=32)
    sector = models.CharField(_("sector"), max_length=32)
    team_size = models.CharField(_("team size"), max_length=16)

    name = models.CharField(_("name"), max_length=100)
    company = models.CharField(_("company"), max_length=150)
    email = models.EmailField(_("e-mail address"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    question = models.TextField(_("question for the consultant"), max_length=2000, blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_version = models.CharField(_("privacy statement version"), max_length=32)

    # Set by the questionnaire's final step so a double POST stores one submission.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                       editable=False)

    # The PDF report, rendered in the background once the submission is stored, and again
    # when its fingerprint (templates, branding, engine version, language) no longer matches.
    report_pdf = models.FileField(_("PDF report"), upload_to="reports/%Y/%m/", blank=True)
    report_fingerprint = models.CharField(_("report fingerprint"), max_length=64, blank=True)
    # Set when the last try of a render failed; cleared by the next render that succeeds.
    report_failed_at = models.DateTimeField(_("report failed at"), null=True, blank=True)
    # The share link is the result page's token; it can expire or be revoked.
    link_expires_at = models.DateTimeField(_("link expires at"))
    link_revoked_at = models.DateTimeField(_("link revoked at"), null=True, blank=True)
    share_count = models.PositiveSmallIntegerField(_("report e-mails sent"), default=0)
    # Set when someone pressed "Confirm my address" behind the link in the advice mail: only
    # then may the visitor have the advice sent again or shared (questionnaire/sharing.py).
    email_confirmed_at = models.DateTimeField(_("e-mail address confirmed at"), null=True,
                                              blank=True, editable=False)

    # The domain check of the e-mail address's domain (advisor/domaincheck), stored by a job:
    # DomainReport.as_dict(), its level (or state) for the lead list's filter, and when.
    # An empty level: never asked for (the consultant had switched the check off).
    domain_check = models.JSONField(_("domain check"), null=True, blank=True, editable=False)
    domain_check_level = models.CharField(_("domain check"), max_length=16, blank=True,
                                          choices=DomainCheckState, editable=False)
    domain_checked_at = models.DateTimeField(_("domain checked at"), null=True, blank=True,
                                             editable=False)

    # Where the visit that made this lead came from (advisor/funnel/sources.py): the landing
    # address's campaign parameters and the referring site's host only; empty when unknown.
    utm_source = models.CharField(_("campaign source"), max_length=64, blank=True,
                                  editable=False)
    utm_medium = models.CharField(_("campaign medium"), max_length=64, blank=True,
                                  editable=False)
    utm_campaign = models.CharField(_("campaign"), max_length=64, blank=True, editable=False)
    referrer_host = models.CharField(_("referring site"), max_length=253, blank=True,
                                     editable=False)

    # The consultant's follow-up, edited in the back office.
    status = models.CharField(_("follow-up status"), max_length=16, choices=FollowUpStatus,
                              default=FollowUpStatus.NEW)
    notes = models.TextField(_("notes"), blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)

    # The submission this one continues: a yearly check-up (advisor/checkup) starts from its
    # answers. SET_NULL: erasing or purging one of the two never breaks the other.
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="continued_by", verbose_name=_("continues"),
    )

    class Meta:
        ordering = ["-created_at"]
        # The lead list filters on one column, or sorts on one, and orders ties by
        # (created_at, id) in the same direction (backoffice.admin.LeadChangeList): each index
        # below ends in that order, so a page, and its count, read an index (forwards or
        # backwards) instead of sorting 100,000 wide rows. On PostgreSQL, search reads the
        # trigram indexes of migration 0013.
        indexes = [
            # Also holds what the dashboard counts, so its counts read this index alone.
            models.Index(fields=["created_at", "id", "status", "verdict", "sector", "plan",
                                 "next_follow_up"], name="submission_created_idx"),
            models.Index(fields=["company", "created_at", "id"], name="submission_company_idx"),
            models.Index(fields=["status", "created_at", "id"], name="submission_status_idx"),
            models.Index(fields=["next_follow_up", "created_at", "id"],
                         name="submission_next_follow_up_idx"),
            models.Index(fields=["verdict", "created_at", "id"], name="submission_verdict_idx"),
            models.Index(fields=["plan", "created_at", "id"], name="submission_plan_idx"),
            models.Index(fields=["sector", "created_at", "id"], name="submission_sector_idx"),
            models.Index(fields=["team_size", "created_at", "id"],
                         name="submission_team_size_idx"),
            models.Index(fields=["domain_check_level", "created_at", "id"],
                         name="submission_domain_level_idx"),
            # The follow-up filter (overdue, due today, ...) of open leads.
            models.Index(fields=["status", "next_follow_up", "created_at"],
                         name="submission_follow_up_idx"),
            # The lead list's source filters (backoffice/admin.py).
            models.Index(fields=["utm_source", "created_at", "id"],
                         name="submission_source_idx"),
            models.Index(fields=["utm_medium", "created_at", "id"],
                         name="submission_medium_idx"),
            models.Index(fields=["utm_campaign", "created_at", "id"],
                         name="submission_campaign_idx"),
            models.Index(fields=["referrer_host", "created_at", "id"],
                         name="submission_referrer_idx"),
            # Privacy requests find a person's submissions by exact, case-insensitive address.
            models.Index(Lower("email"), name="submission_email_lower_idx"),
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.company} ({self.created_at:%Y-%m-%d})"


    def get_absolute_url(self) -> str:
        return reverse("advisor:result", kwargs={"token": self.token})

    @classmethod
    def from_advice(cls, advice: Mapping[str, Any], *, contact: Mapping[str, str],
                    language: str, consent_version: str, created_at: datetime | None = None,
                    **fields: Any) -> Self:
        """An unsaved submission of an advice as stored (``Advice.as_dict()``, texts in the
        visitor's language), with the contact details and the consent to the privacy
        statement of ``consent_version``, given at ``created_at`` (default: now).

        The one mapping from an advice to a row: the questionnaire, seed_demo and the tests'
        factories all use it. ``fields`` sets anything else (follow-up, an idempotency key).
        """
        created_at = created_at or timezone.now()
        values = {
            "created_at": created_at,
            "language": language,
            "answers": dict(advice["answers"]),
            "advice": dict(advice),
            "engine_version": advice["engine_version"],
            "verdict": advice["verdict"],
            "clear": advice["clear"],
            "plan": advice["plan"],
            "sector": advice["answers"]["sector"],
            "team_size": advice["answers"]["team_size"],
            "name": contact["name"],
            "company": contact["company"],
            "email": contact["email"],
            "phone": contact.get("phone", ""),
            "question": contact.get("question", ""),
            "consent_at": created_at,
            "consent_version": consent_version,
            "link_expires_at": created_at + timedelta(days=settings.SHARE_LINK_DAYS),
        }
        return cls(**{**values, **fields})


class MailKind(models.TextChoices):
    ADVICE = "advice", _("advice to the visitor")
    SHARE_SELF = "share_self", _("advice sent again to the visitor")
    SHARE_COLLEAGUE = "share_colleague", _("advice shared with a colleague")
    CONSULTANT = "consultant", _("notification to the consultant")
    CHECKUP = "checkup", _("yearly check-up reminder")


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutgoingMail(models.Model):
    """One e-mail, written in the transaction of what it is about and sent by a job.

    Linked by foreign key to its submission, so a privacy export or erasure follows the link
    instead of searching mail texts.
    """

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="mails",
        verbose_name=_("submission"),
        help_text=_("Empty only for a mail about no submission."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MailKind)
    sender = models.CharField(_("from"), max_length=254)
    recipient = models.EmailField(_("to"), max_length=254)
    # The mailbox the address reaches (lib/mailbox.py: mailbox_key), for the limit on mails
    # per address and day (outbox/limits.py): eva+1@ and eva+2@ count as one.
    recipient_key = models.CharField(max_length=254, blank=True, editable=False)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # Fixed when the mail is written: a retried delivery is recognisable as the same mail.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=MailStatus,
                              default=MailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The exception class and SMTP code only: an SMTP message can quote the address.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(Lower("recipient"), name="mail_recipient_lower_idx"),
            models.Index(fields=["recipient_key", "created_at"], name="mail_recipient_key_idx"),
            # /health/ counts queued and failed mails and finds the oldest queued one.
            models.Index(fields=["status", "created_at"], name="mail_status_idx"),
        ]
        constraints = [
            # The last guard of "the reminder is sent once", whatever the workers do.
            models.UniqueConstraint(fields=["submission"],
                                    condition=models.Q(kind=MailKind.CHECKUP),
                                    name="one_checkup_reminder_per_submission"),
        ]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class CheckupReminder(models.Model):
    """The yearly check-up a visitor opted in to at the contact step (advisor/checkup): one
    reminder, due CHECKUP_AFTER_MONTHS after the submission, with a link that opens the
    questionnaire with the earlier answers filled in. Deleted with its submission."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE,
                                      related_name="checkup", verbose_name=_("submission"))
    # The key in the reminder's links (start, stop): random, like the report link's token.
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token,
                             editable=False)
    consent_at = models.DateTimeField(_("opted in at"))
    consent_version = models.CharField(_("version of the opt-in text"), max_length=16)
    due_at = models.DateTimeField(_("reminder due at"), db_index=True)
    # Set, once, by the job that hands the reminder to the outbox (a conditional UPDATE).
    sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    # When purge deleted what the check-up does not need (name, phone, question, notes, the
    # PDF), at the end of the normal retention period.
    reduced_at = models.DateTimeField(_("contact details deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-up reminder")
        verbose_name_plural = _("check-up reminders")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class WebhookEvent(models.TextChoices):
    """The event types of the CRM webhook: the ``type`` of each payload (README "CRM webhook")."""

    LEAD_CREATED = "lead.created", _("new lead")
    LEAD_STATUS_CHANGED = "lead.status_changed", _("status changed")
    TEST = "webhook.test", _("test event")


class WebhookStatus(models.TextChoices):
    PENDING = "pending", _("being sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class WebhookDelivery(models.Model):
    """One event for the consultant's CRM, written in the transaction of what it is about and
    posted by a job (advisor/webhooks), with retries, until the receiver accepts it.

    Linked by foreign key to its lead, so erasure and the retention purge delete it with the
    lead: the body holds the lead's personal data.
    """

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True,
        related_name="webhook_deliveries", verbose_name=_("lead"),
        help_text=_("Empty only for a test event."),
    )
    event = models.CharField(_("event"), max_length=32, choices=WebhookEvent)
    # Fixed when the event is written: every attempt and every resend carries the same
    # webhook-id, so the receiver can recognise one it has already processed.
    webhook_id = models.CharField(_("webhook-id"), max_length=64, unique=True)
    # The JSON payload exactly as posted (made when the event happened).
    body = models.TextField(_("payload"))
    status = models.CharField(_("status"), max_length=16, choices=WebhookStatus,
                              default=WebhookStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The receiver's HTTP status and the error class only: never the response body, which
    # could echo the lead's details.
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True,
                                                        blank=True)
    last_error = models.CharField(_("last error"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="webhook_status_idx")]
        verbose_name = _("CRM webhook delivery")
        verbose_name_plural = _("CRM webhook deliveries")

    def __str__(self) -> str:
        return f"{self.get_event_display()} #{self.pk}"


# --- The consultant's profile: branding and prices, edited in the back office ---

# The one colour default and the one validator: the profile's fields, settings.BRANDING
# and the pages' <style> block (consultant/branding.py) all use these. Six digits, as the
# browser's colour picker gives; only such values may reach a <style> block.
DEFAULT_PRIMARY_COLOR = "#1f4e79"
DEFAULT_ACCENT_COLOR = "#e07a1f"
HEX_COLOR = RegexValidator(
    r"^#[0-9a-fA-F]{6}\Z", _("Enter a colour as # followed by six hex digits, like #1f4e79.")
)
MAIN_COLOUR_TOO_LIGHT = _(
    "This colour is too light for the white text on buttons and for links on a white page: "
    "its contrast with white is %(ratio)s to 1, and at least 4.5 to 1 is needed to be "
    "readable (WCAG). Pick a darker shade, for example %(suggestion)s."
)


def readable_on_white(value: str) -> None:
    """The main colour carries white text and is a text colour on white: 4.5:1 both ways.

    Refused rather than darkened behind the consultant's back: the brand colour on every
    page and PDF stays the one they chose, and the message suggests a shade that works.
    """
    if not HEX_COLOR.regex.match(value or ""):
        return  # HEX_COLOR says what is wrong
    ratio = contrast_ratio(value, WHITE)
    if ratio < TEXT_CONTRAST:
        raise ValidationError(MAIN_COLOUR_TOO_LIGHT, code="low_contrast", params={
            "ratio": number_format(ratio, 1), "suggestion": darker_shade(value)})


KVK_NUMBER = RegexValidator(
    r"^[0-9]{8}$", _("A Chamber of Commerce (KvK) number has eight digits.")
)
BOOKING_URL_HTTPS_ONLY = _(
    "Enter the full address of your booking page, starting with https://."
)
# Only https: the link is shown to every visitor, and a plain-http page can be tampered with.
HTTPS_URL = URLValidator(schemes=["https"], message=BOOKING_URL_HTTPS_ONLY)
LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000
LOGO_NOT_AN_IMAGE = _("Upload the logo as a PNG or JPEG image.")
LOGO_TOO_LARGE = _("The logo may be at most 1 MB and 4000 by 4000 pixels.")


def validate_logo(file: File) -> None:
    """Only PNG and JPEG: an SVG can carry scripts and links to other files."""
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(LOGO_TOO_LARGE, code="too_large")
    file.seek(0)
    try:
        with Image.open(file) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(LOGO_NOT_AN_IMAGE, code="not_an_image") from error
    finally:
        file.seek(0)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(LOGO_NOT_AN_IMAGE, code="not_an_image")
    if max(width, height) > LOGO_MAX_PIXELS:
        raise ValidationError(LOGO_TOO_LARGE, code="too_large")


def logo_storage() -> Storage:
    """The media storage (disk or S3); the site's logo view serves the file from it."""
    return default_storage


def logo_upload_to(instance: models.Model, filename: str) -> str:
    # A random name: the uploaded file name never reaches a path or a URL.
    suffix = PurePath(filename).suffix.lower()
    return f"branding/{uuid.uuid4().hex}{suffix if suffix in {'.png', '.jpg', '.jpeg'} else ''}"


# The date the default prices (advisor/consultant/pricing.py) were checked: an untouched
# profile shows it, never the day the profile happened to be saved first.
DEFAULT_PRICES_CHECKED = date(2025, 4, 1)


def default_prices_as_of() -> date:
    return DEFAULT_PRICES_CHECKED


class BillingTerm(models.TextChoices):
    # Microsoft, since 1 April 2025: paying an annual subscription monthly costs 5% more, a
    # monthly subscription 20% more (docs/advice-rules-research.md, F38).
    ANNUAL_YEARLY = "annual_yearly", _("annual subscription, paid yearly")
    ANNUAL_MONTHLY = "annual_monthly", _("annual subscription, paid monthly (5% more)")
    MONTHLY = "monthly", _("monthly subscription (20% more)")


class ConsultantProfile(models.Model):
    """The one consultant behind the site: name, contact details, logo, colours and prices."""

    SINGLETON_ID = 1

    consultant_name = models.CharField(_("your name"), max_length=100)
    company_name = models.CharField(_("company name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    booking_url = models.URLField(
        _("booking page"), blank=True, validators=[HTTPS_URL],
        help_text=_("The page of your online calendar where visitors book an appointment, "
                    "starting with https://. Shown as a button next to the advice."),
    )
    kvk = models.CharField(_("Chamber of Commerce (KvK) number"), max_length=8, blank=True,
                           validators=[KVK_NUMBER])
    logo = models.ImageField(
        _("logo"), upload_to=logo_upload_to, storage=logo_storage, blank=True,
        validators=[validate_logo],
        help_text=_("PNG or JPEG, at most 1 MB. Shown on every page, e-mail and PDF report."),
    )
    primary_color = models.CharField(
        _("main colour"), max_length=7, default=DEFAULT_PRIMARY_COLOR,
        validators=[HEX_COLOR, readable_on_white],
        help_text=_("As # followed by six hex digits, like #1f4e79. Used for buttons with white "
                    "text and for links, so it must be dark enough."),
    )
    accent_color = models.CharField(
        _("accent colour"), max_length=7, default=DEFAULT_ACCENT_COLOR, validators=[HEX_COLOR],
        help_text=_("As # followed by six hex digits, like #e07a1f. Used for lines and borders "
                    "only, never for text, so any colour can be used."),
    )
    prices_as_of = models.DateField(
        _("prices as of"), default=default_prices_as_of,
        help_text=_("The date your price table was last checked; shown with every estimate."),
    )
    domain_check_enabled = models.BooleanField(
        _("check the visitor's e-mail domain"), default=True,
        help_text=_("After each submission, look up the domain of the visitor's e-mail address "
                    "in public DNS: who handles their mail and how well it is protected. "
                    "Switched off, nothing is looked up."),
    )
    billing_term = models.CharField(
        _("billing term"), max_length=16, choices=BillingTerm.choices,
        default=BillingTerm.ANNUAL_YEARLY,
        help_text=_("The term your prices are for; every estimate states it."),
    )
    # The CRM webhook (advisor/webhooks, README "CRM webhook").
    webhook_enabled = models.BooleanField(
        _("send leads to my CRM"), default=False,
        help_text=_("Post each new lead, and each status change you make, to the address "
                    "below. The privacy statement then tells visitors so."),
    )
    webhook_url = models.URLField(
        _("webhook address"), max_length=500, blank=True,
        help_text=_("The address your CRM (or a tool such as Zapier or Make) gives you for "
                    "incoming webhooks, starting with https://."),
    )
    webhook_on_new_lead = models.BooleanField(_("send new leads"), default=True)
    webhook_on_status_change = models.BooleanField(_("send status changes"), default=True)
    # Standard Webhooks secrets ("whsec_" + base64), made by the site, never typed. After a
    # new one is made, the previous one still signs for a day, so the CRM can switch over.
    webhook_secret = models.CharField(_("signing secret"), max_length=100, blank=True,
                                      editable=False)
    webhook_previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    webhook_secret_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("profile, branding and prices")
        verbose_name_plural = _("profile, branding and prices")

    def __str__(self) -> str:
        return self.company_name

    @classmethod
    def load(cls) -> Self:
        """The one profile. Until the consultant saves it in the back office: an unsaved
        profile from settings.BRANDING (see from_settings)."""
        return cls.objects.filter(pk=cls.SINGLETON_ID).first() or cls.from_settings()

    @classmethod
    def from_settings(cls) -> Self:
        """An unsaved profile from settings.BRANDING, without touching the database: the
        starting point of a fresh install, and the branding while the database is down.
        A configured colour that is not a valid hex colour gives way to the default."""
        configured = settings.BRANDING
        profile = cls(
            pk=None,
            **{name: configured[name] for name in
               ("consultant_name", "company_name", "email", "phone", "website", "booking_url",
                "kvk")},
            primary_color=color_or_default(configured["primary_color"], DEFAULT_PRIMARY_COLOR),
            accent_color=color_or_default(configured["accent_color"], DEFAULT_ACCENT_COLOR),
        )
        return profile


@receiver(post_save, sender=ConsultantProfile)
@receiver(post_delete, sender=ConsultantProfile)
def _profile_changed(**kwargs: Any) -> None:
    # Cache invalidation, not business logic: signals also catch a queryset's delete(). Now,
    # for reads later in this transaction; again on commit, as a page that read the old row
    # just before the commit may have cached it under the token advanced now.
    PROFILE_GENERATION.advance()
    PROFILE_GENERATION.advance_on_commit()


def color_or_default(value: str, default: str) -> str:
    """The colour when HEX_COLOR accepts it, else the default."""
    try:
        HEX_COLOR(value)
    except ValidationError:
        return default
    return value


def plan_choices() -> list[tuple[str, object]]:
    return [(key, plan.name) for key, plan in PLANS.items()]


class PlanPrice(models.Model):
    profile = models.ForeignKey(ConsultantProfile, on_delete=models.CASCADE,
                                related_name="prices", verbose_name=_("profile"))
    plan = models.CharField(_("plan"), max_length=32, choices=plan_choices)
    monthly_price = models.DecimalField(
        _("price per user per month (excl. VAT)"), max_digits=7, decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("plan price")
        verbose_name_plural = _("plan prices")
        constraints = [
            models.UniqueConstraint(fields=["profile", "plan"], name="one_price_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.get_plan_display()}: {self.monthly_price}"


class IndexedSession(AbstractBaseSession):
    """A database session (SESSION_ENGINE advisor.privacy.sessions) with the keyed digests of
    the e-mail addresses it holds, so a privacy request finds an unfinished questionnaire
    without decoding every session."""

    # Space-separated HMAC-SHA256 digests (privacy/sessions.py); never an address.
    address_digests = models.TextField(blank=True, default="", editable=False)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls) -> type:
        # As Django's SessionMiddleware finds it: the configured engine's SessionStore.
        return import_module(settings.SESSION_ENGINE).SessionStore


class CspReport(models.Model):
    """A browser's report that the content security policy blocked something on our pages.

    Kept for CSP_REPORT_RETENTION_DAYS (purge). Holds no more than a report does, and less:
    addresses are cut to origin and path, with report tokens and e-mail addresses redacted.
    """

    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    document = models.CharField(_("page"), max_length=300, blank=True)
    blocked = models.CharField(_("blocked"), max_length=300, blank=True)
    directive = models.CharField(_("directive"), max_length=100, blank=True)
    source = models.CharField(_("source file"), max_length=300, blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    disposition = models.CharField(_("disposition"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("CSP report")
        verbose_name_plural = _("CSP reports")

    def __str__(self) -> str:
        return f"{self.directive} {self.blocked}"


class FunnelEvent(models.TextChoices):
    """What a visit did, as the funnel counts it (advisor/funnel; docs/funnel.md says exactly
    when each is counted)."""

    STARTED = "started", _("started the questionnaire")
    STEP_REACHED = "step_reached", _("reached a step")
    STEP_COMPLETED = "step_completed", _("completed a step")
    SUBMITTED = "submitted", _("submitted the questionnaire")
    RESULT_VIEWED = "result_viewed", _("opened the advice")
    PDF_DOWNLOADED = "pdf_downloaded", _("downloaded the PDF")
    SHARED = "shared", _("shared the advice")
    CTA_CLICKED = "cta_clicked", _("used a contact button")


class FunnelCount(models.Model):
    """How many visits did one thing on one day: a number, never a visitor.

    One row per day, language, event, detail (the step, or the contact button) and source;
    incremented in place (advisor/funnel/counting.py). Holds nothing personal, so the
    retention purge leaves it alone.
    """

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=8)
    event = models.CharField(_("event"), max_length=16, choices=FunnelEvent)
    detail = models.CharField(_("step or button"), max_length=32, blank=True)
    # Filled for "started" and "submitted" only: conversion per source needs no more.
    source = models.CharField(_("campaign source"), max_length=64, blank=True)
    medium = models.CharField(_("campaign medium"), max_length=64, blank=True)
    campaign = models.CharField(_("campaign"), max_length=64, blank=True)
    referrer = models.CharField(_("referring site"), max_length=253, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    # The unique key, in this order: its index also serves the queries of a period by day.
    KEY = ("day", "language", "event", "detail", "source", "medium", "campaign", "referrer")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "language", "event", "detail", "source",
                                            "medium", "campaign", "referrer"],
                                    name="one_funnel_count_per_key"),
        ]
        verbose_name = _("funnel count")
        verbose_name_plural = _("funnel counts")

    def __str__(self) -> str:
        return f"{self.day} {self.language} {self.event} {self.detail}: {self.count}"
