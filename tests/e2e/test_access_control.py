"""Access control as a person meets it in the browser: a password alone is not enough
for triage staff, repeated wrong passwords lock one username (not the whole office), and
a practitioner cannot reach another agency's referral."""

from playwright.sync_api import expect

from tests.e2e.portal import E2E, enrolled_totp_device
from tests.factories import TEST_PASSWORD, submitted_referral

pytestmark = E2E

SECURITY_CODE = "Enter your security code"


def _password_step(visit, email: str, password: str) -> None:
    visit.goto("/accounts/login/")
    visit.page.fill("#id_username", email)
    visit.page.fill("#id_password", password)
    visit.click("#id_submit")


def test_a_triage_user_with_only_a_password_reaches_nothing_but_the_security_code_step(
    open_tab, triager, practitioner
):
    enrolled_totp_device(triager)
    referral = submitted_referral(author=practitioner)
    tab = open_tab()
    _password_step(tab, triager.email, TEST_PASSWORD)
    expect(tab.page.locator("h1")).to_have_text(SECURITY_CODE)
    for path in ("/triage/", f"/referrals/{referral.reference}/", "/reports/", "/admin/", "/"):
        tab.goto(path)
        expect(tab.page.locator("h1")).to_have_text(SECURITY_CODE)
        assert referral.concern not in tab.page.content()


def test_five_wrong_passwords_lock_that_username_while_a_colleague_on_the_same_ip_signs_in(
    open_tab, practitioner, colleague
):
    attacker = open_tab()
    for attempt in range(5):
        _password_step(attacker, practitioner.email, f"wrong-password-{attempt}")
        expect(attacker.page.locator("h1")).to_have_text("Sign in")
    _password_step(attacker, practitioner.email, TEST_PASSWORD)
    expect(attacker.page.locator("h1")).to_have_text("Sign in")
    assert "/referrals/mine/" not in attacker.page.url

    office = open_tab()
    _password_step(office, colleague.email, TEST_PASSWORD)
    expect(office.page.locator("h1")).to_have_text("My referrals")


def test_another_agencys_practitioner_gets_404_and_never_sees_the_referral_in_a_list(
    open_tab, practitioner, other_practitioner
):
    referral = submitted_referral(author=practitioner)
    tab = open_tab()
    _password_step(tab, other_practitioner.email, TEST_PASSWORD)
    expect(tab.page.locator("h1")).to_have_text("My referrals")
    assert referral.reference not in tab.page.content()
    response = tab.page.goto(f"{tab.base_url}/referrals/{referral.reference}/")
    tab.audit()
    assert response.status == 404
    expect(tab.page.locator("h1")).to_have_text("Page not found")
    assert referral.first_name not in tab.page.content()
    tab.goto("/triage/")
    expect(tab.page.locator("h1")).to_have_text("Page not found")
