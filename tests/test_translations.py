"""Every visible string exists in Dutch, and Dutch pages show no English left behind."""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from advisor.questionnaire.services import create_submission

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# What `make translations` extracts strings from; tests and benchmarks stay out.
SOURCES = ("advisor", "config", "templates", "manage.py")


def msgfmt_statistics(po_file: Path) -> str:
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stderr


def entries_needing_work(po_file: Path) -> list[str]:
    """Entries that are fuzzy or have an empty msgstr, for a readable failure."""
    entries = po_file.read_text(encoding="utf-8").split("\n\n")[1:]
    return [entry.strip() for entry in entries
            if "#, fuzzy" in entry or entry.rstrip().endswith('msgstr ""')]


def test_every_dutch_message_is_translated_and_none_is_fuzzy_or_missing(tmp_path):
    # Extract the strings from the sources as they are now, into a copy of the catalogue:
    # a string added to the code but not to the catalogue shows up as untranslated there.
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(LOCALE, tmp_path / "locale")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-obsolete", "-v0"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    po_file = tmp_path / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    statistics = msgfmt_statistics(po_file)
    todo = "\n\n".join(entries_needing_work(po_file))
    assert "untranslated" not in statistics and "fuzzy" not in statistics, (
        f"{statistics}Run `make translations`, then translate these in "
        f"locale/nl/LC_MESSAGES/django.po:\n\n{todo}"
    )


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
