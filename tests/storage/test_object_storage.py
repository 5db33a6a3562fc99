"""Reports and logos in S3-compatible object storage (moto's server on loopback, no internet)."""

import io
import uuid
from collections.abc import Iterator

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image
from pypdf import PdfReader

from advisor.consultant.branding import get_branding
from advisor.models import ConsultantProfile
from advisor.reports import report
from tests.factories import make_lead, make_staff, verified_client
from tests.smtp_server import free_port

CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


@pytest.fixture
def s3(settings) -> Iterator[object]:
    """moto's S3 server on a free loopback port, with the media storage pointed at it."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    # moto keeps buckets per process: a name of our own keeps tests apart.
    client.bucket = f"keuzehulp-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=client.bucket)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": client.bucket, "endpoint_url": endpoint,
                    "region_name": "us-east-1", "access_key": "test", "secret_key": "test",
                    "default_acl": "private",
                    "querystring_auth": True, "file_overwrite": False},
    }}
    try:
        yield client
    finally:
        server.stop()


def keys(client) -> list[str]:
    listing = client.list_objects_v2(Bucket=client.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def is_private(client, key: str) -> bool:
    grants = client.get_object_acl(Bucket=client.bucket, Key=key)["Grants"]
    return not any("AllUsers" in str(grant["Grantee"]) for grant in grants)


def png(color: str = "#1f4e79") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_report_is_stored_in_the_bucket_privately_and_downloaded_from_it(s3, client):
    lead = make_lead(company="Bakkerij Brood")
    assert report.store_report_of(submission_id=lead.pk) == report.STORED
    lead.refresh_from_db()
    assert keys(s3) == [lead.report_pdf.name]
    assert is_private(s3, lead.report_pdf.name)

    response = client.get(reverse("advisor:report_pdf", args=[lead.token]))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bakkerij Brood" in text


@pytest.mark.django_db
def test_an_uploaded_logo_lives_in_the_bucket_reaches_the_pdf_and_a_replaced_one_is_deleted(
    s3, client, django_capture_on_commit_callbacks
):
    consultant = verified_client(make_staff())
    form = {"consultant_name": "Noor Bakker", "company_name": "Bakker ICT",
            "email": "noor@bakker.example", "phone": "", "website": "", "kvk": "",
            "primary_color": "#112233", "accent_color": "#445566",
            "prices_as_of": "2026-01-01", "billing_term": "annual_yearly",
            "prices-TOTAL_FORMS": "0", "prices-INITIAL_FORMS": "0",
            "prices-MIN_NUM_FORMS": "0", "prices-MAX_NUM_FORMS": "10"}
    add = reverse("admin:advisor_consultantprofile_add")
    response = consultant.post(add, {**form, "logo": SimpleUploadedFile(
        "logo.png", png(), content_type="image/png")})
    assert response.status_code == 302, response.content.decode()[:2000]
    first = ConsultantProfile.objects.get().logo.name
    assert keys(s3) == [first] and is_private(s3, first)

    served = client.get(get_branding().logo_url)
    assert b"".join(served.streaming_content) == png()

    lead = make_lead()
    report.store_report_of(submission_id=lead.pk)
    lead.refresh_from_db()
    with default_storage.open(lead.report_pdf.name) as stored:
        cover = PdfReader(io.BytesIO(stored.read())).pages[0]
    assert [image.image.size for image in cover.images] == [(120, 40)]

    change = reverse("admin:advisor_consultantprofile_change",
                     args=[ConsultantProfile.SINGLETON_ID])
    with django_capture_on_commit_callbacks(execute=True):
        response = consultant.post(change, {**form, "logo": SimpleUploadedFile(
            "new.png", png("#ff0000"), content_type="image/png")})
    assert response.status_code == 302
    second = ConsultantProfile.objects.get().logo.name
    assert [key for key in keys(s3) if key.startswith("branding/")] == [second]
