from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from advisor.consultant.branding import get_branding


def branding(request: HttpRequest) -> dict[str, object]:
    # Lazy: read once per request, and only by pages that show the branding.
    return {"branding": SimpleLazyObject(get_branding)}
