"""The subject access bundle (issue 21), rendered by a real Celery worker and read back
with pdftotext: both referrals about the person in time order, third parties redacted
by default (in the network and where the text names them), the professional's name
kept; a redaction released in review and the bundle produced again shows that one
name only. Release is audited and logged in the information-sharing log."""

import time

import pytest
from django.urls import reverse

from referrals.models import AuditEvent, Disclosure, LawfulBasis, SubjectAccessRequest
from referrals.models.exports import ExportState
from referrals.subject_access import documents, services
from tests.auth import sign_in
from tests.factories.exports import downloaded_bytes, flat, pdf_text
from tests.factories.subject_access import THIRD_PARTY_WORDS, person_with_two_referrals

pytestmark = pytest.mark.broker


@pytest.fixture
def committed_db(_migration_data_restored, django_db_serialized_rollback, transactional_db):
    """Rows the worker's own connection sees, with the migrations' data in place."""


def wait_for_bundle(sar, timeout: float = 60):
    """Poll until the worker has moved the newest bundle out of pending (the deadline
    only stops a broken run from hanging)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = services.latest_bundle(sar)
        if row.state != ExportState.PENDING:
            return row
        time.sleep(0.2)
    raise AssertionError("bundle still pending")


def bundle_text(client, sar, row) -> str:
    response = client.get(reverse("subject_access_download", args=[sar.pk, row.pk]))
    assert response.status_code == 200
    return flat(pdf_text(downloaded_bytes(response)))


def record_request(client, referral) -> SubjectAccessRequest:
    response = client.post(
        reverse("subject_access_create"),
        {
            "person_record": str(referral.person.record_id),
            "requester": "subject",
            "requester_name": "Zoë Inventedsubject",
            "received_on_0": "3",
            "received_on_1": "11",
            "received_on_2": "2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return SubjectAccessRequest.objects.latest("pk")


def test_the_bundle_lists_both_referrals_in_order_redacts_third_parties_and_can_release_one(
    committed_db, celery_worker, client, admin, practitioner, triager
):
    first, second = person_with_two_referrals(practitioner, triager)
    sign_in(client, admin)
    sar = record_request(client, first)
    row = wait_for_bundle(sar)
    assert row.state == ExportState.READY, row.error
    text = bundle_text(client, sar, row)

    assert first.reference in text and second.reference in text
    assert text.index(first.reference) < text.index(second.reference)
    for word in [*THIRD_PARTY_WORDS, "Øyvind", "Æsa", "Ingrid", "Ðorđe"]:
        assert word not in text, f"{word} is in the bundle"
    assert "[redacted: third party]" in text
    assert "Suspected of exploiting them: [redacted: third party]" in text
    assert "was seen with [redacted: third party] at the station" in text
    # The subject's own name and the professionals' names are kept.
    assert "Zoë Inventedsubject" in text
    assert practitioner.full_name in text
    assert triager.full_name in text  # who wrote the note
    assert row.redacted == row.proposed > 6

    # The review lists each redaction with where it is; release the first referral's
    # peer (her network entry only) and produce the bundle again.
    page = client.get(reverse("subject_access_review", args=[sar.pk])).content.decode()
    assert "Peer of concern: Łucja Kowalczyk-Nowak" in page
    assert "Household and network" in page and first.reference in page
    peer = first.people.get(role="peer")
    response = client.post(
        reverse("subject_access_review", args=[sar.pk]), {"unredact": [f"person:{peer.pk}"]}
    )
    assert response.status_code == 302
    row = wait_for_bundle(sar)
    text = bundle_text(client, sar, row)
    assert "Peer of concern: Łucja Kowalczyk-Nowak" in text
    for word in ["Þórsson", "Brøndum", "Snowbird", "Ivančević", "Åkesdóttir"]:
        assert word not in text, f"{word} is in the bundle"
    # Her name in the triage note is a redaction of its own, still applied.
    assert "Spoke to [redacted: third party]" in text
    assert row.redacted == row.proposed - 1

    # Release: audited, and one entry in the sharing log per referral.
    response = client.post(
        reverse("subject_access_release", args=[sar.pk]),
        {"lawful_basis": LawfulBasis.SUBJECT_ACCESS, "reviewed": "on"},
    )
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.state == SubjectAccessRequest.State.RELEASED
    assert sar.released_bundle == row and sar.released_by == admin
    logged = Disclosure.objects.filter(kind=Disclosure.Kind.SUBJECT_ACCESS)
    assert {d.referral_id for d in logged} == {first.pk, second.pk}
    assert all(d.lawful_basis == LawfulBasis.SUBJECT_ACCESS for d in logged)
    assert all("Zoë" not in d.recipient_name for d in logged)
    event = AuditEvent.objects.get(action="subject_access.released")
    assert event.actor == admin and event.detail["bundle"] == row.pk
    assert AuditEvent.objects.filter(action="subject_access.downloaded").count() == 2


@pytest.mark.django_db
def test_a_referrer_who_is_not_a_professional_is_redacted_and_a_practitioner_is_not(
    admin, practitioner, triager
):
    first, second = person_with_two_referrals(practitioner, triager)
    second.source_code = "1A"  # a family member referred
    second.referrer_name = "Brynhildr Familymember"
    second.save(update_fields=["source_code", "referrer_name"])
    shown, redactor = documents.bundle([first, second], [])
    who = {
        shown_referral["reference"]: next(
            dict(section["rows"])
            for section in shown_referral["sections"]
            if section["title"] == "Who referred"
        )
        for shown_referral in shown
    }
    assert who[first.reference]["Name"] != "[redacted: third party]"
    assert who[second.reference]["Name"] == "[redacted: third party]"
    assert f"referrer:{second.pk}" in redactor.proposals
    assert f"referrer:{first.pk}" not in redactor.proposals


@pytest.mark.django_db
def test_release_needs_the_bundle_produced_with_the_review_as_it_stands(
    admin, practitioner, triager, django_capture_on_commit_callbacks
):
    first, _ = person_with_two_referrals(practitioner, triager)
    with django_capture_on_commit_callbacks(execute=True):
        sar = services.subject_access_request_record(
            user=admin,
            person_record=first.person.record,
            requester="subject",
            requester_name="Zoë",
            received_on=first.submitted_at.date(),
        )
    assert services.latest_bundle(sar).state == ExportState.READY
    sar.unredacted = ["person:1"]
    sar.save(update_fields=["unredacted"])
    with pytest.raises(services.ReleaseRefused):
        services.subject_access_release(sar=sar, user=admin)
    assert not Disclosure.objects.filter(kind=Disclosure.Kind.SUBJECT_ACCESS).exists()
