"""In the browser: a triage worker rates a contact amber, tries to re-rate it red without
a reason (the form says so and keeps the choice), re-rates it red with one, and sees the
first rating beside the current one, the red clock from receipt, the time in each state
and the rating in the queue, in words as well as colour. Then the worker switches the
leads' daily digest on from their account page."""

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from referrals.models import Rag, RagRating, Referral
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import submitted_referral

pytestmark = E2E


def _panel_time(moment) -> str:
    return date_format(timezone.localtime(moment), "l j F Y, H:i")


def _rate(visit, rating: str, rationale: str) -> None:
    visit.page.get_by_role("radio", name=rating, exact=True).check()
    visit.page.get_by_label("Why you").fill(rationale)
    visit.click(visit.button("Save rating"))


def test_a_contact_is_rated_amber_then_re_rated_red_with_a_reason_and_shows_its_clock(
    open_tab, triager
):
    received = timezone.now() - dt.timedelta(hours=1)
    referral = submitted_referral(submitted_at=received, first_name="Zoë", last_name="Testperson")
    desk = open_tab()
    sign_in(desk, triager, device=enrolled_totp_device(triager))
    desk.goto(f"/referrals/{referral.reference}/")
    expect(desk.page.locator("#triage-rag")).to_have_text("Not rated yet")

    _rate(desk, "Amber", "Three warning signs; no one in immediate danger.")
    expect(desk.page.locator("#triage-rag")).to_contain_text("Amber")
    referral.refresh_from_db()
    expect(desk.page.locator("#triage-rag-due")).to_contain_text(_panel_time(referral.rag_due_at))

    # Re-rating without a reason: the error, on a page that keeps the choice.
    _rate(desk, "Red", "")
    desk.assert_error_summary_links(["id_rationale"])
    expect(desk.page.get_by_role("radio", name="Red", exact=True)).to_be_checked()
    desk.page.get_by_label("Why you are changing the rating").fill(
        "Her brother Łukasz phoned: she has been missing since last night."
    )
    desk.click(desk.button("Save rating"))

    expect(desk.page.locator("h1")).to_contain_text(referral.reference)
    rag = desk.page.locator("#triage-rag")
    expect(rag).to_contain_text("Red")
    expect(rag).to_contain_text("First rated Amber")
    # Red's clock: four hours from receipt, not from the re-rating.
    red_due = received + dt.timedelta(hours=4)
    expect(desk.page.locator("#triage-rag-due")).to_contain_text(_panel_time(red_due))
    states = desk.page.get_by_role("table", name=f"Each state {referral.reference} has been in")
    expect(states).to_contain_text("Submitted")
    expect(states).to_contain_text("(now)")
    expect(
        desk.page.get_by_role("table", name=f"Everything that has happened to {referral.reference}")
    ).to_contain_text("Re-rated Amber to Red")
    assert list(RagRating.objects.filter(referral=referral).values_list("rating", "is_first")) == [
        (Rag.AMBER, True),
        (Rag.RED, False),
    ]
    assert Referral.objects.get(pk=referral.pk).rag_due_at == red_due

    # The queue: the rating in words.
    desk.goto("/triage/")
    row = desk.page.get_by_role("row").filter(has_text=referral.reference)
    expect(row.locator(".govuk-tag", has_text="Red").first).to_contain_text("RAG rating Red")

    # The leads' daily digest, switched on in the portal.
    desk.goto("/accounts/security/")
    desk.page.get_by_label("Email the daily digest of overdue referrals").check()
    desk.click(desk.button("Save email preference"))
    expect(
        desk.page.get_by_text("You will get the daily digest of overdue referrals.")
    ).to_be_visible()
    triager.refresh_from_db()
    assert triager.is_triage_lead
