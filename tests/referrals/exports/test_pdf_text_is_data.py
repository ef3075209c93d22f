"""Text a person wrote prints in PDFs as typed (issue #15): markup is not laid out as
markup (nothing fetched, no element made), template code is not run. Read back with
`pdftotext`, each hostile value is there literally: `{{7*7}}`, never `49`; the
literal `{{ request.user.email }}`, never the address of the person exporting."""

import re

import pytest
from django.urls import reverse

from referrals.models import Export, MonthlySummary
from referrals.models.exports import ExportState
from tests.auth import sign_in
from tests.factories import text_as_data as hostile
from tests.factories.exports import downloaded_bytes, flat, london, pdf_text

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    """Without spaces and hyphens: where a long value wraps, pdftotext adds a space (after
    "//") or drops a hyphen ("http-" + "equiv"); nothing else is changed."""
    return "".join(text.split()).replace("-", "")


def assert_printed_as_typed(text: str, values: list[str], *, exporter_email: str) -> None:
    missing = [value for value in values if squash(value) not in squash(text)]
    assert not missing, f"not printed as typed: {missing}\n---\n{text[:4000]}"
    # The template code is short enough never to wrap: there as typed, character for character.
    for code in ("{{7*7}}", "{% debug %}", "{{ request.user.email }}"):
        assert code in text
    assert exporter_email not in text
    assert "<module '" not in text  # what {% debug %} prints


@pytest.fixture
def hostile_catalogue(manager):
    manager.full_name = hostile.MANAGER_NAME
    manager.save()
    return hostile.hostile_catalogue(manager)


def test_a_referral_pdf_prints_every_hostile_answer_note_and_decision_as_typed(
    client, practitioner, triager, hostile_catalogue, django_capture_on_commit_callbacks
):
    practitioner.organisation.name = hostile.ORGANISATION_NAME
    practitioner.organisation.save()
    practitioner.full_name = hostile.AUTHOR["full_name"]
    practitioner.save()
    triager.full_name = hostile.TRIAGER_NAME
    triager.save()
    referral = hostile.hostile_decided_referral(practitioner, triager)

    sign_in(client, triager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export_create", args=[referral.reference]))
    export = Export.objects.get(referral=referral)
    assert export.state == ExportState.READY, export.error
    response = client.get(reverse("export_download", args=[referral.reference, export.pk]))
    assert response.status_code == 200
    text = flat(pdf_text(downloaded_bytes(response)))

    people = [v for k, v in hostile.PERSON.items() if k != "role"]
    assert_printed_as_typed(
        text,
        [
            *hostile.REFERRAL_FIELDS.values(),
            *people,
            hostile.WORDING,
            hostile.ANSWER_DETAIL,
            hostile.NOTE,
            hostile.RATIONALE,
            hostile.MESSAGE,
            hostile.ORGANISATION_NAME,
        ],
        exporter_email=triager.email,
    )


def test_a_monthly_summary_prints_the_catalogues_hostile_wording_as_typed(
    client, manager, practitioner, hostile_catalogue, django_capture_on_commit_callbacks
):
    hostile.hostile_referral(practitioner, submitted_at=london(2026, 10, 5))
    sign_in(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_list"), {"month": "2026-10"})
    summary = MonthlySummary.objects.get(month=london(2026, 10, 1).date())
    assert summary.state == ExportState.READY, summary.error
    response = client.get(reverse("summary_download_pdf", args=["2026-10"]))
    assert response.status_code == 200
    text = flat(pdf_text(downloaded_bytes(response)))
    assert_printed_as_typed(text, [hostile.WORDING], exporter_email=manager.email)
    # The clock time the summary was produced at ("…, 14:49") is not a rendered {{7*7}}.
    without_times = re.sub(r"\b\d{1,2}:\d{2}\b", "", text.replace(hostile.WORDING, ""))
    assert "49" not in without_times
