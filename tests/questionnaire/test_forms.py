"""The forms are built from the table and validate what a visitor types."""

import pytest

from advisor.advice import table as q
from advisor.lib.mailbox import (
    EMAIL_INVALID,
    EMAIL_NO_IP_ADDRESS,
    EMAIL_ONE_ADDRESS,
    EMAIL_PLAIN_NAME,
)
from advisor.questionnaire.forms import (
    CONSENT_REQUIRED,
    INVISIBLE_CHARACTERS,
    PHONE_INVALID,
    ContactForm,
    wizard_forms,
)

VALID_CONTACT = {
    "name": "Eva Jansen", "company": "Jansen Advocatuur", "email": "eva@jansen.nl",
    "phone": "", "question": "", "consent": "on",
}


def test_there_is_one_form_per_step_of_the_table_and_the_last_asks_for_contact_details():
    forms = wizard_forms()
    assert [name for name, _ in forms] == [step.name for step in q.STEPS]
    assert issubclass(forms[-1][1], ContactForm)


@pytest.mark.parametrize(("step", "form_class"),
                         list(zip(q.question_steps(), wizard_forms(), strict=False)))
def test_each_step_form_has_a_required_field_per_question_with_its_choices(step, form_class):
    form = form_class[1]()
    assert list(form.base_fields) == [question.key for question in step.questions]
    for question in step.questions:
        field = form.base_fields[question.key]
        assert field.required
        # "Not applicable" defaults and legacy answers are never offered.
        assert [value for value, _ in field.choices] == [c.value for c in question.choices
                                                         if c.offered]
        assert str(question.why) in str(field.help_text)


def test_an_unknown_choice_value_is_rejected_with_a_clear_message():
    form = wizard_forms()[0][1](data={"team_size": "9000", "sector": "general",
                                  "sensitive_data": "no", "growth": "none"})
    assert not form.is_valid()
    assert list(form.errors) == ["team_size"]


def test_contact_form_accepts_a_complete_entry():
    assert ContactForm(data=VALID_CONTACT).is_valid()


def test_consent_must_be_ticked():
    form = ContactForm(data={**VALID_CONTACT, "consent": ""})
    assert form.errors["consent"] == [CONSENT_REQUIRED]


def test_consent_label_links_to_the_privacy_statement():
    assert 'href="/privacy/"' in str(ContactForm().fields["consent"].label)


def test_consent_checkbox_starts_unticked():
    assert "checked" not in str(ContactForm()["consent"])


@pytest.mark.parametrize("email", ["not-an-address", "a@x.nl\nBcc: victim@example.com",
                                   "a@x.nl\r\nBcc:x@y.nl", "a" * 250 + "@x.nl"])
def test_invalid_or_injected_email_addresses_are_rejected(email):
    assert "email" in ContactForm(data={**VALID_CONTACT, "email": email}).errors


@pytest.mark.parametrize("phone", ["06 12345678", "+31 (0)20-1234567", "020.123.4567"])
def test_usual_phone_notations_are_accepted(phone):
    form = ContactForm(data={**VALID_CONTACT, "phone": phone})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("phone", ["call me", "12", "06<script>"])
def test_phone_numbers_with_letters_or_too_short_are_rejected(phone):
    assert ContactForm(data={**VALID_CONTACT, "phone": phone}).errors["phone"] == [PHONE_INVALID]


@pytest.mark.parametrize(("field", "limit"), [("name", 100), ("company", 150),
                                              ("question", 2000), ("phone", 30)])
def test_text_fields_have_a_length_limit(field, limit):
    form = ContactForm(data={**VALID_CONTACT, field: "1" * (limit + 1)})
    assert field in form.errors


# Characters nobody sees that hide or reorder text (Unicode TR#36, "Trojan Source").
INVISIBLE = ["\u2028", "\u2029", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c",
             "\ufeff", "\u202a", "\u202e", "\u2066", "\u2069", "\U000e0001", "\U000e0041",
             "\U000e007f"]


@pytest.mark.parametrize("character", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", ["name", "company"])
def test_single_line_fields_refuse_invisible_characters_with_a_clear_message(field, character):
    form = ContactForm(data={**VALID_CONTACT, field: f"Jansen{character} Advocatuur"})
    assert form.errors[field] == [str(INVISIBLE_CHARACTERS)]


@pytest.mark.parametrize("character", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_the_question_refuses_invisible_characters_but_keeps_line_breaks(character):
    assert ContactForm(data={**VALID_CONTACT, "question": "Eerste regel\nTweede"}).is_valid()
    form = ContactForm(data={**VALID_CONTACT, "question": f"Vraag{character}?"})
    assert form.errors["question"] == [str(INVISIBLE_CHARACTERS)]


def test_ordinary_names_with_accents_and_apostrophes_still_pass():
    form = ContactForm(data={**VALID_CONTACT, "name": "Zoë d'Ancona-Çelik",
                             "company": "Bakkerij \u2019t Hoekje & Zn."})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("email", "message"), [
    ('"x,victim1@target.example,y"@z.example', EMAIL_ONE_ADDRESS),
    ("a@x.nl,b@y.nl", EMAIL_ONE_ADDRESS),
    ("a@x.nl b@y.nl", EMAIL_ONE_ADDRESS),
    ('"jan de vries"@x.nl', EMAIL_ONE_ADDRESS),
    ('"jan"@x.nl', EMAIL_PLAIN_NAME),
    ("a@[127.0.0.1]", EMAIL_NO_IP_ADDRESS),
    ("a@[IPv6:::1]", EMAIL_NO_IP_ADDRESS),
    ("a@127.0.0.1", EMAIL_NO_IP_ADDRESS),
    ("jan(comment)@x.nl", EMAIL_PLAIN_NAME),
    ("jan..de.vries@x.nl", EMAIL_PLAIN_NAME),
    ("jan@localhost", EMAIL_INVALID),
    ("jan@", EMAIL_INVALID),
])
def test_only_addresses_that_reach_one_mailbox_are_accepted(email, message):
    form = ContactForm(data={**VALID_CONTACT, "email": email})
    assert form.errors["email"] == [str(message)]


@pytest.mark.parametrize("email", ["eva@jansen.nl", "jan.de-vries+advies@praktijk.example",
                                   "o'brien@pub.ie", "info@bücher.de"])
def test_ordinary_addresses_are_accepted(email):
    assert ContactForm(data={**VALID_CONTACT, "email": email}).is_valid()
