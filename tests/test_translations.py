"""Every visible string exists in Dutch, and Dutch pages show no English left behind."""

import html
import re
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from advisor.questionnaire.services import create_submission

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def test_the_dutch_catalogue_has_no_untranslated_or_fuzzy_entries():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null",
         str(LOCALE / "nl" / "LC_MESSAGES" / "django.po")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def english_sentences() -> set[str]:
    """English msgids whose Dutch differs: finding one on a Dutch page means a miss."""
    catalog = trans_real.translation("nl")._catalog
    return {
        msgid for msgid, msgstr in catalog.items()
        if isinstance(msgid, str) and len(msgid) >= 25 and msgstr != msgid and "%" not in msgid
        and "{" not in msgid and "<" not in msgid
    }


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.django_db
@pytest.mark.parametrize("answers", [
    {"sector": "healthcare", "sensitive_data": "lots", "current_setup": "pop"},
    {"team_size": "solo", "email_intensity": "light", "budget": "minimal", "growth": "strong"},
])
def test_dutch_pages_contain_no_english_sentences(client, questionnaire, answers):
    with translation.override("nl"):
        submission = create_submission(answers=answers, contact={
            "name": "Eva", "company": "Bakkerij Jansen", "email": "eva@bakkerij.nl"},
            language="nl")
    pages = ["/", "/privacy/", submission.get_absolute_url(), "/bestaat-niet/"]
    texts = [visible_text(client.get(url).content.decode()) for url in pages]
    for step in questionnaire.steps:
        texts.append(visible_text(client.get(questionnaire.url(step)).content.decode()))
        if step in questionnaire.answers:
            questionnaire.post(client, step, questionnaire.answers[step])
    found = {s for s in english_sentences() for text in texts if " ".join(s.split()) in text}
    assert found == set()
