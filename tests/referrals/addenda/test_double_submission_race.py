"""The same form sent twice at once (a double click that reaches two workers), on two
real PostgreSQL connections: one addendum and one email, and both requests get it."""

import uuid

import pytest

from referrals.addenda import services
from referrals.models import Addendum, Notification
from tests.factories import submitted_referral
from tests.factories.addenda import INFORMATION
from tests.races import second_waits_for_first
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

    def add():
        return services.addendum_add(
            referral=referral, user=practitioner, body=INFORMATION, form_token=token
        )

    first_outcome, second_outcome = second_waits_for_first(add, add, what="submission")

    assert "error" not in first_outcome and "error" not in second_outcome
    assert first_outcome["result"].pk == second_outcome["result"].pk
    assert Addendum.objects.count() == 1
    told = Notification.objects.filter(kind=Notification.Kind.NEW_INFORMATION)
    assert told.count() == len(settings.INTAKE_MAILBOXES)  # once each, unassigned
