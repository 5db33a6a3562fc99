"""The consultant's uploaded logo, served from the private media folder."""

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from advisor.consultant.branding import uploaded_logo_path

LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@require_GET
def brand_logo(request: HttpRequest, name: str) -> FileResponse:
    """The logo uploaded in the back office; its name changes with every upload."""
    path = uploaded_logo_path(name)
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=LOGO_TYPES.get(path.suffix, "image/png"))
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
