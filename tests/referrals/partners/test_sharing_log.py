"""The information-sharing log: triage and managers see it on the referral; only
administrators search the whole log (audited), by reference, organisation, kind and
date; partners see no navigation but their queue."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from referrals.models import AuditEvent, Disclosure
from tests.auth import sign_in
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.partners import answered_request, sent_request
from tests.factories.triage import claimed_referral, london


@pytest.fixture
def logged(triager, practitioner, partner):
    """Two referrals: one with a request to the police answered, one with a request to
    health a month later."""
    with time_machine.travel(london(2026, 3, 25, 10), tick=False):
        first = claimed_referral(triager, author=practitioner, first_name="Zoë")
        info = sent_request(first, triager, partner.organisation)
        answered_request(info, partner)
    health = OrganisationFactory(name="Testshire Health Ødegård", kind="health")
    UserFactory(email="hana.health@example.org", organisation=health, roles=[Role.PARTNER])
    with time_machine.travel(london(2026, 4, 27, 10), tick=False):
        second = claimed_referral(triager, author=practitioner, first_name="Æsa")
        sent_request(second, triager, health)
    return first, second, health


def _search(client, **query):
    return client.get(reverse("sharing_log_search"), query)


@pytest.mark.django_db
def test_administrators_search_the_log_by_reference_organisation_kind_and_date(
    client, admin, logged, partner
):
    first, second, health = logged
    sign_in(client, admin)
    assert len(_search(client).context["rows"]) == 0  # nothing until searched
    by_reference = _search(client, reference=first.reference.lower()).context["rows"]
    assert {r["reference"] for r in by_reference} == {first.reference}
    assert {r["kind"] for r in by_reference} == {
        "Information request to a partner",
        "A partner's answer",
    }
    by_organisation = _search(client, organisation=health.pk).context["rows"]
    assert [r["reference"] for r in by_organisation] == [second.reference]
    by_kind = _search(client, kind=Disclosure.Kind.PARTNER_ANSWER).context["rows"]
    assert [r["with_whom"] for r in by_kind] == [partner.organisation.name]
    april = {"start_0": "1", "start_1": "4", "start_2": "2026"}
    april |= {"end_0": "30", "end_1": "4", "end_2": "2026"}
    assert [r["reference"] for r in _search(client, **april).context["rows"]] == [second.reference]
    searched = AuditEvent.objects.filter(action="sharing_log.searched", actor=admin)
    assert searched.count() == 4


@pytest.mark.django_db
def test_a_date_range_the_wrong_way_round_is_explained_and_kept(client, admin, logged):
    sign_in(client, admin)
    query = {"start_0": "30", "start_1": "4", "start_2": "2026"}
    query |= {"end_0": "1", "end_1": "4", "end_2": "2026", "reference": "CL-2026"}
    response = _search(client, **query)
    text = response.content.decode()
    assert "The end date must be on or after the start date" in text
    assert 'value="CL-2026"' in text


@pytest.mark.django_db
def test_only_administrators_search_the_log(client, triager, manager, partner, practitioner):
    for user in (triager, manager, partner, practitioner):
        sign_in(client, user)
        assert _search(client).status_code == 404


@pytest.mark.django_db
def test_triage_see_the_log_on_the_referral_with_each_lawful_basis_and_who_decided(
    client, triager, logged
):
    first, _second, _health = logged
    sign_in(client, triager)
    response = client.get(reverse("referral_detail", args=[first.reference]))
    log = response.context["partners_log"]
    assert [(e["kind"], e["with_whom"]) for e in log] == [
        ("Information request to a partner", "Testshire Police"),
        ("A partner's answer", "Testshire Police"),
    ]
    assert log[0]["decided_by"] == triager.full_name and log[1]["decided_by"] == "Pia Testpolice"
    assert all("UK GDPR Art 6(1)(e)" in e["basis"] for e in log)


@pytest.mark.django_db
def test_a_partners_navigation_shows_only_their_queues_and_account(client, partner):
    sign_in(client, partner)
    response = client.get(reverse("partner_queue"))
    labels = [item["label"] for item in response.context["nav_items"]]
    assert labels == ["Information requests", "Hand-offs", "Your account"]
    assert client.get(reverse("home")).url == reverse("partner_queue")


@pytest.mark.django_db
def test_a_partner_without_an_organisation_sees_no_requests(client, triager, practitioner, partner):
    referral = claimed_referral(triager, author=practitioner)
    info = sent_request(referral, triager, partner.organisation, now=london(2026, 3, 25, 10))
    loner = UserFactory(email="lone@example.org", organisation=None, roles=[Role.PARTNER])
    sign_in(client, loner)
    assert client.get(reverse("partner_queue")).context["rows"] == []
    assert client.get(reverse("partner_request_detail", args=[info.pk])).status_code == 404
