"""Links between referrals: the same person referred before, and referrals that share
a phone number, an address or a vehicle, however each was typed."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals import links, normalise
from referrals.models import LinkKey
from tests.factories import PersonFactory, ReferralFactory, submitted_referral
from tests.services import require_postgres

DOB = dt.date(2010, 5, 17)


def _person(first_name, last_name, known_as="", date_of_birth=DOB, **fields):
    return submitted_referral(
        first_name=first_name,
        last_name=last_name,
        known_as=known_as,
        date_of_birth=date_of_birth,
        **fields,
    )


def _link_refs(referral, kind):
    return {link.reference for link in links.links_for(referral) if link.kind == kind}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        (("Testa", "Testperson"), ("TESTA", "testperson")),
        (("Zoë", "Testpérson"), ("Zoe", "Testperson")),
        (("Mary-Jane", "O'Testperson"), ("Mary Jane", "OTestperson")),
        (("Anne Marie", "Test-Person"), ("Anne-Marie", "Test Person")),
    ],
    ids=["case", "accents", "hyphens-and-apostrophes", "spaces-and-hyphens"],
)
def test_the_same_person_is_found_whatever_the_case_accents_and_hyphens(earlier, later):
    first = _person(*earlier)
    second = _person(*later)
    assert _link_refs(second, "person") == {first.reference}
    assert second.is_repeat


@pytest.mark.django_db
def test_a_known_as_name_on_the_new_referral_finds_the_earlier_one():
    first = _person("Jayden", "Testperson")
    second = _person("Jay", "Testperson", known_as="Jayden")
    assert _link_refs(second, "person") == {first.reference}


@pytest.mark.django_db
def test_a_known_as_name_on_the_earlier_referral_finds_the_new_one():
    first = _person("Jayden", "Testperson", known_as="JJ, Jay")
    second = _person("JJ", "Testperson")
    assert _link_refs(second, "person") == {first.reference}


@pytest.mark.django_db
def test_a_known_as_full_name_with_another_surname_is_matched():
    first = _person("Testa", "Madeupname")
    second = _person("Testa", "Testperson", known_as="Testa Madeupname")
    assert _link_refs(second, "person") == {first.reference}


@pytest.mark.django_db
def test_the_same_name_with_another_date_of_birth_is_not_the_same_person():
    _person("Testa", "Testperson", date_of_birth=dt.date(2010, 5, 17))
    second = _person("Testa", "Testperson", date_of_birth=dt.date(2011, 5, 17))
    assert _link_refs(second, "person") == set()
    assert not second.is_repeat


@pytest.mark.django_db
def test_a_re_referral_within_twelve_months_is_badged_and_an_older_one_is_listed_only():
    start = dt.datetime(2025, 1, 10, 10, 0, tzinfo=dt.UTC)
    old = _person("Testa", "Testperson", submitted_at=start)
    recent = _person("Testa", "Testperson", submitted_at=start + dt.timedelta(days=400))
    latest = _person("Testa", "Testperson", submitted_at=start + dt.timedelta(days=500))
    found = {link.reference: link.is_repeat for link in links.links_for(latest)}
    assert found == {recent.reference: True, old.reference: False}
    assert latest.is_repeat
    assert not recent.is_repeat  # its only earlier referral is 400 days before


@pytest.mark.django_db
def test_an_earlier_referral_lists_the_later_one_about_the_same_person_but_is_no_re_referral():
    first = _person("Testa", "Testperson")
    second = _person("Testa", "Testperson")
    first.refresh_from_db()
    assert _link_refs(first, "person") == {second.reference}
    assert first.has_same_person and second.has_same_person
    assert second.is_repeat and not first.is_repeat


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "shared"),
    [
        ("person", {"first_name": "Testa", "last_name": "Testperson", "date_of_birth": DOB}),
        ("phone", {"people": [{"phone": "+447700900123"}]}),
        ("address", {"address_line_1": "12 Acacia Avenue", "postcode": "LS1 4AP"}),
        ("vehicle", {"people": [{"vehicle_registration": "AB12CDE"}]}),
    ],
)
def test_every_kind_of_link_shows_on_both_referrals_with_its_flag(kind, shared):
    flag = links.LINK_FLAGS[kind]
    first = submitted_referral(**shared)
    second = submitted_referral(**shared)
    first.refresh_from_db()
    assert _link_refs(first, kind) == {second.reference}
    assert _link_refs(second, kind) == {first.reference}
    assert getattr(first, flag) and getattr(second, flag)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["07700 900123", "+44 7700 900123", "447700900123"])
def test_phone_numbers_link_however_they_were_typed(typed):
    first = submitted_referral(people=[{"phone": normalise.phone_e164("07700900123")}])
    second = submitted_referral(people=[{"phone": normalise.phone_e164(typed)}])
    first.refresh_from_db()
    assert second.has_shared_phone and first.has_shared_phone
    shared = [link for link in links.links_for(second) if link.kind == "phone"]
    assert [(link.reference, link.shared_value) for link in shared] == [
        (first.reference, "07700 900123")
    ]


@pytest.mark.django_db
def test_a_phone_number_saved_unnormalised_still_links():
    first = submitted_referral(people=[{"phone": "+447700900123"}])
    second = submitted_referral(people=[{"phone": "07700 900123"}])
    assert _link_refs(second, "phone") == {first.reference}


@pytest.mark.django_db
def test_different_phone_numbers_do_not_link():
    submitted_referral(people=[{"phone": normalise.phone_e164("07700 900123")}])
    second = submitted_referral(people=[{"phone": normalise.phone_e164("07700 900124")}])
    assert not second.has_shared_phone
    assert _link_refs(second, "phone") == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "postcode"),
    [
        ("12 Acacia Avenue", "LS1 4AP"),
        ("12, acacia avenue.", "ls14ap"),
        ("12 ACACIA AVENUE, Testtown", " LS1  4AP "),
    ],
)
def test_addresses_link_by_postcode_and_first_line_across_formatting(line, postcode):
    first = submitted_referral(address_line_1="12 Acacia Avenue", postcode="LS1 4AP")
    second = submitted_referral(people=[{"address": line, "postcode": postcode}])
    first.refresh_from_db()
    assert second.has_shared_address and first.has_shared_address
    assert _link_refs(second, "address") == {first.reference}


@pytest.mark.django_db
def test_another_house_on_the_same_street_does_not_link():
    submitted_referral(address_line_1="12 Acacia Avenue", postcode="LS1 4AP")
    second = submitted_referral(address_line_1="14 Acacia Avenue", postcode="LS1 4AP")
    assert not second.has_shared_address


@pytest.mark.django_db
def test_vehicle_registrations_link_whatever_the_spacing_and_case():
    first = submitted_referral(people=[{"vehicle_registration": "AB12 CDE"}])
    second = submitted_referral(people=[{"vehicle_registration": "ab12cde"}])
    vehicle = [link for link in links.links_for(second) if link.kind == "vehicle"]
    assert [(link.reference, link.shared_value) for link in vehicle] == [
        (first.reference, "AB12CDE")
    ]


@pytest.mark.django_db
def test_a_child_and_an_adult_at_risk_sharing_a_phone_are_linked():
    phone = normalise.phone_e164("07700 900555")
    child = submitted_referral(subject_type="child", people=[{"phone": phone}])
    adult = submitted_referral(
        subject_type="adult",
        date_of_birth=dt.date(1970, 1, 1),
        yes_to=[],
        people=[{"phone": phone, "role": "other"}],
    )
    assert _link_refs(adult, "phone") == {child.reference}
    assert _link_refs(child, "phone") == {adult.reference}


@pytest.mark.django_db
def test_a_draft_never_links():
    phone = normalise.phone_e164("07700 900777")
    draft = ReferralFactory(first_name="Testa", last_name="Testperson", date_of_birth=DOB)
    draft.people.create(role="peer", phone=phone)
    submitted = submitted_referral(people=[{"phone": phone}])
    assert not submitted.has_shared_phone
    assert links.links_for(submitted) == []


@pytest.mark.django_db
def test_each_link_gives_the_shared_value_the_referral_and_when():
    phone = normalise.phone_e164("07700 900123")
    first = submitted_referral(
        address_line_1="3 Madeup Street",
        postcode="LS1 4AP",
        people=[{"phone": phone}],
    )
    second = submitted_referral(
        address_line_1="3 Madeup Street", postcode="LS1 4AP", people=[{"phone": phone}]
    )
    found = {
        (link.kind_label, link.shared_value, link.reference) for link in links.links_for(second)
    }
    assert found == {
        ("Phone number", "07700 900123", first.reference),
        ("Address", "3 Madeup Street, LS1 4AP", first.reference),
    }
    assert {link.submitted_at for link in links.links_for(second)} == {first.submitted_at}


@pytest.mark.django_db
def test_finding_links_takes_the_same_number_of_queries_however_many_referrals(
    django_assert_max_num_queries,
):
    phone = normalise.phone_e164("07700 900123")
    for _ in range(5):
        submitted_referral(people=[{"phone": phone}])
    last = submitted_referral(people=[{"phone": phone}])
    with django_assert_max_num_queries(3):
        assert len(links.links_for(last)) == 5


@pytest.mark.django_db
def test_every_referral_on_a_busy_line_carries_the_badge_and_only_the_first_partner_is_updated():
    phone = normalise.phone_e164("+48 512 345 678")
    first = submitted_referral(people=[{"phone": phone}])
    assert not first.has_shared_phone
    second = submitted_referral(people=[{"phone": phone}])
    with CaptureQueriesContext(connection) as busy:
        later = [submitted_referral(people=[{"phone": phone}]) for _ in range(4)]
    for referral in [first, second, *later]:
        referral.refresh_from_db()
        assert referral.has_shared_phone, referral.reference
    # Once a number has two referrals, both carry the badge: later ones set no one else's.
    assert not [q for q in busy.captured_queries if 'SET "has_shared_phone"' in q["sql"]]


@pytest.mark.django_db
def test_indexing_a_referral_takes_the_same_statements_however_many_share_its_values():
    phone = normalise.phone_e164("07700 900123")
    fields = {"first_name": "Łucja", "last_name": "Ødegård-Testperson", "date_of_birth": DOB}

    def statements_of_one_more():
        draft = ReferralFactory(**fields)
        PersonFactory(referral=draft, phone=phone)
        with CaptureQueriesContext(connection) as ctx:
            links.index_links(draft)
        # Ids aside, the same SQL: no list of partners that grows with the line.
        return [re.sub(r"\d+", "N", q["sql"]) for q in ctx.captured_queries]

    submitted_referral(people=[{"phone": phone}], **fields)
    submitted_referral(people=[{"phone": phone}], **fields)
    few = statements_of_one_more()
    for _ in range(6):
        submitted_referral(people=[{"phone": phone}], **fields)
    assert statements_of_one_more() == few


@pytest.mark.django_db
def test_link_look_ups_use_indexes_not_scans_of_all_referrals():
    require_postgres()
    phone = normalise.phone_e164("07700 900123")
    first = submitted_referral(first_name="Testa", last_name="Testperson", date_of_birth=DOB)
    second = submitted_referral(people=[{"phone": phone}])
    shared = LinkKey.objects.filter(kind="phone", value=phone).exclude(referral=second)
    person = links.earlier_referrals_of_person(first)
    with connection.cursor() as cursor:
        # Small test tables would otherwise be read whole: ask whether an index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for queryset in (shared, person):
            plan = queryset.explain()
            assert "link_key_lookup_idx" in plan, plan
            assert "Seq Scan" not in plan, plan


@pytest.mark.parametrize(
    ("typed", "first_line"),
    [
        ("12 Acacia Avenue", "12 Acacia Avenue"),
        ("12 Acacia Avenue, Testtown", "12 Acacia Avenue"),
        ("12, Acacia Avenue, Testtown", "12 Acacia Avenue"),
        ("Flat 3, 12 Acacia Avenue, Testtown", "Flat 3 12 Acacia Avenue"),
        ("12a Acacia Avenue\nTesttown", "12a Acacia Avenue"),
        ("Rose Cottage, Mill Lane, Testtown", "Rose Cottage"),
    ],
)
def test_the_first_line_of_an_address_keeps_flat_and_street_and_drops_the_town(typed, first_line):
    assert normalise.address_first_line(typed) == first_line


def test_person_keys_cover_the_name_and_each_known_as_name():
    keys = normalise.person_keys("Zoë", "O'Neil-Smith", "Zo, Little Z / Zee Testperson", DOB)
    assert keys == [
        "zoe|oneilsmith|2010-05-17",
        "zo|oneilsmith|2010-05-17",
        "little|oneilsmith|2010-05-17",
        "little|z|2010-05-17",
        "zee|oneilsmith|2010-05-17",
        "zee|testperson|2010-05-17",
    ]
    assert normalise.person_keys("Testa", "Testperson", "", None) == []


@pytest.mark.django_db
def test_a_person_referred_many_times_lists_the_newest_and_counts_them_all():
    earlier = [_person("Testa", "Testperson") for _ in range(12)]
    latest = _person("Testa", "Testperson")
    found = links.links_for(latest, per_value=10)
    assert [link.reference for link in found] == [r.reference for r in reversed(earlier)][:10]
    assert {link.sharing for link in found} == {12}
    (note,) = links.unlisted(found)
    assert (note.shared, note.listed, note.sharing) == ("Same name and date of birth", 10, 12)
    assert len(links.links_for(latest, per_value=None)) == 12


@pytest.mark.django_db
def test_a_name_with_letters_that_do_not_decompose_is_the_same_person_written_in_ascii():
    first = _person("Zoë", "Ó'Brien-Łukasz")
    second = _person("zoe", "o'brien lukasz")
    assert _link_refs(second, "person") == {first.reference}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_referrals_keyed_before_transliteration_are_found_after_the_migration():
    from django.db.migrations.executor import MigrationExecutor

    first = _person("Zoë", "Ó'Brien-Łukasz")
    # As folding without transliteration keyed it: the Ł dropped.
    first.link_keys.filter(kind="person").update(value="zoe|obrienukasz|2010-05-17")
    type(first).objects.filter(pk=first.pk).update(match_name="zoe|obrienukasz")
    executor = MigrationExecutor(connection)
    executor.migrate([("referrals", "0010_source_anonymity_as_choices")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    first.refresh_from_db()
    assert first.match_name == "zoe|obrienlukasz"
    second = _person("zoe", "o'brien lukasz")
    assert _link_refs(second, "person") == {first.reference}
    first.refresh_from_db()
    assert first.has_same_person
