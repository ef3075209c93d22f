"""Legal holds (issue 21): a record under a hold, of its own or the global one, is never
destroyed and shows as held on the due list; lifting the hold lets it be destroyed.
Placing and lifting are audited, and each needs a reason."""

import pytest
import time_machine
from django.urls import reverse

from referrals.models import AuditEvent, DestructionBatch, LegalHold, Referral, Tombstone
from referrals.retention import services
from tests.auth import sign_in
from tests.factories.exports import london
from tests.factories.retention import decided_contact

pytestmark = pytest.mark.postgres

PAST_DUE = london(2026, 6, 1, 9)
REASON = "Independent inquiry into Æsa's county (invented)"


@pytest.fixture
def due(triager):
    first = decided_contact(triager, decided_on=london(2020, 1, 6), first_name="Zoë")
    second = decided_contact(triager, decided_on=london(2020, 1, 7), first_name="Øyvind")
    with time_machine.travel(PAST_DUE, tick=False):
        assert services.retention_list_due() == 2
    return first, second


def _dry_run_and_approve(client, references):
    response = client.post(reverse("retention_dry_run"), {"references": references})
    if response.status_code != 302:
        return response
    batch = DestructionBatch.objects.latest("pk")
    return client.post(reverse("retention_batch_approve", args=[batch.pk]))


def test_a_record_under_legal_hold_is_shown_held_and_is_not_destroyed(due, admin, client):
    held, other = due
    sign_in(client, admin)
    response = client.post(
        reverse("retention_holds"), {"references": held.reference, "reason": REASON}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=held.pk).legal_hold is True
    page = client.get(reverse("retention_due_list")).content.decode()
    assert "Held" in page and "1 under legal hold" in page
    # The held record cannot even be chosen; the service refuses it anyway.
    refused = _dry_run_and_approve(client, [held.reference])
    assert refused.status_code == 400
    assert "Choose only records on the due list that are not held" in refused.content.decode()
    batch = services.destruction_dry_run(user=admin, referral_ids=[held.pk, other.pk])
    services.destruction_approve(batch=batch, user=admin)
    assert list(Tombstone.objects.values_list("reference", flat=True)) == [other.reference]
    assert Referral.objects.get(pk=held.pk).first_name == "Zoë"
    assert AuditEvent.objects.filter(action="retention.hold_placed", referral_id=held.pk).exists()


def test_lifting_the_hold_lets_the_record_be_destroyed(due, admin, client):
    held, _other = due
    sign_in(client, admin)
    client.post(reverse("retention_holds"), {"references": held.reference, "reason": REASON})
    hold = LegalHold.objects.get()
    missing = client.post(reverse("retention_hold_lift", args=[hold.pk]), {"reason": "  "})
    assert "Enter why the legal hold is lifted" in missing.content.decode()
    lifted = client.post(
        reverse("retention_hold_lift", args=[hold.pk]), {"reason": "The inquiry has reported"}
    )
    assert lifted.status_code == 302
    assert Referral.objects.get(pk=held.pk).legal_hold is False
    assert AuditEvent.objects.filter(action="retention.hold_lifted").exists()
    assert _dry_run_and_approve(client, [held.reference]).status_code == 302
    assert Tombstone.objects.filter(reference=held.reference).exists()
    assert Referral.objects.get(pk=held.pk).first_name == ""


def test_a_global_hold_stops_every_destruction_until_it_is_lifted(due, admin, client):
    first, second = due
    sign_in(client, admin)
    client.post(reverse("retention_holds"), {"everything": "on", "reason": REASON})
    page = client.get(reverse("retention_due_list")).content.decode()
    assert "A global legal hold is in place" in page
    assert "2 under legal hold" in page
    # A dry run made before the hold was placed is refused at approval too.
    hold = LegalHold.objects.get()
    services.legal_hold_lift(hold=hold, user=admin, reason="Placed by mistake")
    batch = services.destruction_dry_run(user=admin, referral_ids=[first.pk, second.pk])
    services.legal_hold_place(user=admin, reason=REASON, everything=True)
    assert services.destruction_approve(batch=batch, user=admin) == []
    assert not Tombstone.objects.exists()
    assert DestructionBatch.objects.get(pk=batch.pk).counts["skipped"] == 2

    services.legal_hold_lift(
        hold=LegalHold.objects.active().get(), user=admin, reason="Inquiry closed"
    )
    assert _dry_run_and_approve(client, [first.reference, second.reference]).status_code == 302
    assert Tombstone.objects.count() == 2


def test_a_hold_without_a_reason_gets_a_clear_message_and_keeps_what_was_typed(due, admin, client):
    held, _ = due
    sign_in(client, admin)
    response = client.post(reverse("retention_holds"), {"references": held.reference})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the reason for the legal hold" in page
    assert held.reference in page
    assert not LegalHold.objects.exists()


def test_a_hold_on_a_reference_that_does_not_exist_says_so(due, admin, client):
    sign_in(client, admin)
    response = client.post(
        reverse("retention_holds"), {"references": "CL-1999-000001", "reason": REASON}
    )
    assert "No record has the reference CL-1999-000001" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_a_dry_run_without_a_choice_says_to_choose(due, admin, client):
    sign_in(client, admin)
    response = client.post(reverse("retention_dry_run"), {})
    assert response.status_code == 400
    assert "Choose at least one record for the dry run" in response.content.decode()
    assert not DestructionBatch.objects.exists()


def test_the_nightly_list_drops_a_record_no_longer_due(due, triager):
    from referrals.triage import services as triage

    first, _ = due
    with time_machine.travel(PAST_DUE, tick=False):
        triage.referral_reopen(referral=first, user=triager, reason="Reopened (invented)")
        assert services.retention_list_due() == 1
