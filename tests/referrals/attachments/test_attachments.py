"""Files attached to a referral (issue 21): the type is read from the content, limits
are messages on the form that keep what was typed, and nothing is served until ClamAV
has found it clean: a real clamd (scripts/clamd-test) on the real worker and broker."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.attachments import services
from referrals.models import Attachment, AuditEvent, Notification
from tests.auth import sign_in
from tests.celery_worker import WorkerProcess, publishing_to
from tests.factories import submitted_referral
from tests.factories.attachments import EICAR, PDF_BYTES
from tests.services import require_broker, require_clamav

DESCRIPTION = "Photos of Zoë on Łukasz's phone; the school holds the phone."


def _attach(client, user, referral, content, name="letter.pdf", **extra):
    sign_in(client, user)
    data = {"file": SimpleUploadedFile(name, content), **extra}
    return client.post(reverse("referral_attachments", args=[referral.public_id]), data)


def _wait_scanned(attachment_id: int, timeout: float = 30) -> Attachment:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        attachment = Attachment.objects.get(pk=attachment_id)
        if attachment.state != Attachment.State.PENDING:
            return attachment
        time.sleep(0.2)
    return Attachment.objects.get(pk=attachment_id)


@pytest.fixture(scope="module")
def clamd_socket():
    return require_clamav()


@pytest.fixture(scope="module")
def scanning_worker(clamd_socket, django_db_setup, django_db_blocker):
    """A worker of its own that knows the clamd socket."""
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
    """Committed rows (the worker's own connection sees them) and tasks to the worker."""
    settings.CLAMAV_SOCKET = clamd_socket
    with publishing_to(scanning_worker.queue):
        yield scanning_worker


@pytest.mark.clamav
@pytest.mark.broker
def test_a_pdf_is_scanned_on_the_worker_and_then_triage_download_it_audited(
    client, scanning, practitioner, triager
):
    referral = submitted_referral(author=practitioner)
    response = _attach(client, practitioner, referral, PDF_BYTES, name="Zoë's letter.pdf")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.name) == ("pdf", "Zoë's letter.pdf")
    assert "Zo" not in attachment.file.name and attachment.file.name.startswith("attachments/")

    assert _wait_scanned(attachment.pk).state == Attachment.State.CLEAN, scanning.log()
    sign_in(client, triager)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    url = reverse("attachment_download", args=[referral.public_id, attachment.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        action="attachment.downloaded", actor=triager, object_id=str(attachment.pk)
    ).exists()


@pytest.mark.clamav
@pytest.mark.broker
def test_the_eicar_file_is_quarantined_audited_and_its_uploader_told(
    client, scanning, practitioner
):
    referral = submitted_referral(author=practitioner)
    _attach(client, practitioner, referral, EICAR, name="screenshot.txt")
    attachment = _wait_scanned(Attachment.objects.get().pk)

    assert attachment.state == Attachment.State.INFECTED, scanning.log()
    assert attachment.signature.startswith("Portal.Test.EICAR")
    assert AuditEvent.objects.filter(action="attachment.quarantined").exists()
    told = Notification.objects.get(kind=Notification.Kind.FILE_QUARANTINED)
    assert told.recipient == practitioner
    url = reverse("attachment_download", args=[referral.public_id, attachment.pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Quarantined" in page and url not in page


@pytest.mark.clamav
@pytest.mark.django_db
def test_with_the_scanner_down_a_file_waits_and_is_scanned_when_it_is_back(
    client, clamd_socket, settings, practitioner, django_capture_on_commit_callbacks
):
    settings.CLAMAV_SOCKET = "/nonexistent/clamd.sock"
    referral = submitted_referral(author=practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        _attach(client, practitioner, referral, PDF_BYTES)
    attachment = Attachment.objects.get()
    assert attachment.state == Attachment.State.PENDING and attachment.scan_attempts == 1
    url = reverse("attachment_download", args=[referral.public_id, attachment.pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Being checked" in page

    assert services.attachments_rescan_pending() == 0  # still down: nothing queued
    settings.CLAMAV_SOCKET = clamd_socket
    assert services.attachments_rescan_pending() == 1
    attachment.refresh_from_db()
    assert attachment.state == Attachment.State.CLEAN
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_without_a_scanner_files_show_scanning_unavailable_and_cannot_be_opened(
    client, settings, practitioner
):
    settings.CLAMAV_SOCKET = ""
    settings.CLAMAV_HOST = ""
    referral = submitted_referral(author=practitioner)
    _attach(client, practitioner, referral, PDF_BYTES)
    attachment = Attachment.objects.get()
    assert attachment.state == Attachment.State.PENDING
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Scanning unavailable" in page
    url = reverse("attachment_download", args=[referral.public_id, attachment.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04" + b"\0" * 60, "report.pdf", "must be a PDF, PNG, JPEG"),
        (b"MZ\x90\x00" + b"\0" * 60, "notes.txt", "must be a PDF, PNG, JPEG"),
        (b"\xff\xfe\x00n\x00o", "notes.txt", "must be a PDF, PNG, JPEG"),
        (b"", "empty.pdf", "The selected file is empty"),
    ],
    ids=["zip-named-pdf", "exe-named-txt", "not-utf8", "empty"],
)
def test_a_refused_file_is_a_message_on_the_form_and_keeps_what_was_typed(
    client, settings, practitioner, content, name, message
):
    settings.CLAMAV_SOCKET = ""
    referral = submitted_referral(author=practitioner)
    response = _attach(
        client,
        practitioner,
        referral,
        content,
        name=name,
        indecent_imagery_exists="on",
        indecent_imagery_description=DESCRIPTION,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "There is a problem" in page
    assert "Photos of Zoë on Łukasz&#x27;s phone" in page
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_oversize_file_and_one_too_many_are_refused(client, settings, practitioner):
    settings.CLAMAV_SOCKET = ""
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    settings.ATTACHMENT_MAX_PER_REFERRAL = 1
    referral = submitted_referral(author=practitioner)
    response = _attach(client, practitioner, referral, b"a" * (1024 * 1024 + 1), name="a.txt")
    assert "must be smaller than 1 MB" in response.content.decode()
    text = "Zoë was seen.\n".encode()
    assert _attach(client, practitioner, referral, text, name="a.txt").status_code == 302
    assert Attachment.objects.get().kind == "text"
    response = _attach(client, practitioner, referral, PDF_BYTES)
    assert "at most 1 files" in response.content.decode()
    assert Attachment.objects.count() == 1


@pytest.mark.django_db
def test_indecent_imagery_is_recorded_instead_of_uploaded(client, practitioner, triager):
    referral = submitted_referral(author=practitioner)
    sign_in(client, practitioner)
    url = reverse("referral_attachments", args=[referral.public_id])
    page = client.get(url).content.decode()
    assert "Never upload nude or semi-nude images" in page
    response = client.post(
        url, {"indecent_imagery_exists": "on", "indecent_imagery_description": DESCRIPTION}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.indecent_imagery_exists
    assert referral.indecent_imagery_description == DESCRIPTION
    assert not Attachment.objects.exists()
    sign_in(client, triager)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "recorded as existing" in page
