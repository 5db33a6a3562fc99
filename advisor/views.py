"""Thin views: HTTP in, a service call, a response out."""

from typing import Any

from django.conf import settings
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from formtools.wizard.views import NamedUrlSessionWizardView, WizardView

from advisor.forms import STEP_FORMS
from advisor.models import Submission
from advisor.presenters import result_context
from advisor.questionnaire import STEPS
from advisor.services import PRIVACY_STATEMENT_VERSION, create_submission

STEP_INFO = {step.name: step for step in STEPS}
DRAFTS = "drafts"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "advisor/home.html", {"steps": STEPS})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "advisor/privacy.html", {
        "privacy_version": PRIVACY_STATEMENT_VERSION,
        "retention_months": settings.RETENTION_MONTHS,
    })


@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    submission = get_object_or_404(Submission, token=token)
    response = render(request, "advisor/result.html", result_context(submission))
    # The URL is the only key to someone's advice: keep it out of caches and referrers.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
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
        # A step posted before the earlier ones are answered (an expired session, a
        # bookmarked step): keep what was typed and send the visitor to the gap.
        posted = request.POST.get(f"{self.prefix}-current_step")
        names = list(self.get_form_list())
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

    def render_done(self, form: Form, **kwargs: Any) -> HttpResponse:
        # Skip NamedUrlWizardView's redirect to a "done" URL: store on this POST.
        return WizardView.render_done(self, form, **kwargs)

    def done(self, form_list: Any, form_dict: dict[str, Form], **kwargs: Any) -> HttpResponse:
        answers: dict[str, str] = {}
        for name, form in form_dict.items():
            if name != "contact":
                answers.update(form.cleaned_data)
        submission = create_submission(
            answers=answers, contact=form_dict["contact"].cleaned_data, language=get_language()
        )
        return redirect(submission.get_absolute_url())


questionnaire = QuestionnaireView.as_view(url_name="advisor:step", done_step_name="klaar")

