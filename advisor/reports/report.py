"""The visitor's advice report: its context, file name, reference, fingerprint and storage.

Reports are rendered by the ``store_report`` job (``tasks.py``) as soon as a submission is
stored; pages and downloads only read what is stored (``report_download``).
"""

import hashlib
import json
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import Node, engines
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.templatetags.static import StaticNode
from django.utils import timezone
from django.utils.text import slugify

from advisor.advice import table as questionnaire
from advisor.consultant.branding import Branding, get_branding
from advisor.lib.digests import file_digest
from advisor.models import Submission
from advisor.queue.jobs import defer_on_commit
from advisor.reports.domain import domain_check_context
from advisor.reports.pdf import logo_source, render_pdf
from advisor.reports.presenters import result_context

logger = logging.getLogger(__name__)

REPORT_TEMPLATE = "report/advice.html"
FILENAME_COMPANY_MAX_LENGTH = 60
FILENAME_SUFFIX = "email-advies"
# Crockford's base32: no I, L, O or U, so a reference read out over the phone is unambiguous.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6

# Letters that Unicode decomposition leaves alone but that have a common ASCII spelling.
ASCII_SPELLINGS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "\u0131": "i",
    }
)


# --- The advice report of one submission -------------------------------------------------


# --- What a report is made of: its templates and style sheets, found in the templates -----


def _child_nodes(node: Node) -> list[Node]:
    children = []
    for attribute in node.child_nodelists:
        children.extend(getattr(node, attribute, None) or [])
    return children


def _literal(expression: Any) -> str | None:
    """The constant string of a template expression ("includes/x.html"), else None."""
    value = getattr(expression, "var", None)
    return value if isinstance(value, str) and not getattr(expression, "filters", None) else None


def template_files(template_name: str) -> tuple[list[Path], list[Path]]:
    """Every template file and static file a template uses: itself, what it extends and
    includes (recursively), and each ``{% static '...' %}``. Read from the parsed templates,
    so a new include or style sheet is covered without a list to keep up to date."""
    engine = engines["django"].engine
    templates: list[Path] = []
    statics: list[Path] = []
    pending, seen = [template_name], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        template = engine.get_template(name)
        templates.append(Path(template.origin.name))
        nodes = list(template.nodelist)
        while nodes:
            node = nodes.pop()
            if isinstance(node, IncludeNode | ExtendsNode):
                expression = node.template if isinstance(node, IncludeNode) else node.parent_name
                if (included := _literal(expression)) is not None:
                    pending.append(included)
            elif isinstance(node, StaticNode) and (path := _literal(node.path)) is not None:
                statics.extend(Path(found) for found in [finders.find(path)] if found)
            nodes.extend(_child_nodes(node))
    return templates, statics


def template_digest(template_name: str) -> str:
    """SHA-256 over the bytes of every template and style sheet ``template_name`` uses."""
    templates, statics = template_files(template_name)
    digest = hashlib.sha256()
    for path in sorted({*templates, *statics}):
        digest.update(f"{path.name}:{file_digest(path)}\n".encode())
    return digest.hexdigest()


def report_reference(submission: Submission) -> str:
    """A short reference the consultant can quote, e.g. ``KE-2026-7K3QF9``.

    Derived one-way from the submission's random token: it reveals neither the result link
    nor, unlike the primary key, how many leads there are. 30 bits: among the few thousand
    leads of a year, two sharing a reference is unlikely, and the year narrows it further.
    """
    digest = int.from_bytes(hashlib.sha256(submission.token.encode()).digest()[:8], "big")
    code = "".join(
        REFERENCE_ALPHABET[(digest >> (5 * i)) & 31] for i in range(REFERENCE_LENGTH)
    )
    return f"KE-{timezone.localtime(submission.created_at):%Y}-{code}"


def report_filename(submission: Submission) -> str:
    """``<company>-email-advies-<date>.pdf``, plain ASCII, safe on every file system."""
    company = unicodedata.normalize("NFKC", submission.company).translate(ASCII_SPELLINGS)
    slug = slugify(company)[:FILENAME_COMPANY_MAX_LENGTH].strip("-_")
    date = timezone.localtime(submission.created_at).date().isoformat()
    return "-".join(filter(None, [slug, FILENAME_SUFFIX, date])) + ".pdf"


def report_fingerprint(submission: Submission) -> str:
    """Changes whenever the stored report would look different if rendered now."""
    branding = get_branding()
    catalogs = [
        Path(folder) / submission.language / "LC_MESSAGES" / "django.mo"
        for folder in settings.LOCALE_PATHS
    ]
    parts = {
        # Every template and style sheet of the report, by content.
        "templates": template_digest(REPORT_TEMPLATE),
        "engine": questionnaire.ENGINE_VERSION,
        "advice_engine": submission.engine_version,
        "renderer": weasyprint.__version__,
        "language": submission.language,
        # Covers every branding field and the logo file's bytes.
        "branding": branding.fingerprint,
        "translations": [file_digest(path) for path in catalogs],
        "content": [submission.company, submission.name, submission.advice,
                    submission.domain_check],
    }
    encoded = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def report_context(submission: Submission, branding: Branding) -> dict[str, Any]:
    """What the report template shows; the logo's URL is added by render_report."""
    return {
        **result_context(submission),
        "branding": branding,
        "reference": report_reference(submission),
        "report_date": submission.created_at,
        # A PDF shows stored findings only, never "being checked".
        "domain_check": domain_check_context(submission, in_pdf=True),
    }


def render_report(submission: Submission) -> bytes:
    """Render the advice report now, in the visitor's language. Stores nothing."""
    branding = get_branding()
    url, memory_files = logo_source(branding)
    return render_pdf(
        template_name=REPORT_TEMPLATE,
        context={**report_context(submission, branding), "logo_url": url},
        language=submission.language,
        memory_files=memory_files,
    )


# --- Rendering in the background, storing, serving -----------------------------------------

CURRENT, STORED, GONE = "current", "stored", "gone"


def report_lock(submission_id: int) -> str:
    """The lock of the render and of every job that changes what the report shows (the domain
    check): they run one after the other, in the order deferred, on whichever workers.

    Without it, with several workers, a render could start beside the domain check it should
    show (and be made again on the next download), or a download during a render could queue
    a second render that another worker starts at once; the queueing lock only refuses a
    second job while the first one waits, not while it runs.
    """
    return f"report-content-{submission_id}"


def request_report(*, submission: Submission) -> None:
    """Queue a render of this submission's report once the current transaction commits.

    The queueing lock ``report-<id>`` refuses a second render while one waits, so visitors
    and downloads can ask as often as they like: renders are bounded by the workers. A render
    asked for while one runs waits for it (``report_lock``) and then finds the report current.
    """
    from advisor.reports.tasks import store_report

    defer_on_commit(store_report, queueing_lock=f"report-{submission.pk}",
                    lock=report_lock(submission.pk), submission_id=submission.pk)


def store_report_of(*, submission_id: int) -> str:
    """The job's work: render the report unless the stored one is current, and store it.

    Returns CURRENT (nothing to do), STORED, or GONE (the submission was erased, before or
    during the render: then nothing is left behind). Raises ReportUnavailable.
    """
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        return GONE
    fingerprint = report_fingerprint(submission)
    if submission.report_fingerprint == fingerprint and _stored_file_exists(submission):
        return CURRENT
    pdf = render_report(submission)
    field = submission.report_pdf
    # A random file name: the company name stays out of paths and the name is unguessable.
    field.save(f"{secrets.token_urlsafe(24)}.pdf", ContentFile(pdf), save=False)
    name = field.name
    with transaction.atomic():
        # Under the row lock: an erasure either ran before (no row) or waits for this commit
        # and then finds, and deletes, the new file (privacy.services locks the same rows).
        row = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if row is None:
            field.storage.delete(name)
            logger.info("Submission %s was erased during its render; nothing kept",
                        submission_id)
            return GONE
        previous = row.report_pdf.name
        Submission.objects.filter(pk=submission_id).update(
            report_pdf=name, report_fingerprint=fingerprint, report_failed_at=None
        )
    if previous and previous != name:
        field.storage.delete(previous)
    logger.info("Stored the report of submission %s", submission_id)
    return STORED


def mark_report_failed(*, submission_id: int) -> None:
    Submission.objects.filter(pk=submission_id).update(report_failed_at=timezone.now())


def _stored_file_exists(submission: Submission) -> bool:
    if not submission.report_pdf:
        return False
    return submission.report_pdf.storage.exists(submission.report_pdf.name)


READY, PREPARING, FAILED = "ready", "preparing", "failed"


@dataclass(frozen=True)
class ReportDownload:
    """What a download of the report can serve now: the stored file, or a state to show."""

    state: str
    name: str = ""  # the file's name in the media storage when READY

    @property
    def ready(self) -> bool:
        return self.state == READY


def report_state(submission: Submission) -> str:
    """READY, PREPARING or FAILED, from what is stored; queues nothing."""
    if submission.report_pdf:
        return READY
    return FAILED if submission.report_failed_at else PREPARING


def report_download(*, submission: Submission) -> ReportDownload:
    """The stored report for a download, never rendered in the request.

    No stored file: a render is queued (at most one waits) and the visitor sees PREPARING,
    or FAILED when the last render failed. An outdated file (the branding or a template
    changed since) is served as it is while ONE re-render is queued: its advice is the
    same, and the visitor gets a PDF at once instead of waiting for a new look.
    """
    if not _stored_file_exists(submission):
        request_report(submission=submission)
        return ReportDownload(FAILED if submission.report_failed_at else PREPARING)
    if submission.report_fingerprint != report_fingerprint(submission):
        request_report(submission=submission)
    return ReportDownload(READY, name=submission.report_pdf.name)


def read_stored_report(submission: Submission) -> bytes:
    with submission.report_pdf.storage.open(submission.report_pdf.name, "rb") as handle:
        return handle.read()
