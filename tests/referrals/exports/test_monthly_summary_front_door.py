"""The monthly summary's front-door figures (issue 18): contacts and their conversion to
referrals, each RAG rating's clock, the waiting list at the month's end by age band,
re-referrals within 12 months, and who the contacts were about with numerator and
denominator. Each equals a count worked out here by hand from a known November."""

import datetime as dt

import pytest

from referrals.exports import documents
from referrals.exports import figures as summary_figures
from referrals.models import ContactOutcome, Referral
from tests.factories import submitted_referral
from tests.factories.triage import london

NOVEMBER = dt.date(2026, 11, 1)
NOW = london(2026, 12, 10, 9, 0)
ZOE = {
    "first_name": "Zoë",
    "last_name": "Øvergård-Testperson",
    "date_of_birth": dt.date(2011, 5, 4),
}


def _contact(submitted_at, *, subject=None, **recorded) -> Referral:
    referral = submitted_referral(submitted_at=submitted_at, **(subject or {}))
    Referral.objects.filter(pk=referral.pk).update(**recorded)
    return referral


def _decided(at, outcome, **more) -> dict:
    return {"status": "decided", "decided_at": at, "contact_outcome": outcome, **more}


@pytest.fixture
def november(db):
    """Five contacts in November and Zoë's referral the March before."""
    _contact(
        london(2026, 3, 1, 10),
        subject=ZOE,
        **_decided(london(2026, 3, 1, 12), ContactOutcome.REFERRAL),
        cin_referral_date=dt.date(2026, 3, 1),
    )
    red = london(2026, 11, 2, 10)
    _contact(
        red,
        subject=ZOE | {"sex": "Female"},
        rag_rating="red",
        rag_due_at=red + dt.timedelta(hours=4),
        ethnicity_code="WBRI",
        disability_codes=["NONE"],
        cin_referral_date=dt.date(2026, 11, 2),
        **_decided(red + dt.timedelta(hours=2), ContactOutcome.REFERRAL),
    )
    amber = london(2026, 11, 3, 10)
    _contact(
        amber,
        subject={"sex": "Male", "date_of_birth": dt.date(2009, 1, 1)},
        rag_rating="amber",
        rag_due_at=london(2026, 11, 4, 17),
        ethnicity_code="BAFR",
        disability_codes=["LD", "COMM"],
        **_decided(london(2026, 11, 5, 9), ContactOutcome.NFA),  # after its clock
    )
    _contact(
        london(2026, 11, 4, 10),
        subject={"sex": "", "date_of_birth": dt.date(2018, 6, 1)},  # 8: under 10
        rag_rating="green",
        rag_due_at=london(2026, 11, 9, 17),
    )
    _contact(
        london(2026, 11, 30, 16), subject={"sex": "Female", "date_of_birth": dt.date(2011, 2, 2)}
    )
    _contact(
        london(2026, 11, 27, 11),
        subject={"sex": "Male", "date_of_birth": dt.date(2012, 3, 3), "ethnicity": ""},
        ethnicity_code="AIND",
        **_decided(london(2026, 12, 1, 9), ContactOutcome.EARLY_HELP),  # after the month
    )


def test_front_door_figures_equal_counts_worked_out_by_hand(november):
    figures = summary_figures.monthly_figures(NOVEMBER, now=NOW)
    assert figures["front_door"] == {
        "contacts": 5,
        "outcome_recorded": 3,  # referral, NFA, early help (decided in December)
        "referrals": 1,
        "re_referrals": 1,  # Zoë was referred in March
    }
    assert {row["key"]: (row["rated"], row["in_clock"]) for row in figures["rag_clocks"]} == {
        "red": (1, 1),
        "amber": (1, 0),
        "green": (1, 0),
    }
    waiting = {row["band"]: row["count"] for row in figures["waiting_at_month_end"]}
    # Undecided on 30 November: the green one (8), the last one (15) and the early-help
    # one decided on 1 December (14).
    assert waiting == {
        "Under 10": 1,
        "10 to 13": 0,
        "14 to 15": 2,
        "16 to 17": 0,
        "18 to 24": 0,
        "25 and over": 0,
        "Age not known": 0,
    }
    characteristics = {
        table: {row["key"]: row["count"] for row in rows if row["count"]}
        for table, rows in figures["characteristics"].items()
    }
    assert characteristics == {
        "sex": {"Female": 2, "Male": 2, "Not recorded": 1},
        "ethnicity": {
            "White": 1,
            "Black or Black British": 1,
            "Asian or Asian British": 1,
            "Not recorded": 2,
        },
        "disability": {"Not disabled": 1, "Disabled": 1, "Not recorded": 3},
    }


def test_the_summary_shows_numerator_and_denominator_and_c_for_small_counts(november, settings):
    figures = summary_figures.monthly_figures(NOVEMBER, now=NOW)
    settings.SUPPRESS_SMALL_COUNTS = False
    shown = {(line.section, line.label): line.value for line in documents.summary_lines(figures)}
    assert shown[("Sex", "Female")] == "2 of 5 (40%)"
    assert shown[("Front door", "Contacts with an outcome that became a referral")] == "33%"
    assert shown[("RAG clocks", "Red: share within its clock")] == "100%"
    assert shown[("Waiting for a decision at the end of the month", "All")] == "3"
    settings.SUPPRESS_SMALL_COUNTS = True
    shown = {(line.section, line.label): line.value for line in documents.summary_lines(figures)}
    assert shown[("Sex", "Female")] == "c of 5 (not shown)"
    assert shown[("Front door", "Contacts received")] == "5"
    assert shown[("RAG clocks", "Amber: rated")] == "c"


def test_a_summary_made_before_the_front_door_figures_still_reads(db):
    """Summaries already published keep their figures: the CSV of an old one works."""
    figures = summary_figures.monthly_figures(NOVEMBER, now=NOW)
    for key in ("front_door", "rag_clocks", "waiting_at_month_end", "characteristics"):
        figures.pop(key)
    assert "Referrals received" in documents.summary_csv(figures)
