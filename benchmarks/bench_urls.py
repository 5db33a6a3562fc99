"""The site's URLs plus /bench/bare/: a view that returns a fixed short text."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns

BARE_PATH = "/bench/bare/"


@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare, name="bench_bare"), *site_urlpatterns]
__all__ = ["handler500", "urlpatterns"]
