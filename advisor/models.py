"""What is stored: one submission per completed questionnaire."""

import secrets
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from advisor.advice.table import PLANS

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


class Submission(models.Model):
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token,
                             editable=False)
    # A default rather than auto_now_add, so seed_demo can spread demo leads over a year.
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False,
                                      db_index=True)
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
    consent_version = models.CharField(_("privacy statement version"), max_length=16)

    # Set by the questionnaire's final step so a double POST stores one submission.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                       editable=False)

    # The PDF report, rendered once and re-rendered when its fingerprint (branding,
    # engine version, language) no longer matches.
    report_pdf = models.FileField(_("PDF report"), upload_to="reports/%Y/%m/", blank=True)
    report_fingerprint = models.CharField(_("report fingerprint"), max_length=64, blank=True)
    # The share link is the result page's token; it can expire or be revoked.
    link_expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    link_revoked_at = models.DateTimeField(_("link revoked at"), null=True, blank=True)
    share_count = models.PositiveSmallIntegerField(_("report e-mails sent"), default=0)

    # The consultant's follow-up, edited in the back office.
    status = models.CharField(_("follow-up status"), max_length=16, choices=FollowUpStatus,
                              default=FollowUpStatus.NEW)
    notes = models.TextField(_("notes"), blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        # The lead list filters on one column and shows the newest first; with these a page,
        # and its count, read an index instead of 100,000 wide rows.
        indexes = [
            models.Index(fields=["verdict", "created_at"], name="submission_verdict_idx"),
            models.Index(fields=["plan", "created_at"], name="submission_plan_idx"),
            models.Index(fields=["sector", "created_at"], name="submission_sector_idx"),
            models.Index(fields=["team_size", "created_at"], name="submission_team_size_idx"),
            models.Index(fields=["status", "created_at"], name="submission_status_idx"),
            models.Index(fields=["status", "next_follow_up", "created_at"],
                         name="submission_follow_up_idx"),
            models.Index(fields=["company"], name="submission_company_idx"),
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.company} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("advisor:result", kwargs={"token": self.token})


# --- The consultant's profile: branding and prices, edited in the back office ---

HEX_COLOR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hex digits, like #1f4e79.")
)
KVK_NUMBER = RegexValidator(
    r"^[0-9]{8}$", _("A Chamber of Commerce (KvK) number has eight digits.")
)
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


class LogoStorage(FileSystemStorage):
    """Uploaded logos live in the private media folder; the site's logo view serves them."""

    def url(self, name: str | None) -> str:
        return reverse("brand_logo", kwargs={"name": PurePath(name or "").name})


def logo_storage() -> LogoStorage:
    return LogoStorage()


def logo_upload_to(instance: models.Model, filename: str) -> str:
    # A random name: the uploaded file name never reaches a path or a URL.
    suffix = PurePath(filename).suffix.lower()
    return f"branding/{uuid.uuid4().hex}{suffix if suffix in {'.png', '.jpg', '.jpeg'} else ''}"


class ConsultantProfile(models.Model):
    """The one consultant behind the site: name, contact details, logo, colours and prices."""

    SINGLETON_ID = 1

    consultant_name = models.CharField(_("your name"), max_length=100)
    company_name = models.CharField(_("company name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    kvk = models.CharField(_("Chamber of Commerce (KvK) number"), max_length=8, blank=True,
                           validators=[KVK_NUMBER])
    logo = models.ImageField(
        _("logo"), upload_to=logo_upload_to, storage=logo_storage, blank=True,
        validators=[validate_logo],
        help_text=_("PNG or JPEG, at most 1 MB. Shown on every page, e-mail and PDF report."),
    )
    primary_color = models.CharField(
        _("main colour"), max_length=7, default="#1f4e79", validators=[HEX_COLOR],
        help_text=_("As # followed by six hex digits, like #1f4e79."),
    )
    accent_color = models.CharField(
        _("accent colour"), max_length=7, default="#e07a1f", validators=[HEX_COLOR],
        help_text=_("As # followed by six hex digits, like #e07a1f."),
    )
    prices_as_of = models.DateField(
        _("prices as of"), default=timezone.localdate,
        help_text=_("The date your price table was last checked; shown with every estimate."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("profile, branding and prices")
        verbose_name_plural = _("profile, branding and prices")

    def __str__(self) -> str:
        return self.company_name


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
