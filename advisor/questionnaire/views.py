"""Thin views for the visitor's pages: the start page, the result page, sharing it, its PDF.

The questionnaire itself is in wizard.py.
"""

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.defaults import page_not_found
from django_ratelimit.decorators import ratelimit

from advisor.advice import table as q
from advisor.consultant.branding import get_branding
from advisor.funnel.sources import landing_source
from advisor.funnel.visits import result_event
from advisor.models import FunnelEvent, Submission
from advisor.outbox.limits import AddressLimitReached
from advisor.outbox.mail import is_confirmation_code
from advisor.questionnaire import checkup as checkups
from advisor.questionnaire.forms import ShareForm
from advisor.questionnaire.selectors import (
    ResultPageState,
    advice_mail_status,
    result_mails,
    result_page_state,
    shared_submission_or_404,
)
from advisor.questionnaire.sharing import (
    COLLEAGUE_ALREADY,
    NOT_CONFIRMED,
    REPORT_LIMIT,
    ShareRefused,
    confirm_address,
    refusal,
    share_options,
    share_report,
)
from advisor.questionnaire.wizard import LAST_RESULT, prefill
from advisor.reports.domain import domain_check_context
from advisor.reports.presenters import contact_actions, result_page_context
from advisor.reports.report import FAILED, report_download, report_filename, report_state
from advisor.reports.status import DOMAIN_CHECK, PDF, STATUS_FIELDS, ReportStatus, report_status
from advisor.web.fragments import private_page, private_pages_cached, shared_page


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The start link hands on where the visit came from: there is no session to keep it in.
    steps = q.question_steps()
    source_query = landing_source(request).as_query()
    # What the cached list of topics shows: it is rendered again when a text changes.
    topics_key = [(step.name, str(step.title), str(step.intro)) for step in steps]
    context = {"steps": steps, "source_query": source_query, "topics_key": topics_key}
    if request.GET or source_query:
        # A campaign's or another site's visitor: their start link is their own.
        response = render(request, "advisor/home.html", context)
    else:
        response = HttpResponse(shared_page(request, "advisor/home.html", context,
                                            vary_on=topics_key))
    patch_vary_headers(response, ["Referer"])
    return response


# The id of the result page's share section: a sent share lands there.
SHARE_ANCHOR = "share"
SHARE_SENT_ONE = _("The link is on its way to %(address)s. It can take a few minutes to arrive.")
SHARE_SENT_TWO = _(
    "The link is on its way to %(first)s and %(second)s. It can take a few minutes to arrive."
)
SHARE_LIMIT_PER_REPORT = _(
    "This advice has already been e-mailed as often as we allow. Need it again? Contact us."
)
SHARE_LIMIT_PER_IP = _(
    "You have sent many e-mails in a short time. Please wait an hour and try again."
)
SHARE_NOT_CONFIRMED = _(
    "First confirm your e-mail address: open the e-mail we sent to %(address)s and click "
    "“Confirm my address”. Then you can send this advice to a colleague, or to yourself "
    "again. This way nobody can use this site to send e-mail to someone else's address."
)
SHARE_COLLEAGUE_ALREADY = _(
    "You have already shared this advice with a colleague (%(address)s). We send it to one "
    "colleague per advice. Want more people to read it? Forward your own e-mail to them."
)
SHARE_LIMIT_PER_ADDRESS = _(
    "We have already sent %(address)s as many e-mails today as we allow, so that nobody can "
    "use this site to flood an inbox. Please try again tomorrow."
)
ADDRESS_CONFIRMED = _(
    "Thank you: %(address)s is confirmed. You can now send this advice to a colleague, or "
    "to yourself again."
)
# (message, HTTP status) per refusal of the policy.
REFUSALS = {
    NOT_CONFIRMED: (SHARE_NOT_CONFIRMED, 403),
    COLLEAGUE_ALREADY: (SHARE_COLLEAGUE_ALREADY, 403),
    REPORT_LIMIT: (SHARE_LIMIT_PER_REPORT, 429),
}


def private_report(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For every page under a report link, its 404 included.

    The URL is the only key to someone's advice: keep it out of caches, other sites'
    referrers and search engines. "same-origin", not "no-referrer": with no-referrer Chromium
    posts this page's forms with "Origin: null", which Django's CSRF check refuses.
    """
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404 as exception:
            response = page_not_found(request, exception)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response
    return wrapped


# While the PDF is being made or the domain checked, a small script (static/js/status-poll.js)
# asks the status endpoint, from 2 s apart growing to 10 s, for this long; then it offers a
# link to check again, which is also all a browser without JavaScript gets. Never a <meta>
# refresh: it reloads the page under a visitor who is typing, and fails WCAG 2.2.1.
STATUS_POLL_SECONDS = 300
# What the 202 "being prepared" answer suggests to a client that retries by itself.
PREPARING_RETRY_AFTER_SECONDS = 5


def count_for_the_visitor(request: HttpRequest, submission: Submission | ResultPageState,
                          event: str, detail: str = "") -> None:
    """The funnel counts what the visitor does on their own advice, in the browser that
    completed the questionnaire; a colleague's or the consultant's visit counts nothing."""
    if request.session.get(LAST_RESULT) == submission.token:
        result_event(request, event=event, result=str(submission.pk), detail=detail)


def counted_contact_actions(*, submission: Submission, actions: list[dict[str, str]]
                            ) -> list[dict[str, str]]:
    """The contact buttons through our own address (views.contact), which counts the click
    and sends the browser on: no script needed."""
    return [{**action, "href": reverse("advisor:contact", kwargs={
        "token": submission.token, "kind": action["kind"]})} for action in actions]


def status_poll(*, submission: Submission, report: ReportStatus, parts: Sequence[str],
                check_again_url: str) -> dict[str, Any] | None:
    """What templates/advisor/_status_poll.html needs to follow the ``parts`` ("pdf",
    "domain_check") that are still on their way; None when none is."""
    waiting = [part for part in parts if part in report.waiting_parts]
    if not waiting:
        return None
    return {
        "status_url": reverse("advisor:report_status", kwargs={"token": submission.token}),
        "parts_url": reverse("advisor:report_status_parts", kwargs={"token": submission.token}),
        "watch": " ".join(waiting),
        "pdf": report.pdf,
        "domain_check": report.domain_check,
        "pdf_waiting": report.pdf_waiting,
        "seconds": STATUS_POLL_SECONDS,
        "check_again_url": check_again_url,
    }


def _result_context(submission: Submission, share_form: ShareForm | None = None,
                    refused_because: str = "") -> dict[str, Any]:
    report = report_status(submission)
    branding = get_branding()
    mails = result_mails(submission)  # one query for the share options and the mail status
    return {
        **result_page_context(submission=submission, branding=branding),
        # Read once here; the page's lazy `branding` would read the profile a second time.
        "branding": branding,
        "contact_actions": counted_contact_actions(submission=submission, actions=contact_actions(
            branding=branding, company=submission.company)),
        "share_form": share_form or ShareForm(),
        "share": share_options(submission, mails),
        "share_refusal": refused_because,
        "pdf_state": report.pdf,
        "status_poll": status_poll(submission=submission, report=report,
                                   parts=(PDF, DOMAIN_CHECK),
                                   check_again_url=submission.get_absolute_url()),
        "advice_mail": advice_mail_status(mails),
        "checkup": checkups.checkup_status(submission),
    }


def _result_page(
    request: HttpRequest, submission: Submission, share_form: ShareForm | None = None,
    status: int = 200, refused_because: str = "",
) -> HttpResponse:
    context = _result_context(submission, share_form=share_form,
                              refused_because=refused_because)
    return render(request, "advisor/result.html", context, status=status)


@private_report
@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    if request.GET or len(messages.get_messages(request)) or not private_pages_cached():
        # A message to show once, or an address of the visitor's own making: rendered for
        # this request only.
        submission = shared_submission_or_404(token)
        count_for_the_visitor(request, submission, FunnelEvent.RESULT_VIEWED)
        return _result_page(request, submission)
    # The page as it was last rendered while nothing it shows has changed: one narrow read
    # instead of three, and no template (docs/performance.md).
    state = result_page_state(token)
    count_for_the_visitor(request, state, FunnelEvent.RESULT_VIEWED)
    return HttpResponse(private_page(
        request, "advisor/result.html",
        lambda: _result_context(shared_submission_or_404(token)),
        owner=token, state=_page_state(state),
        state_now=lambda: _page_state(result_page_state(token))))


def _page_state(state: ResultPageState) -> tuple[str, int]:
    # The stored rows the page shows, and the one setting it shows from them.
    return (state.digest, settings.SHARE_MAX_PER_REPORT)


class ContactRedirect(HttpResponseRedirect):
    # The phone and e-mail buttons lead to tel: and mailto:, which browsers hand to the app.
    allowed_schemes = ["https", "http", "tel", "mailto"]


@private_report
@require_GET
def contact(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    """A contact button under the advice: counted, then on to the booking page, the phone or
    the e-mail program. private_report's Referrer-Policy keeps the token from the booking
    site."""
    submission = shared_submission_or_404(token)
    actions = {action["kind"]: action["href"] for action in contact_actions(
        branding=get_branding(), company=submission.company)}
    if kind not in actions:
        raise Http404
    count_for_the_visitor(request, submission, FunnelEvent.CTA_CLICKED, detail=kind)
    return ContactRedirect(actions[kind])


def _share_rate(group: str, request: HttpRequest) -> str:
    return settings.SHARE_RATE_PER_IP


def _refused(request: HttpRequest, submission: Submission, message: str, status: int,
             form: ShareForm | None = None) -> HttpResponse:
    """The result page with why nothing was sent, in the error summary at the top of the
    share section; a valid form keeps what the visitor typed."""
    form = form if form is not None and form.is_bound and form.is_valid() else ShareForm()
    return _result_page(request, submission, share_form=form, status=status,
                        refused_because=message)


@private_report
@require_POST
@ratelimit(key="ip", rate=_share_rate, method="POST", block=False)
def share(request: HttpRequest, token: str) -> HttpResponse:
    """E-mail the report link to the visitor and/or one colleague, then back to the report."""
    submission = shared_submission_or_404(token)
    form = ShareForm(request.POST)
    if request.limited:
        return _refused(request, submission, SHARE_LIMIT_PER_IP, 429, form)
    # What the policy refuses whatever the address: said before the address is checked.
    options = share_options(submission)
    reason = refusal(options, colleague=bool(request.POST.get("colleague", "").strip()))
    if reason is None:
        if not form.is_valid():
            return _result_page(request, submission, share_form=form)
        try:
            recipients = share_report(submission=submission,
                                      to_self=form.cleaned_data["to_self"],
                                      colleague=form.cleaned_data["colleague"])
        except ShareRefused as refused:
            reason, options = refused.reason, share_options(submission)
        except AddressLimitReached as limited:
            return _refused(request, submission,
                            SHARE_LIMIT_PER_ADDRESS % {"address": limited.address}, 429, form)
        else:
            return _shared(request, submission, recipients)
    message, status = REFUSALS[reason]
    address = options.colleague if reason == COLLEAGUE_ALREADY else options.email
    return _refused(request, submission, message % {"address": address}, status, form)


def _shared(request: HttpRequest, submission: Submission, recipients: list[str]) -> HttpResponse:
    count_for_the_visitor(request, submission, FunnelEvent.SHARED)
    if len(recipients) == 1:
        sent = SHARE_SENT_ONE % {"address": recipients[0]}
    else:
        sent = SHARE_SENT_TWO % {"first": recipients[0], "second": recipients[1]}
    messages.success(request, sent)
    # Back at the share form, where the confirmation is shown.
    return redirect(f"{submission.get_absolute_url()}#{SHARE_ANCHOR}")


@private_report
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str, code: str) -> HttpResponse:
    """The link in the advice mail: a page with a button, and the button confirms.

    A GET changes nothing: mail scanners open every link in a mail, and a confirmation they
    gave would prove nothing about the person who reads it.
    """
    submission = shared_submission_or_404(token)
    if not is_confirmation_code(submission=submission, code=code):
        raise Http404
    if request.method == "POST":
        confirm_address(submission=submission)
        messages.success(request, ADDRESS_CONFIRMED % {"address": submission.email})
        return redirect(f"{submission.get_absolute_url()}#{SHARE_ANCHOR}")
    return render(request, "advisor/confirm_address.html", {"submission": submission})


@private_report
@require_GET
def report_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    """The advice report as a PDF download, from storage; never rendered in the request.

    While it is being made, a small page says so; its script (or, without JavaScript, its
    "Check again" link) offers the download once the PDF is there.
    """
    submission = shared_submission_or_404(token)
    download = report_download(submission=submission)
    if download.ready:
        count_for_the_visitor(request, submission, FunnelEvent.PDF_DOWNLOADED)
        return FileResponse(
            submission.report_pdf.storage.open(download.name, "rb"), as_attachment=True,
            filename=report_filename(submission), content_type="application/pdf",
        )
    if download.state == FAILED:
        response = render(request, "advisor/report_unavailable.html",
                          {"submission": submission}, status=503)
        response["Retry-After"] = "300"
        return response
    url = reverse("advisor:report_pdf", kwargs={"token": submission.token})
    response = render(request, "advisor/report_preparing.html", {
        "submission": submission, "pdf_state": download.state,
        # From the download's own state: a file gone from storage is "being prepared" too.
        "status_poll": status_poll(submission=submission,
                                   report=ReportStatus(pdf=download.state, domain_check=""),
                                   parts=(PDF,), check_again_url=url),
    }, status=202)
    response["Retry-After"] = str(PREPARING_RETRY_AFTER_SECONDS)
    return response


@private_report
@require_GET
def report_status_json(request: HttpRequest, token: str) -> JsonResponse:
    """Where the PDF and the domain check stand, for the result page's script.

    The same link test as the result page (an unknown, expired or revoked link is the same
    404), no-store like every report page, and states only, nothing the visitor typed: a
    poll reads four columns and tells no more than the page it belongs to.
    """
    submission = shared_submission_or_404(token, only=STATUS_FIELDS)
    return JsonResponse(report_status(submission).as_json())


@private_report
@require_GET
def report_status_parts(request: HttpRequest, token: str) -> HttpResponse:
    """The result page's status parts as the page renders them (the PDF's state and the
    domain check), for the script to swap in once the status says one has changed."""
    submission = shared_submission_or_404(token)
    return render(request, "advisor/_status_parts.html", {
        "submission": submission, "pdf_state": report_state(submission),
        "domain_check": domain_check_context(submission),
    })


# --- The yearly check-up: the reminder's links, and stopping it ------------------------------

# The id of the result page's check-up section: stopping it there lands back on it.
CHECKUP_ANCHOR = "checkup"


@private_report
@require_GET
def checkup(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the reminder: a new questionnaire with the earlier answers filled in.

    A GET that only fills this browser's own session, so a mail scanner opening it harms
    nothing; it cannot stop or send anything.
    """
    previous = checkups.previous_answers(token)
    if previous is None:
        raise Http404
    return redirect("advisor:step", step=prefill(request, previous=previous))


def _checkup_stop_page(request: HttpRequest, state: str, *, status: int = 200,
                       **context: Any) -> HttpResponse:
    return render(request, "advisor/checkup_stop.html", {
        "state": state, "retention_months": settings.RETENTION_MONTHS, **context,
    }, status=status)


@private_report
@csrf_exempt  # the one-click POST (RFC 8058) comes without a cookie; the token is the key
@require_http_methods(["GET", "POST"])
def checkup_stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the reminder: a GET shows one button (mail scanners open links, so a GET must
    not stop anything); a POST, the button's or a mail program's one-click, stops it."""
    reminder = checkups.reminder_for_token(token)
    if reminder is None:
        return _checkup_stop_page(request, checkups.GONE, status=404)
    if request.method == "POST":
        deleted = checkups.stop_reminder(reminder=reminder)
        return _checkup_stop_page(request, checkups.STOPPED, deleted=deleted)
    return _checkup_stop_page(request, checkups.state(reminder), due_at=reminder.due_at)


@private_report
@require_POST
def result_checkup_stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the reminder from the result page, then back to it, where it says so."""
    submission = shared_submission_or_404(token)
    reminder = checkups.reminder_of(submission)
    if reminder is not None and checkups.stop_reminder(reminder=reminder):
        # Its data was kept only for the check-up and is gone now.
        return _checkup_stop_page(request, checkups.STOPPED, deleted=True)
    return redirect(f"{submission.get_absolute_url()}#{CHECKUP_ANCHOR}")
