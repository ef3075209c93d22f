"""Two-factor sign-in for Triage, Manager and Administrator (issue 4)."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from referrals.models import AuditEvent
from tests.auth import current_totp, enrolment_code, sign_in
from tests.factories import TEST_PASSWORD
from tests.factories.accounts import TOTPDeviceFactory


def password_only(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("persona", ["triager", "manager", "admin"])
def test_a_password_alone_reaches_only_the_second_factor_step(client, db, request, persona):
    user = request.getfixturevalue(persona)
    password_only(client, user)
    for path in ["/", "/triage/", "/reports/", "/admin/", "/accounts/users/", "/accounts/audit/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("otp_setup")), path


def test_the_admin_is_behind_the_second_factor_even_for_a_superuser(client, admin):
    admin.is_superuser = True
    admin.save()
    TOTPDeviceFactory(user=admin)
    password_only(client, admin)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))


def test_posting_to_a_page_without_the_second_factor_is_refused(client, triager):
    password_only(client, triager)
    response = client.post("/accounts/sign-out-everywhere/")
    assert response["Location"].startswith(reverse("otp_setup"))
    triager.refresh_from_db()
    assert triager.session_generation == 0


def test_practitioners_need_no_second_factor(client, practitioner):
    password_only(client, practitioner)
    assert client.get("/referrals/mine/").status_code == 200


def test_enrolment_shows_a_qr_code_then_backup_codes_and_lets_the_user_in(client, triager):
    password_only(client, triager)
    page = client.get(reverse("otp_setup")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    response = client.post(
        reverse("otp_setup"), {"token": enrolment_code(client), "next": "/triage/"}
    )
    assert "Your backup codes" in response.content.decode()
    assert len(response.context["codes"]) == 10
    assert client.get("/triage/").status_code == 200
    assert AuditEvent.objects.filter(actor=triager, action="auth.second_factor_enrolled").exists()


def test_a_wrong_code_at_enrolment_says_so_and_confirms_nothing(client, triager):
    password_only(client, triager)
    client.get(reverse("otp_setup"))
    response = client.post(reverse("otp_setup"), {"token": "000000"})
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=triager, confirmed=True).exists()
    assert client.get("/triage/")["Location"].startswith(reverse("otp_setup"))


def test_an_enrolled_user_enters_the_code_from_their_app(client, triager):
    device = TOTPDeviceFactory(user=triager)
    password_only(client, triager)
    assert client.get("/triage/")["Location"].startswith(reverse("otp_verify"))
    response = client.post(
        reverse("otp_verify"), {"token": current_totp(device), "next": "/triage/"}
    )
    assert response["Location"] == "/triage/"
    assert client.get("/triage/").status_code == 200


def test_a_wrong_code_is_refused_and_audited(client, triager):
    TOTPDeviceFactory(user=triager)
    password_only(client, triager)
    response = client.post(reverse("otp_verify"), {"token": "123456"})
    assert "The code is not right" in response.content.decode()
    assert client.get("/triage/").status_code == 302
    assert AuditEvent.objects.filter(
        actor=triager, action="auth.second_factor_verified", outcome="failed"
    ).exists()


def test_a_backup_code_works_once(client, triager):
    from accounts.two_factor import backup_codes_replace

    TOTPDeviceFactory(user=triager)
    code = backup_codes_replace(user=triager)[0]
    password_only(client, triager)
    client.post(reverse("otp_verify"), {"token": code})
    assert client.get("/triage/").status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()


def test_the_second_factor_step_does_not_redirect_off_site(client, triager):
    device = TOTPDeviceFactory(user=triager)
    password_only(client, triager)
    response = client.post(
        reverse("otp_verify"), {"token": current_totp(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_admin_login_page_sends_people_to_the_portal_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_with_require_2fa_off_a_password_is_enough_and_the_login_page_says_so(
    client, triager, settings
):
    settings.REQUIRE_2FA = False
    assert "two-factor sign-in is switched off" in client.get(reverse("login")).content.decode()
    password_only(client, triager)
    assert client.get("/triage/").status_code == 200


def test_the_login_page_does_not_mention_demo_mode_when_2fa_is_on(client, db):
    assert "Demo mode" not in client.get(reverse("login")).content.decode()


def test_sign_in_helper_gives_staff_a_verified_second_factor(client, triager):
    sign_in(client, triager)
    assert client.get("/triage/").status_code == 200


def test_new_backup_codes_replace_the_old_ones(client, triager):
    from accounts.two_factor import backup_codes_replace

    old = backup_codes_replace(user=triager)
    sign_in(client, triager)
    response = client.post(reverse("otp_backup_codes"))
    new = response.context["codes"]
    assert not set(old) & set(new)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_second_factor_secrets_are_not_in_the_django_admin(client, admin):
    sign_in(client, admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_looking_at_the_enrolment_page_saves_no_device(client, triager):
    password_only(client, triager)
    client.get(reverse("otp_setup"))
    client.get(reverse("otp_setup"))
    assert not TOTPDevice.objects.filter(user=triager).exists()


def test_re_enrolling_replaces_the_old_app(client, triager):
    old = TOTPDeviceFactory(user=triager)
    sign_in(client, triager)
    client.get(reverse("otp_setup"))
    client.post(reverse("otp_setup"), {"token": enrolment_code(client)})
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.filter(user=triager, confirmed=True).count() == 1


def test_file_downloads_are_behind_the_second_factor(client, triager, practitioner):
    from django.core.files.base import ContentFile

    from referrals.models import Export
    from referrals.models.exports import ExportState
    from tests.factories import submitted_referral

    referral = submitted_referral(author=practitioner)
    export = Export.objects.create(referral=referral, requested_by=triager, state=ExportState.READY)
    export.file.save("2fa.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    url = reverse("export_download", args=[referral.reference, export.pk])

    password_only(client, triager)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_setup"))

    sign_in(client, triager)
    assert client.get(url).status_code == 200


def test_a_password_alone_cannot_replace_an_enrolled_app(client, triager):
    old = TOTPDeviceFactory(user=triager)
    password_only(client, triager)
    assert client.get(reverse("otp_setup"))["Location"].startswith(reverse("otp_verify"))
    session = client.session
    session["otp_setup_key"] = "00" * 20
    session.save()
    response = client.post(reverse("otp_setup"), {"token": enrolment_code(client)})
    assert response["Location"].startswith(reverse("otp_verify"))
    assert list(TOTPDevice.objects.filter(user=triager)) == [old]


def test_enrolment_code_cannot_be_used_again_to_sign_in(client, triager):
    """A TOTP code is accepted once, ever (RFC 6238 section 5.2; OWASP ASVS 5.0 6.5.1):
    the code that confirmed the app must not also open a second session."""
    with time_machine.travel(timezone.now(), tick=False):
        password_only(client, triager)
        client.get(reverse("otp_setup"))
        code = enrolment_code(client)
        client.post(reverse("otp_setup"), {"token": code})
        client.post(reverse("logout"))

        password_only(client, triager)
        response = client.post(reverse("otp_verify"), {"token": code, "next": "/triage/"})
        assert "The code is not right" in response.content.decode()
        assert client.get("/triage/")["Location"].startswith(reverse("otp_verify"))


def test_a_sign_in_code_cannot_be_used_again_for_another_session(client, triager):
    device = TOTPDeviceFactory(user=triager)
    with time_machine.travel(timezone.now(), tick=False):
        code = current_totp(device)
        password_only(client, triager)
        assert client.post(reverse("otp_verify"), {"token": code})["Location"] == "/"

        other = client.__class__()
        password_only(other, triager)
        response = other.post(reverse("otp_verify"), {"token": code})
        assert "The code is not right" in response.content.decode()
