"""Issue 18: the census source of referral is derived at submission from the
referring organisation's kind and corrected by triage with a reason; the contact's
cross-references are kept by triage. Every change is audited."""

import pytest
from django.urls import reverse

from referrals import codes
from referrals.models import AuditEvent
from referrals.triage import services as triage
from tests.auth import sign_in
from tests.factories import OrganisationFactory, UserFactory, submitted_referral

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("school", "2A"),
        ("police", "6"),
        ("health", "3F"),
        ("housing", "4"),
        ("social_care", "5A"),
        ("youth_service", "5B"),
        ("voluntary", "8"),
    ],
)
def test_the_source_is_derived_from_the_referring_organisations_kind(kind, code):
    author = UserFactory(organisation=OrganisationFactory(name=f"Testshire {kind}", kind=kind))
    referral = submitted_referral(author=author)
    assert referral.source_code == code
    referral.refresh_from_db()
    assert referral.source_code == code
    assert code in codes.SOURCE_OF_REFERRAL


def _save(client, user, referral, **data):
    sign_in(client, user)
    url = reverse("referral_contact_record", args=[referral.reference])
    return client.post(url, {"save_record": "", **data})


def test_correcting_the_source_needs_a_reason(client, triager):
    referral = submitted_referral()
    response = _save(client, triager, referral, source_code="3A")
    assert response.status_code == 200
    assert response.content.decode().count("Give the reason for correcting the source") == 2
    referral.refresh_from_db()
    assert referral.source_code == "2A"


def test_a_corrected_source_is_kept_with_its_reason_audited_and_shown(client, triager):
    referral = submitted_referral()
    reason = "The referrer is Zoë's GP, who works from the school's health hub."
    response = _save(client, triager, referral, source_code="3A", source_code_reason=reason)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.source_code, referral.source_code_reason) == ("3A", reason)
    audit = AuditEvent.objects.get(action="referral.record_updated", referral=referral)
    assert audit.detail == {
        "changed": ["source_code"],
        "source_from": "2A",
        "source_to": "3A",
        "reason": reason,
    }
    assert audit.actor == triager
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "3A: Health services: GP" in page
    assert "Corrected by triage: The referrer is Zoë&#x27;s GP" in page


def test_cross_references_are_kept_and_audited_without_their_values(client, triager):
    referral = submitted_referral()
    response = _save(
        client,
        triager,
        referral,
        source_code="2A",
        police_crime_reference=" WY-2026-0042 ",
        nrm_reference="NRM-Ø-77",
        other_council_case_id="LEEDS/123",
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.police_crime_reference == "WY-2026-0042"
    assert referral.nrm_reference == "NRM-Ø-77"
    assert referral.other_council_case_id == "LEEDS/123"
    audit = AuditEvent.objects.get(action="referral.record_updated", referral=referral)
    assert audit.detail == {
        "changed": ["police_crime_reference", "nrm_reference", "other_council_case_id"]
    }
    assert "WY-2026-0042" not in str(audit.detail)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "WY-2026-0042" in page and "NRM-Ø-77" in page and "LEEDS/123" in page


def test_saving_nothing_new_records_nothing(client, triager):
    referral = submitted_referral()
    _save(client, triager, referral, source_code="2A")
    assert not AuditEvent.objects.filter(action="referral.record_updated").exists()


def test_a_source_outside_the_census_list_is_refused(client, triager):
    referral = submitted_referral()
    response = _save(client, triager, referral, source_code="11", source_code_reason="x")
    assert response.status_code == 200
    with pytest.raises(triage.TransitionRefused, match="census list"):
        triage.referral_update_record(referral=referral, user=triager, source_code="3G")
    referral.refresh_from_db()
    assert referral.source_code == "2A"


def test_a_practitioner_cannot_change_the_contact_record(client, practitioner):
    referral = submitted_referral(author=practitioner)
    response = _save(client, practitioner, referral, source_code="9", source_code_reason="x")
    assert response.status_code in (403, 404)
    referral.refresh_from_db()
    assert referral.source_code == "2A"
