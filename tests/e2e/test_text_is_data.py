"""Text a person wrote is shown as text on every page that shows it (issue #15): a
warning sign's wording, organisation and people's names, job titles, allowed domains,
account requests, case notes, decisions and messages, notification errors and every
free-text answer in a referral. Each holds markup that would fetch from another origin,
redirect or restyle the page, and template code that would print the viewer's email.

For each page, as the role that sees it: no injected element is in the DOM, nothing was
requested from the attacker's host, no Content-Security-Policy violation was reported,
and each stored value is on the page exactly as typed."""

import pytest

from referrals.triage import services as triage
from tests.e2e.portal import E2E, Visit, enrolled_totp_device, sign_in
from tests.factories import text_as_data as hostile

pytestmark = E2E

# What the page would hold if any payload had become markup or run as template code.
INJECTED_JS = """() => ({
  x: document.querySelectorAll('#x, b#x').length,
  img: [...document.querySelectorAll('img, image, source, link, script, iframe')]
    .filter(el => /attacker/.test(el.outerHTML)).length,
  meta: [...document.querySelectorAll('meta')]
    .filter(m => m.hasAttribute('http-equiv') || /attacker/.test(m.outerHTML)).length,
  style: [...document.querySelectorAll('style')].filter(s => /attacker/.test(s.textContent)).length,
  text: document.body.textContent,
  values: [...document.querySelectorAll('input, textarea, select')].map(el => el.value),
})"""


class Watched:
    """A Visit whose every request to the attacker's host and every CSP violation the
    browser reports is recorded."""

    def __init__(self, visit: Visit):
        self.visit = visit
        self.requests: list[str] = []
        self.csp: list[str] = []
        visit.page.on("request", self._request)
        visit.page.on("console", self._console)

    def _request(self, request) -> None:
        if hostile.ATTACKER in request.url:
            self.requests.append(request.url)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def check(self, path: str, shown: list[str], *, viewer_email: str) -> str:
        """Open `path` and assert the hostile text on it is inert and shown as typed."""
        self.visit.goto(path)
        found = self.visit.page.evaluate(INJECTED_JS)
        text = " ".join(found.pop("text").split())
        # What a form holds for editing counts as shown, as its value (never as markup).
        text += "\n" + "\n".join(" ".join(v.split()) for v in found.pop("values"))
        assert found == {"x": 0, "img": 0, "meta": 0, "style": 0}, (path, found)
        assert self.requests == [], (path, self.requests)
        assert self.csp == [], (path, self.csp)
        missing = [value for value in shown if value not in text]
        assert not missing, f"{path} does not show these as typed: {missing}"
        for value in shown:
            rendered = value.replace("{{ request.user.email }}", viewer_email)
            assert rendered == value or rendered not in text, (path, value)
        assert "<module '" not in text, f"{path} ran {{% debug %}}"
        return text


@pytest.fixture
def world(practitioner, triager, manager):
    """Hostile text in every field, written through factories and the real services."""
    practitioner.organisation.name = hostile.ORGANISATION_NAME
    practitioner.organisation.save()
    practitioner.full_name = hostile.AUTHOR["full_name"]
    practitioner.job_title = hostile.AUTHOR["job_title"]
    practitioner.save()
    triager.full_name = hostile.TRIAGER_NAME
    triager.save()
    manager.full_name = hostile.MANAGER_NAME
    manager.save()
    hostile.hostile_catalogue(manager)
    decided = hostile.hostile_decided_referral(practitioner, triager)
    waiting = hostile.hostile_referral(practitioner)
    triage.referral_claim(referral=waiting, user=triager)
    return {
        "draft": hostile.hostile_draft(practitioner),
        "decided": decided,
        "waiting": waiting,
        "request": hostile.hostile_account_request(practitioner.organisation),
        "domain": hostile.hostile_domain(),
        "failed": hostile.hostile_failed_notification(decided, triager),
    }


ANSWERS = [*hostile.REFERRAL_FIELDS.values(), *hostile.PERSON.values()]
ANSWERS.remove(hostile.PERSON["role"])


def test_a_practitioner_sees_the_catalogue_and_their_own_answers_as_typed(open_tab, world):
    practitioner = world["draft"].author
    tab = Watched(sign_in(open_tab(), practitioner))
    draft = world["draft"].public_id
    check = {"viewer_email": practitioner.email}
    tab.check(
        f"/referrals/drafts/{draft}/indicators/",
        [hostile.WORDING, hostile.GUIDANCE, hostile.ANSWER_DETAIL],
        **check,
    )
    tab.check(f"/referrals/drafts/{draft}/check/", [*ANSWERS, hostile.ANSWER_DETAIL], **check)
    tab.check("/referrals/mine/", [hostile.MESSAGE], **check)
    decided = world["decided"].reference
    tab.check(f"/referrals/{decided}/", [hostile.MESSAGE, hostile.WORDING], **check)


def test_triage_see_the_referral_queue_decision_form_and_notifications_as_typed(
    open_tab, world, triager
):
    tab = Watched(sign_in(open_tab(), triager, device=enrolled_totp_device(triager)))
    check = {"viewer_email": triager.email}
    tab.check(
        "/triage/", [hostile.ORGANISATION_NAME, hostile.TRIAGER_NAME, hostile.WORDING], **check
    )
    decided = world["decided"].reference
    tab.check(
        f"/referrals/{decided}/",
        [
            *ANSWERS,
            hostile.ANSWER_DETAIL,
            hostile.WORDING,
            hostile.NOTE,
            hostile.RATIONALE,
            hostile.MESSAGE,
            hostile.ORGANISATION_NAME,
            hostile.AUTHOR["full_name"],
            hostile.TRIAGER_NAME,
        ],
        **check,
    )
    waiting = world["waiting"].reference
    tab.check(f"/referrals/{waiting}/decide/", [], **check)
    tab.check("/triage/mine/", [hostile.ORGANISATION_NAME], **check)
    tab.check("/notifications/", [], **check)


def test_administrators_see_users_requests_domains_and_failures_as_typed(
    open_tab, world, admin, practitioner
):
    tab = Watched(sign_in(open_tab(), admin, device=enrolled_totp_device(admin)))
    check = {"viewer_email": admin.email}
    tab.check("/accounts/users/", [hostile.ORGANISATION_NAME], **check)
    tab.check(
        f"/accounts/users/{practitioner.pk}/",
        [hostile.AUTHOR["full_name"], hostile.ORGANISATION_NAME],
        **check,
    )
    request_shown = [*hostile.REQUESTER.values(), hostile.ORGANISATION_NAME]
    tab.check("/accounts/requests/", request_shown, **check)
    tab.check(f"/accounts/requests/{world['request'].pk}/decide/", request_shown, **check)
    tab.check("/accounts/domains/", [hostile.DOMAIN], **check)
    tab.check("/notifications/failed/", [hostile.SMTP_ERROR], **check)
    tab.check("/catalogue/", [hostile.WORDING], **check)


def test_a_manager_sees_the_catalogue_and_its_edit_form_as_typed(open_tab, world, manager):
    tab = Watched(sign_in(open_tab(), manager, device=enrolled_totp_device(manager)))
    check = {"viewer_email": manager.email}
    tab.check(
        "/catalogue/",
        [hostile.WORDING, hostile.CHANGE_SUMMARY, hostile.MANAGER_NAME],
        **check,
    )
    tab.check(f"/catalogue/{hostile.INDICATOR_CODE}/", [], **check)
    # The edit form holds the wording and guidance in its inputs, exactly as typed.
    page = tab.visit.page
    assert page.input_value("#id_wording") == hostile.WORDING
    assert page.input_value("#id_guidance") == hostile.GUIDANCE
