"""Consistency of the declarative table: every rule points at something that exists."""

import pytest
from django.utils.functional import Promise

from advisor.advice import table as q

ISSUE_KEYS = {
    "team_size": ["solo", "2_5", "6_15", "16_50", "51_plus"],
    "sector": ["legal", "healthcare", "financial", "other_sensitive", "general"],
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


def all_conditions():
    yield from (rule.condition for rule in q.DECISIVE_RULES)
    yield from (rule.condition for rule in q.PLAN_RULES)
    yield from (measure.condition for measure in q.MEASURES)
    yield from (rule.condition for rule in q.NORM_RULES)
    yield from (step.condition for step in q.NEXT_STEPS)
    yield q.MIGRATION_NOTE_CONDITION


def test_questions_and_choices_are_exactly_the_agreed_keys_and_values():
    assert {key: [c.value for c in question.choices] for key, question in q.QUESTIONS.items()} \
        == ISSUE_KEYS


def test_every_step_has_questions_and_question_keys_are_unique():
    keys = [question.key for step in q.STEPS for question in step.questions]
    assert all(step.questions for step in q.STEPS)
    assert len(keys) == len(set(keys))
    assert 4 <= len(q.STEPS) <= 6


def test_every_visible_text_is_translatable():
    for step in q.STEPS:
        assert isinstance(step.title, Promise) and isinstance(step.intro, Promise)
        for question in step.questions:
            assert isinstance(question.label, Promise)
            assert isinstance(question.why, Promise), f"{question.key} needs a 'why we ask this'"
            for choice in question.choices:
                assert isinstance(choice.label, Promise)
    texts = [*q.NORMS.values(), *(p.name for p in q.PLANS.values()),
             *(p.summary for p in q.PLANS.values()), *(s.text for s in q.NEXT_STEPS),
             *(m.title for m in q.MEASURES), *(m.why for m in q.MEASURES),
             *(f.label for f in q.FEATURES), *(r.reason for r in q.DECISIVE_RULES)]
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


@pytest.mark.parametrize("condition", list(all_conditions()))
def test_conditions_only_name_existing_questions_and_answers(condition):
    for alternative in condition:
        for key, values in alternative.items():
            assert key in q.QUESTIONS, key
            assert values <= {c.value for c in q.QUESTIONS[key].choices}, (key, values)


def test_plan_rules_name_known_plans_and_each_verdict_always_finds_a_plan():
    assert {rule.plan for rule in q.PLAN_RULES} == set(q.PLANS)
    for verdict in (q.IMAP, q.M365):
        assert q.ALWAYS in [r.condition for r in q.PLAN_RULES if r.verdict == verdict]


def test_norm_rules_name_known_norms_and_measures():
    measure_keys = {m.key for m in q.MEASURES}
    assert {"mfa", "access_control", "logging_monitoring", "demonstrable_settings"} <= measure_keys
    for rule in q.NORM_RULES:
        assert set(rule.norms) <= set(q.NORMS)
        assert rule.measures <= measure_keys


def test_feature_comparison_lists_the_nine_capabilities_of_the_document():
    assert len(q.FEATURES) == 9
    imap_yes = [f.key for f in q.FEATURES if f.imap == q.YES]
    assert imap_yes == ["send_receive", "folder_sync"]
    assert all(f.m365 in (q.YES, q.DEPENDS) for f in q.FEATURES)
    filtering = next(f for f in q.FEATURES if f.key == "filtering")
    assert filtering.imap == q.DEPENDS and filtering.imap_note is not None
