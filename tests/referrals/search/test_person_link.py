"""h20c: a hit links to its person record for Triage, and opening it there is audited
as a hit opened from the search; a manager (who sees no individual referral) gets no
link and 404."""

import datetime as dt

import pytest
from django.urls import reverse

from referrals.models import AuditEvent
from tests.auth import sign_in
from tests.factories import submitted_referral


@pytest.mark.django_db
def test_triage_opens_a_hit_at_its_person_record_and_the_audit_says_so(client, triager):
    zoe = submitted_referral(
        first_name="Zoë", last_name="O'Brien-Łukasz", date_of_birth=dt.date(2011, 5, 4)
    )
    sign_in(client, triager)
    page = client.get(reverse("referral_search"), {"q": "zoe obrien"})
    link = reverse("search_hit_open_person", args=[zoe.reference])
    assert link in page.content.decode()
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[zoe.person.record_id])
    event = AuditEvent.objects.get(action="search.hit_opened")
    assert event.referral_id == zoe.pk
    assert event.detail == {"from": "search", "to": "person"}


@pytest.mark.django_db
def test_a_manager_gets_no_person_link_and_404(client, manager):
    zoe = submitted_referral(
        first_name="Zoë", last_name="O'Brien-Łukasz", date_of_birth=dt.date(2011, 5, 4)
    )
    sign_in(client, manager)
    page = client.get(reverse("referral_search"), {"q": "zoe obrien"})
    link = reverse("search_hit_open_person", args=[zoe.reference])
    assert link not in page.content.decode()
    assert client.get(link).status_code == 404
