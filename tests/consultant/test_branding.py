"""Branding and prices edited in the back office reach pages, PDFs and estimates at once."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from advisor.advice.table import PLANS
from advisor.consultant.branding import get_branding
from advisor.consultant.pricing import DEFAULT_PRICES
from advisor.lib.contrast import darker_shade
from advisor.models import (
    BOOKING_URL_HTTPS_ONLY,
    LOGO_NOT_AN_IMAGE,
    LOGO_TOO_LARGE,
    MAIN_COLOUR_TOO_LIGHT,
    ConsultantProfile,
    PlanPrice,
    validate_logo,
)
from tests.factories import make_lead, make_staff, stored_report, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (120, 40),
                color: str = "#1f4e79") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_profile(**fields) -> ConsultantProfile:
    values = {
        "consultant_name": "Noor Bakker", "company_name": "Bakker ICT",
        "email": "noor@bakker.example", "phone": "+31 20 1234567",
        "website": "https://bakker.example", "kvk": "12345678",
        "primary_color": "#112233", "accent_color": "#445566", **fields,
    }
    return ConsultantProfile.objects.create(pk=ConsultantProfile.SINGLETON_ID, **values)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# --- Reading the branding --------------------------------------------------------------------


def test_a_fresh_install_uses_the_branding_from_settings():
    branding = get_branding()
    assert branding.company_name == django_settings.BRANDING["company_name"]
    assert branding.logo_url == static(django_settings.BRANDING["logo"])
    assert Path(branding.logo_path).is_file()
    assert branding.phone_href == "+31612345678"


def test_the_profile_from_the_back_office_replaces_the_settings():
    make_profile()
    branding = get_branding()
    assert (branding.consultant_name, branding.company_name, branding.kvk) == (
        "Noor Bakker", "Bakker ICT", "12345678")
    assert (branding.primary_color, branding.accent_color) == ("#112233", "#445566")


def test_a_new_page_shows_a_changed_profile_without_a_restart(client):
    profile = make_profile()
    assert "Bakker ICT" in client.get("/").content.decode()
    profile.company_name = "Bakker & Dochter ICT"
    profile.primary_color = "#aa0000"
    profile.save()
    html = client.get("/").content.decode()
    assert "Bakker &amp; Dochter ICT" in html
    assert "--brand-primary:#aa0000" in html


def profile_reads(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if "advisor_consultantprofile" in q["sql"]]


def test_pages_read_the_profile_once_until_it_changes(client):
    make_profile()
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    with CaptureQueriesContext(connection) as later:
        client.get("/")
        client.get(reverse("advisor:step", kwargs={"step": "business"}))
    assert len(profile_reads(first)) == 1
    assert profile_reads(later) == []


@pytest.mark.parametrize("cache", ["locmem", "redis"])
def test_a_changed_profile_shows_on_the_next_page_at_once(client, cache, request):
    if cache == "redis":
        request.getfixturevalue("redis_cache")
    profile = make_profile(company_name="Eerste Naam BV", primary_color="#1f4e79")
    assert "Eerste Naam BV" in client.get("/").content.decode()

    profile.company_name = "Tweede Naam BV"
    profile.primary_color = "#aa0000"
    profile.save()

    html = client.get("/").content.decode()
    assert "Tweede Naam BV" in html and "Eerste Naam BV" not in html
    assert "--brand-primary:#aa0000" in html


def test_a_deleted_profile_gives_way_to_the_settings_at_once(client, settings):
    make_profile(company_name="Eerste Naam BV")
    assert "Eerste Naam BV" in client.get("/").content.decode()

    ConsultantProfile.objects.all().delete()

    assert settings.BRANDING["company_name"] in client.get("/").content.decode()


def test_a_profile_saved_in_the_back_office_shows_at_once(client):
    assert django_settings.BRANDING["company_name"] in client.get("/").content.decode()
    consultant = verified_client(make_staff())
    response = consultant.post(reverse("admin:advisor_consultantprofile_add"),
                               profile_form(company_name="Tweede Naam BV"))
    assert response.status_code == 302

    assert "Tweede Naam BV" in client.get("/").content.decode()


def test_pages_still_show_the_branding_when_the_cache_is_down(client, settings):
    make_profile(company_name="Eerste Naam BV")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    assert "Eerste Naam BV" in get_branding().company_name


def test_an_uploaded_logo_is_served_from_its_own_address(client, media):
    make_profile(logo=upload("logo.png", image_bytes()))
    branding = get_branding()
    assert branding.logo_url.startswith("/logo/")
    with default_storage.open(branding.logo_file) as stored:
        assert stored.read() == image_bytes()
    assert branding.logo_path == ""  # no disk path: the media storage may be S3

    response = client.get(branding.logo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == image_bytes()
    assert f'src="{branding.logo_url}"' in client.get("/").content.decode()


def test_only_the_current_logo_is_served(client, media):
    profile = make_profile(logo=upload("logo.png", image_bytes()))
    old_url = get_branding().logo_url
    profile.logo = upload("new.png", image_bytes(color="#ff0000"))
    profile.save()
    assert client.get(old_url).status_code == 404
    assert client.get("/logo/../../settings.py").status_code == 404
    assert client.get(get_branding().logo_url).status_code == 200


def test_the_fingerprint_changes_with_any_field_and_with_a_new_logo(media):
    profile = make_profile(logo=upload("logo.png", image_bytes()))
    first = get_branding().fingerprint
    assert get_branding().fingerprint == first  # stable while nothing changes

    profile.email = "info@bakker.example"
    profile.save()
    second = get_branding().fingerprint
    assert second != first

    # Every upload gets a new name in the storage, so new bytes mean a new fingerprint.
    profile.logo = upload("logo.png", image_bytes(color="#00ff00"))
    profile.save()
    assert get_branding().fingerprint != second


def test_a_static_logos_bytes_are_part_of_the_fingerprint(settings, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    settings.BRANDING = {**settings.BRANDING, "logo": str(logo)}
    first = get_branding().fingerprint
    logo.write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>")
    assert get_branding().fingerprint != first


def test_an_invalid_colour_never_reaches_the_style_block(client):
    # Seven characters, as the column holds (PostgreSQL refuses longer values).
    make_profile(primary_color="};a{b:c")
    html = client.get("/").content.decode()
    assert "};a{b:c" not in html
    assert "--brand-primary:#1f4e79" in html


# --- Validation of what the consultant uploads and types ------------------------------------


@pytest.mark.parametrize("name, content, content_type", [
    ("logo.png", image_bytes("PNG"), "image/png"),
    ("logo.jpg", image_bytes("JPEG"), "image/jpeg"),
])
def test_png_and_jpeg_logos_are_accepted(name, content, content_type):
    validate_logo(upload(name, content, content_type))


@pytest.mark.parametrize("name, content, content_type", [
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "image/svg+xml"),
    ("logo.gif", image_bytes("GIF"), "image/gif"),
    ("logo.png", b"<html>not an image</html>", "image/png"),
])
def test_other_files_are_refused_as_logo(name, content, content_type):
    with pytest.raises(ValidationError) as error:
        validate_logo(upload(name, content, content_type))
    assert error.value.messages == [str(LOGO_NOT_AN_IMAGE)]


def test_a_logo_that_is_too_large_is_refused():
    huge = upload("logo.png", image_bytes(size=(4500, 10)))
    with pytest.raises(ValidationError) as error:
        validate_logo(huge)
    assert error.value.messages == [str(LOGO_TOO_LARGE)]
    heavy = upload("logo.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError):
        validate_logo(heavy)


@pytest.mark.parametrize("field, value", [
    ("primary_color", "#12345g"), ("accent_color", "red"), ("primary_color", "#123"),
    ("kvk", "1234567"), ("kvk", "1234567a"), ("website", "javascript:alert(1)"),
])
def test_colours_kvk_number_and_website_are_validated(field, value):
    profile = ConsultantProfile(consultant_name="A", company_name="B", email="a@b.example",
                                **{field: value})
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert field in error.value.message_dict


# --- Editing in the back office --------------------------------------------------------------

PROFILE_URL = "admin:advisor_consultantprofile_changelist"


def profile_form(**overrides) -> dict[str, object]:
    data = {
        "consultant_name": "Noor Bakker", "company_name": "Bakker ICT",
        "email": "noor@bakker.example", "phone": "", "website": "", "kvk": "",
        "primary_color": "#112233", "accent_color": "#445566", "prices_as_of": "01-03-2026",
        "billing_term": "annual_monthly",
        "prices-TOTAL_FORMS": str(len(PLANS)), "prices-INITIAL_FORMS": "0",
        "prices-MIN_NUM_FORMS": "0", "prices-MAX_NUM_FORMS": str(len(PLANS)),
    }
    for index, plan in enumerate(PLANS):
        data[f"prices-{index}-plan"] = plan
        data[f"prices-{index}-monthly_price"] = "7.50" if plan == "business_basic" else "1.00"
    return {**data, **overrides}


def test_a_fresh_install_opens_a_profile_form_filled_from_the_settings():
    consultant = verified_client(make_staff())
    response = consultant.get(reverse(PROFILE_URL), follow=True)
    form = response.context["adminform"].form
    assert form.initial["company_name"] == django_settings.BRANDING["company_name"]
    formset = response.context["inline_admin_formsets"][0].formset
    assert [f.initial["plan"] for f in formset.forms] == list(PLANS)
    assert formset.forms[0].initial["monthly_price"] == DEFAULT_PRICES["imap_hosting"]


def test_the_consultant_saves_profile_logo_and_price_table_in_one_go(media):
    consultant = verified_client(make_staff())
    add_url = reverse("admin:advisor_consultantprofile_add")
    response = consultant.post(add_url, {**profile_form(), "logo": upload("l.png", image_bytes())})
    assert response.status_code == 302, response.context["errors"]
    profile = ConsultantProfile.objects.get()
    assert profile.pk == ConsultantProfile.SINGLETON_ID
    assert profile.logo.name.startswith("branding/") and profile.logo.name.endswith(".png")
    assert PlanPrice.objects.get(plan="business_basic").monthly_price == 7.5
    assert PlanPrice.objects.count() == len(PLANS)
    # One profile: no second one, no deleting, and the list opens the profile itself.
    assert consultant.get(add_url).status_code == 403
    assert consultant.get(reverse(PROFILE_URL))["Location"] == reverse(
        "admin:advisor_consultantprofile_change", args=[profile.pk])
    delete_url = reverse("admin:advisor_consultantprofile_delete", args=[profile.pk])
    assert consultant.get(delete_url).status_code == 403


def test_a_first_save_that_keeps_the_list_prices_stores_them(media):
    # Django saves an extra inline row only when it differs from its initial values: the
    # list prices, shown as each row's start, were silently not stored.
    consultant = verified_client(make_staff())
    unchanged = {f"prices-{index}-monthly_price": str(DEFAULT_PRICES[plan])
                 for index, plan in enumerate(PLANS)}
    response = consultant.post(reverse("admin:advisor_consultantprofile_add"),
                               profile_form(**unchanged))
    assert response.status_code == 302, response.context["errors"]
    assert {price.plan: price.monthly_price for price in PlanPrice.objects.all()} == {
        plan: DEFAULT_PRICES[plan] for plan in PLANS}
    page = consultant.get(reverse("admin:advisor_consultantprofile_change",
                                  args=[ConsultantProfile.SINGLETON_ID]))
    formset = page.context["inline_admin_formsets"][0].formset
    assert [form.instance.plan for form in formset.forms if form.instance.pk] == list(PLANS)


def test_a_replaced_or_cleared_logo_leaves_no_file_on_disk(
        media, django_capture_on_commit_callbacks):
    consultant = verified_client(make_staff())
    consultant.post(reverse("admin:advisor_consultantprofile_add"),
                    {**profile_form(), "logo": upload("first.png", image_bytes())})
    profile = ConsultantProfile.objects.get()
    first = media / profile.logo.name
    assert first.is_file()
    rows = {"prices-INITIAL_FORMS": str(len(PLANS))} | {
        f"prices-{index}-id": str(price.pk)
        for index, price in enumerate(profile.prices.order_by("pk"))}
    change = reverse("admin:advisor_consultantprofile_change", args=[profile.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = consultant.post(change, {**profile_form(**rows), "logo": upload(
            "second.png", image_bytes(color="#aa0000"))})
    assert response.status_code == 302
    second = media / ConsultantProfile.objects.get().logo.name
    assert not first.exists() and second.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        consultant.post(change, {**profile_form(**rows), "logo-clear": "on"})
    assert not ConsultantProfile.objects.get().logo
    assert [path for path in media.rglob("*") if path.is_file()] == []


def test_an_svg_upload_in_the_back_office_is_refused_with_a_clear_message():
    consultant = verified_client(make_staff())
    svg = upload("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    response = consultant.post(reverse("admin:advisor_consultantprofile_add"),
                               {**profile_form(), "logo": svg})
    assert response.status_code == 200
    assert not ConsultantProfile.objects.exists()
    assert response.context["adminform"].form.errors["logo"]


# --- Reaching the PDF --------------------------------------------------------------------------


def test_a_branding_change_reaches_the_next_pdf_of_an_earlier_report(media):
    lead = make_lead(company="Huisartsenpraktijk Jansen")
    make_profile(company_name="Bakker ICT")
    assert "Bakker ICT" in pdf_text(stored_report(lead))

    profile = ConsultantProfile.objects.get()
    profile.company_name = "Bakker & Dochter ICT"
    profile.logo = upload("logo.png", image_bytes(size=(300, 100)))
    profile.save()
    lead.refresh_from_db()
    pdf = stored_report(lead)
    assert "Bakker & Dochter ICT" in pdf_text(pdf)
    assert "Bakker ICT" not in pdf_text(pdf).replace("Bakker & Dochter ICT", "")
    # The uploaded PNG logo is on the cover.
    assert any(page.images for page in PdfReader(io.BytesIO(pdf)).pages)


# --- The booking page and a readable main colour ------------------------------------------


def test_a_main_colour_too_light_for_white_text_is_refused_with_a_darker_suggestion():
    consultant = verified_client(make_staff())
    response = consultant.post(reverse("admin:advisor_consultantprofile_add"),
                               profile_form(primary_color="#e07a1f"))
    assert response.status_code == 200
    assert not ConsultantProfile.objects.exists()
    [message] = response.context["adminform"].form.errors["primary_color"]
    suggestion = darker_shade("#e07a1f")
    assert message == str(MAIN_COLOUR_TOO_LIGHT) % {"ratio": "3,0", "suggestion": suggestion}
    saved = consultant.post(reverse("admin:advisor_consultantprofile_add"),
                            profile_form(primary_color=suggestion))
    assert saved.status_code == 302


def test_any_accent_colour_is_accepted_because_it_never_carries_text():
    consultant = verified_client(make_staff())
    response = consultant.post(reverse("admin:advisor_consultantprofile_add"),
                               profile_form(accent_color="#ffff00"))
    assert response.status_code == 302


def test_a_too_light_main_colour_from_the_settings_falls_back_to_the_default(settings):
    settings.BRANDING = {**settings.BRANDING, "primary_color": "#f0f0f0"}
    assert get_branding().primary_color == "#1f4e79"


@pytest.mark.parametrize("url", ["http://cal.example/noor", "javascript:alert(1)", "ftp://x.example"])
def test_a_booking_page_must_be_an_https_address(url):
    consultant = verified_client(make_staff())
    response = consultant.post(reverse("admin:advisor_consultantprofile_add"),
                               profile_form(booking_url=url))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["booking_url"] == [
        str(BOOKING_URL_HTTPS_ONLY)]


def test_the_booking_page_comes_from_the_profile_or_else_from_the_settings(settings):
    settings.BRANDING = {**settings.BRANDING, "booking_url": "https://cal.example/sanne"}
    assert get_branding().booking_url == "https://cal.example/sanne"
    settings.BRANDING = {**settings.BRANDING, "booking_url": "http://cal.example/sanne"}
    assert get_branding().booking_url == ""
    make_profile(booking_url="https://agenda.example/noor")
    assert get_branding().booking_url == "https://agenda.example/noor"
