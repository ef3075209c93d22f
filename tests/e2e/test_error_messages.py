"""Issue 16: errors that say what to do. Every failed form puts "Error: " before the
page title, moves focus to an error summary whose links name each field and reach it
(GOV.UK error summary and error message patterns), and a refused form (CSRF) gets a
page in the service's design that explains and links back."""

from playwright.sync_api import expect

from tests.e2e.portal import E2E, Visit, enrolled_totp_device, sign_in
from tests.factories import ReferralFactory

pytestmark = E2E

SUMMARY_LINKS_JS = """() => [...document.querySelectorAll('.govuk-error-summary a')]
  .map(a => [a.getAttribute('href'), a.textContent.trim()])"""


def assert_errors(visit: Visit, expected: dict[str, str]) -> None:
    """The title, the focused summary, and one link per field with the field's own
    message (no "This field is required.")."""
    visit.assert_error_summary_links(list(expected))
    links = dict(visit.page.evaluate(SUMMARY_LINKS_JS))
    assert links == {f"#{k}": v for k, v in expected.items()}
    focused = visit.page.evaluate(
        "() => document.activeElement.classList.contains('govuk-error-summary')"
    )
    assert focused, "focus is not on the error summary"
    assert "This field is required" not in visit.page.content()
    visit.assert_no_axe_violations()


def _submit_empty(visit: Visit, path: str, button: str) -> None:
    visit.goto(path)
    visit.click(visit.button(button))


def test_sign_in_names_each_missing_field(open_tab):
    visit = open_tab()
    _submit_empty(visit, "/accounts/login/", "Sign in")
    assert_errors(
        visit, {"id_username": "Enter your email address", "id_password": "Enter your password"}
    )
    visit.page.fill("#id_username", "not-an-email")
    visit.page.fill("#id_password", "something")
    visit.click(visit.button("Sign in"))
    assert_errors(
        visit,
        {"id_username": "Enter an email address in the correct format, like name@example.org"},
    )


def test_password_reset_names_the_email_field(open_tab):
    visit = open_tab()
    _submit_empty(visit, "/accounts/password-reset/", "Send me a link")
    assert_errors(visit, {"id_email": "Enter your work email address"})


def test_an_account_request_names_each_missing_field(open_tab, school):
    visit = open_tab()
    _submit_empty(visit, "/accounts/request/", "Request an account")
    assert_errors(
        visit,
        {
            "id_email": "Enter your work email address",
            "id_full_name": "Enter your full name",
            "id_job_title": "Enter your job title",
            "id_organisation": "Select your organisation",
        },
    )


def test_an_invitation_names_each_missing_field(open_tab, admin):
    visit = sign_in(open_tab(), admin, device=enrolled_totp_device(admin))
    _submit_empty(visit, "/accounts/users/invite/", "Send invitation")
    assert_errors(
        visit,
        {
            "id_email": "Enter their work email address",
            "id_full_name": "Enter their full name",
            "id_organisation": "Select their organisation",
            "id_roles_1": "Select at least one role",
        },
    )


def test_an_impossible_date_in_the_queue_filter_names_the_field(open_tab, triager):
    visit = sign_in(open_tab(), triager, device=enrolled_totp_device(triager))
    visit.goto("/triage/?received_from_0=31&received_from_1=2&received_from_2=2011")
    assert_errors(
        visit, {"id_received_from_0": "The received on or after date must be a real date"}
    )
    visit.follow_error_link("id_received_from_0")


def test_an_impossible_date_of_birth_says_it_must_be_a_real_date(open_tab, practitioner):
    draft = ReferralFactory(author=practitioner)
    visit = sign_in(open_tab(), practitioner)
    visit.goto(f"/referrals/drafts/{draft.public_id}/subject/")
    for part, value in enumerate(["31", "2", "2011"]):
        visit.page.fill(f"#id_date_of_birth_{part}", value)
    visit.click(visit.button("Save and continue"))
    assert_errors(visit, {"id_date_of_birth_0": "Date of birth must be a real date"})


def test_a_refused_form_explains_why_and_links_back(open_tab):
    visit = open_tab()
    visit.goto("/accounts/login/")
    # As when the page stayed open past the session, or cookies are blocked: the
    # browser no longer holds the token the form carries.
    visit.page.context.clear_cookies()
    visit.page.fill("#id_username", "someone@example.org")
    visit.page.fill("#id_password", "a password")
    with visit.page.expect_navigation():
        visit.button("Sign in").click()
    visit.audit()
    visit.assert_no_axe_violations()
    expect(visit.page.locator("h1")).to_have_text("Sorry, your form could not be sent")
    expect(visit.page).to_have_title("Sorry, your form could not be sent – " + _portal_name())
    expect(visit.page.locator("main")).to_contain_text("open for a long time")
    expect(visit.page.locator("main")).to_contain_text("blocks cookies")
    back = visit.link("Go back to the page you were on")
    assert back.get_attribute("href").endswith("/accounts/login/")
    visit.click(back)
    expect(visit.page.locator("h1")).to_have_text("Sign in")


def _portal_name() -> str:
    from django.conf import settings

    return settings.PORTAL_NAME
