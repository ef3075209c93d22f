"""Person records: a referral's subject joins the record of an earlier referral with the
same folded name and date of birth (or a known-as name); anything looser is queued for
a triage lead, never matched automatically."""

import datetime as dt

import pytest
from django.core.management import call_command

from referrals.models import PersonMembership, PossibleDuplicate
from referrals.person_records import person_record_assign, within_edits
from tests.factories import submitted_referral

DOB = dt.date(2011, 3, 9)


def _child(first_name, last_name, known_as="", date_of_birth=DOB, **fields):
    return submitted_referral(
        first_name=first_name,
        last_name=last_name,
        known_as=known_as,
        date_of_birth=date_of_birth,
        **fields,
    )


def _record(referral):
    return PersonMembership.objects.get(referral=referral).record_id


def _queued(a, b) -> set[str]:
    pair = sorted([_record(a), _record(b)])
    return set(
        PossibleDuplicate.objects.filter(record_id=pair[0], other_id=pair[1]).values_list(
            "reason", flat=True
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        (("Zoë", "O'Brien-Łukasz"), ("Zoe", "OBrien Lukasz")),
        (("ZOË", "Testpérson"), ("zoe", "testperson")),
        (("Łukasz", "Øyvindsen"), ("Lukasz", "Oyvindsen")),
    ],
    ids=["accents-hyphens-apostrophes", "case-and-accents", "letters-that-do-not-decompose"],
)
def test_the_same_name_written_differently_joins_the_same_record(earlier, later):
    first = _child(*earlier)
    second = _child(*later)
    assert _record(first) == _record(second)
    membership = PersonMembership.objects.get(referral=second)
    assert membership.rule == PersonMembership.Rule.NAME_AND_DATE_OF_BIRTH
    assert PersonMembership.objects.get(referral=first).rule == PersonMembership.Rule.FIRST


@pytest.mark.django_db
def test_a_known_as_name_joins_the_record_and_says_so():
    first = _child("Zoë", "Testperson", known_as="Zed")
    second = _child("Zed", "Testperson")
    assert _record(first) == _record(second)
    assert PersonMembership.objects.get(referral=second).rule == PersonMembership.Rule.KNOWN_AS


@pytest.mark.django_db
def test_a_typo_is_not_matched_but_queued_as_a_possible_duplicate():
    first = _child("Zoë", "O'Brien")
    typo = _child("Zoe", "OBrian")
    assert _record(first) != _record(typo)
    assert _queued(first, typo) == {PossibleDuplicate.Reason.SIMILAR_NAME}


@pytest.mark.django_db
def test_a_date_of_birth_days_apart_is_queued_not_matched():
    first = _child("Æsa", "Testperson")
    close = _child("Aesa", "Testperson", date_of_birth=DOB + dt.timedelta(days=12))
    far = _child("Aesa", "Testperson", date_of_birth=DOB + dt.timedelta(days=90))
    assert len({_record(first), _record(close), _record(far)}) == 3
    assert _queued(first, close) == {PossibleDuplicate.Reason.CLOSE_DATE_OF_BIRTH}
    assert _queued(first, far) == set()


@pytest.mark.django_db
def test_a_shared_phone_with_the_same_date_of_birth_is_queued():
    phone = [{"phone": "+447700900123", "role": "peer"}]
    first = _child("Øyvind", "Testperson", people=phone)
    other_name = _child("Ozzy", "Madeupname", people=phone)
    assert _record(first) != _record(other_name)
    assert _queued(first, other_name) == {PossibleDuplicate.Reason.SHARED_IDENTIFIER}


@pytest.mark.django_db
def test_different_people_are_neither_matched_nor_queued():
    first = _child("Zoë", "Testperson")
    other = _child("Łukasz", "Madeupname", date_of_birth=dt.date(2009, 1, 1))
    assert _record(first) != _record(other)
    assert not PossibleDuplicate.objects.exists()


def test_within_edits_counts_insertions_deletions_and_substitutions():
    assert within_edits("zoe obrien", "zoe obrian")
    assert within_edits("zoe obrien", "zoey obrien")
    assert not within_edits("zoe obrien", "zara obrien")
    assert not within_edits("zoe", "zoe testperson")


@pytest.mark.django_db
def test_assigning_twice_keeps_one_membership():
    referral = _child("Zoë", "Testperson")
    again = person_record_assign(referral=referral)
    assert PersonMembership.objects.filter(referral=referral).count() == 1
    assert again.record_id == _record(referral)


@pytest.mark.django_db
def test_the_backfill_groups_referrals_submitted_before_person_records():
    first = _child("Zoë", "Testperson")
    second = _child("Zoe", "Testperson")
    PersonMembership.objects.all().delete()
    call_command("person_records_backfill")
    assert _record(first) == _record(second)
    assert PersonMembership.objects.get(referral=first).rule == PersonMembership.Rule.FIRST
