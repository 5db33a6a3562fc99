"""The consultant's uploaded logo, streamed from the private media storage."""

from pathlib import PurePath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from advisor.consultant.branding import uploaded_logo_name

LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@require_GET
def brand_logo(request: HttpRequest, name: str) -> FileResponse:
    """The logo uploaded in the back office; its name changes with every upload."""
    stored = uploaded_logo_name(name)
    if stored is None:
        raise Http404
    try:
        handle = default_storage.open(stored, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = LOGO_TYPES.get(PurePath(stored).suffix.lower(), "image/png")
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
