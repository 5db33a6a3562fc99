"""Forms built from the questionnaire table. They validate; they do not score."""

import logging
import re
import time
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from advisor.advice import table as q
from advisor.advice.table import Step, holds
from advisor.lib.mailbox import EMAIL_INVALID, EMAIL_ONE_ADDRESS, validate_mailbox
from advisor.privacy.consent import CHECKUP_AFTER_MONTHS, CHECKUP_KEEP_MONTHS

WHY_WE_ASK = _("Why we ask this")
PHONE_INVALID = _("Enter a phone number with digits only, for example 06 12345678.")
CONSENT_REQUIRED = _("We can only send you the advice if you agree to the privacy statement.")
# Digits with the usual separators and an optional leading +; no letters.
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()\-./]{5,24}$")
SINGLE_LINE_ONLY = _("Use one line of ordinary text: line breaks and control characters "
                     "are not allowed here.")
CONTROL_CHARACTERS = _("This text contains invisible control characters. Please retype it.")
INVISIBLE_CHARACTERS = _("This text contains invisible characters, often from copying and "
                         "pasting. Please type it again yourself.")
EMAIL_SINGLE_LINE = _("Enter one e-mail address on a single line, without line breaks, for "
                      "example name@company.com.")
HONEYPOT_FILLED = _("Leave the field marked \"leave this empty\" empty, then send the form again.")
HONEYPOT_LABEL = _("Leave this empty (spam check)")
TOO_FAST = _("That was very quick. Please check your details and press the button again.")
# C0/C1 control characters, and the Unicode marks that reverse how text is displayed.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same, but a multi-line text may keep its line breaks and tabs.
CONTROL_EXCEPT_LINES = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
# Characters nobody sees but that change what a text is or how it is shown (Unicode TR#36,
# "Unicode Security Considerations"; CVE-2021-42574 "Trojan Source"): line and paragraph
# separators, zero-width spaces and joiners, direction marks (incl. the Arabic letter mark),
# the byte-order mark, direction embeddings, overrides and isolates, and tag characters.
INVISIBLE = re.compile(
    "[\u2028\u2029\u200b-\u200f\u061c\ufeff\u202a-\u202e\u2066-\u2069"
    "\U000e0000-\U000e007f]"
)

logger = logging.getLogger(__name__)


def single_line(value: str) -> None:
    """No line breaks, control or invisible characters: the text may end up in a mail header
    and in the consultant's lead list, where hidden characters would disguise it."""
    if INVISIBLE.search(value):
        raise forms.ValidationError(INVISIBLE_CHARACTERS, code="invisible_characters")
    if CONTROL.search(value):
        raise forms.ValidationError(SINGLE_LINE_ONLY, code="control_characters")


def no_control_characters(value: str) -> None:
    if INVISIBLE.search(value):
        raise forms.ValidationError(INVISIBLE_CHARACTERS, code="invisible_characters")
    if CONTROL_EXCEPT_LINES.search(value):
        raise forms.ValidationError(CONTROL_CHARACTERS, code="control_characters")


class SingleLineEmailField(forms.EmailField):
    """One address that reaches one mailbox (advisor/lib/mailbox.py); a line break (header
    injection) or hidden character gets its own message."""

    default_validators = [validate_mailbox]

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and (CONTROL.search(value) or INVISIBLE.search(value)):
            raise forms.ValidationError(EMAIL_SINGLE_LINE, code="control_characters")


class HoneypotBoundField(forms.BoundField):
    def css_classes(self, extra_classes: Any = None) -> str:
        # On the wrapper, so label and input are both off screen (screen readers still hear
        # the label that says to leave it empty).
        return f"{super().css_classes(extra_classes)} visually-hidden honeypot".strip()


class HoneypotField(forms.CharField):
    """A field people never see and bots fill in: filled means the form was not sent by hand."""

    bound_field_class = HoneypotBoundField

    def __init__(self) -> None:
        super().__init__(
            label=HONEYPOT_LABEL, required=False, max_length=200,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1",
                                          "class": "form-control"}),
        )


class QuestionsForm(forms.Form):
    """The questions of one step (``wizard_step``) that are asked, given the earlier answers:
    a question whose condition does not hold on them is left out of the form."""

    wizard_step: Step

    def __init__(self, *args: Any, answers: Mapping[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in self.wizard_step.questions:
            if not holds(question.condition, answers or {}):
                del self.fields[question.key]


def step_form(step: Step) -> type[forms.Form]:
    """The form class of a step: a required radio list per question, named by its key, or the
    contact form for the contact step. Both carry the step, for its title and intro."""
    if step.kind == q.CONTACT:
        return type("ContactStepForm", (ContactForm,), {"wizard_step": step})
    fields = {
        question.key: forms.ChoiceField(
            label=question.label,
            help_text=format_lazy("{}: {}", WHY_WE_ASK, question.why),
            choices=[(choice.value, choice.label)
                     for choice in question.choices if choice.offered],
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose one of the options."),
                            "invalid_choice": _("Choose one of the options.")},
        )
        for question in step.questions
    }
    return type(f"{step.name.title()}Form", (QuestionsForm,), {"wizard_step": step, **fields})


_built: tuple[tuple[Step, ...], list[tuple[str, type[forms.Form]]]] | None = None


def wizard_forms() -> list[tuple[str, type[forms.Form]]]:
    """(step name, form class) for every step of the table, in order: formtools' form_list.

    Built once per version of the table's steps (a test may swap them), not per request:
    making seven form classes was a fifth of the wizard's time. Their texts are lazy, so
    one class serves every language.
    """
    global _built
    steps = q.STEPS
    if _built is None or _built[0] is not steps:
        _built = (steps, [(step.name, step_form(step)) for step in steps])
    return list(_built[1])


def _consent_label() -> str:
    return format_html(
        _('I agree that my answers and contact details are stored to send me this advice, as '
          'described in the <a href="{}" target="_blank" rel="noopener">privacy statement</a>.'),
        reverse_lazy("advisor:privacy"),
    )


# The opt-in to the yearly check-up: its own consent, so its own text (and version,
# privacy/consent.py): what we send, when, that it is once, what we keep and how to stop.
CHECKUP_CONSENT_LABEL = _(
    "Yes, send me one reminder after %(after)s months to check my advice again."
)
CHECKUP_CONSENT_HELP = _(
    "One e-mail with a link to this questionnaire, your answers already filled in. If you "
    "fill it in again, we link the new advice to the old one, so we can see what changed. "
    "For this we keep your e-mail address, company name and answers until %(keep)s months "
    "after the reminder; your name, phone number and question are deleted after %(months)s "
    "months, as without a reminder. One click stops it at any time: the link is in our "
    "e-mails and on your advice page."
)
# The same, where the retention period is longer than the check-up's: it keeps nothing longer.
CHECKUP_CONSENT_HELP_NOT_LONGER = _(
    "One e-mail with a link to this questionnaire, your answers already filled in. If you "
    "fill it in again, we link the new advice to the old one, so we can see what changed. "
    "We keep nothing longer for it: all your data is deleted after %(months)s months. One "
    "click stops it at any time: the link is in our e-mails and on your advice page."
)


def _checkup_label() -> str:
    return CHECKUP_CONSENT_LABEL % {"after": CHECKUP_AFTER_MONTHS}


def _checkup_help() -> str:
    if CHECKUP_AFTER_MONTHS + CHECKUP_KEEP_MONTHS <= settings.RETENTION_MONTHS:
        return CHECKUP_CONSENT_HELP_NOT_LONGER % {"months": settings.RETENTION_MONTHS}
    return CHECKUP_CONSENT_HELP % {"keep": CHECKUP_KEEP_MONTHS,
                                   "months": settings.RETENTION_MONTHS}


# Told before submitting, under the address it is about (shown while the check is on).
DOMAIN_CHECK_NOTICE = _(
    "We look up the domain of this address (the part after the @) in public DNS, to see how "
    "your e-mail is set up and protected. Only public data is read; a public mail service "
    "such as gmail.com is not checked."
)

# Bootstrap's classes on the widgets, so the templates render them as they are.
TEXT = "form-control"
CHECK = "form-check-input"


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100, validators=[single_line],
                           widget=forms.TextInput(attrs={"autocomplete": "name", "class": TEXT}))
    company = forms.CharField(
        label=_("Company name"), max_length=150, validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "organization", "class": TEXT}),
    )
    email = SingleLineEmailField(
        label=_("E-mail address"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": TEXT}),
    )
    phone = forms.CharField(
        label=_("Phone number"), max_length=30, required=False,
        help_text=_("If you prefer a call."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "class": TEXT}),
    )
    question = forms.CharField(
        label=_("Your question for the consultant"), max_length=2000, required=False,
        validators=[no_control_characters],
        help_text=_("Anything you would like to discuss."),
        widget=forms.Textarea(attrs={"rows": 3, "class": TEXT}),
    )
    # Named so that browsers' autofill leaves it alone.
    reference_code = HoneypotField()
    consent = forms.BooleanField(
        label=lazy(_consent_label, SafeString)(),
        error_messages={"required": CONSENT_REQUIRED},
        widget=forms.CheckboxInput(attrs={"class": CHECK}),
    )
    # Optional and unticked: no reminder unless the visitor asks for one.
    checkup = forms.BooleanField(
        label=lazy(_checkup_label, str)(), help_text=lazy(_checkup_help, str)(),
        required=False, initial=False, widget=forms.CheckboxInput(attrs={"class": CHECK}),
    )

    def __init__(self, *args: Any, started_at: float | None = None, domain_check: bool = False,
                 **kwargs: Any) -> None:
        # When the questionnaire was started (epoch seconds); None outside the questionnaire.
        self.started_at = started_at
        super().__init__(*args, **kwargs)
        if domain_check:
            self.fields["email"].help_text = DOMAIN_CHECK_NOTICE

    @property
    def refused_as_bot(self) -> bool:
        """The honeypot or the minimum fill time refused this (bound) form."""
        return any(self.has_error(NON_FIELD_ERRORS, code)
                   for code in ("honeypot", "too_fast"))

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(PHONE_INVALID)
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Bot checks: not stored and no mail. Shown as a message, in case a person ever
        # trips one; they can simply send the form again.
        if cleaned.get("reference_code"):
            logger.info("Contact form refused: the spam-check field was filled in")
            raise forms.ValidationError(HONEYPOT_FILLED, code="honeypot")
        if (self.started_at is not None
                and time.time() - self.started_at < settings.QUESTIONNAIRE_MIN_SECONDS):
            logger.info("Contact form refused: sent too soon after the questionnaire started")
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        return cleaned


SHARE_NOTHING_CHOSEN = _("Choose where to send the link: your own address, a colleague or both.")
SHARE_ONE_ADDRESS_ONLY = EMAIL_ONE_ADDRESS
SHARE_INVALID_ADDRESS = EMAIL_INVALID


class ShareForm(forms.Form):
    """Who gets the report link: the visitor's own address and at most one colleague."""

    to_self = forms.BooleanField(label=_("Send it to my own e-mail address"), required=False,
                                 initial=True, widget=forms.CheckboxInput(attrs={"class": CHECK}))
    colleague = forms.CharField(
        label=_("Also send it to a colleague"), max_length=254, required=False,
        help_text=_("One e-mail address. They get a short e-mail with the link to this advice. "
                    "It does not say who you are, so tell them it is coming."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "class": TEXT}),
    )

    def clean_colleague(self) -> str:
        address = self.cleaned_data["colleague"]
        if not address:
            return ""
        # A line break or other control character would let someone add mail headers.
        if CONTROL.search(address) or INVISIBLE.search(address):
            raise forms.ValidationError(SHARE_INVALID_ADDRESS)
        validate_mailbox(address)
        return address

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("to_self") and not cleaned.get("colleague") and not self.errors:
            raise forms.ValidationError(SHARE_NOTHING_CHOSEN)
        return cleaned
