"""More need never means less: a property test over the whole answer space (issue 10).

More people, more sensitive data, more security importance or stricter requirements (and
more secure mail or a longer retention duty) never move the advice towards IMAP, never drop
a measure and never lower the plan.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.advice import table as q
from advisor.advice.engine import advise

PLAN_ORDER = {plan: rank for rank, plan in enumerate(q.PLANS)}
UP = {
    "team_size": ["solo", "2_5", "6_15", "16_50", "51_plus"],
    "sensitive_data": ["no", "some", "lots"],
    "security_importance": ["basic", "important", "critical"],
    "sector_requirements": ["no", "unsure", "yes"],
    "secure_mail": ["no", "sometimes", "regularly"],
    "retention_need": ["none", "fiscal", "medical"],
}
OFFERED = {key: [c.value for c in question.choices if c.offered]
           for key, question in q.QUESTIONS.items()}

answer_sets = st.fixed_dictionaries({key: st.sampled_from(values)
                                     for key, values in OFFERED.items()})


@settings(max_examples=400, deadline=None, database=None)
@given(answers=answer_sets, axis=st.sampled_from(sorted(UP)), data=st.data())
def test_one_step_up_in_need_never_moves_the_advice_down(answers, axis, data):
    values = UP[axis]
    step = data.draw(st.integers(min_value=0, max_value=len(values) - 2))
    lower = advise({**answers, axis: values[step]})
    higher = advise({**answers, axis: values[step + 1]})
    assert not (lower.verdict == q.M365 and higher.verdict == q.IMAP)
    assert {m.key for m in lower.security_measures} <= {m.key for m in higher.security_measures}
    assert PLAN_ORDER[higher.plan] >= PLAN_ORDER[lower.plan]


@settings(max_examples=200, deadline=None, database=None)
@given(answers=answer_sets)
def test_sixteen_or_more_people_never_get_a_clear_imap_advice(answers):
    for size in ("16_50", "51_plus"):
        assert advise({**answers, "team_size": size}).verdict == q.M365


@settings(max_examples=200, deadline=None, database=None)
@given(answers=answer_sets)
def test_an_imap_advice_never_lists_a_measure_imap_cannot_deliver(answers):
    advice = advise(answers)
    if advice.verdict == q.IMAP:
        beyond = {m.key for m in q.MEASURES if not m.on_imap}
        assert beyond.isdisjoint(m.key for m in advice.security_measures)
        assert advice.answers["current_setup"] != "m365"


@settings(max_examples=200, deadline=None, database=None)
@given(answers=answer_sets)
def test_every_required_measure_is_delivered_by_the_plan_or_a_named_add_on(answers):
    advice = advise(answers)
    for measure in advice.security_measures:
        table_measure = next(m for m in q.MEASURES if m.key == measure.key)
        if measure.delivered_by == "plan":
            delivers = (table_measure.on_imap if advice.plan == "imap_hosting"
                        else advice.plan in table_measure.plans)
            assert delivers, (measure.key, advice.plan)
        else:
            assert measure.add_on is not None
