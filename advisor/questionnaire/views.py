"""Thin views: HTTP in, a service call, a response out."""

import logging
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import SuspiciousOperation
from django.forms import Form
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import page_not_found
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from formtools.wizard.views import NamedUrlSessionWizardView, WizardView
from redis.exceptions import RedisError

from advisor.advice.table import STEPS
from advisor.consultant.branding import get_branding
from advisor.models import Submission
from advisor.questionnaire.forms import STEP_FORMS, ShareForm
from advisor.questionnaire.selectors import shared_submission_or_404, shares_left
from advisor.questionnaire.services import ShareLimitReached, share_report, submit_once
from advisor.reports.pdf import ReportUnavailable
from advisor.reports.presenters import contact_actions, result_context
from advisor.reports.report import report_filename, report_for
from advisor.web.errors import rate_limited

STEP_INFO = {step.name: step for step in STEPS}
DRAFTS = "drafts"
# Set when a questionnaire starts and kept in its session storage: the key that makes the
# final step store one submission however often it is posted, and the signed start time.
SUBMISSION_KEY = "submission_key"
STARTED = "started"
STARTED_SALT = "advisor.questionnaire.started"
# In the session after the final step: a resubmitted contact page (Back, then send again)
# leads back to this advice instead of an empty questionnaire.
LAST_RESULT = "advisor_last_result"

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "advisor/home.html", {"steps": STEPS})


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


def _result_page(
    request: HttpRequest, submission: Submission, share_form: ShareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    branding = get_branding()
    context = {
        **result_context(submission),
        # Read once here; the page's lazy `branding` would read the profile a second time.
        "branding": branding,
        "contact_actions": contact_actions(branding=branding, company=submission.company),
        "share_form": share_form or ShareForm(),
        "shares_left": shares_left(submission),
    }
    return render(request, "advisor/result.html", context, status=status)


@private_report
@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    return _result_page(request, shared_submission_or_404(token))


def _share_rate(group: str, request: HttpRequest) -> str:
    return settings.SHARE_RATE_PER_IP


@private_report
@require_POST
@ratelimit(key="ip", rate=_share_rate, method="POST", block=False)
def share(request: HttpRequest, token: str) -> HttpResponse:
    """E-mail the report link to the visitor and/or one colleague, then back to the report."""
    submission = shared_submission_or_404(token)
    form = ShareForm(request.POST)
    if request.limited:
        # As a form error: the error summary shows it where the visitor is looking.
        form.add_error(None, SHARE_LIMIT_PER_IP)
        return _result_page(request, submission, share_form=form, status=429)
    if not form.is_valid():
        return _result_page(request, submission, share_form=form)
    try:
        recipients = share_report(submission=submission, to_self=form.cleaned_data["to_self"],
                                  colleague=form.cleaned_data["colleague"])
    except ShareLimitReached:
        form.add_error(None, SHARE_LIMIT_PER_REPORT)
        return _result_page(request, submission, share_form=form, status=429)
    if len(recipients) == 1:
        sent = SHARE_SENT_ONE % {"address": recipients[0]}
    else:
        sent = SHARE_SENT_TWO % {"first": recipients[0], "second": recipients[1]}
    messages.success(request, sent)
    # Back at the share form, where the confirmation is shown.
    return redirect(f"{submission.get_absolute_url()}#{SHARE_ANCHOR}")


@private_report
@require_GET
def report_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The advice report as a PDF download; rendered once, then served from storage."""
    submission = shared_submission_or_404(token)
    try:
        pdf = report_for(submission)
    except ReportUnavailable:
        response = render(request, "advisor/report_unavailable.html",
                          {"submission": submission}, status=503)
        response["Retry-After"] = "300"
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=report_filename(submission)
    )
    return response


class QuestionnaireView(NamedUrlSessionWizardView):
    """The questionnaire, one topic per step, answers kept in the session.

    Adds to formtools: Back keeps what was typed on the current step (as a
    draft), a later step opened too early sends you to the first unanswered
    one, and the final POST itself stores the submission (no GET side effect).
    """

    form_list = STEP_FORMS
    template_name = "advisor/step.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._start()
        step = kwargs.get("step")
        names = list(self.get_form_list())
        if step in names or step == self.done_step_name:
            first_open = self.first_unanswered_step()
            requested = names.index(step) if step in names else len(names)
            if first_open is not None and names.index(first_open) < requested:
                self.storage.current_step = first_open
                return redirect(self.get_step_url(first_open))
            if step == self.done_step_name:
                return redirect(self.get_step_url(self.steps.last))
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        posted = request.POST.get(f"{self.prefix}-current_step")
        names = list(self.get_form_list())
        if posted is not None and posted not in names:
            # formtools would store the unknown step as the current one and fail on it.
            raise SuspiciousOperation("Questionnaire posted with an unknown step")
        if posted == names[-1] and not any(self.storage.get_step_data(n) for n in names):
            # The contact page sent again after the questionnaire was completed (Back).
            stored = Submission.objects.filter(token=request.session.get(LAST_RESULT, "")).first()
            if stored is not None:
                return redirect(stored.get_absolute_url())
        self._start()
        # A step posted before the earlier ones are answered (an expired session, a
        # bookmarked step): keep what was typed and send the visitor to the gap.
        first_open = self.first_unanswered_step()
        if (posted in names and first_open is not None
                and names.index(first_open) < names.index(posted)
                and "wizard_goto_step" not in request.POST):
            form = self.get_form(step=posted, data=request.POST)
            self._set_draft(posted, self._typed_values(form))
            self.storage.current_step = first_open
            return redirect(self.get_step_url(first_open))
        return super().post(request, *args, **kwargs)

    def get_form_prefix(self, step: str | None = None, form: Any = None) -> str | None:
        # Field names are the questionnaire keys themselves (team_size, sector, ...).
        return None

    def first_unanswered_step(self) -> str | None:
        for name in self.get_form_list():
            data = self.storage.get_step_data(name)
            if data is None or not self.get_form(step=name, data=data).is_valid():
                return name
        return None

    def render_goto_step(self, goto_step: str, **kwargs: Any) -> HttpResponseRedirect:
        # formtools drops the current step's input on Back; keep it.
        form = self.get_form(data=self.request.POST, files=self.request.FILES)
        current = self.steps.current
        if form.is_valid():
            self.storage.set_step_data(current, self.process_step(form))
        else:
            self.storage.set_step_data(current, None)
            self._set_draft(current, self._typed_values(form))
        return super().render_goto_step(goto_step, **kwargs)

    def process_step(self, form: Form) -> Any:
        self._set_draft(self.steps.current, None)
        return super().process_step(form)

    @staticmethod
    def _typed_values(form: Form) -> dict[str, str]:
        return {
            name: form.data.get(form.add_prefix(name))
            for name in form.fields
            if form.data.get(form.add_prefix(name)) not in (None, "")
        }

    def _set_draft(self, step: str, values: dict[str, str] | None) -> None:
        extra = dict(self.storage.extra_data)
        drafts = dict(extra.get(DRAFTS, {}))
        if values:
            drafts[step] = values
        else:
            drafts.pop(step, None)
        extra[DRAFTS] = drafts
        self.storage.extra_data = extra

    def get_form_initial(self, step: str) -> dict[str, Any]:
        return dict(self.storage.extra_data.get(DRAFTS, {}).get(step, {}))

    def get_context_data(self, form: Form, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context["step_info"] = STEP_INFO.get(self.steps.current)
        return context

    def _start(self) -> None:
        """Mark the start of a questionnaire: its idempotency key and signed start time."""
        extra = self.storage.extra_data
        if SUBMISSION_KEY in extra and STARTED in extra:
            return
        self.storage.extra_data = {
            **extra,
            SUBMISSION_KEY: secrets.token_urlsafe(32),
            STARTED: signing.dumps(time.time(), salt=STARTED_SALT),
        }

    def _started_at(self) -> float:
        try:
            return float(signing.loads(self.storage.extra_data.get(STARTED, ""),
                                       salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            # Missing or tampered with: count from now, so the minimum fill time applies.
            return time.time()

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(step)
        if step == "contact":
            kwargs["started_at"] = self._started_at()
        return kwargs

    def render_done(self, form: Form, **kwargs: Any) -> HttpResponse:
        # A second POST of the same questionnaire (double click, Back and resubmit, two
        # requests at once): show the advice already stored; no new submission, no mail.
        key = self.storage.extra_data.get(SUBMISSION_KEY)
        stored = Submission.objects.filter(idempotency_key=key).first() if key else None
        if stored is not None:
            self.storage.reset()
            return redirect(stored.get_absolute_url())
        if self._submission_limited():
            # Before anything is stored or reset: the answers stay for a later try.
            return rate_limited(self.request)
        # Skip NamedUrlWizardView's redirect to a "done" URL: store on this POST.
        return WizardView.render_done(self, form, **kwargs)

    def _submission_limited(self) -> bool:
        try:
            return is_ratelimited(self.request, group="advisor:submit", key="ip",
                                  rate=settings.SUBMISSION_RATE_PER_IP, increment=True)
        except RedisError:
            # The cache is down: accept the submission (the bot checks still apply).
            logger.exception("Rate limit cache unavailable; submission accepted unlimited")
            return False

    def done(self, form_list: Any, form_dict: dict[str, Form], **kwargs: Any) -> HttpResponse:
        answers: dict[str, str] = {}
        for name, form in form_dict.items():
            if name != "contact":
                answers.update(form.cleaned_data)
        key = self.storage.extra_data.get(SUBMISSION_KEY) or secrets.token_urlsafe(32)
        submission, _created = submit_once(
            idempotency_key=key, answers=answers, contact=form_dict["contact"].cleaned_data,
            language=get_language(),
        )
        self.request.session[LAST_RESULT] = submission.token
        return redirect(submission.get_absolute_url())


questionnaire = QuestionnaireView.as_view(url_name="advisor:step", done_step_name="klaar")
