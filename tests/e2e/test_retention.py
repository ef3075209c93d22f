"""Issue 21, retention, in the browser: an administrator opens the due list (filled by
the nightly task), sees a held record marked as held, does a dry run of the others
(nothing destroyed), approves it, and finds the tombstones in the destruction register."""

from playwright.sync_api import expect

from referrals.models import LegalHold, Referral, Tombstone
from referrals.retention import services
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories.exports import london
from tests.factories.retention import decided_contact

pytestmark = E2E


def test_an_administrator_dry_runs_then_approves_destruction_from_the_due_list(
    open_tab, admin, triager
):
    services.retention_classes_ensure()
    due = decided_contact(triager, decided_on=london(2019, 5, 7), first_name="Zoë")
    held = decided_contact(triager, decided_on=london(2019, 5, 8), first_name="Łukasz")
    LegalHold.objects.create(referral=held, reason="Invented inquiry", placed_by=admin)
    assert services.retention_list_due() == 2

    desk = sign_in(open_tab(), admin, device=enrolled_totp_device(admin))
    desk.goto("/retention/")
    page = desk.page
    expect(page.locator("h1")).to_have_text("Records due for destruction")
    expect(page.locator(f'tr[data-reference="{held.reference}"]')).to_contain_text("Held")
    desk.assert_no_axe_violations()

    page.get_by_label(due.reference).check()
    desk.click(desk.button("Dry run"))
    expect(page.locator("h1")).to_have_text("Dry run: nothing has been destroyed yet")
    expect(page.locator("#batch-records")).to_contain_text(due.reference)
    expect(page.locator("#batch-records")).not_to_contain_text(held.reference)
    expect(page.locator("#counts")).to_contain_text("Persons: deleted")
    desk.assert_no_axe_violations()
    assert Referral.objects.get(pk=due.pk).first_name == "Zoë"

    desk.click(desk.button("Approve destruction of 1 record"))
    expect(page.locator("h1")).to_have_text("Destroyed")
    desk.assert_no_axe_violations()
    assert Referral.objects.get(pk=due.pk).first_name == ""
    assert Referral.objects.get(pk=held.pk).first_name == "Łukasz"
    assert list(Tombstone.objects.values_list("reference", flat=True)) == [due.reference]

    desk.goto("/retention/register/")
    expect(page.get_by_role("table", name="Destroyed records")).to_contain_text(due.reference)
    desk.assert_no_axe_violations()
