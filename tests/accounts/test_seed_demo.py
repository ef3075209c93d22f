import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation, Role, User

DEMO_EMAILS = {
    "practitioner@example.org": Role.PRACTITIONER,
    "other.practitioner@example.org": Role.PRACTITIONER,
    "triage@example.org": Role.TRIAGE,
    "manager@example.org": Role.MANAGER,
    "admin@example.org": Role.ADMINISTRATOR,
}


def _snapshot():
    users = {
        u.email: (u.full_name, u.password, u.organisation_id, tuple(sorted(u.roles)), u.is_staff)
        for u in User.objects.all()
    }
    return users, list(Organisation.objects.values_list("id", "name", "kind"))


@pytest.mark.django_db
def test_seed_demo_creates_each_demo_user_with_its_role(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for email, role in DEMO_EMAILS.items():
        user = User.objects.get(email=email)
        assert user.has_role(role)
        assert user.check_password(settings.DEMO_PASSWORD)
    practitioner = User.objects.get(email="practitioner@example.org")
    other = User.objects.get(email="other.practitioner@example.org")
    assert practitioner.organisation.kind == Organisation.Kind.SCHOOL
    assert other.organisation != practitioner.organisation


@pytest.mark.django_db
def test_running_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_runs_with_force_when_debug_is_off(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert User.objects.filter(email__in=DEMO_EMAILS).count() == len(DEMO_EMAILS)


@pytest.mark.django_db
def test_seed_demo_rates_a_few_demo_contacts_once(settings):
    from referrals.models import RagRating, Referral

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    contacts = Referral.objects.filter(concern__startswith="(demo)")
    assert sorted(contacts.values_list("last_name", "rag_rating", "first_rag_rating")) == [
        ("Amberley", "amber", "amber"),
        ("Greenfield", "green", "green"),
        ("Redmond", "red", "amber"),
    ]
    assert all(c.reference and c.rag_due_at for c in contacts)
    assert RagRating.objects.count() == 4


@pytest.mark.django_db
def test_seed_demo_adds_decided_contacts_with_various_outcomes_once(settings):
    from referrals.models import Referral

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    demo = Referral.objects.filter(last_name="Demo-Contact")
    assert demo.count() == 5
    assert set(demo.values_list("contact_outcome", flat=True)) == {
        "referral",
        "early_help",
        "advice",
        "adult_safeguarding",
        "screening_not_required",
    }
    assert set(demo.values_list("status", flat=True)) == {"decided"}
    assert set(demo.values_list("source_code", flat=True)) == {"2A"}


@pytest.mark.django_db
def test_seed_demo_adds_two_other_councils_once(settings):
    from referrals.models import Council

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    councils = {c.name: c for c in Council.objects.all()}
    assert len(councils) == 2 and all(name.endswith("(demo)") for name in councils)
    assert all(c.active and c.front_door_email and c.postcode_areas for c in councils.values())


@pytest.mark.django_db
def test_seed_demo_adds_a_partner_user_for_the_demo_police_and_health_organisations(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    for email, kind in (
        ("partner.police@example.org", Organisation.Kind.POLICE),
        ("partner.health@example.org", Organisation.Kind.HEALTH),
    ):
        user = User.objects.get(email=email)
        assert user.roles == {Role.PARTNER.value}
        assert user.organisation.kind == kind
        assert user.check_password(settings.DEMO_PASSWORD)
    assert Organisation.objects.filter(kind=Organisation.Kind.HEALTH).count() == 1


@pytest.mark.django_db
def test_seed_demo_adds_an_early_help_team_that_the_early_help_contact_is_handed_to(settings):
    from referrals.models import Handoff, ReceivingTeam

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    team = ReceivingTeam.objects.get()
    assert team.receives == ["early_help"] and team.mailbox and team.active
    member = User.objects.get(email="early.help@example.org")
    assert member.has_role(Role.PARTNER) and member.organisation == team.organisation
    assert member.check_password(settings.DEMO_PASSWORD)
    handoff = Handoff.objects.get(contact_outcome="early_help")
    assert (handoff.team, handoff.state, handoff.referral.first_name) == (team, "sent", "Łukasz")
    # No demo team takes adult safeguarding: that hand-off shows "no receiving team".
    assert Handoff.objects.get(contact_outcome="adult_safeguarding").state == "unrouted"


@pytest.mark.django_db
def test_seed_demo_registers_a_demo_api_client_whose_token_reads_the_checklist(settings, client):
    from accounts.management.commands.seed_demo import DEMO_API_TOKEN
    from referrals.models import ApiClient

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    demo = ApiClient.objects.get()
    assert set(demo.scopes) == set(ApiClient.Scope.values)
    response = client.get(
        "/api/v1/checklist/", headers={"Authorization": f"Bearer {DEMO_API_TOKEN}"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_seed_demo_puts_records_past_due_on_the_due_list_one_of_them_held_once(settings):
    from referrals.models import LegalHold, RetentionDue

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    due = RetentionDue.objects.filter(referral__last_name="Demo-Retention")
    assert due.count() == 3
    held = LegalHold.objects.active().get()
    assert held.referral.first_name == "Cyd"


# h21s
@pytest.mark.django_db
def test_seed_demo_gives_the_administrator_one_open_subject_access_request(settings):
    from referrals.models import SubjectAccessRequest

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    (sar,) = SubjectAccessRequest.objects.open()
    assert "demo" in sar.requester_name
    assert sar.person_record is not None
