"""A triage lead merges two records or marks them "not the same person", and can undo
either; each is audited, and what the referrers wrote is never changed."""

import datetime as dt

import pytest
from django.urls import reverse

from referrals.models import AuditEvent, PersonDecision, PersonMembership, PossibleDuplicate
from referrals.person_records import (
    DecisionRefused,
    person_decision_undo,
    person_record_merge,
    possible_duplicates_open,
)
from tests.auth import sign_in
from tests.factories import submitted_referral

DOB = dt.date(2011, 3, 9)


@pytest.fixture
def lead(triager):
    triager.is_triage_lead = True
    triager.save(update_fields=["is_triage_lead"])
    return triager


@pytest.fixture
def pair():
    """Zoë O'Brien and a typo of her name: two records, queued as possible duplicates."""
    first = submitted_referral(first_name="Zoë", last_name="O'Brien", date_of_birth=DOB)
    typo = submitted_referral(first_name="Zoe", last_name="OBrian", date_of_birth=DOB)
    return first, typo


def _record(referral):
    return PersonMembership.objects.get(referral=referral).record


@pytest.mark.django_db
def test_a_lead_merges_a_possible_duplicate_and_the_referrals_are_unchanged(client, lead, pair):
    first, typo = pair
    found = possible_duplicates_open().get()
    sign_in(client, lead)
    response = client.post(reverse("duplicate_decide", args=[found.pk]), {"decision": "merge"})
    assert response.status_code == 302
    assert _record(first) == _record(typo)
    assert PersonMembership.objects.get(referral=typo).rule == PersonMembership.Rule.MERGED
    typo.refresh_from_db()
    assert (typo.first_name, typo.last_name) == ("Zoe", "OBrian")
    assert not possible_duplicates_open().exists()
    merged = AuditEvent.objects.get(action="person.merged")
    assert merged.actor == lead and merged.detail["referrals"] == 1
    # The merged record's page now leads to the record it joined.
    old = PersonDecision.objects.get().other_id
    response = client.get(reverse("person_detail", args=[old]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_undoing_a_merge_puts_the_referrals_back_and_the_pair_in_the_queue(client, lead, pair):
    first, typo = pair
    typo_record = _record(typo)
    decision = person_record_merge(record=_record(first), other=typo_record, user=lead)
    sign_in(client, lead)
    response = client.post(reverse("person_decision_undo", args=[decision.pk]))
    assert response.status_code == 302
    assert _record(typo) == typo_record
    assert PersonMembership.objects.get(referral=typo).rule == PersonMembership.Rule.FIRST
    typo_record.refresh_from_db()
    assert typo_record.merged_into is None
    assert possible_duplicates_open().count() == 1
    decision.refresh_from_db()
    assert decision.undone_by == lead and decision.undone_at is not None
    assert AuditEvent.objects.filter(action="person.decision_undone", actor=lead).exists()


@pytest.mark.django_db
def test_not_the_same_person_leaves_the_queue_and_a_later_referral_does_not_requeue_it(
    client, lead, pair
):
    first, typo = pair
    found = possible_duplicates_open().get()
    sign_in(client, lead)
    client.post(reverse("duplicate_decide", args=[found.pk]), {"decision": "not_same"})
    assert not possible_duplicates_open().exists()
    assert _record(first) != _record(typo)
    assert AuditEvent.objects.filter(action="person.not_same", actor=lead).exists()
    submitted_referral(first_name="Zoe", last_name="OBrian", date_of_birth=DOB)
    assert not possible_duplicates_open().exists()


@pytest.mark.django_db
def test_a_merge_cannot_be_undone_while_its_record_is_merged_on(lead, pair):
    first, typo = pair
    third = submitted_referral(first_name="Zoë", last_name="Obrein", date_of_birth=DOB)
    decision = person_record_merge(record=_record(first), other=_record(typo), user=lead)
    person_record_merge(record=_record(third), other=_record(first), user=lead)
    with pytest.raises(DecisionRefused):
        person_decision_undo(decision=decision, user=lead)


@pytest.mark.django_db
def test_a_triage_worker_who_is_not_a_lead_cannot_decide(client, triager, pair):
    found = possible_duplicates_open().get()
    sign_in(client, triager)
    response = client.post(reverse("duplicate_decide", args=[found.pk]), {"decision": "merge"})
    assert response.status_code == 404
    assert not PersonDecision.objects.exists()
    assert PossibleDuplicate.objects.filter(decision__isnull=True).count() == 1


@pytest.mark.django_db
def test_deciding_without_a_choice_shows_the_error(client, lead, pair):
    found = possible_duplicates_open().get()
    sign_in(client, lead)
    response = client.post(reverse("duplicate_decide", args=[found.pk]), {})
    assert response.status_code == 400
    assert "Select whether these are the same person" in response.content.decode()
