"""ENGINE_VERSION follows the rules' content: a changed weight or rule needs a new version."""

import inspect
import shutil
from dataclasses import replace

import pytest

from advisor.advice import digest
from advisor.advice import table as q


def test_the_recorded_digest_belongs_to_this_engine_version_and_these_rules():
    problem = digest.check()
    if problem:
        pytest.fail(problem)


def with_choice(key: str, value: str, **changes):
    """The table's steps with one choice of one question changed."""
    steps = []
    for step in q.STEPS:
        questions = tuple(
            replace(question, choices=tuple(
                replace(choice, **changes) if (question.key, choice.value) == (key, value)
                else choice for choice in question.choices))
            for question in step.questions)
        steps.append(replace(step, questions=questions))
    return steps


def test_a_changed_weight_without_a_new_version_fails_with_a_clear_message(edit_table):
    edit_table(with_choice("sector", "legal", m365=2))
    assert digest.check() == digest.RULES_CHANGED
    assert "bump ENGINE_VERSION" in digest.RULES_CHANGED
    assert "make engine-digest" in digest.RULES_CHANGED


def test_a_changed_rule_changes_the_digest(monkeypatch):
    before = digest.rules_digest()
    rule = replace(q.DECISIVE_RULES[0], condition=q.when({"sector": "legal"}))
    monkeypatch.setattr(q, "DECISIVE_RULES", (rule, *q.DECISIVE_RULES[1:]))
    assert digest.rules_digest() != before


def test_reworded_texts_and_page_only_details_leave_the_digest_alone(edit_table):
    before = digest.rules_digest()
    edit_table(with_choice("sector", "legal", label="Law", reason="Other words.",
                           short_label="Law", demo_weight=99))
    assert digest.rules_digest() == before


def test_recording_refuses_without_a_new_version_and_writes_after_one(edit_table, monkeypatch,
                                                                     tmp_path):
    table_file = tmp_path / "table.py"
    shutil.copy(inspect.getfile(q), table_file)
    edit_table(with_choice("sector", "legal", m365=2))
    with pytest.raises(ValueError, match="bump ENGINE_VERSION"):
        digest.record(table_file)

    monkeypatch.setattr(q, "ENGINE_VERSION", "2099.1.1")
    assert digest.check() is not None  # bumped, not yet recorded
    digest.record(table_file)
    assert f'RULES_DIGEST = "2099.1.1:{digest.rules_digest()}"' in table_file.read_text()
