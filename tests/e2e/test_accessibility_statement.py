"""Issue 16: the accessibility statement, public and linked from every page's footer,
in the GOV.UK model statement's form (PSBAR 2018)."""

from playwright.sync_api import expect

from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import TEST_PASSWORD

pytestmark = E2E

MODEL_SECTIONS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website’s accessibility",
    "Non-accessible content",
    "Preparation of this accessibility statement",
]


def test_anyone_reaches_the_statement_from_the_footer(open_tab):
    visit = open_tab().goto("/accounts/login/")
    visit.click(visit.page.locator("footer").get_by_role("link", name="Accessibility statement"))
    assert visit.path == "/accessibility/"
    visit.assert_no_axe_violations()
    expect(visit.page.locator("h1")).to_contain_text("Accessibility statement for")
    headings = visit.page.locator("main h2").all_inner_texts()
    for section in MODEL_SECTIONS:
        assert section in headings, section
    main = visit.page.locator("main")
    expect(main).to_contain_text("partially compliant")
    expect(main).to_contain_text("Equality Advisory and Support Service")
    expect(main).to_contain_text("aria-expanded")
    expect(main.get_by_role("link", name="accessibility@example.org").first).to_be_visible()


def test_a_triage_worker_still_owing_a_second_factor_can_read_it(open_tab, triager):
    enrolled_totp_device(triager)
    visit = open_tab().goto("/accounts/login/")
    visit.page.fill("#id_username", triager.email)
    visit.page.fill("#id_password", TEST_PASSWORD)
    visit.click("#id_submit")
    expect(visit.page.locator("h1")).to_have_text("Enter your security code")
    visit.goto("/accessibility/")
    expect(visit.page.locator("h1")).to_contain_text("Accessibility statement for")


def test_signed_in_pages_link_to_it_too(open_tab, practitioner):
    visit = sign_in(open_tab(), practitioner)
    expect(
        visit.page.locator("footer").get_by_role("link", name="Accessibility statement")
    ).to_have_attribute("href", "/accessibility/")
