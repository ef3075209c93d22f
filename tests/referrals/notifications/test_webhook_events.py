"""referral.rated and referral.handed_off (issue 22): written with the rating or the
hand-off, in its transaction, carrying ids, the reference and codes only."""

import json

import pytest

from referrals.handoffs import services as handoffs
from referrals.models import WebhookDelivery, WebhookSubscription
from referrals.triage import services as triage
from referrals.triage.services import TransitionRefused
from tests.factories.handoffs import decided, early_help_team, handoff_of
from tests.factories.notifications import leaks, sentinel_referral
from tests.factories.triage import claimed_referral

pytestmark = pytest.mark.django_db
Event = WebhookSubscription.Event


def _subscribe(*events, **fields):
    return WebhookSubscription.objects.create(
        name="Council case system (Æsa)",
        url="https://cases.example.org/hooks/portal",
        events=list(events),
        secret="łukasz-secret",
        **fields,
    )


def _payloads(event):
    return [row.payload for row in WebhookDelivery.objects.filter(event=event).order_by("pk")]


def test_a_rating_and_a_re_rating_each_write_a_rated_event_with_the_codes(
    triager, django_capture_on_commit_callbacks
):
    _subscribe(Event.RATED)
    referral = claimed_referral(triager, first_name="Zoë", last_name="Øyvindsdóttir")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = triage.referral_rate(
            referral=referral, user=triager, rating="amber", rationale="Seen with older men"
        )
    # The row is there before the commit; the publish waits for it.
    assert WebhookDelivery.objects.filter(event=Event.RATED).count() == 1
    assert callbacks
    second = triage.referral_rate(
        referral=referral, user=triager, rating="red", rationale="Missing overnight"
    )
    payloads = _payloads(Event.RATED)
    assert [p["rating"] for p in payloads] == [
        {"id": first.pk, "rating": "amber", "previous": ""},
        {"id": second.pk, "rating": "red", "previous": "amber"},
    ]
    assert payloads[0]["event"] == "referral.rated"
    assert payloads[0]["referral"]["reference"] == referral.reference
    text = json.dumps(payloads)
    for personal in ("Zoë", "Øyvindsdóttir", "older men", "overnight", triager.email):
        assert personal not in text


def test_a_refused_rating_writes_no_event(triager):
    _subscribe(Event.RATED)
    referral = claimed_referral(triager)
    triage.referral_rate(referral=referral, user=triager, rating="green", rationale="Low risk")
    with pytest.raises(TransitionRefused):
        triage.referral_rate(referral=referral, user=triager, rating="green", rationale="Again")
    assert WebhookDelivery.objects.filter(event=Event.RATED).count() == 1


def test_a_decision_routed_to_a_team_writes_one_handed_off_event(triager):
    _subscribe(Event.HANDED_OFF, Event.DECIDED)
    team = early_help_team()
    referral = decided(sentinel_referral(), triager, outcome="early_help")
    handoff = handoff_of(referral)
    [payload] = _payloads(Event.HANDED_OFF)
    expected = {"id": handoff.pk, "contact_outcome": "early_help", "team": team.pk}
    assert payload["handoff"] == expected
    assert payload["referral"]["reference"] == referral.reference
    assert payload["referral"]["contact_outcome"] == "early_help"
    assert leaks(json.dumps(payload)) == []
    assert len(_payloads(Event.DECIDED)) == 1


def test_an_unrouted_hand_off_has_its_event_when_triage_chooses_the_team(triager):
    _subscribe(Event.HANDED_OFF)
    early_help_team(name="Testshire Early Help North")
    second = early_help_team(name="Testshire Early Help South")
    referral = decided(sentinel_referral(), triager, outcome="early_help")
    handoff = handoff_of(referral)
    assert not WebhookDelivery.objects.exists()  # nobody has it yet
    handoffs.handoff_route(handoff=handoff, team=second, user=triager)
    handoffs.handoff_route(handoff=handoff, team=second, user=triager)  # a double submission
    [payload] = _payloads(Event.HANDED_OFF)
    assert payload["handoff"]["team"] == second.pk


def test_a_decision_that_hands_nothing_off_and_an_unsubscribed_event_write_nothing(triager):
    _subscribe(Event.HANDED_OFF)
    decided(sentinel_referral(), triager, outcome="nfa")
    referral = claimed_referral(triager)
    triage.referral_rate(referral=referral, user=triager, rating="red", rationale="Missing")
    assert not WebhookDelivery.objects.exists()
