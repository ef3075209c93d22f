"""The triage panel on the referral page: status, due time, the actions a worker may
take, linked referrals with their reminder, and the chronology."""

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from referrals import normalise
from referrals.models import AuditEvent, ReferralEvent
from referrals.triage.panel import triage_panel_context
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.triage import claimed_referral, decided_referral, london

PHONE = normalise.phone_e164("07700 900123")


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _panel(user, referral) -> tuple[dict, str]:
    request = _request(user)
    context = triage_panel_context(request, referral)
    html = render_to_string(
        "referrals/triage/panel.html",
        {"referral": referral, **context, "triage": context},
        request=request,
    )
    return context, html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["practitioner", "other_practitioner", "manager", "admin"])
def test_the_panel_is_empty_for_anyone_outside_triage(request, persona):
    referral = submitted_referral(author=request.getfixturevalue("practitioner"))
    assert triage_panel_context(_request(request.getfixturevalue(persona)), referral) == {}
    assert not AuditEvent.objects.filter(action="referral.links_viewed").exists()


@pytest.mark.django_db
def test_the_panel_lists_linked_referrals_with_the_reminder_and_audits_it(triager):
    earlier = submitted_referral(people=[{"phone": PHONE}])
    referral = submitted_referral(people=[{"phone": PHONE}])
    context, html = _panel(triager, referral)
    assert [link.reference for link in context["triage_links"]] == [earlier.reference]
    assert "A link is a prompt to check, not a finding." in html
    assert "07700 900123" in html
    assert reverse("referral_detail", args=[earlier.reference]) in html
    viewed = AuditEvent.objects.get(action="referral.links_viewed", referral=referral)
    assert viewed.actor == triager
    assert viewed.detail == {"links": 1}


@pytest.mark.django_db
def test_an_unassigned_referral_offers_claim_and_assign_but_not_decide(triager):
    referral = submitted_referral()
    context, html = _panel(triager, referral)
    assert context["triage_can_claim"] and context["triage_can_assign"]
    assert not context["triage_can_decide"] and not context["triage_can_close"]
    assert reverse("referral_claim", args=[referral.reference]) in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert reverse("referral_decide", args=[referral.reference]) not in html


@pytest.mark.django_db
def test_my_claimed_referral_offers_the_decision(triager):
    referral = claimed_referral(triager)
    context, html = _panel(triager, referral)
    assert context["triage_can_decide"] and not context["triage_can_claim"]
    assert "Record a decision" in html
    assert "Tara Testtriage" in html


@pytest.mark.django_db
def test_a_decided_referral_offers_message_close_and_reopen(triager):
    referral = decided_referral(triager, message="A strategy discussion is being held.")
    context, html = _panel(triager, referral)
    assert context["triage_can_message"] and context["triage_can_close"]
    assert context["triage_can_reopen"] and not context["triage_can_assign"]
    assert "Child-protection strategy discussion (section 47)" in html
    assert "A strategy discussion is being held." in html


@pytest.mark.django_db
def test_an_overdue_referral_shows_its_due_time_and_an_overdue_tag(triager):
    with time_machine.travel(london(2026, 3, 6, 16, 0), tick=False):
        referral = submitted_referral()
    with time_machine.travel(london(2026, 3, 9, 18, 0), tick=False):
        context, html = _panel(triager, referral)
    assert context["triage_overdue"]
    assert "Monday 9 March 2026, 17:00" in html
    assert "Overdue" in html


@pytest.mark.django_db
def test_the_chronology_keeps_when_it_happened_apart_from_when_it_was_recorded(triager):
    from referrals.triage import services as triage

    with time_machine.travel(london(2026, 3, 2, 9, 0), tick=False):
        referral = submitted_referral()
    with time_machine.travel(london(2026, 3, 2, 16, 0), tick=False):
        triage.referral_add_note(
            referral=referral,
            user=triager,
            text="Phoned the school at lunchtime.",
            occurred_at=london(2026, 3, 2, 12, 30),
        )
        context, html = _panel(triager, referral)
    kinds = [event.kind for event in context["triage_events"]]
    assert kinds == ["submitted", "note", "viewed"]
    assert "2 Mar 2026 12:30" in html and "2 Mar 2026 16:00" in html
    assert "Phoned the school at lunchtime." in html


@pytest.mark.django_db
def test_a_visit_is_recorded_once_not_on_every_reload(triager, other_triager):
    referral = submitted_referral()
    with time_machine.travel(london(2026, 3, 2, 9, 0), tick=False):
        _panel(triager, referral)
        _panel(triager, referral)
        _panel(other_triager, referral)
    with time_machine.travel(london(2026, 3, 2, 11, 0), tick=False):
        _panel(triager, referral)
    viewers = referral.events.filter(kind=ReferralEvent.Kind.VIEWED).values_list("actor", flat=True)
    assert sorted(viewers) == sorted([triager.pk, other_triager.pk, triager.pk])


@pytest.mark.django_db
def test_the_referral_page_shows_the_panel_to_triage(client, triager):
    referral = submitted_referral(people=[{"phone": PHONE}])
    sign_in(client, triager)
    html = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert 'id="triage"' in html
    assert "Claim this referral" in html
    assert "A link is a prompt to check, not a finding." in html


@pytest.mark.django_db
def test_the_referral_page_hides_the_panel_from_the_referrer(client, practitioner):
    referral = submitted_referral(author=practitioner)
    sign_in(client, practitioner)
    html = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert 'id="triage"' not in html
    assert "Claim this referral" not in html


def _referral_page(client, referral, **params):
    response = client.get(reverse("referral_detail", args=[referral.reference]), params)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_a_line_number_shared_by_many_lists_the_newest_and_says_how_many_there_are(client, triager):
    # A "line" is reported again and again: the page lists the newest few of them.
    shared = [submitted_referral(people=[{"phone": PHONE}]) for _ in range(12)]
    referral = shared.pop()
    sign_in(client, triager)
    response = _referral_page(client, referral)
    listed = [link.reference for link in response.context["triage_links"]]
    assert listed == [r.reference for r in reversed(shared)][:10]
    assert "Phone number 07700 900123: 10 of 11 referrals" in response.text
    assert "?links=all#triage-links" in response.text

    every = _referral_page(client, referral, links="all")
    assert len(every.context["triage_links"]) == 11
    assert not every.context["triage_links_unlisted"]
    assert AuditEvent.objects.filter(
        action="referral.links_viewed", referral=referral, detail={"links": 11}
    ).exists()


@pytest.mark.django_db
def test_a_value_shared_by_a_few_lists_them_all_without_a_note(client, triager):
    earlier = submitted_referral(people=[{"phone": PHONE}])
    referral = submitted_referral(people=[{"phone": PHONE}])
    sign_in(client, triager)
    response = _referral_page(client, referral)
    assert [link.reference for link in response.context["triage_links"]] == [earlier.reference]
    assert "Show every linked referral" not in response.text


def _links_section(client, referral) -> str:
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    return page[page.index('id="triage-links"') : page.index('id="triage-chronology"')]


@pytest.mark.django_db
def test_the_same_person_shows_as_linked_on_both_referrals_pages(client, triager):
    person = {
        "first_name": "Zoë",
        "last_name": "Ó'Brien-Łukasz",
        "date_of_birth": london(2011, 2, 3).date(),
    }
    earlier = submitted_referral(**person)
    later = submitted_referral(
        first_name="zoe", last_name="o'brien lukasz", date_of_birth=person["date_of_birth"]
    )
    sign_in(client, triager)
    on_earlier = _links_section(client, earlier)
    on_later = _links_section(client, later)
    assert later.reference in on_earlier and "Same name and date of birth" in on_earlier
    assert earlier.reference in on_later and "Same name and date of birth" in on_later
    assert "No other referral shares" not in on_earlier + on_later
