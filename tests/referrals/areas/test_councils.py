"""The list of other councils, which administrators keep in the portal (issue 18)."""

import pytest
from django.urls import reverse

from referrals.models import AuditEvent, Council
from tests.auth import sign_in

NEW = {
    "name": "Åsgårdby Metropolitan Borough Council",
    "front_door_email": "mash@asgardby.example",
    "front_door_phone": "+47 22 00 00 00",
    "postcode_areas": "bd, hx1 ,HX2",
    "active": "on",
}


@pytest.mark.django_db
def test_an_administrator_adds_a_council_with_its_front_door_and_postcode_areas(client, admin):
    sign_in(client, admin)
    assert "Other councils" in client.get(reverse("user_list")).content.decode()
    response = client.post(reverse("council_add"), NEW)
    assert response.status_code == 302 and response["Location"] == reverse("council_list")
    council = Council.objects.get()
    assert council.name == NEW["name"] and council.postcode_areas == ["BD", "HX1", "HX2"]
    assert council.active
    listing = client.get(reverse("council_list")).content.decode()
    assert NEW["name"] in listing and "BD, HX1, HX2" in listing
    event = AuditEvent.objects.get(action="council.added")
    assert event.actor == admin and event.detail["changed"]["postcode_areas"]["after"] == [
        "BD",
        "HX1",
        "HX2",
    ]


@pytest.mark.django_db
def test_a_wrong_postcode_area_or_email_is_explained_and_nothing_typed_is_lost(client, admin):
    sign_in(client, admin)
    response = client.post(
        reverse("council_add"), {**NEW, "postcode_areas": "BD, 12X", "front_door_email": "mash"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Postcode areas look like BD or HX1: check 12X" in page
    assert "Enter an email address like mash@example.gov.uk" in page
    assert NEW["name"] in page and "BD, 12X" in page
    assert not Council.objects.exists()


@pytest.mark.django_db
def test_an_administrator_changes_a_council_and_the_change_is_audited(client, admin):
    council = Council.objects.create(
        name="Testford Council", front_door_email="mash@testford.example", postcode_areas=["BD"]
    )
    sign_in(client, admin)
    page = client.get(reverse("council_edit", args=[council.pk])).content.decode()
    assert 'value="BD"' in page
    data = {"name": "Testford Council", "front_door_email": "new.mash@testford.example"}
    client.post(reverse("council_edit", args=[council.pk]), {**data, "postcode_areas": "BD"})
    council.refresh_from_db()
    assert council.front_door_email == "new.mash@testford.example" and not council.active
    changed = AuditEvent.objects.get(action="council.changed").detail["changed"]
    assert set(changed) == {"front_door_email", "active"}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["triager", "manager", "practitioner"])
def test_only_administrators_keep_the_list(client, request, persona):
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(reverse("council_list")).status_code == 404
    assert client.post(reverse("council_add"), NEW).status_code == 404
    assert not Council.objects.exists()
