"""Invitations, deactivation, organisation-wide view, account requests and password
resets (issue 4). Emails carry a link and nothing personal."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AccountRequest, AllowedEmailDomain, Role, User
from referrals.models import AuditEvent
from referrals.permissions import referrals_visible_to
from tests.auth import sign_in
from tests.factories import TEST_PASSWORD, submitted_referral
from tests.factories.accounts import AccountRequestFactory

NEW_PASSWORD = "a-long-new-password-2026"


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def assert_content_free(message, *personal):
    text = message.subject + message.body
    for value in personal:
        assert value not in text


@pytest.fixture
def invited(client, admin, school):
    sign_in(client, admin)
    client.post(
        reverse("user_invite"),
        {
            "email": "Ivy.Invited@Example.org",
            "full_name": "Ivy Testinvited",
            "job_title": "Teacher",
            "organisation": school.pk,
            "roles": [Role.PRACTITIONER.value],
        },
    )
    client.logout()
    return User.objects.get(email="ivy.invited@example.org")


def test_an_administrator_invites_a_user_who_gets_a_content_free_one_time_link(invited):
    assert not invited.has_usable_password()
    assert invited.has_role(Role.PRACTITIONER)
    (message,) = mail.outbox
    assert message.to == ["ivy.invited@example.org"]
    assert_content_free(message, "Ivy", "Testinvited", "Testshire", "Teacher")
    assert AuditEvent.objects.filter(action="user.invited", object_id=str(invited.pk)).exists()


def test_the_invitation_link_sets_a_password_once(client, invited):
    path = path_of(link_in(mail.outbox[0]))
    response = client.get(path, follow=True)
    form_path = response.redirect_chain[-1][0]
    response = client.post(
        form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert (
        client.post(
            reverse("login"), {"username": invited.email, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )

    again = client.__class__().get(path, follow=True)
    assert "This link does not work" in again.content.decode()


def test_a_password_shorter_than_twelve_characters_is_refused(client, invited):
    response = client.get(path_of(link_in(mail.outbox[0])), follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "short-pw-1", "new_password2": "short-pw-1"},
    )
    assert "at least 12 characters" in response.content.decode()


def test_a_common_password_is_refused(client, invited):
    response = client.get(path_of(link_in(mail.outbox[0])), follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "password1234", "new_password2": "password1234"},
    )
    assert "too common" in response.content.decode()


def test_inviting_an_existing_address_says_so(client, admin, practitioner, school):
    sign_in(client, admin)
    response = client.post(
        reverse("user_invite"),
        {
            "email": practitioner.email,
            "full_name": "Someone Else",
            "organisation": school.pk,
            "roles": [Role.PRACTITIONER.value],
        },
    )
    assert "There is already an account with this email address." in response.content.decode()


def test_only_administrators_manage_users(client, triager, practitioner):
    for user in (triager, practitioner):
        sign_in(client, user)
        for name in ("user_list", "user_invite", "account_request_list", "allowed_domain_list"):
            assert client.get(reverse(name)).status_code == 404


def test_an_administrator_deactivates_a_user(client, admin, practitioner):
    sign_in(client, admin)
    client.post(reverse("user_deactivate", args=[practitioner.pk]))
    practitioner.refresh_from_db()
    assert not practitioner.is_active
    assert AuditEvent.objects.filter(
        action="user.deactivated", object_id=str(practitioner.pk)
    ).exists()


def test_deactivating_needs_a_post(client, admin, practitioner):
    sign_in(client, admin)
    assert client.get(reverse("user_deactivate", args=[practitioner.pk])).status_code == 405
    practitioner.refresh_from_db()
    assert practitioner.is_active


def test_organisation_wide_view_lets_a_practitioner_see_colleagues_referrals(
    client, admin, practitioner, colleague
):
    referral = submitted_referral(author=colleague)
    assert referral not in referrals_visible_to(practitioner)
    sign_in(client, admin)
    client.post(reverse("user_organisation_wide_view", args=[practitioner.pk]), {"granted": "yes"})
    practitioner.refresh_from_db()
    assert referral in referrals_visible_to(practitioner)
    client.post(reverse("user_organisation_wide_view", args=[practitioner.pk]), {"granted": "no"})
    practitioner.refresh_from_db()
    assert referral not in referrals_visible_to(practitioner)
    assert AuditEvent.objects.filter(action="user.organisation_wide_view_changed").count() == 2


# --- Asking for an account --------------------------------------------------------


def request_account(client, school, email):
    return client.post(
        reverse("account_request"),
        {
            "email": email,
            "full_name": "Rory Testrequest",
            "job_title": "Head of year",
            "organisation": school.pk,
        },
    )


def test_only_allowed_domains_may_ask_for_an_account(client, school):
    response = request_account(client, school, "rory@gmail.example")
    assert response.status_code == 200
    assert "Enter an email address from a school" in response.content.decode()
    assert 'value="Rory Testrequest"' in response.content.decode()
    assert not AccountRequest.objects.exists()
    assert not mail.outbox


def test_a_practitioner_asks_confirms_their_address_and_is_approved(client, admin, school):
    assert request_account(client, school, "rory@testshire.sch.uk")["Location"] == reverse(
        "account_request_sent"
    )
    (verify,) = mail.outbox
    assert_content_free(verify, "Rory", "Testrequest", "Testshire", "Head of year")
    path = path_of(link_in(verify))
    assert client.get(path).status_code == 200  # a GET changes nothing
    assert AccountRequest.objects.get().status == AccountRequest.Status.UNVERIFIED
    client.post(path)
    assert AccountRequest.objects.get().status == AccountRequest.Status.PENDING
    assert not User.objects.filter(email="rory@testshire.sch.uk").exists()

    sign_in(client, admin)
    pending = AccountRequest.objects.get()
    page = client.get(reverse("account_request_decide", args=[pending.pk]))
    assert page.context["form"].initial["organisation"] == school.pk
    client.post(
        reverse("account_request_decide", args=[pending.pk]),
        {
            "decision": "approve",
            "organisation": school.pk,
            "job_title": pending.job_title,
            "roles": [Role.PRACTITIONER.value],
        },
    )
    user = User.objects.get(email="rory@testshire.sch.uk")
    assert user.has_role(Role.PRACTITIONER) and user.organisation == school
    invitation = mail.outbox[-1]
    assert "set-password" in link_in(invitation)


def test_an_unconfirmed_request_is_not_shown_for_approval(client, admin):
    AccountRequestFactory(status=AccountRequest.Status.UNVERIFIED)
    sign_in(client, admin)
    assert list(client.get(reverse("account_request_list")).context["requests"]) == []


def test_a_declined_request_creates_no_account(client, admin):
    pending = AccountRequestFactory()
    sign_in(client, admin)
    client.post(reverse("account_request_decide", args=[pending.pk]), {"decision": "decline"})
    pending.refresh_from_db()
    assert pending.status == AccountRequest.Status.DECLINED
    assert not User.objects.filter(email=pending.email).exists()


def test_asking_with_an_address_that_has_an_account_reveals_nothing(client, school):
    from tests.factories import UserFactory

    UserFactory(email="known@testshire.sch.uk")
    response = request_account(client, school, "known@testshire.sch.uk")
    assert response["Location"] == reverse("account_request_sent")
    assert not mail.outbox


def test_a_tampered_confirmation_link_does_not_work(client, db):
    response = client.get(reverse("account_request_verify", args=["not-a-real-token"]))
    assert response.status_code == 404


def test_administrators_manage_the_allowed_domains(client, admin):
    assert set(AllowedEmailDomain.objects.values_list("domain", flat=True)) >= {
        ".sch.uk",
        ".nhs.net",
        ".police.uk",
        ".gov.uk",
    }
    sign_in(client, admin)
    client.post(reverse("allowed_domain_list"), {"domain": "Testshire.org.uk"})
    assert AllowedEmailDomain.admits("someone@testshire.org.uk")
    allowed = AllowedEmailDomain.objects.get(domain=".testshire.org.uk")
    client.post(reverse("allowed_domain_remove", args=[allowed.pk]))
    assert not AllowedEmailDomain.admits("someone@testshire.org.uk")


def test_a_domain_matches_only_whole_labels(db):
    assert AllowedEmailDomain.admits("a@school.sch.uk")
    assert not AllowedEmailDomain.admits("a@notsch.uk")


# --- Password reset ---------------------------------------------------------------


def test_password_reset_looks_the_same_for_known_and_unknown_addresses(client, practitioner):
    known = client.post(reverse("password_reset"), {"email": practitioner.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    (message,) = mail.outbox
    assert message.to == [practitioner.email]
    assert_content_free(message, "Pat", "Testteacher", practitioner.email)


def test_the_reset_link_sets_a_new_password(client, practitioner, settings):
    client.post(reverse("password_reset"), {"email": practitioner.email})
    link = link_in(mail.outbox[0])
    assert link.startswith(settings.SITE_URL)
    response = client.get(path_of(link), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert (
        client.post(
            reverse("login"), {"username": practitioner.email, "password": TEST_PASSWORD}
        ).status_code
        == 200
    )
    assert (
        client.post(
            reverse("login"), {"username": practitioner.email, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


def approve(client, pending, **fields):
    data = {
        "decision": "approve",
        "organisation": pending.organisation_id,
        "job_title": pending.job_title,
        "roles": [Role.PRACTITIONER.value],
        **fields,
    }
    return client.post(reverse("account_request_decide", args=[pending.pk]), data)


def test_an_administrator_corrects_the_organisation_job_title_and_role_when_approving(
    client, admin, school, youth_service
):
    pending = AccountRequestFactory(organisation=school, job_title="Teecher")
    sign_in(client, admin)
    response = approve(
        client,
        pending,
        organisation=youth_service.pk,
        job_title="Youth worker",
        roles=[Role.PRACTITIONER.value, Role.TRIAGE.value],
    )
    assert response["Location"] == reverse("account_request_list")
    user = User.objects.get(email=pending.email)
    assert (user.organisation, user.job_title) == (youth_service, "Youth worker")
    assert user.roles == {Role.PRACTITIONER.value, Role.TRIAGE.value}
    event = AuditEvent.objects.get(action="account_request.approved")
    assert event.actor == admin
    assert event.detail["corrected"] == {
        "organisation": {"before": school.pk, "after": youth_service.pk},
        "job_title": {"before": "Teecher", "after": "Youth worker"},
        "roles": {
            "before": [Role.PRACTITIONER.value],
            "after": sorted([Role.PRACTITIONER.value, Role.TRIAGE.value]),
        },
    }
    pending.refresh_from_db()
    assert (pending.status, pending.organisation) == (AccountRequest.Status.APPROVED, school)


def test_approving_without_changes_records_no_corrections(client, admin):
    pending = AccountRequestFactory()
    sign_in(client, admin)
    approve(client, pending)
    assert AuditEvent.objects.get(action="account_request.approved").detail == {}


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"organisation": "999999"}, "organisation"),
        ({"organisation": "not-a-number"}, "organisation"),
        ({"job_title": ""}, "job_title"),
        ({"job_title": "x" * 151}, "job_title"),
        ({"roles": []}, "roles"),
        ({"roles": ["Superuser"]}, "roles"),
    ],
)
def test_an_approval_with_a_bad_correction_is_refused_next_to_the_field(
    client, admin, fields, field
):
    pending = AccountRequestFactory()
    sign_in(client, admin)
    response = approve(client, pending, **fields)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(email=pending.email).exists()
    pending.refresh_from_db()
    assert pending.status == AccountRequest.Status.PENDING


def test_approving_someone_who_has_been_given_an_account_since_says_so(client, admin):
    from tests.factories import UserFactory

    pending = AccountRequestFactory()
    UserFactory(email=pending.email)
    sign_in(client, admin)
    response = approve(client, pending)
    assert response.status_code == 200
    assert "There is already an account with this email address" in response.content.decode()
