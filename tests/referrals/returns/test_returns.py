"""The statutory returns (Annex A List 1 and List 3, the census's referral fields): the
rows a manager downloads equal rows worked out here by hand from a known set of contacts;
rule violations are listed and the rows kept; downloads are audited; only managers may
have them; the number of queries does not grow with the rows."""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Organisation, Role
from referrals.models import AuditEvent, ContactOutcome, Outcome, Referral
from referrals.returns import lists
from tests.auth import sign_in
from tests.factories import OrganisationFactory, UserFactory, submitted_referral
from tests.factories.triage import london

YEAR_2026 = {"start_0": "1", "start_1": "1", "start_2": "2026"}
YEAR_2026 |= {"end_0": "31", "end_1": "12", "end_2": "2026"}
ZOE = {
    "first_name": "Zoë",
    "last_name": "Łukasz-Testperson",
    "date_of_birth": dt.date(2011, 5, 4),
    "sex": "Female",
}
SUBJECT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "approximate_age",
    "subject_type",
    "sex",
)


def _author(kind: str):
    organisation = OrganisationFactory(name=f"Testshire {kind} returns", kind=kind)
    return UserFactory(organisation=organisation, roles=[Role.PRACTITIONER])


def _contact(author, submitted_at, *, recorded: dict, **subject) -> Referral:
    """A contact submitted through the real service, then what triage recorded about it
    written straight to the row (the decision journey is tested on its own)."""
    referral = submitted_referral(author=author, submitted_at=submitted_at, **subject)
    Referral.objects.filter(pk=referral.pk).update(**recorded)
    referral.refresh_from_db()
    return referral


def _referral(day: dt.date, source: str, next_step: str = "", **more) -> dict:
    return {
        "contact_outcome": ContactOutcome.REFERRAL,
        "cin_referral_date": day,
        "source_code": source,
        "outcome": next_step,
        **more,
    }


@dataclass
class Known:
    zoe_2025: Referral
    zoe_jan: Referral
    zoe_jun: Referral
    oystein: Referral
    adult: Referral
    no_dob: Referral


@pytest.fixture
def known(db):
    """Zoë: a referral the year before, then two contacts in 2026 that became referrals
    (the second from the police, with "no factors" wrongly beside another factor);
    Øystein, born on 29 February: no further action; an adult at risk (not in the
    children's lists); a child known only by an approximate age, whose referral lacks
    its source and its next step."""
    school, police = _author(Organisation.Kind.SCHOOL), _author(Organisation.Kind.POLICE)
    return Known(
        zoe_2025=_contact(
            school,
            london(2025, 3, 1, 11),
            recorded=_referral(dt.date(2025, 3, 2), "2A", Outcome.S17),
            **ZOE,
        ),
        zoe_jan=_contact(
            school,
            london(2026, 1, 10, 23, 30),  # 23:30 GMT: 10 January in London too
            recorded=_referral(
                dt.date(2026, 1, 12),
                "2A",
                Outcome.S17,
                factors=["10A", "23A"],
                ethnicity_code="WBRI",
                disability_codes=["NONE"],
            ),
            **ZOE,
        ),
        oystein=_contact(
            school,
            london(2026, 3, 1, 9),
            recorded={"contact_outcome": ContactOutcome.NFA, "source_code": "2A"},
            first_name="Øystein",
            last_name="Testperson",
            date_of_birth=dt.date(2012, 2, 29),
            sex="Male",
        ),
        adult=_contact(
            school,
            london(2026, 3, 5, 9),
            recorded={"contact_outcome": ContactOutcome.ADULT_SAFEGUARDING, "source_code": "2A"},
            first_name="Æsa",
            last_name="Testadult",
            subject_type="adult",
            date_of_birth=dt.date(1990, 1, 1),
        ),
        no_dob=_contact(
            school,
            london(2026, 4, 1, 10),
            recorded=_referral(dt.date(2026, 4, 2), ""),
            first_name="Madeup",
            last_name="Testnodob",
            date_of_birth=None,
            approximate_age=15,
            sex="Not known",
        ),
        zoe_jun=_contact(
            police,
            london(2026, 6, 1, 8, 15),  # 08:15 BST is 07:15 UTC, same day
            recorded=_referral(
                dt.date(2026, 6, 2),
                "6",
                Outcome.REFERRAL_NFA,
                factors=["21", "23A"],
                ethnicity_code="WBRI",
                disability_codes=["LD", "COMM"],
            ),
            **ZOE,
        ),
    )


def _download(client, kind: str, file_format: str, period=YEAR_2026):
    response = client.get(reverse("return_download", args=[file_format]), {"kind": kind, **period})
    assert response.status_code == 200, response.content[:500]
    return response


def _csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads Ł and Ø only with the byte-order mark
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.fixture
def manager_client(client, manager):
    return sign_in(client, manager)


def test_list_1_has_one_row_per_child_per_contact_as_recorded(known, manager_client):
    rows = _csv_rows(_download(manager_client, "list-1", "csv"))
    zoe_id = known.zoe_2025.reference  # her first contact names her in every return
    assert rows == [
        {
            "Child unique ID": zoe_id,
            "Gender": "Female",
            "Ethnicity": "WBRI",
            "Date of birth": "04/05/2011",
            "Age of child (years)": "14",
            "Date of contact": "10/01/2026",
            "Contact source": "2A",
            "Contact outcome": "Becomes a referral to children's social care",
            "Contact reference": known.zoe_jan.reference,
        },
        {
            "Child unique ID": known.oystein.reference,
            "Gender": "Male",
            "Ethnicity": "NOBT",  # not recorded: "information not yet obtained"
            "Date of birth": "29/02/2012",
            "Age of child (years)": "14",  # 1 March 2026: the birthday has passed
            "Date of contact": "01/03/2026",
            "Contact source": "2A",
            "Contact outcome": "No further action",
            "Contact reference": known.oystein.reference,
        },
        {
            "Child unique ID": known.no_dob.reference,
            "Gender": "Not recorded",
            "Ethnicity": "NOBT",
            "Date of birth": "",
            "Age of child (years)": "15",
            "Date of contact": "01/04/2026",
            "Contact source": "",
            "Contact outcome": "Becomes a referral to children's social care",
            "Contact reference": known.no_dob.reference,
        },
        {
            "Child unique ID": zoe_id,
            "Gender": "Female",
            "Ethnicity": "WBRI",
            "Date of birth": "04/05/2011",
            "Age of child (years)": "15",
            "Date of contact": "01/06/2026",
            "Contact source": "6",
            "Contact outcome": "Becomes a referral to children's social care",
            "Contact reference": known.zoe_jun.reference,
        },
    ]


def test_list_3_counts_the_childs_referrals_in_the_previous_twelve_months(known, manager_client):
    rows = _csv_rows(_download(manager_client, "list-3", "csv"))
    by_reference = {row["Contact reference"]: row for row in rows}
    assert list(by_reference) == [
        known.zoe_jan.reference,
        known.no_dob.reference,
        known.zoe_jun.reference,
    ]
    january, no_dob, june = by_reference.values()
    # March 2025 is within the year before 12 January 2026; not within June's year.
    assert january["Number of referrals in the previous 12 months"] == "1"
    assert june["Number of referrals in the previous 12 months"] == "1"
    assert no_dob["Number of referrals in the previous 12 months"] == "0"
    assert (january["Referral NFA"], june["Referral NFA"], no_dob["Referral NFA"]) == ("0", "1", "")
    assert (january["Disability"], june["Disability"], no_dob["Disability"]) == (
        "No",
        "Yes",
        "Not recorded",
    )
    assert january["Date of referral"] == "12/01/2026"
    assert january["Referral source"] == "2A"
    assert {row["Child unique ID"] for row in (january, june)} == {known.zoe_2025.reference}


def test_census_fields_in_the_workbook_equal_the_csv_with_real_dates(known, manager_client):
    workbook = load_workbook(io.BytesIO(_download(manager_client, "cin-census", "xlsx").content))
    sheet, checks = workbook.worksheets
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == (
        "LAchildID",
        "CINreferralDate",
        "ReferralSource",
        "ReferralNFA",
        "AssessmentFactors",
        "Contact reference",
    )
    assert [row[1].date() for row in rows] == [
        dt.date(2026, 1, 12),
        dt.date(2026, 4, 2),
        dt.date(2026, 6, 2),
    ]
    assert [row[2:5] for row in rows] == [
        ("2A", "0", "10A;23A"),
        (None, None, None),
        ("6", "1", "21;23A"),
    ]
    failed = {(row[0], row[1]) for row in list(checks.iter_rows(values_only=True))[1:]}
    assert failed == {
        (known.no_dob.reference, "8866"),
        (known.no_dob.reference, "NFA"),
        (known.zoe_jun.reference, "8869"),
    }


def test_the_check_page_lists_each_failed_rule_and_keeps_the_rows(known, manager_client):
    response = manager_client.get(reverse("return_check"), {"kind": "list-3", **YEAR_2026})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 rows." in page
    assert "3 checks failed" in page
    assert "Source of referral is missing or an invalid code." in page
    assert "cannot be combined with another factor" in page
    assert page.count(known.no_dob.reference) >= 2
    assert "download.csv?" in page and "download.xlsx?" in page


def test_every_download_is_audited_with_the_period_and_the_row_count(known, manager_client):
    _download(manager_client, "list-1", "xlsx")
    event = AuditEvent.objects.get(action="return.downloaded")
    assert event.detail == {
        "return": "list-1",
        "from": "2026-01-01",
        "to": "2026-12-31",
        "format": "xlsx",
        "rows": 4,
        "violations": 1,  # the referral with no source
    }


@pytest.mark.parametrize("persona", ["practitioner", "triager", "admin"])
def test_only_managers_may_have_the_returns(db, client, request, persona):
    user = request.getfixturevalue(persona)
    sign_in(client, user)
    query = {"kind": "list-1", **YEAR_2026}
    assert client.get(reverse("return_check"), query).status_code == 404
    assert client.get(reverse("return_download", args=["csv"]), query).status_code == 404
    assert not AuditEvent.objects.filter(action="return.downloaded").exists()


def test_a_period_that_ends_before_it_starts_is_refused_and_keeps_what_was_typed(
    db, manager_client
):
    period = YEAR_2026 | {"end_0": "31", "end_1": "12", "end_2": "2025"}
    response = manager_client.get(reverse("return_check"), {"kind": "list-3", **period})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The last day must be on or after the first day" in page
    assert 'value="2025"' in page and 'value="2026"' in page
    assert re.search(r'<input[^>]*value="list-3"[^>]*checked', page)


def test_an_unknown_format_or_an_invalid_period_downloads_nothing(db, manager_client):
    query = {"kind": "list-1", **YEAR_2026}
    assert manager_client.get(reverse("return_download", args=["pdf"]), query).status_code == 404
    bad = {"kind": "list-9", **YEAR_2026}
    assert manager_client.get(reverse("return_download", args=["csv"]), bad).status_code == 404


def _queries(build) -> int:
    with CaptureQueriesContext(connection) as captured:
        build()
    return len(captured)


def test_building_a_return_takes_the_same_queries_whatever_the_rows(known):
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    before = {kind: _queries(lambda k=kind: lists.BUILDERS[k](start, end)) for kind in lists.TITLES}
    author = _author(Organisation.Kind.HEALTH)
    for day in range(1, 6):
        _contact(
            author,
            london(2026, 7, day, 10),
            recorded=_referral(dt.date(2026, 7, day), "3F", Outcome.S47),
            **ZOE,
        )
    after = {kind: _queries(lambda k=kind: lists.BUILDERS[k](start, end)) for kind in lists.TITLES}
    assert after == before
