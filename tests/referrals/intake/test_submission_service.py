import pytest

from referrals.models import AuditEvent, Notification, ReferralEvent, Status
from tests.factories import ReferralFactory, submitted_referral


@pytest.mark.django_db
def test_submission_gives_a_sequential_reference_per_year():
    first = submitted_referral()
    second = submitted_referral()
    year = first.submitted_at.year
    assert first.reference == f"CL-{year}-000001"
    assert second.reference == f"CL-{year}-000002"
    assert first.status == Status.SUBMITTED


@pytest.mark.django_db
def test_submission_writes_the_event_audit_and_outbox_rows_with_the_referral():
    referral = submitted_referral()
    assert ReferralEvent.objects.filter(referral=referral, kind="submitted").count() == 1
    assert AuditEvent.objects.filter(referral=referral, action="referral.submitted").count() == 1
    kinds = set(Notification.objects.filter(referral=referral).values_list("kind", flat=True))
    assert kinds == {"new_referral", "acknowledgement"}


@pytest.mark.django_db
def test_submitting_twice_keeps_one_referral_and_one_set_of_messages():
    from referrals.intake.services import referral_submit

    draft = ReferralFactory()
    first = referral_submit(referral=draft, user=draft.author)
    again = referral_submit(referral=draft, user=draft.author)
    assert again.reference == first.reference
    assert Notification.objects.filter(referral=draft).count() == 2
