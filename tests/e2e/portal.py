"""Driving the portal in a real browser: signing in through the real pages, checking
every page with axe-core, and moving by keyboard alone.

`Visit` wraps a Playwright page. Every document the page loads must be checked with
`audit()` before the next one loads (or the test ends); `Visit.finish()` fails the test
otherwise, so no page a journey passes through escapes the accessibility check."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from tests.factories import TEST_PASSWORD

E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def axe_violations(page: Page, impacts: set[str] | None = BLOCKING_IMPACTS) -> list[dict]:
    """axe-core's serious and critical WCAG 2.2 A/AA violations on the current page
    (of every impact, minor and moderate too, with impacts=None)."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations = []
    for violation in results.response["violations"]:
        if impacts is not None and violation["impact"] not in impacts:
            continue
        nodes = [n for n in violation["nodes"] if not _govuk_conditional_reveal(violation, n)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    return violations


def _govuk_conditional_reveal(violation: dict, node: dict) -> bool:
    """The one exception, and a narrow one: GOV.UK Frontend's script sets aria-expanded
    on a radio or checkbox that reveals a follow-up question. ARIA does not list it for
    those roles, but GOV.UK keeps it on purpose because screen readers announce it
    (alphagov/govuk-frontend#979, documented as a known axe finding in #1280)."""
    if violation["id"] != "aria-allowed-attr":
        return False
    if not re.search(r'class="govuk-(radios|checkboxes)__input"', node["html"]):
        return False
    attributes = set(re.findall(r"(aria-[a-z]+)=", node.get("failureSummary") or ""))
    return attributes == {"aria-expanded"}


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


GOVUK_FORM_PATTERNS_JS = """() => {
  const problems = new Set();
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button'].includes(el.type)) continue;
    const named = el.labels.length > 0 && [...el.labels].some(l => l.textContent.trim());
    if (!named) problems.add(`no label: #${el.id || el.name}`);
    const grouped = el.type === 'radio' ||
      (el.type === 'checkbox' && document.getElementsByName(el.name).length > 1);
    if (grouped) {
      const legend = el.closest('fieldset') && el.closest('fieldset').querySelector('legend');
      if (!legend || !legend.textContent.trim()) problems.add(`no fieldset legend: ${el.name}`);
    }
  }
  return [...problems];
}"""

DESCRIBED_BY_JS = """id => {
  const el = document.getElementById(id);
  if (!el) return null;
  const holder = el.hasAttribute('aria-describedby') ? el : el.closest('fieldset');
  return (holder && holder.getAttribute('aria-describedby')) || '';
}"""


class Visit:
    """One person's browser tab on the live server."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.unaudited: str | None = None
        self.missed: list[str] = []
        self.audited: list[str] = []
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame != self.page.main_frame:
            return
        if self.unaudited is not None:
            self.missed.append(self.unaudited)
        self.unaudited = frame.url

    # --- Moving around ---------------------------------------------------------------

    def goto(self, path: str) -> "Visit":
        self.page.goto(self.base_url + path)
        return self.audit()

    def click(self, target: Locator | str) -> "Visit":
        """Click something that loads a new page, then audit that page."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        with self.page.expect_navigation():
            locator.click()
        return self.audit()

    def press(self, key: str) -> "Visit":
        """Press a key that loads a new page (Enter on a link or button), then audit it."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        return self.audit()

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def link(self, name: str) -> Locator:
        return self.page.get_by_role("link", name=name)

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    # --- Accessibility ---------------------------------------------------------------

    def audit(self) -> "Visit":
        """axe-core on the page as it is now (no serious or critical WCAG 2.2 A/AA
        violation), and the GOV.UK form patterns: a visible label on every input, and a
        fieldset with a legend around every group of radios or checkboxes."""
        self.page.wait_for_load_state("load")
        violations = axe_violations(self.page)
        assert not violations, (
            f"axe-core found serious or critical problems on {self.page.url}:\n"
            + describe_violations(violations)
        )
        problems = self.page.evaluate(GOVUK_FORM_PATTERNS_JS)
        assert not problems, f"GOV.UK form patterns broken on {self.page.url}: {problems}"
        self.audited.append(self.page.url)
        self.unaudited = None
        return self

    def assert_no_axe_violations(self) -> None:
        """Stricter than audit(): no WCAG 2.2 A/AA violation of any impact."""
        violations = axe_violations(self.page, impacts=None)
        assert not violations, f"axe-core on {self.page.url}:\n" + describe_violations(violations)

    def finish(self) -> None:
        missed = self.missed + ([self.unaudited] if self.unaudited else [])
        assert not missed, f"pages loaded but never checked with axe-core: {missed}"

    def assert_reflows(self) -> None:
        """At a narrow viewport nothing needs scrolling sideways (WCAG 1.4.10 reflow)."""
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{self.page.url} scrolls sideways by {overflow}px"

    # --- GOV.UK error pattern --------------------------------------------------------

    def assert_error_summary_links(self, field_ids: list[str]) -> None:
        """The error summary is there, linked to each field in error, and each field has
        its message next to it, tied to it by aria-describedby."""
        summary = self.page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(self.page).to_have_title(re.compile(r"^Error: "))
        hrefs = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        for field_id in field_ids:
            assert f"#{field_id}" in hrefs, f"no error summary link to #{field_id}: {hrefs}"
            described = self.page.evaluate(DESCRIBED_BY_JS, field_id)
            assert described is not None, f"the summary links to #{field_id}, which is not there"
            error_ids = [i for i in described.split() if i.endswith("_error")]
            assert error_ids, f"#{field_id} (or its fieldset) is not described by its error"
            for error_id in error_ids:
                expect(self.page.locator(f"#{error_id}")).to_be_visible()
        assert len(hrefs) == len(field_ids), f"unexpected errors: {hrefs}"

    def follow_error_link(self, field_id: str) -> None:
        """Following a summary link puts focus on (or next to) the field in error."""
        self.page.locator(f".govuk-error-summary a[href='#{field_id}']").click()
        focused = self.page.evaluate("() => document.activeElement && document.activeElement.id")
        assert focused == field_id, f"following the link to #{field_id} focused #{focused}"


# --- Signing in --------------------------------------------------------------------


def enrolled_totp_device(user) -> TOTPDevice:
    """The authenticator app the test gives the user (confirmed, as after enrolment)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the user's app shows now, or the next one if this one was already used
    (django-otp refuses a code twice, as it should)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    if device.last_t is not None and totp.t() <= device.last_t:
        # Within the device's tolerance: the next step's code is accepted now.
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def sign_in(visit: Visit, user, *, device: TOTPDevice | None = None, next_path: str = "") -> Visit:
    """Through /accounts/login/ (and the security-code page when the role needs one)."""
    visit.goto("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page = visit.page
    page.fill("#id_username", user.email)
    page.fill("#id_password", TEST_PASSWORD)
    visit.click("#id_submit")
    if device is not None:
        expect(page.locator("h1")).to_have_text("Enter your security code")
        page.fill("#id_token", totp_code(device))
        visit.click("#id_submit")
    expect(page.locator("h1")).not_to_have_text("Sign in")
    return visit


def sign_out(visit: Visit) -> Visit:
    visit.click(visit.page.locator("header").get_by_role("button", name="Sign out"))
    expect(visit.page.locator("h1")).to_have_text("Sign in")
    return visit


# --- Keyboard --------------------------------------------------------------------

FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const visibleColour = c => c && !/rgba\\(.*,\\s*0\\)$/.test(c) && c !== 'transparent';
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
    && visibleColour(s.outlineColor);
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  // GOV.UK radios and checkboxes draw their focus ring on the label's ::before.
  let pseudo = false;
  if (el.matches('input[type=radio], input[type=checkbox]') && el.labels && el.labels[0]) {
    const after = getComputedStyle(el.labels[0], '::after');
    const before = getComputedStyle(el.labels[0], '::before');
    pseudo = [after, before].some(p => p.boxShadow !== 'none' ||
      (p.outlineStyle !== 'none' && parseFloat(p.outlineWidth) > 0));
  }
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
    value: el.value || '', text: (el.innerText || '').trim().slice(0, 60),
    visible: outline || shadow || pseudo, onScreen: r.width > 0 && r.height > 0,
  };
}"""


class Keyboard:
    """Moving through a page with Tab and Shift+Tab only, checking after every key that
    the focused element shows it has focus."""

    MAX_TABS = 150

    def __init__(self, visit: Visit):
        self.visit = visit
        self.page = visit.page
        self.steps = 0

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUS_STYLE_JS)

    def _assert_focus_visible(self) -> dict | None:
        info = self.focused()
        if info is not None:
            assert info["onScreen"], f"focus went to something not shown: {info}"
            assert info["visible"], f"focus is not visible on {info} at {self.page.url}"
        return info

    def tab(self, backwards: bool = False) -> dict | None:
        self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        self.steps += 1
        return self._assert_focus_visible()

    def tab_to(self, predicate, what: str, backwards: bool = False) -> dict:
        for _ in range(self.MAX_TABS):
            info = self.tab(backwards)
            if info is not None and predicate(info):
                return info
        raise AssertionError(f"Tab never reached {what} on {self.page.url}")

    def to_id(self, element_id: str, backwards: bool = False) -> dict:
        return self.tab_to(lambda i: i["id"] == element_id, f"#{element_id}", backwards)

    def to_button(self, text: str, backwards: bool = False) -> dict:
        return self.tab_to(
            lambda i: i["tag"] in ("button", "a") and i["text"] == text,
            f"button {text!r}",
            backwards,
        )

    def type_into(self, element_id: str, text: str) -> None:
        self.to_id(element_id)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def choose(self, name: str, value: str) -> None:
        """Tab into a radio group, then arrow keys to the option (which selects it)."""
        info = self.tab_to(lambda i: i["name"] == name, f"radios {name!r}")
        for _ in range(12):
            if info["value"] == value:
                self.page.keyboard.press("Space")
                assert self.page.evaluate("() => document.activeElement.checked")
                return
            self.page.keyboard.press("ArrowDown")
            info = self._assert_focus_visible()
        raise AssertionError(f"no option {value!r} in radios {name!r}")

    def activate(self, text: str, key: str = "Enter") -> Visit:
        """Tab to a button or link by its text and press Enter: a new page loads."""
        self.to_button(text)
        return self.visit.press(key)
