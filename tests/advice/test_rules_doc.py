"""docs/advice-rules.md is generated from the table and kept up to date."""

import io

from django.core.management import call_command

from advisor.advice import rules_doc
from advisor.advice import table as q


def test_the_rules_document_is_up_to_date_with_the_table():
    assert rules_doc.DOC_PATH.read_text(encoding="utf-8") == rules_doc.render(), \
        rules_doc.OUT_OF_DATE


def test_the_document_lists_every_rule_norm_measure_and_plan_rule_with_its_source():
    text = rules_doc.render()
    for key in [*q.NORMS, *(m.key for m in q.MEASURES), *(r.key for r in q.DECISIVE_RULES),
                *q.PLANS, *q.ADD_ONS, *q.QUESTIONS]:
        assert f"`{key}`" in text, key
    for norm in q.NORMS.values():
        assert norm.source in text


def test_the_command_prints_the_document():
    out = io.StringIO()
    call_command("advice_rules", stdout=out)
    assert out.getvalue() == rules_doc.render()
