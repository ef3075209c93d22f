"""The export panel on the referral page: who sees it, the form, and the user's own
exports with their status and a download link once ready."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from referrals.exports.panel import export_panel_context
from referrals.models import AuditEvent, Export
from referrals.models.exports import ExportState
from tests.auth import sign_in
from tests.factories import ReferralFactory, submitted_referral
from tests.factories.exports import an_export


@pytest.fixture
def referral(practitioner):
    return submitted_referral(author=practitioner)


def panel_for(user, referral) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return export_panel_context(request, referral)


def test_the_panel_is_empty_for_users_who_may_not_export(
    referral, colleague, other_practitioner, manager, admin
):
    for user in [colleague, other_practitioner, manager, admin]:
        assert panel_for(user, referral) == {}


def test_the_panel_is_empty_for_a_draft(practitioner):
    draft = ReferralFactory(author=practitioner)
    assert panel_for(practitioner, draft) == {}


def test_the_panel_lists_only_the_users_own_exports_with_their_states(
    referral, practitioner, triager
):
    ready = an_export(referral, practitioner, state=ExportState.READY, file="exports/x.pdf")
    an_export(referral, practitioner, state=ExportState.FAILED, error="The PDF took too long")
    an_export(referral, practitioner)
    an_export(referral, triager)
    panel = panel_for(practitioner, referral)
    assert sorted(row["state"] for row in panel["export_rows"]) == ["Failed", "Pending", "Ready"]
    links = [row["download_url"] for row in panel["export_rows"] if row["download_url"]]
    assert links == [reverse("export_download", args=[referral.reference, ready.pk])]
    assert panel["export_pending"] is True


def test_the_referral_page_offers_the_export_and_the_download_when_ready(
    client, referral, practitioner, django_capture_on_commit_callbacks
):
    sign_in(client, practitioner)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    export_url = reverse("export_create", args=[referral.reference])
    # The choices of what to withhold are on a page of their own (issue 17).
    assert f'href="{export_url}"' in page and "Withhold the referrer" not in page
    choices = client.get(export_url)
    assert choices.status_code == 200 and "Withhold the referrer" in choices.text
    assert AuditEvent.objects.filter(
        action="referral.viewed", referral=referral, detail={"page": "export"}
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("export_create", args=[referral.reference]), {"redact_referrer": "on"}
        )
    assert response["Location"].endswith(f"/referrals/{referral.reference}/#export")
    export = Export.objects.get()
    assert export.redact_referrer and export.state == ExportState.READY
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert reverse("export_download", args=[referral.reference, export.pk]) in page
    assert "Ready" in page


def test_posting_extra_fields_changes_nothing_but_the_option(
    client, referral, practitioner, triager, django_capture_on_commit_callbacks
):
    sign_in(client, practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("export_create", args=[referral.reference]),
            {"requested_by": triager.pk, "state": "ready", "file": "/etc/passwd"},
        )
    export = Export.objects.get()
    assert export.requested_by == practitioner
    assert not export.redact_referrer
    assert export.file.name != "/etc/passwd"


def test_an_unknown_person_to_withhold_is_explained_on_the_form_with_the_ticks_kept(
    client, referral, practitioner
):
    sign_in(client, practitioner)
    response = client.post(
        reverse("export_create", args=[referral.reference]),
        {"redact_referrer": "on", "withhold_people": ["999999"]},
    )
    assert response.status_code == 200
    assert "Choose the people to withhold from the list" in response.text
    (tick,) = re.findall(r"<input[^>]*name=\"redact_referrer\"[^>]*>", response.text)
    assert "checked" in tick
    assert not Export.objects.exists()
