"""Generations: a cache key that changes with its data, one per member when there are many."""

import pytest
from django.db import transaction

from advisor.lib.generations import Generations

pytestmark = pytest.mark.django_db


def test_a_member_keeps_its_token_until_it_is_advanced_and_only_its_own_changes():
    weeks = Generations("test-weeks", timeout=None)
    before = weeks.tokens(["1", "2", "3"])
    assert weeks.tokens(["3", "1", "2"]) == before
    weeks.advance(["2"])
    after = weeks.tokens(["1", "2", "3"])
    assert after["1"] == before["1"] and after["3"] == before["3"]
    assert after["2"] != before["2"]


def test_a_rolled_back_change_leaves_the_tokens_alone(django_capture_on_commit_callbacks):
    weeks = Generations("test-weeks", timeout=None)
    before = weeks.tokens(["1"])
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        weeks.advance_on_commit(["1"])
        raise RuntimeError
    assert weeks.tokens(["1"]) == before
    with django_capture_on_commit_callbacks(execute=True):
        weeks.advance_on_commit(["1"])
    assert weeks.tokens(["1"]) != before


def test_a_forgotten_token_comes_back_as_a_fresh_one_never_the_old_one():
    weeks = Generations("test-weeks", timeout=None)
    before = weeks.tokens(["1"])
    weeks.forget(["1"])
    assert weeks.tokens(["1"]) != before
