"""POST /api/v1/referrals/<reference>/attachments/ (issue 22): a file through the
attachments service, its type read from the content, the size limit before the body
is read, and nothing served until a real ClamAV on the real worker found it clean."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.models import ApiClient, Attachment, AuditEvent
from tests.auth import sign_in
from tests.celery_worker import WorkerProcess, publishing_to
from tests.factories import UserFactory, submitted_referral
from tests.factories.attachments import EICAR, PDF_BYTES
from tests.services import require_broker, require_clamav


def _token(referral, organisation=None, scopes=(ApiClient.Scope.ATTACHMENTS,)):
    organisation = organisation or referral.organisation
    person = (
        referral.author
        if organisation == referral.organisation
        else UserFactory(organisation=organisation)
    )
    client = ApiClient(
        name="Zoë Academy MIS",
        organisation=organisation,
        accountable_person=person,
        scopes=list(scopes),
    )
    token = client.new_token()
    client.save()
    return {"Authorization": f"Bearer {token}"}


def _upload(client, referral, content, name="Łukasz's letter.pdf", headers=None):
    return client.post(
        f"/api/v1/referrals/{referral.reference}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
        headers=headers or _token(referral),
    )


@pytest.mark.django_db
def test_a_pdf_is_attached_as_the_accountable_person_and_waits_for_its_scan(client):
    referral = submitted_referral()
    response = _upload(client, referral, PDF_BYTES)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["state"], body["size"]) == ("pdf", "pending", len(PDF_BYTES))
    attachment = Attachment.objects.get(pk=body["id"])
    assert attachment.uploaded_by == referral.author
    assert attachment.name == "Łukasz's letter.pdf"
    assert not attachment.file.name.startswith("attachments/Ł")
    assert AuditEvent.objects.filter(action="api.attachment_added", referral=referral).exists()
    assert AuditEvent.objects.filter(action="attachment.added", referral=referral).exists()


@pytest.mark.django_db
def test_a_file_of_a_type_not_allowed_or_empty_is_a_field_error(client):
    referral = submitted_referral()
    zipped = b"PK\x03\x04" + b"\x00" * 100
    for content in (zipped, b"\x00\x01\x02binary", b""):
        response = _upload(client, referral, content, name="notes.pdf")
        assert response.status_code == 400, content
        assert response["Content-Type"] == "application/problem+json"
        assert "file" in response.json()["errors"]
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_and_nothing_stored(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    referral = submitted_referral()
    just_over = _upload(client, referral, b"a" * 1001, name="long.txt")
    assert just_over.status_code == 400
    assert "smaller than" in just_over.json()["errors"]["file"][0]
    far_over = _upload(client, referral, b"a" * 200_000, name="huge.txt")
    assert far_over.status_code == 413
    assert far_over["Content-Type"] == "application/problem+json"
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_the_files_per_referral_limit_is_the_forms(client, settings):
    settings.ATTACHMENT_MAX_PER_REFERRAL = 1
    referral = submitted_referral()
    headers = _token(referral)
    assert _upload(client, referral, "Zoë first".encode(), "a.txt", headers).status_code == 201
    second = _upload(client, referral, "Zoë second".encode(), "b.txt", headers)
    assert second.status_code == 400
    assert "at most 1 files" in second.json()["errors"]["file"][0]


@pytest.mark.django_db
def test_json_no_file_another_organisation_and_a_missing_scope_are_problem_documents(client):
    referral = submitted_referral()
    url = f"/api/v1/referrals/{referral.reference}/attachments/"
    headers = _token(referral)
    as_json = client.post(url, {"file": "x"}, content_type="application/json", headers=headers)
    assert as_json.status_code == 415
    assert as_json["Content-Type"] == "application/problem+json"
    no_file = client.post(url, {}, headers=headers)
    assert no_file.status_code == 400 and "file" in no_file.json()["errors"]
    other = _token(referral, organisation=UserFactory().organisation)
    assert _upload(client, referral, PDF_BYTES, headers=other).status_code == 404
    unscoped = _token(referral, scopes=[ApiClient.Scope.ADDENDA])
    refused = _upload(client, referral, PDF_BYTES, headers=unscoped)
    assert refused.status_code == 403 and "attachments:write" in refused.json()["detail"]
    assert not Attachment.objects.exists()


# --- The scan, on a real worker with a real clamd.


@pytest.fixture(scope="module")
def clamd_socket():
    return require_clamav()


@pytest.fixture(scope="module")
def scanning_worker(clamd_socket, django_db_setup, django_db_blocker):
    require_broker()
    worker = WorkerProcess(extra_env={"CLAMAV_SOCKET": clamd_socket}).start()
    yield worker
    worker.stop()


@pytest.fixture
def scanning(
    scanning_worker,
    clamd_socket,
    _migration_data_restored,
    django_db_serialized_rollback,
    transactional_db,
    settings,
):
    settings.CLAMAV_SOCKET = clamd_socket
    with publishing_to(scanning_worker.queue):
        yield scanning_worker


def _scanned(pk: int, timeout: float = 30) -> Attachment:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        attachment = Attachment.objects.get(pk=pk)
        if attachment.state != Attachment.State.PENDING:
            return attachment
        time.sleep(0.2)
    return Attachment.objects.get(pk=pk)


@pytest.mark.clamav
@pytest.mark.broker
def test_a_file_sent_by_api_opens_for_triage_only_once_clamav_found_it_clean(
    client, scanning, triager
):
    referral = submitted_referral()
    clean = _upload(client, referral, PDF_BYTES).json()
    infected = _upload(client, referral, EICAR, name="screenshot.txt").json()
    assert _scanned(clean["id"]).state == Attachment.State.CLEAN, scanning.log()
    assert _scanned(infected["id"]).state == Attachment.State.INFECTED, scanning.log()
    sign_in(client, triager)
    for pk, status in ((clean["id"], 200), (infected["id"], 404)):
        url = reverse("attachment_download", args=[referral.public_id, pk])
        assert client.get(url).status_code == status
