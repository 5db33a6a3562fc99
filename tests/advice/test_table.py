"""Consistency of the declarative table: every rule points at something that exists."""

import pytest
from django.utils.functional import Promise

from advisor.advice import table as q

ISSUE_KEYS = {
    "team_size": ["solo", "2_5", "6_15", "16_50", "51_plus"],
    "sector": ["advocatuur", "notariaat", "legal_other", "healthcare_patient", "care_other",
               "accountancy", "bookkeeping_payroll", "financial_advice",
               "financial_institution", "other_sensitive", "legal", "healthcare", "financial",
               "general"],
    "sensitive_data": ["no", "some", "lots"],
    "growth": ["none", "moderate", "strong"],
    "email_intensity": ["light", "moderate", "heavy"],
    "devices": ["one", "two", "three_plus"],
    "shared_mailboxes": ["none", "few", "many"],
    "calendar": ["not_needed", "personal", "shared"],
    "contacts_tasks": ["no", "yes"],
    "collaboration": ["none", "some", "intensive"],
    "office_apps": ["none", "web", "desktop"],
    "security_importance": ["basic", "important", "critical"],
    "stability_importance": ["normal", "high"],
    "sector_requirements": ["no", "unsure", "yes"],
    "current_setup": ["none", "pop", "imap", "m365", "google", "other"],
    "it_support": ["self", "external", "none"],
    "budget": ["minimal", "balanced", "value"],
}


def answer_conditions():
    """Conditions that read the answers only."""
    yield from (rule.condition for rule in q.DECISIVE_RULES)
    yield from (rule.condition for rule in q.PLAN_RULES)
    yield from (measure.condition for measure in q.MEASURES)
    yield from (norm.scope for norm in q.NORMS.values())
    yield from (rule.condition for rule in q.ADD_ON_RULES)
    yield from (step.condition for step in q.STEPS)
    yield from (question.condition for question in q.QUESTIONS.values())


def fact_conditions():
    """Conditions that may also read facts about the advice (verdict, close call, question)."""
    yield from (note.condition for note in q.NOTES)
    yield from (point.condition for point in q.TALKING_POINTS)
    yield from (step.condition for step in q.NEXT_STEPS)
    yield from (rule.condition for rule in q.CURRENT_SETUP_RULES)


def keys_read(condition) -> set[str]:
    return {key for alternative in condition for key in alternative}


def test_the_agreed_keys_and_values_are_all_still_there_in_their_order():
    # Stored answers and the advise command's JSON use them: a question or choice may be
    # added, none renamed or removed.
    for key, values in ISSUE_KEYS.items():
        assert key in q.QUESTIONS, key
        table_values = [value for value in q.QUESTIONS[key].values if value in values]
        assert table_values == values, key


def test_every_question_step_has_questions_and_question_keys_are_unique():
    keys = [question.key for step in q.STEPS for question in step.questions]
    assert all(step.questions for step in q.question_steps())
    assert len(keys) == len(set(keys))
    assert 4 <= len(q.question_steps()) <= 6
    assert len({step.name for step in q.STEPS}) == len(q.STEPS)


def test_the_last_step_asks_for_the_contact_details_and_is_always_shown():
    last = q.STEPS[-1]
    assert last.kind == q.CONTACT and not last.questions and last.condition == q.ALWAYS
    assert [step.kind for step in q.STEPS[:-1]] == [q.ASK] * (len(q.STEPS) - 1)
    assert q.contact_step() is last


def test_every_visible_text_is_translatable():
    for step in q.STEPS:
        assert isinstance(step.title, Promise) and isinstance(step.intro, Promise)
        for question in step.questions:
            assert isinstance(question.label, Promise)
            assert isinstance(question.why, Promise), f"{question.key} needs a 'why we ask this'"
            for choice in question.choices:
                assert isinstance(choice.label, Promise) and isinstance(choice.short, Promise)
    texts = [*(n.label for n in q.NORMS.values()), *q.LEGACY_NORMS.values(),
             *q.LEGACY_DECISIVE_RULES.values(), *q.SETUP_ADVICE_TEXTS.values(),
             *q.SETUP_HEADLINES.values(), *(m.capability for m in q.MEASURES),
             *(a.name for a in q.ADD_ONS.values()), *(a.explanation for a in q.ADD_ONS.values()),
             *(m.title for m in q.LEGACY_MEASURES.values()),
             *(p.name for p in q.PLANS.values()),
             *(p.short for p in q.PLANS.values()),
             *(p.summary for p in q.PLANS.values()), *(s.text for s in q.NEXT_STEPS),
             *(m.title for m in q.MEASURES), *(m.why for m in q.MEASURES),
             *(f.label for f in q.FEATURES), *(r.reason for r in q.DECISIVE_RULES),
             *(n.text for n in q.NOTES), *(t.text for t in q.TALKING_POINTS),
             *q.OPTION_NAMES.values()]
    assert all(isinstance(text, Promise) for text in texts)


def test_every_weighted_choice_explains_itself_and_neutral_ones_do_not():
    for question in q.QUESTIONS.values():
        for choice in question.choices:
            assert choice.imap >= 0 and choice.m365 >= 0
            pushes = choice.imap != choice.m365
            assert pushes == (choice.reason is not None), f"{question.key}={choice.value}"


def test_every_default_is_one_of_its_choices():
    for question in q.QUESTIONS.values():
        question.choice(question.default)


@pytest.mark.parametrize("condition", list(answer_conditions()))
def test_conditions_only_name_existing_questions_and_answers(condition):
    for alternative in condition:
        for key, values in alternative.items():
            assert key in q.QUESTIONS, key
            assert values <= set(q.QUESTIONS[key].values), (key, values)


@pytest.mark.parametrize("condition", list(fact_conditions()))
def test_notes_and_talking_points_only_name_existing_answers_and_facts(condition):
    for alternative in condition:
        for key, values in alternative.items():
            known = q.QUESTIONS[key].values if key in q.QUESTIONS else q.FACTS.get(key)
            assert known is not None, f"{key} is neither a question nor a fact"
            assert values <= set(known), (key, values)


def test_a_conditional_step_or_question_only_reads_answers_of_earlier_steps():
    earlier: set[str] = set()
    for step in q.STEPS:
        assert keys_read(step.condition) <= earlier, step.name
        for question in step.questions:
            assert keys_read(question.condition) <= earlier, question.key
        earlier |= {question.key for question in step.questions}


def test_a_question_that_may_not_be_asked_defaults_to_a_not_applicable_answer():
    # The engine scores a question that was not asked as its default: that answer must not
    # move the advice, so it carries no points and no reason.
    for step in q.question_steps():
        for question in step.questions:
            if question.condition == q.ALWAYS and step.condition == q.ALWAYS:
                continue
            default = question.choice(question.default)
            assert (default.imap, default.m365, default.reason) == (0, 0, None), question.key


def test_every_team_size_stands_for_a_number_of_users_and_only_team_size_does():
    for question in q.QUESTIONS.values():
        for choice in question.choices:
            assert (choice.users is not None) == (question.key == "team_size"), choice.value


def test_demo_weights_give_every_question_an_answer_and_brief_sections_exist():
    for question in q.QUESTIONS.values():
        assert all(choice.demo_weight >= 0 for choice in question.choices)
        assert sum(choice.demo_weight for choice in question.choices) > 0, question.key
        assert question.brief in (None, *q.BRIEF_SECTIONS), question.key


def test_plan_rules_name_known_plans_and_each_verdict_always_finds_a_plan():
    # Business Premium is reached through the measures it alone delivers.
    reached = {rule.plan for rule in q.PLAN_RULES} | {
        next(iter(m.plans)) for m in q.MEASURES if len(m.plans) == 1}
    assert reached == set(q.PLANS)
    assert list(q.PLANS) == ["imap_hosting", *q.M365_PLANS]
    for verdict in (q.IMAP, q.M365):
        assert q.ALWAYS in [r.condition for r in q.PLAN_RULES if r.verdict == verdict]


def test_norms_name_known_measures_and_carry_a_source():
    for norm in q.NORMS.values():
        assert norm.measures and norm.measures <= q.ALL_MEASURES, norm.key
        assert norm.source, f"{norm.key} needs its source (law, article or standard)"


def test_every_measure_names_its_capability_and_business_premium_delivers_them_all():
    for measure in q.MEASURES:
        assert measure.capability is not None and measure.source, measure.key
        assert measure.plans <= set(q.M365_PLANS), measure.key
        assert "business_premium" in measure.plans, measure.key


def test_an_add_on_rule_names_a_known_add_on_for_a_measure_its_plans_cannot_all_deliver():
    measures = {m.key: m for m in q.MEASURES}
    for rule in q.ADD_ON_RULES:
        assert rule.add_on in q.ADD_ONS and rule.measure in measures
        assert rule.plans <= set(q.PLANS)
    for measure in q.MEASURES:
        # IMAP delivers a measure only where the table says so, then maybe with an add-on.
        on_imap = [r for r in q.ADD_ON_RULES
                   if r.measure == measure.key and "imap_hosting" in r.plans]
        assert not on_imap or measure.on_imap, measure.key


def test_legacy_keys_of_earlier_engine_versions_stay_readable_but_are_not_offered():
    sector = q.QUESTIONS["sector"]
    for value in q.LEGACY_SECTORS:
        assert not sector.choice(value).offered
    assert {"access_control", "logging_monitoring", "demonstrable_settings"} <= set(
        q.LEGACY_MEASURES)
    assert {"nova", "dnb"} <= set(q.LEGACY_NORMS)
    assert not set(q.LEGACY_MEASURES) & q.ALL_MEASURES


def test_a_not_applicable_answer_is_never_offered():
    for question in q.QUESTIONS.values():
        if question.default == q.NOT_APPLICABLE:
            assert not question.choice(q.NOT_APPLICABLE).offered, question.key


def test_feature_comparison_lists_the_nine_capabilities_of_the_document():
    assert len(q.FEATURES) == 9
    imap_yes = [f.key for f in q.FEATURES if f.imap == q.YES]
    assert imap_yes == ["send_receive", "folder_sync"]
    assert all(f.m365 in (q.YES, q.DEPENDS) for f in q.FEATURES)
    filtering = next(f for f in q.FEATURES if f.key == "filtering")
    assert filtering.imap == q.DEPENDS and filtering.imap_note is not None
