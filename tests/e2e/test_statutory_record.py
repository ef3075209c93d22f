"""Issue 18 end to end, in the browser: a practitioner's contact is rated amber, re-rated
red with a rationale, its red clock shown and honoured, and decided "becomes a referral";
the manager then checks and downloads Annex A List 1, List 3 and the census's referral
fields, and each holds exactly the row worked out here from what was done."""

import csv
import datetime as dt
import io
import re

from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from referrals.models import ContactOutcome, Outcome, Rag, Referral
from tests.e2e.portal import E2E, Visit, enrolled_totp_device, sign_in, sign_out
from tests.factories.triage import claimed_referral

pytestmark = E2E

DATE_OF_BIRTH = dt.date(2012, 3, 14)
RE_RATING = "Her brother Łukasz phoned: she has been missing since last night."
RATIONALE = "Missing overnight and holding a second phone: a child-in-need assessment."


def _panel_time(moment) -> str:
    return date_format(timezone.localtime(moment), "l j F Y, H:i")


def _rate(visit: Visit, rating: str, rationale: str) -> None:
    visit.page.get_by_role("radio", name=rating, exact=True).check()
    visit.page.get_by_label("Why you").fill(rationale)
    visit.click(visit.button("Save rating"))


def _download_csv(visit: Visit, title: str, day: dt.date) -> list[dict]:
    """The manager's way to a return: choose it and the period, check it, download."""
    visit.goto("/reports/returns/")
    page = visit.page
    page.get_by_label(title).check()
    for field in ("start", "end"):
        page.fill(f"#id_{field}_0", str(day.day))
        page.fill(f"#id_{field}_1", str(day.month))
        page.fill(f"#id_{field}_2", str(day.year))
    visit.click(visit.button("Check the return"))
    expect(page.locator("main")).to_contain_text("1 row")
    with page.expect_download() as download:
        page.get_by_role(
            "link", name=re.compile(rf"^Download as CSV\W+{re.escape(title)}$")
        ).click()
    with open(download.value.path(), encoding="utf-8-sig") as saved:
        return list(csv.DictReader(io.StringIO(saved.read())))


def _age_on(day: dt.date) -> int:
    had_birthday = (day.month, day.day) >= (DATE_OF_BIRTH.month, DATE_OF_BIRTH.day)
    return day.year - DATE_OF_BIRTH.year - (0 if had_birthday else 1)


def test_a_contact_rated_red_and_decided_a_referral_is_in_list_1_list_3_and_the_census(
    open_tab, practitioner, triager, manager
):
    received = timezone.now() - dt.timedelta(hours=1)
    referral = claimed_referral(
        triager,
        author=practitioner,  # a school: source of referral 2A
        submitted_at=received,
        yes_to=["cl-01", "cl-10"],
        first_name="Zoë",
        last_name="Ærøe-Testperson",
        date_of_birth=DATE_OF_BIRTH,
        sex="Female",
    )
    desk = sign_in(open_tab(), triager, device=enrolled_totp_device(triager))
    desk.goto(f"/referrals/{referral.reference}/")

    # Amber, then red with the reason; the red clock runs from receipt.
    _rate(desk, "Amber", "Two warning signs; no one in immediate danger.")
    expect(desk.page.locator("#triage-rag")).to_contain_text("Amber")
    _rate(desk, "Red", RE_RATING)
    rag = desk.page.locator("#triage-rag")
    expect(rag).to_contain_text("Red")
    expect(rag).to_contain_text("First rated Amber")
    red_due = received + dt.timedelta(hours=4)
    expect(desk.page.locator("#triage-rag-due")).to_contain_text(_panel_time(red_due))

    # Decided "becomes a referral" inside the red clock.
    desk.goto(f"/referrals/{referral.reference}/decide/")
    desk.page.get_by_label("Becomes a referral to children's social care").check()
    desk.page.get_by_label("Child-in-need assessment (section 17)").check()
    desk.page.fill("#id_rationale", RATIONALE)
    desk.click(desk.button("Record decision"))
    expect(desk.page.locator("#triage")).to_contain_text(
        "Becomes a referral to children's social care: Child-in-need assessment (section 17)"
    )
    decided = Referral.objects.get(pk=referral.pk)
    assert decided.rag_rating == Rag.RED and decided.rag_due_at == red_due
    assert decided.decided_at <= decided.rag_due_at  # the clock honoured
    assert (decided.contact_outcome, decided.outcome) == (ContactOutcome.REFERRAL, Outcome.S17)
    sign_out(desk)

    # The manager's returns, worked out here from what was done above.
    office = sign_in(open_tab(), manager, device=enrolled_totp_device(manager))
    contact_day = timezone.localtime(received).date()
    referral_day = decided.cin_referral_date
    assert referral_day == timezone.localdate()
    common = {
        "Child unique ID": referral.reference,  # her first contact names her
        "Gender": "Female",
        "Ethnicity": "NOBT",  # not recorded: "information not yet obtained"
        "Date of birth": DATE_OF_BIRTH.strftime("%d/%m/%Y"),
    }

    list_1 = _download_csv(office, "Annex A List 1: contacts", contact_day)
    assert list_1 == [
        {
            **common,
            "Age of child (years)": str(_age_on(contact_day)),
            "Date of contact": contact_day.strftime("%d/%m/%Y"),
            "Contact source": "2A",
            "Contact outcome": "Becomes a referral to children's social care",
            "Contact reference": referral.reference,
        }
    ]

    list_3 = _download_csv(office, "Annex A List 3: referrals", referral_day)
    assert len(list_3) == 1
    row = list_3[0]
    assert {key: row[key] for key in common} == common
    assert row["Date of referral"] == referral_day.strftime("%d/%m/%Y")
    assert row["Age of child (years)"] == str(_age_on(referral_day))
    assert (row["Referral source"], row["Referral NFA"]) == ("2A", "0")
    assert row["Number of referrals in the previous 12 months"] == "0"
    assert row["Contact reference"] == referral.reference

    census = _download_csv(office, "Children in Need census: referral fields", referral_day)
    assert census == [
        {
            "LAchildID": referral.reference,
            "CINreferralDate": referral_day.strftime("%d/%m/%Y"),
            "ReferralSource": "2A",
            "ReferralNFA": "0",
            "AssessmentFactors": ";".join(sorted(decided.factors)),
            "Contact reference": referral.reference,
        }
    ]
    assert decided.factors  # the warning signs suggested factors, and they were kept
