import pytest
from django.urls import reverse

from indicators.models import CatalogueVersion, Indicator
from referrals.models import AuditEvent
from tests.auth import sign_in
from tests.factories import submitted_referral

GUIDE_SIGNS = [
    "Returning home late, staying out all night or going missing",
    "Being found in areas away from home",
    "Increasing drug use, or being found with large amounts of drugs",
    "Being secretive about who they are talking to and where they are going",
    "Unexplained absences from school, college, training or work",
    "Unexplained money, phone(s), clothes or jewellery",
    "Increasingly disruptive or aggressive behaviour",
    "Using sexual, drug-related or violent language they would not be expected to know",
    "Coming home with injuries or looking particularly dishevelled",
    "Having hotel cards or keys to unknown places",
]


@pytest.mark.django_db
def test_the_seeded_catalogue_has_the_guides_ten_warning_signs():
    current = CatalogueVersion.objects.current()
    signs = current.indicators.filter(group="exploitation").order_by("order")
    assert [s.wording for s in signs] == GUIDE_SIGNS


@pytest.mark.django_db
def test_the_seeded_catalogue_has_cuckooing_signs_for_adults_and_vulnerabilities():
    current = CatalogueVersion.objects.current()
    cuckooing = current.indicators.filter(group="cuckooing")
    assert cuckooing.count() == 5
    assert set(cuckooing.values_list("audience", flat=True)) == {"adult"}
    vulnerabilities = set(
        current.indicators.filter(group="vulnerability").values_list("wording", flat=True)
    )
    assert {
        "In care (looked after)",
        "Insecure immigration status",
        "Learning disability",
    } <= vulnerabilities


@pytest.mark.django_db
def test_children_are_not_asked_the_cuckooing_signs():
    current = CatalogueVersion.objects.current()
    child = current.indicators.for_audience("child")
    adult = current.indicators.for_audience("adult")
    assert not child.filter(group="cuckooing").exists()
    assert adult.filter(group="cuckooing").count() == 5
    assert child.filter(code="cl-01").exists() and adult.filter(code="cl-01").exists()


def _edit(client, code, **fields):
    indicator = CatalogueVersion.objects.current().indicators.get(code=code)
    data = {
        "wording": indicator.wording,
        "guidance": indicator.guidance,
        "audience": indicator.audience,
        "group": indicator.group,
        "order": indicator.order,
        "change_summary": "Board asked for plainer words",
    }
    if indicator.active:
        data["active"] = "on"
    data.update(fields)
    if fields.get("active") is False:
        data.pop("active")
    return client.post(reverse("indicator_edit", args=[code]), data)


def test_editing_wording_makes_a_new_version_and_an_old_referral_keeps_the_old_wording(
    client, manager, practitioner
):
    old = submitted_referral(author=practitioner, yes_to=["cl-10"])
    sign_in(client, manager)
    response = _edit(client, "cl-10", wording="Has hotel key cards or keys to places nobody knows")
    assert response.status_code == 302
    current = CatalogueVersion.objects.current()
    assert current.number == 2
    assert current.indicators.get(code="cl-10").wording.startswith("Has hotel key cards")
    assert current.indicators.count() == Indicator.objects.filter(version__number=1).count()
    assert old.catalogue_version.number == 1
    sign_in(client, practitioner)
    page = client.get(reverse("referral_detail", args=[old.reference])).content.decode()
    assert "Having hotel cards or keys to unknown places" in page
    assert "Has hotel key cards" not in page
    new = submitted_referral(author=practitioner, yes_to=["cl-10"])
    assert new.catalogue_version == current
    assert new.answers.get(indicator__code="cl-10").indicator.wording.startswith(
        "Has hotel key cards"
    )


def test_retiring_an_indicator_stops_it_being_asked_but_keeps_old_answers(
    client, admin, practitioner
):
    old = submitted_referral(author=practitioner, yes_to=["cl-08"])
    sign_in(client, admin)
    assert _edit(client, "cl-08", active=False).status_code == 302
    current = CatalogueVersion.objects.current()
    assert not current.indicators.for_audience("child").filter(code="cl-08").exists()
    assert old.answers.filter(indicator__code="cl-08", answer="yes").exists()


def test_catalogue_changes_are_audited(client, manager):
    sign_in(client, manager)
    _edit(client, "cl-02", wording="Found in places a long way from home")
    event = AuditEvent.objects.get(action="catalogue.published")
    assert event.actor == manager
    assert event.detail["codes"] == ["cl-02"]


def test_a_manager_adds_a_new_indicator(client, manager):
    sign_in(client, manager)
    response = client.post(
        reverse("indicator_add"),
        {
            "code": "cl-11",
            "wording": "Carrying weapons",
            "audience": "both",
            "group": "exploitation",
            "order": "11",
            "active": "on",
            "change_summary": "Added after a serious case review",
        },
    )
    assert response.status_code == 302
    assert CatalogueVersion.objects.current().indicators.filter(code="cl-11").exists()


def test_an_edit_without_a_reason_is_refused_with_a_message(client, manager):
    sign_in(client, manager)
    response = _edit(client, "cl-02", change_summary="")
    assert response.status_code == 200
    assert "Say why you are making this change" in response.content.decode()
    assert CatalogueVersion.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["practitioner", "triager"])
def test_only_managers_and_administrators_edit_the_catalogue(client, request, persona):
    user = request.getfixturevalue(persona)
    sign_in(client, user)
    assert client.get(reverse("catalogue_list")).status_code == 404
    assert _edit(client, "cl-02", wording="x").status_code == 404
    assert CatalogueVersion.objects.count() == 1
