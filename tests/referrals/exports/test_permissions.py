"""Who may ask for and download a PDF or a summary: every download URL against every
persona. Out of scope answers 404 (and is audited); anonymous users are sent to sign in."""

import datetime as dt

import pytest
from django.urls import reverse

from referrals.exports import services as exports
from referrals.models import AuditEvent, Export
from referrals.models.exports import ExportState
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.exports import downloaded_bytes

PERSONAS = ["practitioner", "colleague", "other_practitioner", "triager", "manager", "admin"]


@pytest.fixture
def referral(practitioner):
    return submitted_referral(author=practitioner)


@pytest.fixture
def rendered(django_capture_on_commit_callbacks):
    def make(referral, user, redact=False) -> Export:
        with django_capture_on_commit_callbacks(execute=True):
            export = exports.export_request(referral=referral, user=user, redact_referrer=redact)
        export.refresh_from_db()
        assert export.state == ExportState.READY, export.error
        return export

    return make


def download_url(export: Export) -> str:
    return reverse("export_download", args=[export.referral.reference, export.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("practitioner", 200),  # the author, who asked for it
        ("colleague", 404),
        ("other_practitioner", 404),
        ("triager", 404),  # may see the referral, but this PDF is the author's
        ("manager", 404),
        ("admin", 404),
    ],
)
def test_only_the_requester_downloads_an_authors_export(
    request, client, referral, practitioner, rendered, persona, status
):
    export = rendered(referral, practitioner)
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(download_url(export)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("triager", 200),
        ("other_triager", 404),
        ("practitioner", 404),  # a triage PDF holds the reasons the author may not see
        ("colleague", 404),
        ("other_practitioner", 404),
        ("manager", 404),
        ("admin", 404),
    ],
)
def test_only_the_requester_downloads_a_triage_export(
    request, client, referral, triager, rendered, persona, status
):
    export = rendered(referral, triager)
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(download_url(export)).status_code == status


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in_for_every_download(
    client, referral, practitioner, rendered
):
    export = rendered(referral, practitioner)
    exports.summary_request(month=dt.date(2026, 10, 1), queue=False)
    for url in [
        download_url(export),
        reverse("summary_download_pdf", args=["2026-10"]),
        reverse("summary_download_csv", args=["2026-10"]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_requester_who_lost_access_can_no_longer_download(
    client, referral, practitioner, rendered
):
    export = rendered(referral, practitioner)
    practitioner.groups.clear()  # no longer a practitioner
    sign_in(client, practitioner)
    assert client.get(download_url(export)).status_code == 404


def test_the_download_is_an_uncached_attachment_and_is_audited(
    client, referral, practitioner, rendered
):
    export = rendered(referral, practitioner)
    sign_in(client, practitioner)
    response = client.get(download_url(export))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{referral.reference}.pdf"'
    assert "no-store" in response["Cache-Control"].split(", ")
    assert downloaded_bytes(response).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="export.downloaded", actor=practitioner, referral=referral, outcome="allowed"
    ).exists()


def test_a_denied_download_is_audited(client, referral, practitioner, colleague, rendered):
    export = rendered(referral, practitioner)
    sign_in(client, colleague)
    client.get(download_url(export))
    assert AuditEvent.objects.filter(
        action="export.downloaded", actor=colleague, outcome="denied"
    ).exists()


def test_an_export_of_one_referral_is_not_reachable_through_another(
    client, referral, practitioner, rendered
):
    export = rendered(referral, practitioner)
    other = submitted_referral(author=practitioner)
    sign_in(client, practitioner)
    url = reverse("export_download", args=[other.reference, export.pk])
    assert client.get(url).status_code == 404


def test_stored_files_have_no_public_url_and_carry_no_reference(
    client, referral, practitioner, rendered, settings
):
    export = rendered(referral, practitioner)
    assert referral.reference not in export.file.name
    sign_in(client, practitioner)
    assert client.get(f"{settings.MEDIA_URL}{export.file.name}").status_code == 404
    assert client.get(f"/media/{export.file.name}").status_code == 404


@pytest.mark.parametrize(
    ("persona", "creates"),
    [
        ("practitioner", True),
        ("colleague", False),
        ("other_practitioner", False),
        ("triager", True),
        ("manager", False),
        ("admin", False),
    ],
)
def test_who_may_ask_for_a_pdf(
    request, client, referral, persona, creates, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(persona)
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("export_create", args=[referral.reference]))
    assert response.status_code == (302 if creates else 404)
    assert Export.objects.filter(requested_by=user).exists() == creates
    # One audit row either way; managers and administrators are refused by role.
    refused_as = "page.denied" if persona in ("manager", "admin") else "export.requested"
    assert AuditEvent.objects.filter(
        action="export.requested" if creates else refused_as,
        actor=user,
        outcome="allowed" if creates else "denied",
    ).exists()


@pytest.mark.django_db
def test_asking_for_a_pdf_needs_a_post_a_get_only_shows_the_choices(client, referral, practitioner):
    sign_in(client, practitioner)
    url = reverse("export_create", args=[referral.reference])
    assert client.get(url).status_code == 200
    assert client.put(url).status_code == 405
    assert not Export.objects.exists()


@pytest.mark.django_db
def test_anonymous_visitors_cannot_ask_for_a_pdf(client, referral):
    response = client.post(reverse("export_create", args=[referral.reference]))
    assert response.status_code == 302
    assert not Export.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["summary_download_pdf", "summary_download_csv"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("practitioner", 404),
        ("colleague", 404),
        ("other_practitioner", 404),
        ("triager", 404),
        ("admin", 404),
    ],
)
def test_only_managers_download_summaries(request, client, kind, persona, status):
    summary = exports.summary_request(month=dt.date(2026, 10, 1), queue=False)
    exports.summary_generate(summary_id=summary.pk)
    sign_in(client, request.getfixturevalue(persona))
    response = client.get(reverse(kind, args=["2026-10"]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"].split(", ")
        action = "summary.downloaded_pdf" if kind.endswith("pdf") else "summary.downloaded_csv"
        assert AuditEvent.objects.filter(action=action, actor__email__startswith="morgan").exists()


@pytest.mark.django_db
def test_a_month_not_produced_is_not_found(client, manager):
    sign_in(client, manager)
    assert client.get(reverse("summary_download_pdf", args=["2026-09"])).status_code == 404
    assert client.get(reverse("summary_download_csv", args=["not-a-month"])).status_code == 404


def test_an_out_of_scope_export_is_audited_once_with_the_request(
    client, referral, other_practitioner
):
    sign_in(client, other_practitioner)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("export_create", args=[referral.reference]), REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 404
    refusals = AuditEvent.objects.filter(outcome="denied")
    assert AuditEvent.objects.count() - before == refusals.count() == 1
    refusal = refusals.get()
    assert (refusal.action, refusal.actor, refusal.referral) == (
        "export.requested",
        other_practitioner,
        referral,
    )
    assert refusal.request_id and refusal.ip_address == "192.0.2.7"
