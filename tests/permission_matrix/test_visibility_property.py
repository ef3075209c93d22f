"""Lists, counts and exports show exactly what the single-object check allows: a
property-based test with random users, organisations, roles and referrals (issue 4)."""

from django.contrib.auth.models import Group
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from referrals.models import Referral, Status
from referrals.permissions import (
    Action,
    can,
    referrals_authored_by,
    referrals_for_triage,
    referrals_visible_to,
)
from tests.factories import OrganisationFactory, ReferralFactory, UserFactory, submitted_referral

ROLES = list(Role)

user_specs = st.lists(
    st.fixed_dictionaries(
        {
            "organisation": st.integers(0, 2),
            "roles": st.sets(st.sampled_from(ROLES)),
            "organisation_wide_view": st.booleans(),
            "is_active": st.booleans(),
        }
    ),
    min_size=1,
    max_size=5,
)
referral_specs = st.lists(
    st.fixed_dictionaries({"author": st.integers(0, 4), "submitted": st.booleans()}),
    max_size=5,
)


class Rollback(Exception):
    """Ends an example's savepoint so the next example starts from an empty world."""


def build_world(users_spec, referrals_spec):
    organisations = [OrganisationFactory() for _ in range(3)]
    users = [
        UserFactory(organisation=organisations[spec["organisation"]], roles=[Role.PRACTITIONER])
        for spec in users_spec
    ]
    referrals = []
    for spec in referrals_spec:
        author = users[spec["author"] % len(users)]
        make = submitted_referral if spec["submitted"] else ReferralFactory
        referrals.append(make(author=author))
    # Roles and flags change after the referrals were written, as they do in life.
    for user, spec in zip(users, users_spec, strict=True):
        user.groups.set(Group.objects.filter(name__in=[r.value for r in spec["roles"]]))
        user.organisation_wide_view = spec["organisation_wide_view"]
        user.is_active = spec["is_active"]
        user.save()
        if hasattr(user, "_roles"):
            del user._roles
    return users, referrals


def expected_visible(user, referral) -> bool:
    """The rules of docs/security.md and issue 4, written out independently."""
    if not user.is_active:
        return False
    submitted = referral.status != Status.DRAFT
    if user.has_role(Role.TRIAGE) and submitted:
        return True
    if user.has_role(Role.PRACTITIONER):
        if referral.author_id == user.pk:
            return True
        same_org = referral.organisation_id == user.organisation_id
        return user.organisation_wide_view and same_org and submitted
    return False


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(users_spec=user_specs, referrals_spec=referral_specs)
def test_lists_show_exactly_the_referrals_the_single_object_check_allows(
    db, users_spec, referrals_spec
):
    try:
        with transaction.atomic():
            users, referrals = build_world(users_spec, referrals_spec)
            for user in users:
                visible = ids(referrals_visible_to(user))
                allowed = {r.pk for r in referrals if can(user, Action.VIEW, r)}
                expected = {r.pk for r in referrals if expected_visible(user, r)}
                assert visible == allowed == expected
                # Whatever they may read they may export, except drafts (never exported).
                undrafted = {r.pk for r in referrals if r.status != Status.DRAFT} & visible
                assert {r.pk for r in referrals if can(user, Action.EXPORT, r)} == undrafted
                assert referrals_visible_to(user).count() == len(visible)
                assert ids(referrals_authored_by(user)) <= visible
                drafts = {r.pk for r in referrals_authored_by(user) if r.status == Status.DRAFT}
                assert {r.pk for r in referrals if can(user, Action.EDIT_DRAFT, r)} == drafts
                assert ids(referrals_for_triage(user)) <= visible
                if user.is_active and user.has_role(Role.TRIAGE):
                    submitted = {r.pk for r in referrals if r.status != Status.DRAFT}
                    assert ids(referrals_for_triage(user)) == submitted
            raise Rollback
    except Rollback:
        pass


def test_the_triage_queue_lists_exactly_the_referrals_triage_may_open(
    client, triager, practitioner, other_practitioner
):
    from tests.auth import sign_in

    submitted = [
        submitted_referral(author=practitioner),
        submitted_referral(author=other_practitioner),
    ]
    draft = ReferralFactory(author=practitioner)
    sign_in(client, triager)
    html = client.get("/triage/").content.decode()
    for referral in submitted:
        assert referral.reference in html
        assert client.get(f"/referrals/{referral.reference}/").status_code == 200
    assert ids(referrals_visible_to(triager)) == {r.pk for r in submitted}
    assert draft.pk not in ids(referrals_visible_to(triager))


def test_my_referrals_lists_only_what_the_practitioner_may_open(
    client, practitioner, other_practitioner
):
    from tests.auth import sign_in

    mine = submitted_referral(author=practitioner)
    theirs = submitted_referral(author=other_practitioner)
    sign_in(client, practitioner)
    html = client.get("/referrals/mine/").content.decode()
    assert mine.reference in html
    assert theirs.reference not in html
    assert client.get(f"/referrals/{theirs.reference}/").status_code == 404
    assert Referral.objects.filter(pk=theirs.pk).exists()
