"""What is stored: one submission per completed questionnaire."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# 32 random bytes = 256 bits, URL-safe: unguessable, unlike an id or a UUID.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Submission(models.Model):
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token,
                             editable=False)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    language = models.CharField(_("language"), max_length=8)

    answers = models.JSONField(_("answers"))
    advice = models.JSONField(_("advice as given"))
    engine_version = models.CharField(_("engine version"), max_length=32)
    # Copied out of the advice and answers so the back office can filter on them.
    verdict = models.CharField(_("verdict"), max_length=8, db_index=True)
    clear = models.BooleanField(_("clear advice"))
    plan = models.CharField(_("suggested plan"), max_length=32, db_index=True)
    sector = models.CharField(_("sector"), max_length=32, db_index=True)
    team_size = models.CharField(_("team size"), max_length=16, db_index=True)

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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.company} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("advisor:result", kwargs={"token": self.token})
