"""Issue 21, subject access, in the browser: an administrator records a request for a
person with two referrals, the bundle is produced by the real worker, the review lists
each redaction and one is released (the bundle produced again), then the bundle is
released and the request leaves the open list."""

import time

from playwright.sync_api import expect

from referrals.models import Disclosure, SubjectAccessRequest
from referrals.models.exports import ExportState
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories.exports import flat, pdf_text
from tests.factories.subject_access import person_with_two_referrals

pytestmark = E2E


def _wait_ready(desk, bundles: int) -> None:
    """Reload the request page until the worker has produced `bundles` bundles."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rows = SubjectAccessRequest.objects.get().bundles
        if rows.count() >= bundles and not rows.filter(state=ExportState.PENDING).exists():
            desk.page.reload()
            desk.audit()
            return
        time.sleep(0.3)
    raise AssertionError("the bundle was not produced")


def _download_text(desk) -> str:
    table = desk.page.get_by_role("table", name="Bundles produced")
    with desk.page.expect_download() as download:
        table.get_by_role("link", name="Download").first.click()
    with open(download.value.path(), "rb") as saved:
        return flat(pdf_text(saved.read()))


def test_an_administrator_records_reviews_and_releases_a_subject_access_bundle(
    celery_worker, open_tab, admin, practitioner, triager
):
    first, second = person_with_two_referrals(practitioner, triager)

    desk = sign_in(open_tab(), admin, device=enrolled_totp_device(admin))
    desk.click(desk.page.locator("header").get_by_role("link", name="Subject access"))
    expect(desk.page.locator("h1")).to_have_text("Subject access requests")
    desk.click(desk.link("Record a request"))
    desk.page.get_by_label("Person record number").fill(str(first.person.record_id))
    desk.page.get_by_label("The person themselves").check()
    desk.page.get_by_label("Requester's name").fill("Zoë Inventedsubject")
    desk.click(desk.button("Record the request"))
    expect(desk.page.locator("h1")).to_contain_text("Subject access request SAR-")
    expect(desk.page.locator("main")).to_contain_text(first.reference)
    expect(desk.page.locator("main")).to_contain_text(second.reference)
    desk.assert_no_axe_violations()

    _wait_ready(desk, 1)
    expect(desk.page.get_by_role("table", name="Bundles produced")).to_contain_text("Ready")
    text = _download_text(desk)
    assert "Kowalczyk" not in text and "Þórsson" not in text
    assert "[redacted: third party]" in text

    desk.click(desk.link("Review the redactions"))
    expect(desk.page.locator("h1")).to_have_text("Review the redactions")
    desk.assert_no_axe_violations()
    row = desk.page.locator("tr", has_text="Peer of concern: Łucja Kowalczyk-Nowak").filter(
        has_text="Household and network"
    )
    row.get_by_role("checkbox").check()
    desk.click(desk.button("Save and produce the bundle again"))
    _wait_ready(desk, 2)
    text = _download_text(desk)
    assert "Łucja Kowalczyk-Nowak" in text and "Þórsson" not in text

    desk.page.get_by_label("I have reviewed every redaction in this bundle").check()
    desk.click(desk.button("Release the bundle"))
    expect(desk.page.get_by_role("alert", name="Success")).to_contain_text("Bundle released")
    desk.assert_no_axe_violations()
    assert SubjectAccessRequest.objects.get().state == "released"
    assert Disclosure.objects.filter(kind="subject_access").count() == 2
    desk.click(desk.link("Back to subject access requests"))
    expect(desk.page.locator("main")).to_contain_text("There are no open subject access requests")
    desk.assert_no_axe_violations()
