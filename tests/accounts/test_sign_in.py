import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.auth import enrolment_code, sign_in
from tests.factories import TEST_PASSWORD

ROLE_LANDING = {
    "practitioner@example.org": "/referrals/mine/",
    "other.practitioner@example.org": "/referrals/mine/",
    "triage@example.org": "/triage/",
    "manager@example.org": "/reports/",
    "admin@example.org": "/accounts/users/",
}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False


PASSWORD_ONLY = {k: v for k, v in ROLE_LANDING.items() if "practitioner" in k}
SECOND_FACTOR = {k: v for k, v in ROLE_LANDING.items() if k not in PASSWORD_ONLY}


@pytest.mark.parametrize("email,landing", PASSWORD_ONLY.items())
def test_each_demo_practitioner_signs_in_with_a_password_and_lands_on_their_page(
    client, demo, settings, email, landing
):
    response = client.post(
        reverse("login"), {"username": email, "password": settings.DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


@pytest.mark.parametrize("email,landing", SECOND_FACTOR.items())
def test_each_demo_staff_user_sets_up_a_second_factor_then_lands_on_their_page(
    client, demo, settings, email, landing
):
    response = client.post(
        reverse("login"), {"username": email, "password": settings.DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("otp_setup"))
    assert "Scan this QR code" in response.content.decode()

    response = client.post(reverse("otp_setup"), {"token": enrolment_code(client), "next": "/"})
    assert "Your backup codes" in response.content.decode()

    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_sign_in_is_case_insensitive_on_email(client, practitioner):
    response = client.post(
        reverse("login"), {"username": "PAT.Teacher@Example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_shows_one_message_and_keeps_the_email(client, practitioner):
    response = client.post(
        reverse("login"), {"username": practitioner.email, "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert "Enter a correct email address and password." in response.content.decode()
    assert 'value="pat.teacher@example.org"' in response.content.decode()


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, db):
    response = client.post(
        reverse("login"), {"username": "nobody@example.org", "password": "whatever-it-is"}
    )
    assert "Enter a correct email address and password." in response.content.decode()


def test_login_page_is_served(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()


def test_pages_of_another_role_answer_404(client, practitioner):
    sign_in(client, practitioner)
    assert client.get("/triage/").status_code == 404
    assert client.get("/reports/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/referrals/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
