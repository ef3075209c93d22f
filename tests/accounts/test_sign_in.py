import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import TEST_PASSWORD

ROLE_LANDING = {
    "practitioner@example.org": "/referrals/mine/",
    "other.practitioner@example.org": "/referrals/mine/",
    "triage@example.org": "/triage/",
    "manager@example.org": "/reports/",
    "admin@example.org": "/admin/",
}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False


@pytest.mark.parametrize("email,landing", ROLE_LANDING.items())
def test_each_demo_user_signs_in_and_lands_on_a_page_for_their_role(
    client, demo, settings, email, landing
):
    response = client.post(
        reverse("login"), {"username": email, "password": settings.DEMO_PASSWORD}, follow=True
    )
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
    client.force_login(practitioner)
    assert client.get("/triage/").status_code == 404
    assert client.get("/reports/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/referrals/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
