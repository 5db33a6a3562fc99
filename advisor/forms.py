"""Forms built from the questionnaire table. They validate; they do not score."""

import re

from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from advisor.questionnaire import STEPS, Step

WHY_WE_ASK = _("Why we ask this")
PHONE_INVALID = _("Enter a phone number with digits only, for example 06 12345678.")
CONSENT_REQUIRED = _("We can only send you the advice if you agree to the privacy statement.")
# Digits with the usual separators and an optional leading +; no letters.
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()\-./]{5,24}$")


def step_form(step: Step) -> type[forms.Form]:
    """One form class per questionnaire step: a required radio list per question."""
    fields = {
        question.key: forms.ChoiceField(
            label=question.label,
            help_text=format_lazy("{}: {}", WHY_WE_ASK, question.why),
            choices=[(choice.value, choice.label) for choice in question.choices],
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose one of the options."),
                            "invalid_choice": _("Choose one of the options.")},
        )
        for question in step.questions
    }
    return type(f"{step.name.title()}Form", (forms.Form,), fields)


def _consent_label() -> str:
    return format_html(
        _('I agree that my answers and contact details are stored to send me this advice, as '
          'described in the <a href="{}" target="_blank" rel="noopener">privacy statement</a>.'),
        reverse_lazy("advisor:privacy"),
    )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    company = forms.CharField(label=_("Company name"), max_length=150,
                              widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False,
                            help_text=_("Optional: if you prefer a call."),
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    question = forms.CharField(
        label=_("Your question for the consultant"), max_length=2000, required=False,
        help_text=_("Optional: anything you would like to discuss."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=lazy(_consent_label, SafeString)(),
        error_messages={"required": CONSENT_REQUIRED},
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(PHONE_INVALID)
        return phone


STEP_FORMS: list[tuple[str, type[forms.Form]]] = [
    *[(step.name, step_form(step)) for step in STEPS],
    ("contact", ContactForm),
]
