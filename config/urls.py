from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from advisor.backoffice import privacy_requests
from advisor.consultant.views import brand_logo
from advisor.web import errors, health
from advisor.web.views import csp_report, favicon, robots_txt, security_txt

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("logo/<str:name>", brand_logo, name="brand_logo"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin).
    path("favicon.ico", favicon),
    # For the load balancer: outside the language prefixes, no session, no redirect.
    path("health/", health.health, name="health"),
    path("csp-report/", csp_report, name="csp_report"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

# Dutch lives at the root, English under /en/.
urlpatterns += i18n_patterns(
    # Data-subject requests (export, erase); before the admin's URLs, which would 404 it.
    path(f"{settings.ADMIN_URL}privacy/", privacy_requests.privacy_requests, name="admin_privacy"),
    # DJANGO_ADMIN_URL moves the back office, e.g. to "kantoor-7f3a/".
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("advisor.questionnaire.urls")),
    prefix_default_language=False,
)

# Without the database and context processors, so it works when those are what failed.
handler500 = errors.server_error
handler400 = errors.bad_request
