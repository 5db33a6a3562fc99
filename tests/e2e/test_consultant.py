"""The consultant's journey in Chromium: log in with a password and an authenticator code,
follow up a new lead, download its documents, revoke its link, edit the profile, and erase
a person on request. In Dutch (laptop) and in English (phone)."""

import io
import re
import zipfile

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from advisor.models import ConsultantProfile, FollowUpStatus, Submission
from advisor.questionnaire.services import create_submission
from tests.conftest import ANSWERS
from tests.e2e.conftest import LAPTOP, PHONE, Visit
from tests.factories import PASSWORD, make_staff
from tests.jobs import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD_EMAIL = "eva@praktijkjansen.example"
WORDS = {
    "nl": {"prefix": "", "locale": "nl-NL", "login": "Inloggen", "save": "Opslaan",
           "report": "Download pdf-rapport", "brief": "Download gespreksvoorbereiding",
           "revoke": "Deellink intrekken", "go": "Uitvoeren", "erase": "Wissen…",
           "confirm": "Ja, wis alles", "identity": "Bevestigen en doorgaan",
           "start": "Begin hier", "search": "Zoeken"},
    "en": {"prefix": "/en", "locale": "en-GB", "login": "Log in", "save": "Save",
           "report": "Download PDF report", "brief": "Download consultant brief",
           "revoke": "Revoke share link", "go": "Run", "erase": "Erase…",
           "confirm": "Yes, erase everything", "identity": "Confirm and continue",
           "start": "Start here", "search": "Search"},
}
# English words that must not appear on a Dutch back-office page.
UNTRANSLATED = ["Select an option", "Select ", "Save and", "Delete", "Search", "Filter",
                "Action:", "Home", "Log out", "Recent actions"]


@pytest.fixture
def lead() -> Submission:
    """A lead whose report is made, as the consultant finds it when the notification came."""
    flat = {key: value for step in ANSWERS.values() for key, value in step.items()}
    lead = create_submission(answers=flat, language="nl", contact={
        "name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen", "email": LEAD_EMAIL,
        "phone": "06 12345678", "question": "Kunnen we voor de zomer over?"})
    wait_until(lambda: Submission.objects.filter(pk=lead.pk).exclude(report_pdf="").exists(),
               what="the lead's report")
    lead.refresh_from_db()
    return lead


@pytest.fixture
def consultant() -> TOTPDevice:
    user = make_staff("sanne")
    return TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)


def in_dutch(page: Page) -> None:
    text = page.locator("body").inner_text()
    # Options of a select box are not in the visible text; read them from the HTML.
    text += " ".join(page.locator("option").all_inner_texts())
    for english in UNTRANSLATED:
        assert english not in text, f"untranslated {english!r} on {page.url}"


def download(page: Page, click) -> bytes:
    with page.expect_download() as info:
        click()
    return info.value.path().read_bytes()


def run_action(page: Page, action: str, words: dict) -> bytes:
    page.locator("select[name=action]").select_option(action)
    return download(page, lambda: page.get_by_role("button", name=words["go"]).click())


def png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), "#0b5d3b").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("device, language", [
    pytest.param("laptop", "nl", id="laptop-nl"),
    pytest.param("phone", "en", id="phone-en"),
])
def test_the_consultant_follows_up_a_lead_and_keeps_the_back_office_in_order(
        visit, consultant, lead, device, language, tmp_path):
    words = WORDS[language]
    admin = f"{words['prefix']}/{settings.ADMIN_URL}"
    v: Visit = visit(f"consultant-{device}-{language}",
                     viewport=PHONE if device == "phone" else LAPTOP, locale=words["locale"])
    page = v.page

    # Password plus the authenticator code, computed from the device's key.
    v.goto(admin)
    v.check("login")
    page.fill("input[name=username]", "sanne")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", f"{totp(consultant.bin_key):06d}")
    page.get_by_role("button", name=words["login"]).click()

    # The start page: the consultant's work first, the technical tables folded away.
    expect(page.locator(".backoffice-start h2")).to_have_text(words["start"])
    start = page.locator("#content-main")
    order = start.inner_html()
    assert order.index("backoffice-start") < order.index("technical-apps")
    for technical in ("app-axes", "app-otp_totp", "app-auth"):
        assert start.locator(f"details.technical-apps .{technical}").count() == 1
    if language == "nl":
        in_dutch(page)
    v.check("start")

    # The overview: figures and charts of this project's own making.
    page.locator(".backoffice-start a[href*=dashboard]").click()
    expect(page.locator(".dashboard-grid")).to_be_visible()
    assert v.no_horizontal_scroll()
    if language == "nl":
        in_dutch(page)
    v.check("dashboard")
    page.go_back()

    # The new lead, found by searching its company.
    page.locator(".backoffice-start a").first.click()
    page.fill("#searchbar", "Jansen")
    page.keyboard.press("Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    if device == "laptop":
        # All nine columns fit a 1,366-pixel screen: nothing is cut off on the right.
        right = page.evaluate(
            "Math.max(...[...document.querySelectorAll('#result_list th')]"
            ".map(th => th.getBoundingClientRect().right))")
        assert right <= LAPTOP["width"]
        assert v.no_horizontal_scroll()
    if language == "nl":
        in_dutch(page)
    v.check("leads")

    # ZIP and CSV of the selected lead, from the list's actions.
    page.locator(f"input[name=_selected_action][value='{lead.pk}']").check()
    archive = run_action(page, "download_reports_zip", words)
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        assert all(zipped.read(name).startswith(b"%PDF-") for name in zipped.namelist())
    page.locator(f"input[name=_selected_action][value='{lead.pk}']").check()
    csv = run_action(page, "export_csv", words).decode("utf-8-sig")
    assert "Huisartsenpraktijk Jansen" in csv and LEAD_EMAIL in csv

    # Its page: status and a note, saved.
    page.locator("#result_list a", has_text="Huisartsenpraktijk Jansen").click()
    if language == "nl":
        in_dutch(page)
    v.check("lead")
    page.locator("select[name=status]").select_option(FollowUpStatus.CONTACTED)
    page.fill("textarea[name=notes]", "Gebeld, offerte volgt.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    lead.refresh_from_db()
    assert (lead.status, lead.notes) == (FollowUpStatus.CONTACTED, "Gebeld, offerte volgt.")

    # Its report and the consultant's brief, as PDFs.
    report = download(page, lambda: page.get_by_role("link", name=words["report"]).click())
    assert report.startswith(b"%PDF-")
    assert "Huisartsenpraktijk Jansen" in PdfReader(io.BytesIO(report)).pages[0].extract_text()
    brief = download(page, lambda: page.get_by_role("link", name=words["brief"]).click())
    assert brief.startswith(b"%PDF-")

    # Revoke its link: the result page is gone.
    page.get_by_role("button", name=words["revoke"]).click()
    expect(page.locator(".messagelist")).to_be_visible()
    lead.refresh_from_db()
    assert lead.link_revoked_at is not None
    v.check("lead-revoked")

    edits_the_profile(v, words, admin, tmp_path, check_dutch=language == "nl")
    erases_a_person(v, words, admin)


def edits_the_profile(v: Visit, words: dict, admin: str, tmp_path, *, check_dutch: bool) -> None:
    page = v.page
    v.goto(admin)
    page.locator(".backoffice-start a[href*=consultantprofile]").click()
    page.fill("input[name=consultant_name]", "Sanne de Vries")
    page.fill("input[name=company_name]", "De Vries IT-advies")
    page.fill("input[name=email]", "sanne@devries-it.example")
    page.fill("input[name=booking_url]", "https://agenda.devries-it.example/sanne")
    # A main colour too light for white text is refused, with a darker suggestion.
    page.fill("input[name=primary_color]", "#f4b400")
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_logo())
    page.set_input_files("input[name=logo]", str(logo))
    page.fill("input[name=prices-0-monthly_price]", "4.75")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".field-primary_color .errorlist")).to_be_visible()
    if check_dutch:
        in_dutch(page)
    v.check("profile-colour-refused")
    page.fill("input[name=primary_color]", "#0b5d3b")
    page.fill("input[name=accent_color]", "#f4b400")
    page.set_input_files("input[name=logo]", str(logo))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    v.check("profile-saved")
    profile = ConsultantProfile.objects.get()
    assert (profile.primary_color, profile.accent_color) == ("#0b5d3b", "#f4b400")
    assert profile.logo and profile.prices.get(plan=profile.prices.first().plan)
    assert "4.75" in {str(price.monthly_price) for price in profile.prices.all()}


def erases_a_person(v: Visit, words: dict, admin: str) -> None:
    page = v.page
    v.goto(admin)
    page.locator(".backoffice-start a[href*=privacy]").click()
    if words["prefix"] == "":
        in_dutch(page)
    v.check("privacy-requests")
    page.fill("input[name=email]", LEAD_EMAIL)
    page.get_by_role("button", name=words["erase"]).click()
    expect(page.get_by_role("button", name=words["confirm"])).to_be_visible()
    v.check("privacy-erase-review")
    page.get_by_role("button", name=words["confirm"]).click()
    # Erasure asks for the password and a code once more; the login's code is spent, so the
    # app's next one (the device accepts one step of drift).
    device = TOTPDevice.objects.get()
    page.fill("input[name=identity-password]", PASSWORD)
    page.fill("input[name=identity-otp_token]", f"{totp(device.bin_key, drift=1):06d}")
    v.check("privacy-erase-confirm-identity")
    page.get_by_role("button", name=words["identity"]).click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert not Submission.objects.filter(email=LEAD_EMAIL).exists()
    assert re.search(r"/privacy/$", page.url)
