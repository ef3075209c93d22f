"""Two practitioners submitting at the same moment, on two real PostgreSQL connections:
the second waits for the first's locks (the year's counter among them) and gets the
next reference, never the same."""

import pytest
from django.db import connection

from referrals.intake.services import referral_submit
from tests.factories import ReferralFactory
from tests.races import second_waits_for_first
from tests.services import require_postgres


@pytest.fixture
def committed_db(django_db_serialized_rollback, transactional_db):
    """Committed rows that other connections see."""


def test_a_submission_waiting_for_another_gets_the_next_reference(
    committed_db, practitioner, other_practitioner
):
    require_postgres()
    first_draft = ReferralFactory(author=practitioner, first_name="Łucja")
    second_draft = ReferralFactory(author=other_practitioner, first_name="Søren")
    first_outcome, second_outcome = second_waits_for_first(
        lambda: referral_submit(referral=first_draft, user=practitioner).reference,
        lambda: referral_submit(referral=second_draft, user=other_practitioner).reference,
        what="submission",
    )
    assert "error" not in first_outcome and "error" not in second_outcome
    first_number = int(first_outcome["result"].rsplit("-", 1)[1])
    assert second_outcome["result"] == first_outcome["result"][:-6] + f"{first_number + 1:06d}"
    connection.close()
