"""Two workers claiming the same referral at once, on two real PostgreSQL connections:
exactly one wins and the other is told who has it."""

import threading

import pytest
from django.db import connection, connections, transaction

from referrals.models import Referral, ReferralEvent, Status
from referrals.triage import services as triage
from tests.factories import submitted_referral
from tests.services import require_postgres

WAIT = 10  # seconds; generous, only reached if something is broken


@pytest.fixture
def committed_db(django_db_serialized_rollback, transactional_db):
    """Committed rows that other connections see."""


def _in_own_connection(work):
    """Run `work` in a thread, which Django gives its own database connection."""
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _someone_is_waiting_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_two_workers_claiming_at_once_one_wins_and_the_other_is_told_who(
    committed_db, triager, other_triager
):
    require_postgres()
    referral = submitted_referral()
    first_holds_lock = threading.Event()
    release_first = threading.Event()

    def first_claim():
        with transaction.atomic():
            claimed = triage.referral_claim(referral=referral, user=triager)
            first_holds_lock.set()
            # Keep the transaction (and its row lock) open until the second claim waits.
            release_first.wait(WAIT)
            return claimed

    def second_claim():
        first_holds_lock.wait(WAIT)
        return triage.referral_claim(referral=referral, user=other_triager)

    first, first_outcome = _in_own_connection(first_claim)
    second, second_outcome = _in_own_connection(second_claim)
    assert first_holds_lock.wait(WAIT)
    for _ in range(200):  # the second claim blocks on the lock, not on a stale read
        if _someone_is_waiting_for_a_row_lock():
            break
        threading.Event().wait(0.05)
    else:
        pytest.fail("the second claim never waited for the first one's row lock")
    release_first.set()
    first.join(WAIT)
    second.join(WAIT)

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

    runs = [_in_own_connection(claim_as(worker)) for worker in workers]
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
