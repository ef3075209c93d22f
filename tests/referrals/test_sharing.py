"""The information-sharing log's one writer (issue 19): a decision not to share needs
its reason, a retried write is logged once, and every entry is audited."""

import pytest

from referrals.models import AuditEvent, Disclosure, LawfulBasis
from referrals.sharing import RefusalNeedsReason, disclosure_record
from tests.factories import submitted_referral


@pytest.mark.django_db
def test_a_decision_not_to_share_is_refused_without_a_reason(triager):
    referral = submitted_referral()
    with pytest.raises(RefusalNeedsReason):
        disclosure_record(
            referral=referral,
            kind=Disclosure.Kind.INFORMATION_REQUEST,
            what=["subject's name"],
            lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
            decided_by=triager,
            shared=False,
            reason="   ",
        )
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_decision_not_to_share_is_logged_with_its_reason_and_audited(triager):
    referral = submitted_referral()
    refusal = disclosure_record(
        referral=referral,
        kind=Disclosure.Kind.INFORMATION_REQUEST,
        what=["subject's address"],
        lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
        decided_by=triager,
        recipient_name="Ærøby Housing Trust",
        shared=False,
        reason="Sharing the address could alert the adult exploiting the household.",
    )
    assert refusal.decision == Disclosure.Decision.NOT_SHARED
    assert refusal.lawful_basis == LawfulBasis.NOT_APPLICABLE
    assert refusal.recipient == "Ærøby Housing Trust"
    audit = AuditEvent.objects.get(action="disclosure_refused", referral=referral)
    assert audit.actor == triager
    assert audit.detail["what"] == ["subject's address"]


@pytest.mark.django_db
def test_a_retried_disclosure_with_the_same_key_is_logged_once(triager):
    referral = submitted_referral()
    kwargs = {
        "referral": referral,
        "kind": Disclosure.Kind.EXPORT,
        "what": ["referral PDF"],
        "lawful_basis": LawfulBasis.CONSENT,
        "decided_by": triager,
        "recipient_name": "Łódź Road Youth Club",
        "idempotency_key": "export:42",
    }
    first = disclosure_record(**kwargs)
    again = disclosure_record(**kwargs)
    assert first.pk == again.pk
    assert Disclosure.objects.count() == 1
    assert AuditEvent.objects.filter(action="disclosure").count() == 1
