from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models import fields
from django.utils.translation import gettext_lazy as _

BLANK_CHOICE_LABEL = _("- Select an option -")


class AdvisorConfig(AppConfig):
    name = "advisor"
    verbose_name = _("E-mail advice")

    def ready(self) -> None:
        # Registers the system check that keeps in-process jobs out of production.
        from advisor.queue import checks  # noqa: F401
        # Django 6.1's new empty choice in select boxes has no Dutch translation in Django's
        # own catalogue yet; Django lets an app replace it here (django/db/models/fields).
        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the back office's site (two-factor login, dashboard) as default."""

    # Listed in INSTALLED_APPS by its full path; not the advisor app's own config.
    default = False
    default_site = "advisor.backoffice.site.BackOfficeSite"
