"""Two practitioners submitting at the same moment, on two real PostgreSQL connections:
the second waits for the year's counter and gets the next reference, never the same."""

import threading

import pytest
from django.db import connection, transaction

from referrals.intake.services import referral_submit
from tests.factories import ReferralFactory
from tests.referrals.triage.test_claim_race import (
    WAIT,
    _in_own_connection,
    _someone_is_waiting_for_a_row_lock,
)
from tests.services import require_postgres


@pytest.fixture
def committed_db(django_db_serialized_rollback, transactional_db):
    """Committed rows that other connections see. Each submission's notifications run
    as eager tasks in its own thread on commit; Celery's "inside a task" flag is one
    global that two overlapping eager tasks can leave set, which would refuse every
    later result.get() in this process (the worker round-trip test's): cleared after."""
    yield
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


def test_a_submission_waiting_for_the_counter_gets_the_next_reference(
    committed_db, practitioner, other_practitioner
):
    require_postgres()
    first_draft = ReferralFactory(author=practitioner, first_name="Łucja")
    second_draft = ReferralFactory(author=other_practitioner, first_name="Søren")
    first_holds_counter = threading.Event()
    release_first = threading.Event()

    def first():
        with transaction.atomic():
            referral = referral_submit(referral=first_draft, user=practitioner)
            first_holds_counter.set()
            # The counter's row stays locked until the second submission waits for it.
            assert release_first.wait(WAIT)
        return referral.reference

    first_thread, first_outcome = _in_own_connection(first)
    assert first_holds_counter.wait(WAIT)
    second_thread, second_outcome = _in_own_connection(
        lambda: referral_submit(referral=second_draft, user=other_practitioner).reference
    )
    for _ in range(WAIT * 20):
        if _someone_is_waiting_for_a_row_lock():
            break
        threading.Event().wait(0.05)
    else:
        pytest.fail("the second submission never waited for the counter")
    release_first.set()
    first_thread.join(WAIT)
    second_thread.join(WAIT)
    assert "error" not in first_outcome and "error" not in second_outcome
    first_number = int(first_outcome["result"].rsplit("-", 1)[1])
    assert second_outcome["result"] == first_outcome["result"][:-6] + f"{first_number + 1:06d}"
    connection.close()
