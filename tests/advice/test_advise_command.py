"""`manage.py advise` prints the engine's advice as JSON."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command


def run(monkeypatch, stdin: str, *args: str) -> dict:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("advise", *args, stdout=out)
    return json.loads(out.getvalue())


def test_prints_the_agreed_keys_for_answers_on_stdin(monkeypatch):
    advice = run(monkeypatch, '{"sector": "legal", "sensitive_data": "lots"}', "--lang", "en")
    assert {"verdict", "clear", "scores", "plan", "security_measures", "reasons",
            "next_steps"} <= advice.keys()
    assert advice["verdict"] == "m365" and advice["plan"] == "business_premium"
    mfa = advice["security_measures"][0]
    assert mfa["key"] == "mfa" and mfa["why"] and mfa["norms"]
    reason = advice["reasons"][0]
    assert {"factor", "answer", "towards", "text"} <= reason.keys()


def test_reads_answers_from_a_file(tmp_path, monkeypatch):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"team_size": "solo", "email_intensity": "light",
                                "budget": "minimal", "calendar": "not_needed"}))
    advice = run(monkeypatch, "", str(path))
    assert advice["verdict"] == "imap" and advice["plan"] == "imap_hosting"


def test_language_option_switches_the_texts(monkeypatch):
    english = run(monkeypatch, '{"sector": "legal"}', "--lang", "en")
    dutch = run(monkeypatch, '{"sector": "legal"}', "--lang", "nl")
    assert english["verdict"] == dutch["verdict"]
    assert english["headline"] != dutch["headline"]


def test_empty_input_gives_the_advice_for_the_documented_defaults(monkeypatch):
    advice = run(monkeypatch, "")
    assert advice["answers"]["team_size"] == "2_5"


@pytest.mark.parametrize(("stdin", "named"), [
    ('{"colour": "blue"}', "colour"),
    ('{"sector": "bank"}', "sector"),
    ('{"sector": 3}', "sector"),
    ("[1, 2]", "JSON object"),
    ("{not json", "Not valid JSON"),
])
def test_bad_input_is_refused_with_a_message_naming_the_problem(monkeypatch, stdin, named):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    with pytest.raises(CommandError, match=named):
        call_command("advise", stdout=io.StringIO())


def test_missing_file_is_reported(monkeypatch):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("advise", "/nonexistent/answers.json", stdout=io.StringIO())


def test_exits_non_zero_from_the_shell():
    result = subprocess.run(
        [sys.executable, "manage.py", "advise"], input='{"sector": "bank"}',
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert "'sector'" in result.stderr
