"""PDF rendering behind one function, ``render_pdf``: WeasyPrint in a child process with a
time limit, and every URL the document asks for goes through ``StaticFilesFetcher``: only the
site's own static files, read from disk.

This module is imported by the render child process, which has no Django app registry:
anything that needs the models is imported inside the function that uses it.
"""

from __future__ import annotations

import logging
import mimetypes
import multiprocessing
import os
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Tagged, accessible PDF (PDF/UA-1 implies pdf_tags=True).
PDF_VARIANT = "pdf/ua-1"

REFUSED_URL = "Refused {url!r}: a report may only use the site's own static files."
RENDER_TIMED_OUT = "Rendering {template} took longer than {seconds:g} seconds and was stopped."
RENDER_FAILED = "Rendering {template} failed: {error}"
RENDER_DIED = "The render process for {template} ended without a result (exit code {code})."

class ReportUnavailable(Exception):
    """A PDF could not be rendered; nothing was stored and the submission is unchanged."""


class ReportRenderTimedOut(ReportUnavailable):
    """Rendering took longer than settings.REPORT_RENDER_TIMEOUT and was stopped."""


class ReportRenderFailed(ReportUnavailable):
    """WeasyPrint raised an error, or the render process died."""


class RefusedURL(ValueError):
    """The document asked for something other than one of the site's static files."""


# --- Fetching: only the site's own static files, from disk -------------------------------


@dataclass(frozen=True)
class StaticFiles:
    """Where static files live on disk; plain data so it can travel to the render process.

    ``locations`` are ``(prefix, folder)`` pairs in the order Django's finders search them;
    ``extra_files`` are single files outside those folders that may be read; ``memory_files``
    are ``(url, bytes)`` pairs served from memory (an uploaded logo, read from the media
    storage, which may be on another host: the renderer never needs a path to it).
    """

    url_path: str
    locations: tuple[tuple[str, str], ...]
    extra_files: tuple[str, ...] = ()
    memory_files: tuple[tuple[str, bytes], ...] = ()

    @classmethod
    def from_settings(
        cls, *, extra_files: tuple[Path, ...] = (), memory_files: tuple[tuple[str, bytes], ...] = ()
    ) -> StaticFiles:
        locations: list[tuple[str, str]] = []
        for entry in settings.STATICFILES_DIRS:
            prefix, folder = entry if isinstance(entry, (tuple, list)) else ("", entry)
            locations.append((str(prefix).strip("/"), str(folder)))
        for app_config in apps.get_app_configs():
            folder = Path(app_config.path) / "static"
            if folder.is_dir():
                locations.append(("", str(folder)))
        # Production serves hashed names ({% static %} with a manifest) collected here.
        if settings.STATIC_ROOT:
            locations.append(("", str(settings.STATIC_ROOT)))
        url_path = urlsplit(settings.STATIC_URL).path
        return cls(
            url_path="/" + url_path.strip("/") + "/",
            locations=tuple(locations),
            extra_files=tuple(str(path) for path in extra_files),
            memory_files=memory_files,
        )


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only the site's static files, from disk.

    Accepts ``file:`` URLs that resolve (after ``..`` and symlinks) to a file inside a static
    folder or to one of the explicitly allowed files, and ``file:`` URLs under the static URL
    path (``/static/css/report.css``, as written by ``{% static %}``). Refuses everything
    else: no network, no ``data:``, no other files, no redirects.
    """

    def __init__(self, static_files: StaticFiles) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, timeout=1)
        self.static_files = static_files
        self.roots = tuple(Path(os.path.realpath(folder)) for _, folder in static_files.locations)
        self.allowed_files = frozenset(
            Path(os.path.realpath(path)) for path in static_files.extra_files
        )
        self.memory_files = dict(static_files.memory_files)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url in self.memory_files:
            content_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=self.memory_files[url], headers={"Content-Type": content_type}
            )
        path = self.resolve(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def resolve(self, url: str) -> Path:
        """The real path of an allowed file for this URL; raises RefusedURL otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(REFUSED_URL.format(url=url))
        path = unquote(parts.path)
        if "\x00" in path:
            raise RefusedURL(REFUSED_URL.format(url=url))
        for candidate in (*self._static_candidates(path), Path(path)):
            real = Path(os.path.realpath(candidate))
            if real.is_file() and self._allows(real):
                return real
        raise RefusedURL(REFUSED_URL.format(url=url))

    def _static_candidates(self, path: str) -> list[Path]:
        if not path.startswith(self.static_files.url_path):
            return []
        relative = path.removeprefix(self.static_files.url_path)
        candidates = []
        for prefix, folder in self.static_files.locations:
            if prefix and not relative.startswith(prefix + "/"):
                continue
            candidates.append(Path(folder) / relative.removeprefix(prefix + "/" if prefix else ""))
        return candidates

    def _allows(self, real: Path) -> bool:
        return real in self.allowed_files or any(real.is_relative_to(root) for root in self.roots)


# --- Rendering: generic, bounded in time -------------------------------------------------


def page_number_css() -> str:
    """'page X of Y' for the bottom right of every page, in the active language."""
    marker = "\x00"
    text = gettext("page %(page)s of %(pages)s") % {
        "page": f"{marker}page{marker}",
        "pages": f"{marker}pages{marker}",
    }
    tokens = []
    for index, part in enumerate(text.split(marker)):
        if index % 2:
            tokens.append(f"counter({part})")
        elif part:
            tokens.append(css_string(part))
    return f"@page {{ @bottom-right {{ content: {' '.join(tokens)}; }} }}"


def css_string(text: str) -> str:
    """A quoted CSS string; newlines become spaces."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def write_pdf(*, html: str, stylesheets: tuple[str, ...], static_files: StaticFiles) -> bytes:
    """HTML to PDF with the static-only fetcher, never embedding a file."""
    fetcher = StaticFilesFetcher(static_files)
    css = [weasyprint.CSS(string=text, url_fetcher=fetcher) for text in stylesheets]
    document = weasyprint.HTML(string=html, base_url="file:///", url_fetcher=fetcher).render(
        stylesheets=css, pdf_variant=PDF_VARIANT
    )
    # <link rel="attachment"> and <a rel="attachment"> would embed files: drop them all.
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=None)


def _render_child(
    sender: Connection, html: str, stylesheets: tuple[str, ...], static_files: StaticFiles
) -> None:
    try:
        result = (True, write_pdf(html=html, stylesheets=stylesheets, static_files=static_files))
    except Exception as error:
        # Only the error's type: its message could quote the document (personal data).
        result = (False, type(error).__name__)
    sender.send(result)
    sender.close()


def _render_context() -> multiprocessing.context.BaseContext:
    # forkserver: safe in threaded servers (plain fork is not); the preload keeps each
    # render from importing WeasyPrint again.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["advisor.reports.pdf"])
    return context


def _write_pdf_bounded(
    *, html: str, stylesheets: tuple[str, ...], static_files: StaticFiles, template: str
) -> bytes:
    """write_pdf in a child process that is killed after settings.REPORT_RENDER_TIMEOUT."""
    seconds = settings.REPORT_RENDER_TIMEOUT
    context = _render_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_render_child, args=(sender, html, stylesheets, static_files), daemon=True
    )
    try:
        process.start()
    except Exception as error:
        raise ReportRenderFailed(RENDER_FAILED.format(template=template, error=error)) from error
    finally:
        sender.close()
    try:
        if not receiver.poll(seconds):
            raise ReportRenderTimedOut(RENDER_TIMED_OUT.format(template=template, seconds=seconds))
        succeeded, payload = receiver.recv()
    except EOFError as error:
        process.join(1)
        raise ReportRenderFailed(
            RENDER_DIED.format(template=template, code=process.exitcode)
        ) from error
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if not succeeded:
        raise ReportRenderFailed(RENDER_FAILED.format(template=template, error=payload))
    return payload


# An uploaded logo reaches the renderer as bytes under this URL (plus its suffix).
MEMORY_LOGO_URL = "file:///brand-logo/logo"


def logo_source(branding: Any) -> tuple[str, tuple[tuple[str, bytes], ...]]:
    """The logo's URL for a PDF, and the in-memory file behind it for an uploaded logo.

    A static logo is read from disk by the fetcher like any static file; an uploaded one is
    read here from the media storage (local disk or S3) and handed over as bytes.
    """
    if branding.logo_file:
        from django.core.files.storage import default_storage

        url = MEMORY_LOGO_URL + Path(branding.logo_file).suffix
        try:
            with default_storage.open(branding.logo_file, "rb") as handle:
                return url, ((url, handle.read()),)
        except (FileNotFoundError, OSError):
            logger.warning("The uploaded logo is missing from the media storage")
            return "", ()
    if branding.logo_path:
        return Path(branding.logo_path).as_uri(), ()
    return "", ()


def render_pdf(
    *,
    template_name: str,
    context: dict[str, Any],
    language: str,
    extra_files: tuple[Path, ...] = (),
    memory_files: tuple[tuple[str, bytes], ...] = (),
) -> bytes:
    """Render a Django template to a tagged PDF in ``language``; bounded in time.

    The template may link static files with ``{% static %}``; nothing else is fetched.
    ``language`` is added to the context (for ``<html lang>``), and ``branding`` when missing.
    Every page gets "page X of Y" at the bottom right; restyle it in the template's CSS with
    ``@page { @bottom-right { ... } }``.
    ``extra_files`` are single files outside the static folders the document may use;
    ``memory_files`` are ``(url, bytes)`` pairs it may use (see ``logo_source``).
    Raises ReportRenderTimedOut or ReportRenderFailed (both ReportUnavailable).
    """
    from advisor.consultant.branding import get_branding

    branding = context.get("branding") or get_branding()
    allowed = (*extra_files, *([Path(branding.logo_path)] if branding.logo_path else []))
    with translation.override(language):
        html = render_to_string(
            template_name, {"branding": branding, **context, "language": language}
        )
        stylesheets = (page_number_css(),)
    started = time.perf_counter()
    try:
        pdf = _write_pdf_bounded(
            html=html,
            stylesheets=stylesheets,
            static_files=StaticFiles.from_settings(
                extra_files=allowed, memory_files=memory_files
            ),
            template=template_name,
        )
    except ReportUnavailable as error:
        # No personal data: the error names the template, never the content.
        logger.error("PDF render failed: %s", error)
        raise
    logger.info(
        "Rendered %s (%s) in %.2f s", template_name, language, time.perf_counter() - started
    )
    return pdf


def warm_up() -> float:
    """Start the render process server and render one tiny page, so the first real report
    after a worker starts is as fast as later ones. Returns the seconds it took."""
    started = time.perf_counter()
    _write_pdf_bounded(
        html="<p>warm</p>", stylesheets=(page_number_css(),),
        static_files=StaticFiles.from_settings(), template="warm-up",
    )
    return time.perf_counter() - started
