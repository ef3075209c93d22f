"""The time-in-state ledger: every move between states (submitted, in triage, decided,
closed, reopened) with actor, role and time, kept on the chronology's events; the
referral page shows the time spent in each state, from receipt."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from referrals.models import ReferralEvent
from referrals.triage import clocks
from referrals.triage import services as triage
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.triage import london

pytestmark = pytest.mark.django_db
RECEIVED = london(2026, 3, 2, 10, 0)
HOUR = dt.timedelta(hours=1)


def _worked(worker, lead):
    """Received 10:00; claimed 11:00; a note dated 09:30 written at 11:30; decided
    13:00; reopened by the lead 15:00; decided again 16:00; closed 17:00."""
    referral = submitted_referral(submitted_at=RECEIVED)
    triage.referral_claim(referral=referral, user=worker, now=RECEIVED + HOUR)
    triage.referral_add_note(
        referral=referral,
        user=worker,
        text="Earlier call from Ø. Æsir's school",
        occurred_at=RECEIVED - dt.timedelta(minutes=30),
        now=RECEIVED + 1.5 * HOUR,
    )
    decide = {"contact_outcome": "referral", "next_step": "s17", "rationale": "Needs assessment."}
    triage.referral_decide(referral=referral, user=worker, now=RECEIVED + 3 * HOUR, **decide)
    triage.referral_reopen(referral=referral, user=lead, reason="New call", now=RECEIVED + 5 * HOUR)
    triage.referral_decide(referral=referral, user=lead, now=RECEIVED + 6 * HOUR, **decide)
    triage.referral_close(referral=referral, user=lead, now=RECEIVED + 7 * HOUR)
    return referral


def test_every_transition_is_recorded_with_actor_role_and_the_state_entered(triager, other_triager):
    referral = _worked(triager, other_triager)
    moves = [
        (e.kind, e.status, e.actor, e.actor_role, e.occurred_at)
        for e in referral.events.exclude(kind=ReferralEvent.Kind.NOTE).order_by("occurred_at")
    ]
    assert moves == [
        ("submitted", "submitted", referral.author, "Practitioner", RECEIVED),
        ("claimed", "in_triage", triager, "Triage", RECEIVED + HOUR),
        ("decided", "decided", triager, "Triage", RECEIVED + 3 * HOUR),
        ("reopened", "in_triage", other_triager, "Triage", RECEIVED + 5 * HOUR),
        ("decided", "decided", other_triager, "Triage", RECEIVED + 6 * HOUR),
        ("closed", "closed", other_triager, "Triage", RECEIVED + 7 * HOUR),
    ]


def test_the_presenter_gives_the_time_in_each_state_from_receipt(triager, other_triager):
    referral = _worked(triager, other_triager)
    referral.refresh_from_db()
    events = list(referral.events.select_related("actor").order_by("occurred_at", "id"))
    result = clocks.time_in_state(referral, events, now=RECEIVED + 9 * HOUR)
    assert [(r["state"], r["entered"], r["spent"], r["current"]) for r in result["rows"]] == [
        ("Submitted", "2 Mar 2026 10:00", "1 hour", False),
        ("In triage", "2 Mar 2026 11:00", "2 hours", False),
        ("Decided", "2 Mar 2026 13:00", "2 hours", False),
        ("In triage", "2 Mar 2026 15:00", "1 hour", False),
        ("Decided", "2 Mar 2026 16:00", "1 hour", False),
        ("Closed", "2 Mar 2026 17:00", "2 hours", True),
    ]
    # The note dated before receipt moves nothing; repeated states add up.
    assert result["totals"] == [
        {"state": "Submitted", "spent": "1 hour"},
        {"state": "In triage", "spent": "3 hours"},
        {"state": "Decided", "spent": "3 hours"},
        {"state": "Closed", "spent": "2 hours"},
    ]
    assert result["rows"][1]["by"] == f"{triager.full_name} (Triage)"
    assert result["rows"][0]["by"] == f"{referral.author.full_name} (Practitioner)"


def test_events_from_before_the_ledger_still_count_by_their_kind(triager):
    referral = submitted_referral(submitted_at=RECEIVED)
    triage.referral_claim(referral=referral, user=triager, now=RECEIVED + HOUR)
    referral.events.update(status="", actor_role="")
    referral.refresh_from_db()
    events = list(referral.events.order_by("occurred_at", "id"))
    result = clocks.time_in_state(referral, events, now=RECEIVED + 4 * HOUR)
    assert [(r["state"], r["spent"]) for r in result["rows"]] == [
        ("Submitted", "1 hour"),
        ("In triage", "3 hours"),
    ]


def test_the_referral_page_shows_the_time_in_each_state(client, triager):
    referral = submitted_referral(submitted_at=RECEIVED)
    triage.referral_claim(referral=referral, user=triager, now=RECEIVED + 2 * HOUR)
    sign_in(client, triager)
    with time_machine.travel(RECEIVED + 5 * HOUR, tick=False):
        response = client.get(reverse("referral_detail", args=[referral.reference]))
    page = response.content.decode()
    assert "Time in each state" in page
    assert "The clock starts when the referral was received." in page
    totals = response.context["triage_time_in_state"]["totals"]
    assert totals == [
        {"state": "Submitted", "spent": "2 hours"},
        {"state": "In triage", "spent": "3 hours"},
    ]


def test_the_migration_gives_earlier_transition_events_the_state_they_entered(triager):
    from importlib import import_module
    from pathlib import Path

    from django.apps import apps

    import referrals.migrations

    # Found by name, whatever number the migration is given at merge.
    (path,) = Path(referrals.migrations.__file__).parent.glob("*_rag_ratings_and_state_ledger.py")
    migration = import_module(f"referrals.migrations.{path.stem}")
    referral = submitted_referral(submitted_at=RECEIVED)
    triage.referral_claim(referral=referral, user=triager, now=RECEIVED + HOUR)
    triage.referral_add_note(referral=referral, user=triager, text="N", now=RECEIVED + HOUR)
    referral.events.update(status="")
    migration.backfill_event_status(apps, None)
    assert dict(referral.events.values_list("kind", "status")) == {
        "submitted": "submitted",
        "claimed": "in_triage",
        "note": "",
    }
