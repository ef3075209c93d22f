"""Two workers claiming the same referral at once, on two real PostgreSQL connections:
exactly one wins and the other is told who has it."""

import threading

import pytest

from referrals.models import Referral, ReferralEvent, Status
from referrals.triage import services as triage
from tests.factories import submitted_referral
from tests.races import WAIT, in_own_connection, second_waits_for_first
from tests.services import require_postgres


@pytest.fixture
def committed_db(django_db_serialized_rollback, transactional_db):
    """Committed rows that other connections see."""


def test_two_workers_claiming_at_once_one_wins_and_the_other_is_told_who(
    committed_db, triager, other_triager
):
    require_postgres()
    referral = submitted_referral()
    first_outcome, second_outcome = second_waits_for_first(
        lambda: triage.referral_claim(referral=referral, user=triager),
        lambda: triage.referral_claim(referral=referral, user=other_triager),
        what="claim",
    )

    assert "error" not in first_outcome, first_outcome
    refusal = second_outcome.get("error")
    assert isinstance(refusal, triage.TransitionRefused)
    assert str(refusal) == f"{referral.reference} has already been claimed by Tara Testtriage."
    saved = Referral.objects.get(pk=referral.pk)
    assert (saved.status, saved.assigned_to_id) == (Status.IN_TRIAGE, triager.pk)
    assert saved.events.filter(kind=ReferralEvent.Kind.CLAIMED).count() == 1


def test_many_workers_racing_to_claim_leave_exactly_one_owner(committed_db, triager, other_triager):
    require_postgres()
    from tests.factories import UserFactory

    workers = [triager, other_triager] + [UserFactory(roles=["Triage"]) for _ in range(4)]
    referral = submitted_referral()
    start = threading.Barrier(len(workers))

    def claim_as(worker):
        def work():
            start.wait(WAIT)
            return triage.referral_claim(referral=referral, user=worker)

        return work

    runs = [in_own_connection(claim_as(worker)) for worker in workers]
    for thread, _ in runs:
        thread.join(WAIT)
    winners = [outcome["result"] for _, outcome in runs if "result" in outcome]
    refused = [outcome["error"] for _, outcome in runs if "error" in outcome]
    assert len(winners) == 1
    assert len(refused) == len(workers) - 1
    owner = winners[0].assigned_to
    assert all(
        str(exc) == f"{referral.reference} has already been claimed by {owner.full_name}."
        for exc in refused
    )
    assert Referral.objects.get(pk=referral.pk).assigned_to == owner
    assert ReferralEvent.objects.filter(referral=referral, kind="claimed").count() == 1
