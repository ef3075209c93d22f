"""The person page, the duplicates queue and the MACE list: who may open them, what
they show and that reading them is audited."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Role
from referrals.models import AuditEvent, PersonMembership
from tests.auth import sign_in
from tests.factories import UserFactory, submitted_referral

DOB = dt.date(2011, 3, 9)
LINE = [{"phone": "+447700900123", "role": "suspected_exploiter"}]


@pytest.fixture
def partner(social_care):
    return UserFactory(email="pat.partner@example.org", roles=[Role.PARTNER])


@pytest.fixture
def zoe():
    first = submitted_referral(
        first_name="Zoë", last_name="O'Brien-Łukasz", date_of_birth=DOB, people=LINE
    )
    second = submitted_referral(
        first_name="Zoe", last_name="OBrien Lukasz", date_of_birth=DOB, people=LINE
    )
    return first, second


def _record_url(referral):
    return reverse(
        "person_detail", args=[PersonMembership.objects.get(referral=referral).record_id]
    )


@pytest.mark.django_db
def test_triage_sees_both_referrals_the_line_number_and_the_network(client, triager, zoe):
    first, second = zoe
    sign_in(client, triager)
    response = client.get(_record_url(first))
    page = response.content.decode()
    assert response.status_code == 200
    assert first.reference in page and second.reference in page
    assert "Zoë O&#x27;Brien-Łukasz" in page
    assert "07700 900123" in page
    assert 'id="network-table"' in page
    assert "<script" not in page.split('id="network"')[1].split("</section>")[0]
    viewed = AuditEvent.objects.get(action="person.viewed")
    assert viewed.actor == triager and viewed.object_type == "referrals.PersonRecord"


@pytest.mark.django_db
def test_a_manager_sees_initials_not_names_and_no_referral_links(client, manager, zoe):
    first, _ = zoe
    sign_in(client, manager)
    page = client.get(_record_url(first)).content.decode()
    assert "Zoë" not in page
    assert first.reference in page
    assert reverse("referral_detail", args=[first.reference]) not in page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["practitioner", "other_practitioner", "partner"])
def test_practitioners_and_partners_get_404_for_person_pages(client, request, zoe, persona):
    first, _ = zoe
    sign_in(client, request.getfixturevalue(persona))
    for url in (
        _record_url(first),
        reverse("duplicates_queue"),
        reverse("referral_network", args=[first.reference]),
        reverse("mace_report"),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_the_referral_page_links_to_the_person_record_and_the_network(client, triager, zoe):
    first, _ = zoe
    sign_in(client, triager)
    page = client.get(reverse("referral_detail", args=[first.reference])).content.decode()
    assert _record_url(first) in page
    assert reverse("referral_network", args=[first.reference]) in page


@pytest.mark.django_db
def test_the_referral_network_page_is_audited(client, triager, zoe):
    first, second = zoe
    sign_in(client, triager)
    page = client.get(reverse("referral_network", args=[first.reference])).content.decode()
    assert second.reference in page and "Phone number 07700 900123" in page
    assert AuditEvent.objects.filter(
        action="referral.network_viewed", referral=first, actor=triager
    ).exists()


@pytest.mark.django_db
def test_the_duplicates_queue_lists_a_typo(client, triager):
    submitted_referral(first_name="Zoë", last_name="O'Brien", date_of_birth=DOB)
    submitted_referral(first_name="Zoe", last_name="OBrian", date_of_birth=DOB)
    sign_in(client, triager)
    page = client.get(reverse("duplicates_queue")).content.decode()
    assert "Similar name, same date of birth" in page
    assert AuditEvent.objects.filter(action="person.duplicates_viewed").exists()


@pytest.mark.django_db
def test_the_mace_list_shows_a_line_number_in_three_referrals_without_names(client, manager):
    made = [
        submitted_referral(first_name="Øyvind", last_name=f"Testperson{i}", people=LINE)
        for i in range(3)
    ]
    submitted_referral(people=[{"phone": "07700 900456", "role": "peer"}] * 1)
    sign_in(client, manager)
    page = client.get(reverse("mace_report")).content.decode()
    assert "Likely line number" in page and "07700 900123" in page
    assert "07700 900456" not in page
    assert all(r.reference in page for r in made)
    assert "Øyvind" not in page
    assert AuditEvent.objects.filter(action="mace.viewed", actor=manager).exists()


def _page_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_person_page_costs_the_same_queries_with_two_or_six_referrals(client, triager, zoe):
    first, _ = zoe
    sign_in(client, triager)
    url = _record_url(first)
    client.get(url)
    two = _page_queries(client, url)
    for _ in range(4):
        submitted_referral(
            first_name="Zoë", last_name="O'Brien-Łukasz", date_of_birth=DOB, people=LINE
        )
    assert _page_queries(client, url) == two


@pytest.mark.django_db
def test_the_duplicates_queue_costs_the_same_queries_with_one_or_four_pairs(client, triager):
    submitted_referral(first_name="Zoë", last_name="O'Brien", date_of_birth=DOB)
    submitted_referral(first_name="Zoe", last_name="OBrian", date_of_birth=DOB)
    sign_in(client, triager)
    url = reverse("duplicates_queue")
    client.get(url)
    one = _page_queries(client, url)
    for last_name in ("OBrein", "Obrien", "OBrienn"):
        submitted_referral(first_name="Zoe", last_name=last_name, date_of_birth=DOB)
    assert _page_queries(client, url) == one
