"""The questions of a step page, rendered once per question, language and state.

A question's radio group (includes/_question.html) looks the same for every visitor who sees
the same choice checked and the same errors, so it is cached under exactly those, with the
question's own texts and choices (the table as it is now, in this language): the visitor's
answer or draft and the errors of a refused step still show. Text fields (the contact step,
with what the visitor typed) are rendered as they are, never cached.
"""

from django.forms import BoundField
from django.utils.safestring import SafeString

from advisor.web.fragments import page_fragment

QUESTION_TEMPLATE = "includes/_question.html"


def question_html(field: BoundField) -> SafeString:
    """The radio group of one question, as includes/_question.html renders it."""
    choices = [(str(value), str(label)) for value, label in field.field.choices]
    value = field.value()
    # Only which offered choice is checked matters: anything else posted checks none.
    checked = str(value) if value is not None and str(value) in dict(choices) else ""
    vary_on = ("question", field.html_name, field.auto_id, field.label, field.help_text,
               choices, field.field.widget.attrs, checked, list(field.errors))
    return page_fragment(QUESTION_TEMPLATE, {"field": field}, vary_on=vary_on)


def step_fields(form: object) -> list[tuple[BoundField, SafeString | None]]:
    """(field, its cached HTML or None) for each field of a step's form, in order: radio
    questions come from the cache, other fields are for the template to render."""
    return [(field, question_html(field) if field.widget_type == "radioselect" else None)
            for field in form]
