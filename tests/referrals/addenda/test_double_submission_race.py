"""The same form sent twice at once (a double click that reaches two workers), on two
real PostgreSQL connections: one addendum and one email, and both requests get it."""

import threading
import uuid

import pytest
from django.db import transaction

from referrals.addenda import services
from referrals.models import Addendum, Notification
from tests.factories import submitted_referral
from tests.factories.addenda import INFORMATION
from tests.referrals.triage.test_claim_race import (
    WAIT,
    _in_own_connection,
    _someone_is_waiting_for_a_row_lock,
)
from tests.services import require_postgres


@pytest.fixture
def committed_db(django_db_serialized_rollback, transactional_db):
    """Committed rows that other connections see."""


def test_the_same_information_sent_twice_at_once_is_added_once(
    committed_db, practitioner, settings
):
    require_postgres()
    referral = submitted_referral(author=practitioner)
    token = uuid.uuid4()
    first_holds_lock = threading.Event()
    release_first = threading.Event()

    def add():
        return services.addendum_add(
            referral=referral, user=practitioner, body=INFORMATION, form_token=token
        )

    def first_add():
        with transaction.atomic():
            added = add()
            first_holds_lock.set()
            release_first.wait(WAIT)
            return added

    def second_add():
        first_holds_lock.wait(WAIT)
        return add()

    first, first_outcome = _in_own_connection(first_add)
    second, second_outcome = _in_own_connection(second_add)
    assert first_holds_lock.wait(WAIT)
    for _ in range(200):
        if _someone_is_waiting_for_a_row_lock():
            break
        threading.Event().wait(0.05)
    else:
        pytest.fail("the second submission never waited for the first one's row lock")
    release_first.set()
    first.join(WAIT)
    second.join(WAIT)

    assert "error" not in first_outcome and "error" not in second_outcome
    assert first_outcome["result"].pk == second_outcome["result"].pk
    assert Addendum.objects.count() == 1
    told = Notification.objects.filter(kind=Notification.Kind.NEW_INFORMATION)
    assert told.count() == len(settings.INTAKE_MAILBOXES)  # once each, unassigned
