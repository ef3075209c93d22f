"""Which council covers a postcode: its district (LS1) or its area (LS)."""

import pytest

from referrals.models import Council
from referrals.models.councils import covers, postcode_prefixes


@pytest.mark.parametrize(
    "postcode,prefixes",
    [
        ("LS1 4AP", ["LS1", "LS"]),
        ("EC1A 1BB", ["EC1A", "EC"]),
        ("W1A 0AX", ["W1A", "W"]),
        ("B33 8TH", ["B33", "B"]),
        ("", []),
        ("not a postcode", []),
    ],
)
def test_a_postcode_s_district_and_area_most_specific_first(postcode, prefixes):
    assert postcode_prefixes(postcode) == prefixes


def test_a_list_of_areas_and_districts_covers_a_postcode_by_either():
    assert covers(["ls", " BD1 "], "LS6 2AB")
    assert covers(["BD1"], "BD1 1AA")
    assert not covers(["BD1"], "BD10 0AA")
    assert not covers(["L"], "LS1 4AP")  # Liverpool's area is not Leeds's
    assert not covers([], "LS1 4AP")


@pytest.mark.django_db
def test_only_active_councils_are_found_for_a_postcode():
    Council.objects.create(
        name="Old", front_door_email="old@x.example", postcode_areas=["BD"], active=False
    )
    new = Council.objects.create(
        name="New", front_door_email="new@x.example", postcode_areas=["BD7"]
    )
    assert Council.objects.covering("BD7 1AA") == [new]
    assert Council.objects.covering("HX1 1AA") == []


@pytest.mark.django_db
def test_a_council_naming_the_district_comes_before_one_naming_only_the_area():
    area = Council.objects.create(
        name="Area", front_door_email="a@x.example", postcode_areas=["BD"]
    )
    district = Council.objects.create(
        name="District", front_door_email="d@x.example", postcode_areas=["BD7"]
    )
    assert Council.objects.covering("BD7 1AA") == [district, area]
    assert Council.objects.covering("BD1 1AA") == [area]
