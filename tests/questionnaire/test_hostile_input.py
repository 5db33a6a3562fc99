"""Property-based tests (hypothesis): random and hostile input to every questionnaire step, the
share form (in each state of the sharing policy), the address confirmation and the report
URLs. Never a 500; a clear message or a 4xx; nothing half-stored.

Each property compares the site's decision with the form's own verdict on the same data, so
"accepted" and "refused" are both checked, not just "did not crash".
"""

from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.advice import table as q
from advisor.models import MailKind, OutgoingMail, Submission
from advisor.outbox.mail import confirmation_code
from advisor.questionnaire import sharing
from advisor.questionnaire.forms import ContactForm, ShareForm, wizard_forms
from advisor.questionnaire.services import create_submission
from tests.conftest import ANSWERS, CONTACT, MANAGEMENT, STEP_NAMES

pytestmark = pytest.mark.django_db

# Bounded so the suite stays fast; deadline off because a request is not a microbenchmark.
BOUNDED = settings(max_examples=60, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])

HOSTILE = st.sampled_from([
    "", " ", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE advisor_submission; --", "1 OR 1=1", "{{ 7*7 }}", "{% debug %}",
    "../../../../etc/passwd", "a@x.nl\nBcc: victim@example.com", "a@x.nl\r\nBcc:x@y.nl",
    "\x00", "\x1b[31m", "\u202eevil\u202c", "\U0001d518\U0001d52b\U0001d526 \U0001f389",
    "Ωmega ß", "0", "-1", "1e309",
    "true", "None", "null", "[]", "{}", "x" * 300, "é" * 3000,
])
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)
LONG = st.integers(min_value=100, max_value=6000).map(lambda n: "ä" * n)
SCALAR = st.one_of(HOSTILE, TEXT, LONG, st.integers().map(str))
# Wrong types too: a list where one value is expected.
VALUE = st.one_of(SCALAR, st.lists(SCALAR, min_size=2, max_size=3))


def fields_of(form_class) -> list[str]:
    return list(form_class.base_fields)


def form_data(fields: list[str], valid: dict[str, str]) -> st.SearchStrategy[dict]:
    """Every field optional (missing fields), each either its valid value or anything."""
    per_field = {name: st.one_of(st.just(valid[name]), VALUE) if name in valid else VALUE
                 for name in fields}
    extra = st.dictionaries(TEXT.filter(lambda key: key not in fields), VALUE, max_size=2)
    return st.tuples(st.fixed_dictionaries({}, optional=per_field), extra).map(
        lambda parts: {**parts[1], **parts[0]}
    )


def as_query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def answered_up_to(step: str) -> Client:
    """A visitor who answered every step before `step` correctly."""
    client = Client()
    for name in STEP_NAMES[:STEP_NAMES.index(step)]:
        url = reverse("advisor:step", kwargs={"step": name})
        client.get(url)
        data = CONTACT if name == "contact" else ANSWERS[name]
        assert client.post(url, {MANAGEMENT: name, **data}).status_code == 302
    return client


@pytest.fixture(autouse=True)
def _no_limits(settings):
    """Hundreds of posts from one address: the rate limits are tested in test_security."""
    settings.RATELIMIT_ENABLE = False
    settings.SHARE_MAX_PER_REPORT = 10_000
    settings.MAILS_PER_ADDRESS_PER_DAY = 10_000


def the_error_summary() -> str:
    return gettext("Please check the following")


STEP_CLASSES = dict(wizard_forms())


@BOUNDED
@given(step=st.sampled_from([step.name for step in q.question_steps()]), data=st.data())
def test_any_input_on_a_topic_step_is_accepted_exactly_when_valid(step, data):
    form_class = STEP_CLASSES[step]
    posted = data.draw(form_data(fields_of(form_class), ANSWERS[step]))
    client = answered_up_to(step)
    before = Submission.objects.count()

    response = client.post(reverse("advisor:step", kwargs={"step": step}),
                           {**posted, MANAGEMENT: step})

    # The wizard asks only the questions whose condition holds on the earlier answers.
    earlier = {key: value for answers in ANSWERS.values() for key, value in answers.items()}
    valid = form_class(data=as_query(posted), answers=earlier).is_valid()
    assert response.status_code == (302 if valid else 200)
    if not valid:
        assert the_error_summary() in response.content.decode()
    assert Submission.objects.count() == before


@BOUNDED
@given(data=st.data())
def test_any_contact_details_store_one_whole_submission_or_nothing(data):
    posted = data.draw(form_data(fields_of(ContactForm), CONTACT))
    client = answered_up_to("contact")
    submissions, mails = Submission.objects.count(), OutgoingMail.objects.count()

    response = client.post(reverse("advisor:step", kwargs={"step": "contact"}),
                           {**posted, MANAGEMENT: "contact"})

    form = ContactForm(data=as_query(posted), started_at=0)
    if form.is_valid():
        assert response.status_code == 302
        stored = Submission.objects.latest("pk")
        assert response["Location"] == stored.get_absolute_url()
        assert (stored.name, stored.email, stored.question) == (
            form.cleaned_data["name"], form.cleaned_data["email"], form.cleaned_data["question"]
        )
        assert Submission.objects.count() == submissions + 1
        assert OutgoingMail.objects.count() == mails + 2  # the notification and the advice
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "<script>alert" not in page.content.decode()
    else:
        assert response.status_code == 200
        assert the_error_summary() in response.content.decode()
        assert Submission.objects.count() == submissions
        assert OutgoingMail.objects.count() == mails


@BOUNDED
@given(
    current=st.one_of(st.none(), st.sampled_from(STEP_NAMES), TEXT, HOSTILE),
    goto=st.one_of(st.none(), st.sampled_from(STEP_NAMES), TEXT, HOSTILE),
    step=st.sampled_from(STEP_NAMES),
    extra=st.dictionaries(TEXT, VALUE, max_size=3),
)
def test_tampered_wizard_state_never_errors_and_never_stores(current, goto, step, extra):
    client = Client()
    client.get(reverse("advisor:step", kwargs={"step": step}))  # a questionnaire under way
    posted = dict(extra)
    if current is not None:
        posted[MANAGEMENT] = current
    if goto is not None:
        posted["wizard_goto_step"] = goto
    before = Submission.objects.count()

    response = client.post(reverse("advisor:step", kwargs={"step": step}), posted)

    assert response.status_code in {200, 302, 400}
    assert Submission.objects.count() == before
    assert client.get(reverse("advisor:step", kwargs={"step": "business"})).status_code == 200


@pytest.fixture
def report(db):
    return create_submission(answers=ANSWERS["business"], contact=CONTACT, language="nl")


def report_in(state: str) -> Submission:
    """A fresh report in one of the states the share form can be in (sharing.py)."""
    if state == sharing.REQUEST_ADVICE:
        # Its address had had its mails for the day: the advice mail was held back.
        with override_settings(MAILS_PER_ADDRESS_PER_DAY=0):
            return create_submission(answers=ANSWERS["business"], contact=CONTACT,
                                     language="nl")
    report = create_submission(answers=ANSWERS["business"], contact=CONTACT, language="nl")
    if state == sharing.CONFIRM_FIRST:
        return report
    sharing.confirm_address(submission=report)
    if state == "colleague_shared":
        sharing.share_report(submission=report, to_self=False, colleague="jan@example.com")
    if state == sharing.USED_UP:
        Submission.objects.filter(pk=report.pk).update(share_count=10_000)
    return report


SHARE_STATES = [sharing.CONFIRM_FIRST, sharing.REQUEST_ADVICE, sharing.OPEN, "colleague_shared",
                sharing.USED_UP]


@BOUNDED
@given(state=st.sampled_from(SHARE_STATES), data=st.data())
def test_any_share_request_sends_mail_exactly_when_the_form_and_the_policy_allow(state, data):
    posted = data.draw(form_data(fields_of(ShareForm), {"to_self": "on",
                                                        "colleague": "sam@example.com"}))
    report = report_in(state)
    mails = OutgoingMail.objects.count()

    response = Client().post(reverse("advisor:share", kwargs={"token": report.token}), posted)

    query = as_query(posted)
    form = ShareForm(data=query)
    wants_colleague = bool(str(query.get("colleague", "")).strip())
    if state == sharing.CONFIRM_FIRST or (
            wants_colleague and state in {sharing.REQUEST_ADVICE, "colleague_shared"}):
        expected = 403  # not allowed, whatever the address
    elif state == sharing.USED_UP:
        expected = 429
    else:
        expected = 302 if form.is_valid() else 200
    assert response.status_code == expected, (state, posted)
    assert (OutgoingMail.objects.count() > mails) == (expected == 302)
    if expected != 302:
        assert the_error_summary() in response.content.decode()
    if state == sharing.REQUEST_ADVICE and expected == 302:
        # The advice mail held back earlier, the one mail allowed before confirmation.
        assert OutgoingMail.objects.filter(submission=report, kind=MailKind.ADVICE).exists()


TOKENISH = st.one_of(HOSTILE, TEXT, st.text("ABCDEFabcdef0123456789-_", min_size=40,
                                             max_size=50))


@BOUNDED
@given(token=TOKENISH)
def test_any_report_address_is_a_clean_404(report, token):
    client = Client()
    quoted = quote(token, safe="")
    mails = OutgoingMail.objects.count()
    for url in (f"/advies/{quoted}/", f"/en/advies/{quoted}/", f"/advies/{quoted}/rapport.pdf"):
        response = client.get(url)
        assert response.status_code in {301, 404}, (url, response.status_code)
    shared = client.post(f"/advies/{quoted}/delen/", {"to_self": "on"})
    assert shared.status_code in {301, 404}
    assert OutgoingMail.objects.count() == mails


@BOUNDED
@given(code=st.one_of(st.just("the real one"), TOKENISH), method=st.sampled_from(["GET", "POST"]))
def test_any_confirmation_code_but_the_one_in_the_mail_is_a_clean_404(report, code, method):
    real = confirmation_code(report)
    code = real if code == "the real one" else code
    Submission.objects.filter(pk=report.pk).update(email_confirmed_at=None)  # each example
    url = f"/advies/{report.token}/bevestigen/{quote(code, safe='')}/"
    response = Client().generic(method, url)
    if code == real:
        assert response.status_code == (302 if method == "POST" else 200)
    else:
        assert response.status_code in {301, 404}, (url, response.status_code)
        report.refresh_from_db()
        assert report.email_confirmed_at is None
