"""Property-based tests (hypothesis): random and hostile input to every questionnaire step, the
share form and the report URLs. Never a 500; a clear message or a 4xx; nothing half-stored.

Each property compares the site's decision with the form's own verdict on the same data, so
"accepted" and "refused" are both checked, not just "did not crash".
"""

from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.advice import table as q
from advisor.models import OutgoingMail, Submission
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


@BOUNDED
@given(data=st.data())
def test_any_share_request_sends_mail_exactly_when_valid(report, data):
    posted = data.draw(form_data(fields_of(ShareForm), {"to_self": "on",
                                                        "colleague": "sam@example.com"}))
    mails = OutgoingMail.objects.count()

    response = Client().post(reverse("advisor:share", kwargs={"token": report.token}), posted)

    form = ShareForm(data=as_query(posted))
    if form.is_valid():
        assert response.status_code == 302
        assert OutgoingMail.objects.count() > mails
    else:
        assert response.status_code == 200
        assert OutgoingMail.objects.count() == mails


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
