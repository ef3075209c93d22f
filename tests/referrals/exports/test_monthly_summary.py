"""The managers' monthly summary: figures equal counts worked out here, independently,
from a known set of referrals; they come from a fixed number of queries; small counts
are suppressed; the page, the command and the beat job produce summaries."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from referrals.exports import charts, documents
from referrals.exports import figures as summary_figures
from referrals.exports import services as exports
from referrals.models import AuditEvent, MonthlySummary, Sex
from referrals.models.exports import ExportState
from tests.auth import sign_in
from tests.factories.exports import Spec, expected_figures, known_month, london, submit_one
from tests.services import require_postgres

OCTOBER = dt.date(2026, 10, 1)
NOW = london(2026, 11, 29, 9, 0)


@pytest.fixture
def october(db):
    return known_month()


def test_figures_equal_counts_worked_out_from_the_referrals(october):
    figures = summary_figures.monthly_figures(OCTOBER, now=NOW)
    expected = expected_figures(october, NOW)
    totals = figures["totals"]
    for key in [
        "received",
        "urgent",
        "child",
        "adult",
        "decided",
        "decided_in_time",
        "decided_late",
        "overdue_undecided",
        "repeat",
        "shared_phone",
        "shared_address",
    ]:
        assert totals[key] == expected[key], key
    assert figures["decision_times"] == {
        "median_hours": expected["median_hours"],
        "p90_hours": expected["p90_hours"],
    }
    assert {r["key"]: r["count"] for r in figures["organisation_kinds"]} == expected["kinds"]
    assert {r["key"]: r["count"] for r in figures["outcomes"]} == expected["outcomes"]
    age_sex = {
        (row["band"], sex): count
        for row in figures["age_sex"]
        for sex, count in zip(figures["sex_labels"], row["counts"], strict=True)
        if count
    }
    assert age_sex == expected["age_sex"]
    yes = {row["code"]: row["count"] for row in figures["indicators"]}
    for code, count in expected["yes"].items():
        assert yes[code] == count, code


def test_the_known_month_exercises_every_kind_of_figure(october):
    """Guards the test data itself: none of the checked figures is trivially zero."""
    expected = expected_figures(october, NOW)
    for key in [
        "urgent",
        "adult",
        "decided_in_time",
        "decided_late",
        "overdue_undecided",
        "repeat",
        "shared_phone",
        "shared_address",
    ]:
        assert expected[key] > 0, key
    assert len({band for band, _ in expected["age_sex"]}) >= 5


def test_referrals_just_outside_the_london_month_are_not_counted(october):
    figures = summary_figures.monthly_figures(OCTOBER, now=NOW)
    assert figures["totals"]["received"] == len(reports_october_ids(october)) == 17


def reports_october_ids(october):
    return {r.pk for r in october}


def test_the_trend_counts_twelve_months_ending_with_the_month(october):
    trend = summary_figures.monthly_figures(OCTOBER, now=NOW)["trend"]
    assert [row["month"] for row in trend][0] == "2025-11-01"
    assert [row["month"] for row in trend][-1] == "2026-10-01"
    by_month = {row["month"]: row for row in trend}
    assert by_month["2026-10-01"]["received"] == 17
    assert by_month["2026-09-01"] == {
        "month": "2026-09-01",
        "received": 2,
        "urgent": 2,
        "in_time": 0,
    }
    assert by_month["2026-05-01"]["received"] == 1


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_number_of_referrals(
    django_assert_max_num_queries, django_assert_num_queries
):
    require_postgres()
    known_month()
    # Totals, decision times, organisations, age and sex, indicators (two), outcomes,
    # trend, the front door with the RAG clocks, the waiting list, characteristics,
    # partner response times (issue 19) and the MACE identifiers (issue 20).
    with django_assert_max_num_queries(14) as small:
        summary_figures.monthly_figures(OCTOBER, now=NOW)
    known_month(extra_copies=2)
    with django_assert_num_queries(len(small.captured_queries)):
        figures = summary_figures.monthly_figures(OCTOBER, now=NOW)
    assert figures["totals"]["received"] == 17 * 4
    assert any("PERCENTILE_CONT" in q["sql"] for q in small.captured_queries)


def test_small_counts_show_as_c_when_suppressed(settings):
    settings.SUPPRESS_SMALL_COUNTS = True
    assert [documents.show_count(n) for n in [0, 1, 4, 5]] == [
        "0",
        "c",
        "c",
        "5",
    ]
    assert documents.show_share(3, 40) == "not shown"
    assert documents.show_share(10, 40) == "25%"
    settings.SUPPRESS_SMALL_COUNTS = False
    assert [documents.show_count(n) for n in [1, 4]] == ["1", "4"]
    assert documents.show_share(3, 40) == "8%"


def test_the_csv_holds_the_same_figures_as_shown(october, settings):
    settings.SUPPRESS_SMALL_COUNTS = True
    figures = summary_figures.monthly_figures(OCTOBER, now=NOW)
    rows = list(csv.reader(io.StringIO(documents.summary_csv(figures))))
    assert rows[0] == ["Section", "Figure", "Value"]
    values = {(section, label): value for section, label, value in rows[1:]}
    assert values[("Referrals", "Referrals received")] == "17"
    assert values[("Referrals", "Urgent (immediate danger)")] == "c"
    assert values[("Timeliness", "Decided")] == "14"
    assert values[("Referring organisation", "Police")] == "c"


def test_the_trend_chart_is_svg_drawn_by_the_portal_with_labels(october):
    trend = summary_figures.monthly_figures(OCTOBER, now=NOW)["trend"]
    svg = charts.trend_counts_svg(trend)
    assert svg.startswith("<svg") and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert ">17<" in svg and "Received (solid)" in svg
    assert "Share decided" in charts.trend_timeliness_svg(trend)


# --- Producing summaries ------------------------------------------------------------


@pytest.mark.django_db
def test_a_manager_sees_every_generated_month_with_its_status(client, manager):
    MonthlySummary.objects.create(
        month=dt.date(2026, 9, 1),
        state=ExportState.FAILED,
        error="The PDF took too long to produce. Try again later.",
    )
    MonthlySummary.objects.create(month=dt.date(2026, 8, 1), state=ExportState.PENDING)
    sign_in(client, manager)
    page = client.get(reverse("report_list")).content.decode()
    assert "September 2026" in page and "Failed" in page
    assert "August 2026" in page and "Pending" in page


@pytest.mark.django_db
def test_a_manager_produces_a_month_on_demand(client, manager, django_capture_on_commit_callbacks):
    sign_in(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_list"), {"month": "2026-10"})
    assert response.status_code == 302
    summary = MonthlySummary.objects.get(month=OCTOBER)
    assert summary.state == ExportState.READY and summary.pdf
    assert AuditEvent.objects.filter(action="summary.requested", actor=manager).exists()


@pytest.mark.django_db
def test_choosing_no_month_shows_the_error_by_the_field_and_in_the_summary(client, manager):
    sign_in(client, manager)
    response = client.post(reverse("report_list"), {"month": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert page.count("Choose the month to summarise") == 2
    assert not MonthlySummary.objects.exists()


@pytest.mark.django_db
def test_only_managers_reach_the_reports_page(client, practitioner, triager, admin, manager):
    for user in [practitioner, triager, admin]:
        sign_in(client, user)
        assert client.get(reverse("report_list")).status_code == 404
        assert client.post(reverse("report_list"), {"month": "2026-10"}).status_code == 404
    assert not MonthlySummary.objects.exists()
    client.logout()
    assert client.get(reverse("report_list")).status_code == 302


@pytest.mark.django_db
def test_the_command_produces_the_month_given(october):
    out = io.StringIO()
    call_command("monthly_summary", "2026-10", stdout=out)
    summary = MonthlySummary.objects.get(month=OCTOBER)
    assert summary.state == ExportState.READY
    assert summary.figures["totals"]["received"] == 17
    assert "October 2026" in out.getvalue()


@pytest.mark.django_db
def test_the_command_refuses_a_malformed_month():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_summary", "October")


@pytest.mark.django_db
def test_on_the_first_beat_produces_the_previous_month(django_capture_on_commit_callbacks):
    from referrals.tasks import summary_previous_month_task

    with (
        time_machine.travel(london(2026, 11, 1, 2, 30)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        summary_previous_month_task.delay()
    assert MonthlySummary.objects.get().month == OCTOBER
    assert MonthlySummary.objects.get().state == ExportState.READY


def test_beat_runs_the_summary_on_the_first_and_the_clean_up_hourly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    monthly = schedule["monthly-summary-previous-month"]
    assert monthly["task"] == "referrals.summary_previous_month"
    assert monthly["schedule"].day_of_month == {1}
    assert schedule["exports-delete-expired"]["task"] == "referrals.exports_delete_expired"


@pytest.mark.django_db
def test_a_summary_produced_twice_is_rendered_once(django_capture_on_commit_callbacks):
    summary = exports.summary_request(month=OCTOBER, queue=False)
    first = exports.summary_generate(summary_id=summary.pk)
    again = exports.summary_generate(summary_id=summary.pk)
    assert first.pdf.name == again.pdf.name
    assert again.completed_at == first.completed_at


@pytest.mark.parametrize(
    "sex, label",
    [
        (Sex.FEMALE, "Female"),
        (Sex.MALE, "Male"),
        (Sex.OTHER, "Another description"),
        (Sex.NOT_KNOWN, "Not recorded"),
        ("", "Not recorded"),
    ],
)
def test_each_sex_on_the_form_is_counted_in_its_summary_column(db, settings, sex, label):
    settings.SUPPRESS_SMALL_COUNTS = False
    for day in [5, 6]:
        submit_one(Spec(day, sex=sex), london(2026, 10, day, 10, 30), {})
    figures = summary_figures.monthly_figures(OCTOBER, now=NOW)
    columns = dict.fromkeys(figures["sex_labels"], 0)
    for row in figures["age_sex"]:
        for column, count in zip(figures["sex_labels"], row["counts"], strict=True):
            columns[column] += count
    assert columns == {**dict.fromkeys(figures["sex_labels"], 0), label: 2}
    rows = list(csv.reader(io.StringIO(documents.summary_csv(figures))))
    assert ["Age and sex", f"14 to 15: {label}", "2"] in rows
