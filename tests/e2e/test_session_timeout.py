"""Issue 16: the idle sign-out warning never loses typed work. Focus returns to where
the person was after "Stay signed in"; keys typed as the warning opens stay in their
field; and a referral section left open is saved as a draft before signing out.

The page's timers run on Playwright's fake clock, so the 30 minutes pass at once; the
server's own clock is not touched (the script signs out itself after the save)."""

from django.conf import settings
from playwright.sync_api import expect

from referrals.models import Referral
from tests.e2e.portal import E2E, Visit, sign_in
from tests.factories import ReferralFactory

pytestmark = E2E

BEFORE_WARNING_MS = (settings.SESSION_IDLE_SECONDS - settings.SESSION_WARNING_SECONDS) * 1000


def _section(open_tab, practitioner) -> tuple[Visit, Referral]:
    draft = ReferralFactory(author=practitioner, first_name="Testa")
    visit = sign_in(open_tab(), practitioner)
    visit.page.clock.install()
    visit.goto(f"/referrals/drafts/{draft.public_id}/subject/")
    return visit, draft


def _focused_id(visit: Visit) -> str:
    return visit.page.evaluate("() => document.activeElement && document.activeElement.id")


def test_after_stay_signed_in_focus_returns_to_where_the_person_was(open_tab, practitioner):
    visit, _ = _section(open_tab, practitioner)
    banner = visit.page.locator("#session-timeout")
    visit.page.focus("#id_subject_type_1")
    visit.page.clock.run_for(BEFORE_WARNING_MS + 1000)
    expect(banner).to_be_visible()
    stay = banner.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    visit.assert_no_axe_violations()
    with visit.page.expect_response("**/session/keep-alive/"):
        visit.page.keyboard.press("Enter")
    expect(banner).to_be_hidden()
    expect(visit.page.locator("#id_subject_type_1")).to_be_focused()


def test_keys_typed_as_the_warning_opens_stay_in_the_field(open_tab, practitioner):
    visit, _ = _section(open_tab, practitioner)
    banner = visit.page.locator("#session-timeout")
    field = visit.page.locator("#id_known_as")
    field.fill("")
    field.focus()
    visit.page.keyboard.type("Test")
    visit.page.clock.run_for(BEFORE_WARNING_MS + 1000)
    expect(banner).to_be_visible()
    assert _focused_id(visit) == "id_known_as"
    # Typing on counts as being here: the warning goes and the session is extended.
    with visit.page.expect_response("**/session/keep-alive/"):
        visit.page.keyboard.type("ynickname")
    expect(banner).to_be_hidden()
    expect(field).to_have_value("Testynickname")
    expect(field).to_be_focused()


def test_a_section_left_open_is_saved_as_a_draft_before_signing_out(open_tab, practitioner):
    visit, draft = _section(open_tab, practitioner)
    visit.page.fill("#id_first_name", "Autosaved")
    visit.page.fill("#id_known_as", "Typed before leaving")
    with visit.page.expect_navigation(url="**/accounts/login/"):
        visit.page.clock.run_for(settings.SESSION_IDLE_SECONDS * 1000)
    visit.audit()
    expect(visit.page.locator("h1")).to_have_text("Sign in")
    expect(visit.page.locator("main")).to_contain_text("Your draft has been saved")
    draft.refresh_from_db()
    assert (draft.first_name, draft.known_as) == ("Autosaved", "Typed before leaving")
    # Signed out for real, as the idle timeout would have done.
    visit.goto("/referrals/mine/")
    expect(visit.page.locator("h1")).to_have_text("Sign in")
