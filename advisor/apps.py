from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AdvisorConfig(AppConfig):
    name = "advisor"
    verbose_name = _("E-mail advice")

    def ready(self) -> None:
        # Registers the system check that keeps in-process jobs out of production.
        from advisor.queue import checks  # noqa: F401


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the back office's site (two-factor login, dashboard) as default."""

    # Listed in INSTALLED_APPS by its full path; not the advisor app's own config.
    default = False
    default_site = "advisor.backoffice.site.BackOfficeSite"
