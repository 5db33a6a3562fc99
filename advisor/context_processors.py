from django.http import HttpRequest

from advisor.branding import get_branding


def branding(request: HttpRequest) -> dict[str, object]:
    return {"branding": get_branding()}
