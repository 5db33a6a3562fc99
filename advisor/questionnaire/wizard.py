"""The questionnaire: a formtools wizard over the table, one URL per step, answers in the session.

The steps, their forms and a ``condition_dict`` come from advisor/advice/table.py on every
request; ``done()`` hands the cleaned data to one service. What this adds to formtools:

- Back keeps what was typed on the current step (formtools drops it): as the step's answers
  when they are valid, else as a draft shown as the form's initial values;
- a later step opened or posted before the earlier ones are answered sends the visitor to
  the first unanswered one, keeping what was typed;
- the final POST itself stores the submission (formtools' named-URL wizard would store on a
  GET of the "done" address);
- a step or question whose condition does not hold is skipped or left out. Conditions read
  the raw answers in the session, never the forms (formtools' recursion pitfall: a condition
  that builds a form calls get_form_list, which evaluates the conditions again);
- the yearly check-up's link starts a questionnaire with earlier answers (``prefill``);
- the funnel (advisor/funnel) hears of a step completed, a step shown, a bot refused and the
  submission, each a single call; the first step's form posts the visit's source back.
"""

import logging
import secrets
import time
from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import SuspiciousOperation
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import get_language
from django_ratelimit.core import is_ratelimited
from formtools.wizard.storage.session import SessionStorage
from formtools.wizard.views import NamedUrlSessionWizardView, normalize_name
from redis.exceptions import RedisError

from advisor.advice import table as q
from advisor.advice.engine import asked_answers
from advisor.funnel import visits
from advisor.funnel.sources import landing_source
from advisor.questionnaire.checkup import Previous
from advisor.questionnaire.domain_check import domain_check_enabled
from advisor.questionnaire.forms import wizard_forms
from advisor.questionnaire.fragments import step_fields
from advisor.questionnaire.services import submit_questionnaire
from advisor.web.errors import rate_limited
from advisor.web.fragments import shared_page

URL_NAME = "advisor:step"
# The address formtools reserves for "done"; only ever redirected to the last step.
DONE = "klaar"
DRAFTS = "drafts"
# Kept in the wizard's storage from the first request of a questionnaire: the key that makes
# the final step store one submission however often it is posted, and the signed start time.
SUBMISSION_KEY = "submission_key"
STARTED = "started"
STARTED_SALT = "advisor.questionnaire.started"
# The token of the check-up reminder whose link started this questionnaire (prefill).
CONTINUES = "continues"
# In the session after the final step: a resubmitted contact page (Back, then send again)
# leads back to this advice instead of an empty questionnaire.
LAST_RESULT = "advisor_last_result"
UNKNOWN_STEP = "Questionnaire posted with an unknown step"

logger = logging.getLogger(__name__)


def worth_keeping(data: dict[str, Any]) -> bool:
    """Whether wizard data holds anything of the visitor's: answers, a draft, or the check-up
    it continues. The current step, the idempotency key and the start time alone are not."""
    extra = data.get(QuestionnaireStorage.extra_data_key) or {}
    answered = any(value is not None
                   for value in (data.get(QuestionnaireStorage.step_data_key) or {}).values())
    return answered or bool(extra.get(DRAFTS)) or CONTINUES in extra


class QuestionnaireStorage(SessionStorage):
    """formtools' session storage, where every questionnaire (a new one after done() too)
    starts with its own idempotency key and signed start time, and a step holds either its
    answers or a draft of what was typed, never both (so at most one e-mail address).

    Unlike formtools' own, it writes the session only when something changed: formtools
    marks the session modified on every read, so every step page wrote its row back. And a
    visit that has answered nothing yet (the start page, a look at a step) keeps its wizard
    data in memory only: no session row and no cookie until the first answer (or draft) is
    kept, so the start time counts from that first answer.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._unsaved: dict[str, Any] | None = None
        self.version = 0  # counts the changes, for what is worked out from the data
        super().__init__(*args, **kwargs)

    def _get_data(self) -> dict[str, Any]:
        return self.request.session.get(self.prefix, self._unsaved)

    def _set_data(self, value: dict[str, Any]) -> None:
        self.version += 1
        if self.prefix in self.request.session or worth_keeping(value):
            self.request.session[self.prefix] = value  # marks the session modified
            self._unsaved = None
        else:
            self._unsaved = value

    data = property(_get_data, _set_data)

    def _changed(self) -> None:
        # formtools changes its dicts in place: store them again so the session sees it.
        self.data = self.data

    def _set_current_step(self, step: str | None) -> None:
        if self.data[self.step_key] != step:
            super()._set_current_step(step)
            self._changed()

    def _set_extra_data(self, extra_data: dict[str, Any]) -> None:
        super()._set_extra_data(extra_data)
        self._changed()

    def init_data(self) -> None:
        super().init_data()
        self.extra_data = {
            SUBMISSION_KEY: secrets.token_urlsafe(32),
            STARTED: signing.dumps(time.time(), salt=STARTED_SALT),
        }

    def set_step_data(self, step: str, cleaned_data: Any) -> None:
        super().set_step_data(step, cleaned_data)
        self._changed()
        if cleaned_data is not None:
            self.set_draft(step, None)

    def set_step_files(self, step: str, files: Any) -> None:
        super().set_step_files(step, files)
        self._changed()

    def get_draft(self, step: str) -> dict[str, str]:
        return dict(self.extra_data.get(DRAFTS, {}).get(step, {}))

    def set_draft(self, step: str, values: dict[str, str] | None) -> None:
        drafts = dict(self.extra_data.get(DRAFTS, {}))
        if values:
            drafts[step] = values
        else:
            drafts.pop(step, None)
        self.extra_data = {**self.extra_data, DRAFTS: drafts}


def typed_values(form: Form) -> dict[str, str]:
    """What the visitor typed into the form's fields, valid or not."""
    return {
        name: form.data.get(form.add_prefix(name))
        for name in form.fields
        if form.data.get(form.add_prefix(name)) not in (None, "")
    }


class QuestionnaireView(NamedUrlSessionWizardView):
    storage_name = f"{__name__}.QuestionnaireStorage"
    template_name = "advisor/step.html"

    # -- What the visitor may open or post ---------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = kwargs.get("step")
        gap = self.first_unanswered_before(step)
        if gap is not None:
            self.storage.current_step = gap
            return redirect(self.get_step_url(gap))
        if step == self.done_step_name:
            return redirect(self.get_step_url(self.steps.last))
        if step in self.get_form_list():
            self.keep_stale_answers_as_draft(step)
        return super().get(request, *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        posted = self.request.POST.get(f"{self.prefix}-current_step")
        if posted is not None:
            if posted not in self.get_form_list():
                # formtools would store the unknown step as the current one and fail on it.
                raise SuspiciousOperation(UNKNOWN_STEP)
            self.storage.current_step = posted
        gap = self.first_unanswered_before(posted)
        if gap is not None and "wizard_goto_step" not in self.request.POST:
            last_result = self.request.session.get(LAST_RESULT)
            if posted == self.steps.last and last_result and not self.answers():
                # The contact page sent again after the questionnaire was completed.
                return redirect("advisor:result", token=last_result)
            # An expired session, a bookmarked step: keep what was typed, go to the gap.
            return self.render_goto_step(gap)
        return super().post(*args, **kwargs)

    def render_goto_step(self, goto_step: str, **kwargs: Any) -> HttpResponseRedirect:
        # formtools drops the current step's input on Back; keep it.
        form = self.get_form(data=self.request.POST, files=self.request.FILES)
        self.keep(self.steps.current, form)
        return super().render_goto_step(goto_step, **kwargs)

    def render_next_step(self, form: Form, **kwargs: Any) -> HttpResponse:
        # The funnel: a step completed with Next; the first one starts the questionnaire.
        if self.steps.current == self.steps.first:
            visits.questionnaire_started(self.request, step=self.steps.current,
                                         source=landing_source(self.request))
        else:
            visits.step_completed(self.request, step=self.steps.current)
        return super().render_next_step(form, **kwargs)

    def render(self, form: Form | None = None, **kwargs: Any) -> HttpResponse:
        # The funnel: a step shown; or a contact form the bot checks refused.
        if self.request.method == "GET":
            visits.step_reached(self.request, step=self.steps.current)
        elif getattr(form, "refused_as_bot", False):
            visits.refused_as_bot(self.request)
        return super().render(form, **kwargs)

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any
                           ) -> HttpResponse:
        # A step of radio questions shown on a GET looks the same for every visitor who sees
        # the same choices checked and the same errors: the page comes from the cache with
        # this visitor's own CSRF token. Text fields (the contact step), a posted step and a
        # first step that carries a campaign are rendered as they are.
        fields = context["fields"]
        if (self.request.method != "GET" or self.request.GET or context["source_query"]
                or not fields or any(html is None for _field, html in fields)):
            return super().render_to_response(context, **response_kwargs)
        form, steps = context["form"], self.steps
        vary_on = ("step", steps.current, steps.step1, steps.count, steps.prev, steps.next,
                   str(form.wizard_step.title), str(form.wizard_step.intro),
                   context["management_field"], [html for _field, html in fields],
                   sorted((name, list(errors)) for name, errors in form.errors.items()))
        return HttpResponse(shared_page(self.request, self.template_name, context,
                                        vary_on=vary_on), **response_kwargs)

    def render_done(self, form: Form, **kwargs: Any) -> HttpResponse:
        # Store on this POST, through the named-URL wizard's own "done" branch: its redirect
        # to the done address would store on a GET.
        return super().render_done(form, **{**kwargs, "step": self.done_step_name})

    def done(self, form_list: Any, form_dict: dict[str, Form], **kwargs: Any) -> HttpResponse:
        answers: dict[str, str] = {}
        contact: dict[str, Any] = {}
        for form in form_list:
            (contact if form.wizard_step.kind == q.CONTACT else answers).update(form.cleaned_data)
        submission = submit_questionnaire(
            idempotency_key=self.storage.extra_data.get(SUBMISSION_KEY)
            or secrets.token_urlsafe(32),
            answers=answers, contact=contact, language=get_language(),
            continues=self.storage.extra_data.get(CONTINUES),
            source=visits.visit_source(self.request),
        )
        visits.questionnaire_submitted(self.request, step=self.steps.current)
        self.request.session[LAST_RESULT] = submission.token
        return redirect(submission)

    # -- The forms -------------------------------------------------------------------------

    def get_form_prefix(self, step: str | None = None, form: Any = None) -> str | None:
        # Field names are the questionnaire keys themselves (team_size, sector, ...).
        return None

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        if self.form_list[step].wizard_step.kind == q.CONTACT:
            return {"started_at": self.started_at(), "domain_check": domain_check_enabled()}
        return {"answers": self.answers()}

    def get_form_initial(self, step: str) -> dict[str, Any]:
        return self.storage.get_draft(step)

    def get_context_data(self, form: Form, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        # The first step's form posts the landing page's source back (there is no session yet).
        first = self.steps.current == self.steps.first
        context["source_query"] = landing_source(self.request).as_query() if first else ""
        context["fields"] = step_fields(form)
        context["management_field"] = f"{self.prefix}-current_step"
        return context

    # -- Reading and keeping state -----------------------------------------------------------

    def answers(self) -> dict[str, str]:
        """The valid answers in the session to questions that are asked: what conditions
        read. Raw storage, not forms, so a condition never builds a form. Worked out once
        per change of the storage: every step's condition asks, several times a page."""
        version = self.storage.version
        if getattr(self, "_answers", (None,))[0] != version:
            raw: dict[str, str] = {}
            for step in q.question_steps():
                raw.update((self.storage.get_step_data(step.name) or {}).items())
            self._answers = (version, asked_answers(raw))
        return dict(self._answers[1])

    def first_unanswered_before(self, step: str | None) -> str | None:
        """The first step without valid answers, when it comes before `step` (the done
        address counts as after the last step)."""
        names = list(self.get_form_list())
        if step == self.done_step_name:
            requested = len(names)
        elif step in names:
            requested = names.index(step)
        else:
            return None
        for name in names[:requested]:
            data = self.storage.get_step_data(name)
            if data is None or not self.get_form(step=name, data=data).is_valid():
                return name
        return None

    def keep_stale_answers_as_draft(self, step: str) -> None:
        """Stored answers that no longer validate (a condition changed and the step now asks
        another question) are shown as a draft, not as errors the visitor did not make."""
        data = self.storage.get_step_data(step)
        if data is not None:
            self.keep(step, self.get_form(step=step, data=data))

    def keep(self, step: str, form: Form) -> None:
        """Keep a bound form's input: as the step's answers when valid, else as a draft."""
        if form.is_valid():
            self.storage.set_step_data(step, self.process_step(form))
        else:
            self.storage.set_step_data(step, None)
            self.storage.set_draft(step, typed_values(form))

    def started_at(self) -> float:
        try:
            return float(signing.loads(self.storage.extra_data.get(STARTED, ""),
                                       salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            # Missing or tampered with: count from now, so the minimum fill time applies.
            return time.time()


WIZARD_PREFIX = normalize_name(QuestionnaireView.__name__)
MANAGEMENT_FIELD = f"{WIZARD_PREFIX}-current_step"


def prefill(request: HttpRequest, *, previous: Previous) -> str:
    """Start a new questionnaire in this session from an earlier submission (the yearly
    check-up's link); returns the first step, where the visitor begins.

    Only what the table asks now and its forms accept is loaded: an answer to a question
    that is gone, no longer asked, or whose choice is no longer offered is dropped. A step
    with every answer accepted holds them as answers; otherwise what was accepted waits as
    its draft. The contact step gets only the address the reminder went to.
    """
    storage = QuestionnaireStorage(WIZARD_PREFIX, request)
    storage.reset()
    storage.extra_data = {**storage.extra_data, CONTINUES: previous.token}
    answers = asked_answers(previous.answers)
    forms = dict(wizard_forms())
    for step in q.STEPS:
        if step.kind == q.CONTACT:
            storage.set_draft(step.name, {"email": previous.email})
            continue
        data = {question.key: answers[question.key]
                for question in step.questions if question.key in answers}
        form = forms[step.name](data=data, answers=answers)
        if form.is_valid():
            storage.set_step_data(step.name, {key: [value] for key, value in data.items()})
        else:
            storage.set_draft(step.name, {key: value for key, value in data.items()
                                          if key not in form.errors})
    storage.current_step = q.STEPS[0].name
    return q.STEPS[0].name


def step_applies(step: q.Step, wizard: QuestionnaireView) -> bool:
    return q.holds(step.condition, wizard.answers())


def limit_submissions(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """At most SUBMISSION_RATE_PER_IP posts of the final step per client IP.

    Counted before the wizard runs, so a refused visitor keeps every answer for a later try.
    When the shared cache is down the post goes through: the bot checks still apply.
    """
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        final = (request.method == "POST" and "wizard_goto_step" not in request.POST
                 and request.POST.get(MANAGEMENT_FIELD) == q.contact_step().name)
        try:
            limited = final and is_ratelimited(
                request, group="advisor:submit", key="ip",
                rate=settings.SUBMISSION_RATE_PER_IP, increment=True)
        except RedisError:
            logger.exception("Rate limit cache unavailable; submission accepted unlimited")
            limited = False
        return rate_limited(request) if limited else view(request, *args, **kwargs)
    return wrapped


@limit_submissions
def questionnaire(request: HttpRequest, step: str | None = None) -> HttpResponse:
    """The wizard, built from the table as it is now: its steps, forms and conditions."""
    wizard = QuestionnaireView.as_view(
        form_list=wizard_forms(),
        condition_dict={step.name: partial(step_applies, step) for step in q.STEPS},
        url_name=URL_NAME, done_step_name=DONE,
    )
    return wizard(request, step=step)
