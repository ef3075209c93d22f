"""Redacted sharing (issue 21): the referral PDF for a partner withholds the people the
user chooses, the "do not share with the family" text, the referrer and the list of
attached files; it says [redacted] where, the export records what it withheld, and the
information-sharing log records what was shared and what was withheld."""

import pytest
from django.urls import reverse

from referrals.attachments import services as attachments
from referrals.models import Disclosure, Export
from referrals.models.exports import ExportState
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.exports import downloaded_bytes, flat, pdf_text

pytestmark = pytest.mark.django_db

THIRD_PARTIES = [
    {"role": "parent_carer", "name": "Æsa Quillfeather"},
    {"role": "peer", "name": "Øyvind Brackenmoor"},
    {"role": "suspected_exploiter", "name": "Łukasz Thornwhistle", "nickname": "Grimbo"},
]
NOT_TO_SHARE = "Do not tell the stepfather: Zoë fears him."


def _pdf(client, user, referral, data, django_capture_on_commit_callbacks) -> tuple[str, Export]:
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("export_create", args=[referral.reference]), data)
    assert response.status_code == 302
    export = Export.objects.filter(referral=referral).latest("pk")
    assert export.state == ExportState.READY, export.error
    response = client.get(reverse("export_download", args=[referral.reference, export.pk]))
    return flat(pdf_text(downloaded_bytes(response))), export


def test_a_redacted_export_shows_none_of_three_third_parties_and_says_where(
    client, practitioner, triager, settings, django_capture_on_commit_callbacks
):
    settings.CLAMAV_SOCKET = ""
    referral = submitted_referral(
        author=practitioner, people=THIRD_PARTIES, not_to_share=NOT_TO_SHARE
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachments.attachment_add(
        referral=referral,
        user=practitioner,
        upload=SimpleUploadedFile("Brackenmoor messages.txt", b"Invented messages.\n"),
        kind="text",
    )
    people = list(referral.people.values_list("pk", flat=True))
    data = {
        "withhold_people": [str(pk) for pk in people],
        "withhold_consent": "on",
        "withhold_attachments": "on",
        "redact_referrer": "on",
    }
    text, export = _pdf(client, triager, referral, data, django_capture_on_commit_callbacks)

    for name in ("Quillfeather", "Brackenmoor", "Thornwhistle", "Grimbo", "Æsa", "Øyvind"):
        assert name not in text, f"{name} is in the redacted PDF"
    assert "stepfather" not in text
    assert "[redacted]" in text
    assert (
        "Redacted in this export: the referrer's identity, 3 third parties in the network" in text
    )
    assert "Suspected of exploiting them: [redacted]" in text
    assert export.withheld == {
        "referrer": True,
        "people": sorted(people),
        "consent": True,
        "attachments": True,
    }
    logged = Disclosure.objects.get(referral=referral, kind=Disclosure.Kind.EXPORT)
    assert logged.decided_by == triager
    assert "withheld: what must not be shared with the family" in logged.what
    assert sum(item.startswith("withheld: third party") for item in logged.what) == 3
    assert "subject's details" in logged.what


def test_an_export_withholding_nothing_names_the_third_parties_and_lists_the_files(
    client, practitioner, triager, settings, django_capture_on_commit_callbacks
):
    settings.CLAMAV_SOCKET = ""
    referral = submitted_referral(
        author=practitioner, people=THIRD_PARTIES, not_to_share=NOT_TO_SHARE
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachments.attachment_add(
        referral=referral,
        user=practitioner,
        upload=SimpleUploadedFile("Brackenmoor messages.txt", b"Invented messages.\n"),
        kind="text",
    )
    text, export = _pdf(client, triager, referral, {}, django_capture_on_commit_callbacks)

    assert "Quillfeather" in text and "Thornwhistle" in text and "stepfather" in text
    assert "Brackenmoor messages.txt" in text and "Plain text" in text
    assert "[redacted]" not in text
    logged = Disclosure.objects.get(referral=referral, kind=Disclosure.Kind.EXPORT)
    assert not any(item.startswith("withheld") for item in logged.what)


def test_only_one_partner_withheld_leaves_the_others_in(
    client, practitioner, triager, django_capture_on_commit_callbacks
):
    referral = submitted_referral(author=practitioner, people=THIRD_PARTIES)
    exploiter = referral.people.get(role="suspected_exploiter")
    data = {"withhold_people": [str(exploiter.pk)]}
    text, _ = _pdf(client, triager, referral, data, django_capture_on_commit_callbacks)
    assert "Thornwhistle" not in text and "Grimbo" not in text
    assert "Quillfeather" in text and "Brackenmoor" in text
