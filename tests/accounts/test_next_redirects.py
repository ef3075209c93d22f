"""Every redirect to a visitor-supplied `next` falls back to a safe page (issue 15):
hostile values never reach the Location header, and never cause a 500."""

import pytest
from django.urls import reverse

from tests.auth import current_totp, sign_in
from tests.factories import TEST_PASSWORD
from tests.factories.accounts import TOTPDeviceFactory

HOSTILE_NEXT = [
    "/referrals/mine/\r\nSet-Cookie: sessionid=attacker",
    "/referrals/mine/\nLocation: https://evil.example/",
    "/referrals/\x00mine/",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/",
    "/\\evil.example/",
    "https://evil.example/",
    "/" + "a" * 10_000,
    " /referrals/mine/",
]


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_keep_alive_with_a_hostile_next_goes_home(client, practitioner, hostile):
    sign_in(client, practitioner)
    response = client.post(reverse("session_keep_alive"), {"next": hostile})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_sign_in_with_a_hostile_next_goes_home(client, practitioner, hostile):
    data = {"username": practitioner.email, "password": TEST_PASSWORD, "next": hostile}
    response = client.post(reverse("login"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_a_signed_in_visit_to_the_sign_in_page_with_a_hostile_next_goes_home(
    client, practitioner, hostile
):
    sign_in(client, practitioner)
    response = client.get(reverse("login"), {"next": hostile})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_sign_out_with_a_hostile_next_goes_to_the_sign_in_page(client, practitioner, hostile):
    sign_in(client, practitioner)
    response = client.post(reverse("logout"), {"next": hostile})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_the_second_factor_step_with_a_hostile_next_goes_home(client, triager, hostile):
    device = TOTPDeviceFactory(user=triager)
    client.post(reverse("login"), {"username": triager.email, "password": TEST_PASSWORD})
    response = client.post(reverse("otp_verify"), {"token": current_totp(device), "next": hostile})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_the_admin_sign_in_with_a_hostile_next_sends_to_the_portal_sign_in(client, db, hostile):
    response = client.get("/admin/login/", {"next": hostile})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Fadmin%2F"


def test_a_next_on_this_site_is_still_followed(client, practitioner):
    sign_in(client, practitioner)
    response = client.post(reverse("session_keep_alive"), {"next": "/referrals/mine/?page=2"})
    assert response["Location"] == "/referrals/mine/?page=2"


def test_a_next_pointing_back_at_the_sign_in_page_does_not_loop(client, practitioner):
    sign_in(client, practitioner)
    response = client.get(reverse("login"), {"next": reverse("login")})
    assert response["Location"] == reverse("home")
