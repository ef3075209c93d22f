"""Journey 2, on a phone-sized screen (320 CSS pixels wide): someone is in immediate
danger. The form says to call 999, records the police log number, and the referral goes
to the top of the triage queue marked urgent."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import Referral
from tests.e2e import referral_form as form
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import submitted_referral

pytestmark = E2E

PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
POLICE_LOG = "PLOG-20261129-0042"


def test_immediate_danger_says_call_999_records_the_police_log_and_tops_the_queue_as_urgent(
    open_tab, practitioner, triager
):
    earlier = timezone.now() - dt.timedelta(hours=3)
    routine = [submitted_referral(submitted_at=earlier) for _ in range(2)]

    phone = open_tab(**PHONE)
    sign_in(phone, practitioner)
    phone.assert_reflows()
    form.start_referral(phone)
    phone.assert_reflows()

    # "Yes" reveals the instruction to call 999 and the police questions.
    call_999 = phone.page.get_by_text("Call 999 now if you have not already")
    expect(call_999).to_be_hidden()
    phone.page.check("#id_immediate_danger_1")
    expect(call_999).to_be_visible()
    expect(phone.page.locator("#id_immediate_danger_1")).to_have_attribute("aria-expanded", "true")
    form.save_and_continue(phone)
    phone.assert_error_summary_links(["id_police_called_1"])
    expect(phone.page.locator("#id_immediate_danger_1")).to_be_checked()
    expect(call_999).to_be_visible()
    phone.assert_reflows()
    phone.page.check("#id_police_called_1")
    phone.page.fill("#id_police_reference", POLICE_LOG)
    form.save_and_continue(phone)

    for answer in (
        form.answer_subject,
        form.answer_network,
        form.answer_indicators,
        form.answer_consent,
        form.answer_concern,
    ):
        phone.assert_reflows()
        answer(phone)
    phone.assert_reflows()
    form.answer_referrer(phone)
    reference = form.send_from_check_answers(phone)
    phone.assert_reflows()

    referral = Referral.objects.get(reference=reference)
    assert referral.is_urgent and referral.immediate_danger == "yes"
    assert referral.police_called is True and referral.police_reference == POLICE_LOG

    # The triage worker's queue: the urgent referral first, marked in words, not colour alone.
    desk = open_tab()
    sign_in(desk, triager, device=enrolled_totp_device(triager))
    form.heading(desk, "Triage queue")
    rows = desk.page.get_by_role("table", name="Referrals in the triage queue").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.get_by_role("rowheader")).to_have_text(reference)
    expect(rows.first.locator(".govuk-tag", has_text="Urgent")).to_be_visible()
    for row in rows.all()[1:]:
        expect(row).to_contain_text("Routine")
    assert {r.reference for r in routine} == {
        row.get_by_role("rowheader").inner_text().strip() for row in rows.all()[1:]
    }
