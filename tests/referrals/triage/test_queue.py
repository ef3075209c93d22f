"""The triage queue: what needs a decision first, the filters, and a cost per page
that does not grow with the number of referrals."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.triage import services as triage
from tests.auth import sign_in
from tests.factories import OrganisationFactory, UserFactory, submitted_referral
from tests.factories.triage import claimed_referral, decided_referral, london
from tests.services import require_postgres

NOW = london(2026, 3, 10, 12, 0)  # a Tuesday


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _refs(response) -> list[str]:
    return [referral.reference for referral in response.context["page"].object_list]


def _queue(client, user, **params):
    sign_in(client, user)
    response = client.get(reverse("triage_queue"), params)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_urgent_referrals_come_first_then_overdue_then_by_due_time(client, triager, frozen):
    routine_new = submitted_referral(submitted_at=london(2026, 3, 10, 9, 0))
    routine_due_today = submitted_referral(submitted_at=london(2026, 3, 9, 10, 0))
    routine_overdue = submitted_referral(submitted_at=london(2026, 3, 6, 10, 0))
    urgent_new = submitted_referral(is_urgent=True, submitted_at=london(2026, 3, 10, 11, 0))
    urgent_overdue = submitted_referral(is_urgent=True, submitted_at=london(2026, 3, 5, 10, 0))
    response = _queue(client, triager)
    assert _refs(response) == [
        urgent_overdue.reference,
        urgent_new.reference,
        routine_overdue.reference,
        routine_due_today.reference,
        routine_new.reference,
    ]


@pytest.mark.django_db
def test_the_queue_shows_the_columns_triage_needs(client, triager, other_triager, frozen):
    org = OrganisationFactory(name="Testshire Pupil Referral Unit")
    author = UserFactory(organisation=org, roles=["Practitioner"])
    earlier = submitted_referral(
        first_name="Testa",
        last_name="Testperson",
        date_of_birth=dt.date(2011, 1, 1),
        submitted_at=london(2026, 3, 2, 9, 0),
        people=[{"phone": "+447700900123"}],
    )
    referral = submitted_referral(
        author=author,
        first_name="Testa",
        last_name="Testperson",
        date_of_birth=dt.date(2011, 1, 1),
        is_urgent=True,
        yes_to=["cl-01", "cl-02", "cl-03"],
        submitted_at=london(2026, 3, 6, 10, 0),
        people=[{"phone": "+447700900123"}],
    )
    triage.referral_claim(referral=referral, user=other_triager)
    html = _queue(client, triager).content.decode()
    row = html[html.index(referral.reference) :].split("</tr>")[0]
    for text in [
        "6 Mar 2026 10:00",  # received
        "9 Mar 2026 17:00",  # decision due
        "Overdue",
        "Urgent",
        "TT, 14 to 15",
        "TT, 14 to 15, child",
        "3 warning signs answered Yes",
        "Testshire Pupil Referral Unit",
        "Tom Testtriage",
        "Re-referral",
        "Shared phone",
    ]:
        assert text in row, text
    assert "Shared address" not in row
    assert earlier.reference in html


def _links_cell(html: str, reference: str) -> str:
    row = html[html.index(reference) :].split("</tr>")[0]
    return row[row.index('data-key="links"') :].split("</td>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("shared", "badge"),
    [
        (
            {
                "first_name": "Testa",
                "last_name": "Testperson",
                "date_of_birth": dt.date(2011, 1, 1),
            },
            "Same person",
        ),
        ({"people": [{"phone": "+447700900123"}]}, "Shared phone"),
        ({"address_line_1": "12 Acacia Avenue", "postcode": "LS1 4AP"}, "Shared address"),
        ({"people": [{"vehicle_registration": "AB12CDE"}]}, "Shared vehicle"),
    ],
)
def test_the_queue_badges_every_kind_of_link_on_both_referrals(client, triager, shared, badge):
    earlier = submitted_referral(**shared)
    later = submitted_referral(**shared)
    html = _queue(client, triager).content.decode()
    # The later of two referrals about one person within a year is a re-referral.
    later_badge = "Re-referral" if badge == "Same person" else badge
    assert badge in _links_cell(html, earlier.reference)
    assert later_badge in _links_cell(html, later.reference)
    assert "None" not in _links_cell(html, earlier.reference) + _links_cell(html, later.reference)


@pytest.mark.django_db
def test_decided_referrals_leave_the_queue(client, triager):
    waiting = submitted_referral()
    decided = decided_referral(triager)
    assert _refs(_queue(client, triager)) == [waiting.reference]
    assert decided.reference in _refs(_queue(client, triager, status="decided"))


@pytest.mark.django_db
def test_the_status_filter_shows_only_that_status(client, triager):
    submitted = submitted_referral()
    in_triage = claimed_referral(triager)
    assert _refs(_queue(client, triager, status="in_triage")) == [in_triage.reference]
    assert _refs(_queue(client, triager, status="submitted")) == [submitted.reference]


@pytest.mark.django_db
def test_the_assigned_filter_shows_mine_unassigned_or_anyone(client, triager, other_triager):
    mine = claimed_referral(triager)
    theirs = claimed_referral(other_triager)
    nobodys = submitted_referral()
    assert _refs(_queue(client, triager, assigned="me")) == [mine.reference]
    assert _refs(_queue(client, triager, assigned="unassigned")) == [nobodys.reference]
    everyone = set(_refs(_queue(client, triager)))
    assert everyone == {mine.reference, theirs.reference, nobodys.reference}


@pytest.mark.django_db
def test_the_urgent_filter(client, triager):
    urgent = submitted_referral(is_urgent=True)
    routine = submitted_referral()
    assert _refs(_queue(client, triager, urgent="yes")) == [urgent.reference]
    assert _refs(_queue(client, triager, urgent="no")) == [routine.reference]


@pytest.mark.django_db
def test_the_overdue_filter(client, triager, frozen):
    overdue = submitted_referral(submitted_at=london(2026, 3, 6, 10, 0))
    in_time = submitted_referral(submitted_at=london(2026, 3, 10, 10, 0))
    assert _refs(_queue(client, triager, overdue="yes")) == [overdue.reference]
    assert _refs(_queue(client, triager, overdue="no")) == [in_time.reference]


@pytest.mark.django_db
def test_the_child_or_adult_filter(client, triager):
    child = submitted_referral(subject_type="child")
    adult = submitted_referral(subject_type="adult", date_of_birth=dt.date(1980, 1, 1))
    assert _refs(_queue(client, triager, subject_type="adult")) == [adult.reference]
    assert _refs(_queue(client, triager, subject_type="child")) == [child.reference]


@pytest.mark.django_db
def test_the_referring_organisation_filter(client, triager, practitioner, other_practitioner):
    school = submitted_referral(author=practitioner)
    submitted_referral(author=other_practitioner)
    response = _queue(client, triager, organisation=practitioner.organisation_id)
    assert _refs(response) == [school.reference]


@pytest.mark.django_db
def test_the_indicator_filter_shows_referrals_answering_it_yes(client, triager):
    missing = submitted_referral(yes_to=["cl-01"])
    drugs = submitted_referral(yes_to=["cl-03", "cl-05"])
    assert _refs(_queue(client, triager, indicator="cl-03")) == [drugs.reference]
    assert _refs(_queue(client, triager, indicator="cl-01")) == [missing.reference]


@pytest.mark.django_db
def test_the_received_date_range_filter_uses_london_days(client, triager):
    # 23:30 UTC on 1 June is 00:30 on 2 June in London.
    first_june = submitted_referral(submitted_at=london(2026, 6, 1, 12, 0))
    second_june = submitted_referral(submitted_at=dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC))
    third_june = submitted_referral(submitted_at=london(2026, 6, 3, 9, 0))
    day = {"received_from_0": "2", "received_from_1": "6", "received_from_2": "2026"}
    to = {"received_to_0": "2", "received_to_1": "6", "received_to_2": "2026"}
    assert _refs(_queue(client, triager, **day, **to)) == [second_june.reference]
    assert set(_refs(_queue(client, triager, **to))) == {
        first_june.reference,
        second_june.reference,
    }
    assert set(_refs(_queue(client, triager, **day))) == {
        second_june.reference,
        third_june.reference,
    }


@pytest.mark.django_db
def test_an_impossible_date_in_the_filter_is_explained(client, triager):
    response = _queue(
        client, triager, received_from_0="31", received_from_1="2", received_from_2="2026"
    )
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert html.count("The received on or after date must be a real date") == 2
    assert 'name="received_from_0" value="31"' in html  # what was typed is kept


@pytest.mark.django_db
def test_the_queue_is_paginated_fifty_to_a_page(client, triager):
    for _ in range(51):
        submitted_referral()
    first = _queue(client, triager)
    second = _queue(client, triager, page=2)
    assert len(_refs(first)) == 50
    assert len(_refs(second)) == 1
    assert "Page 1 of 2" in first.content.decode()


def _queries_for_queue_page(client, user, params=None) -> int:
    # The second of two loads: the filter form is cached after the first (it costs
    # the organisation and warning-sign look-ups once a minute, not on every page).
    client.get(reverse("triage_queue"), params or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("triage_queue"), params or {})
    assert response.status_code == 200
    return len(queries)


def _varied_referrals(count: int, workers: list) -> None:
    for n in range(count):
        author = UserFactory(roles=["Practitioner"])  # each in a new organisation
        referral = submitted_referral(author=author, is_urgent=n % 3 == 0)
        if n % 2:
            triage.referral_claim(referral=referral, user=workers[n % len(workers)])


@pytest.mark.django_db
def test_a_queue_page_costs_the_same_number_of_queries_for_3_or_30_referrals(
    client, triager, other_triager
):
    sign_in(client, triager)
    _varied_referrals(3, [triager, other_triager])
    few = _queries_for_queue_page(client, triager)
    filtered_few = _queries_for_queue_page(client, triager, {"indicator": "cl-01", "urgent": "yes"})
    _varied_referrals(27, [triager, other_triager])
    many = _queries_for_queue_page(client, triager)
    filtered_many = _queries_for_queue_page(
        client, triager, {"indicator": "cl-01", "urgent": "yes"}
    )
    assert few == many
    assert filtered_few == filtered_many
    assert many <= 10 and filtered_many <= 10


@pytest.mark.django_db
def test_my_work_lists_only_undecided_referrals_assigned_to_me(client, triager, other_triager):
    mine = claimed_referral(triager)
    decided_referral(triager)
    claimed_referral(other_triager)
    submitted_referral()
    sign_in(client, triager)
    response = client.get(reverse("triage_mine"))
    assert response.status_code == 200
    assert _refs(response) == [mine.reference]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["practitioner", "manager", "admin"])
@pytest.mark.parametrize("url_name", ["triage_queue", "triage_mine"])
def test_only_triage_staff_can_open_the_queue(client, request, persona, url_name):
    submitted_referral()
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(reverse(url_name)).status_code == 404


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("triage_queue"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
def test_viewing_the_queue_is_audited(client, triager):
    from referrals.models import AuditEvent

    _queue(client, triager)
    assert AuditEvent.objects.filter(action="triage.queue_viewed", actor=triager).exists()


@pytest.mark.django_db
def test_the_queue_page_is_read_through_the_queue_index(triager):
    require_postgres()
    from referrals.permissions import referrals_for_triage
    from referrals.triage.queue import queue_queryset

    for _ in range(3):
        submitted_referral()
    page = queue_queryset(referrals_for_triage(triager).undecided())[:50]
    with connection.cursor() as cursor:
        # Small test tables would otherwise be read whole: ask whether the index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = page.explain()
    assert "referral_queue_idx" in plan, plan


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters",
    [{"status": "closed"}, {"status": "decided", "organisation": "org"}],
    ids=["one-status", "organisation-and-status"],
)
def test_a_filtered_queue_page_reads_50_rows_in_order_from_an_index(triager, filters):
    # Decided and closed referrals are most of the table: a page must not sort them all.
    require_postgres()
    from referrals.models import Referral
    from referrals.triage.queue import queue_queryset

    referral = submitted_referral()
    if filters.get("organisation"):
        filters = {**filters, "organisation": referral.organisation}
    page = queue_queryset(Referral.objects.submitted().filter(**filters))[:50]
    with connection.cursor() as cursor:
        # Small test tables would otherwise be read whole and sorted: ask whether the
        # index gives the rows in queue order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = page.explain()
    # Either queue index gives the order on a table this small; what matters is no sort.
    assert "queue_idx" in plan and "Sort" not in plan, plan


@pytest.mark.django_db
def test_each_row_shows_when_it_came_in_how_long_it_has_waited_and_when_it_is_due(
    client, triager, frozen
):
    referral = submitted_referral(
        submitted_at=london(2026, 3, 6, 9, 30),
        first_name="Testa",
        last_name="Testperson",
        subject_type="child",
    )
    (row,) = _queue(client, triager).context["rows"]
    assert row["url"] == reverse("referral_detail", args=[referral.reference])
    assert row["received"] == "6 Mar 2026 09:30"
    assert row["waiting"] == "4 days, 2 hours"
    assert row["due"] == "9 Mar 2026 17:00"
    assert row["overdue"] and not row["urgent"]
    assert row["subject"].startswith("TT, ") and row["subject_type"] == "Child"
    assert row["assigned_to"] == "" and row["referred_by"] == referral.organisation.name


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (59, "59 minutes"),
        (60, "1 hour"),
        (61, "1 hour, 1 minute"),
        (24 * 60, "1 day"),
        (2 * 24 * 60 + 3 * 60 + 5, "2 days, 3 hours"),
    ],
)
def test_waiting_time_is_shown_in_its_two_largest_units(minutes, shown):
    from referrals.triage.queue import waiting

    assert waiting(NOW - dt.timedelta(minutes=minutes), NOW) == shown


@pytest.mark.django_db
def test_a_filter_matching_more_than_the_count_cap_says_so_and_pages_up_to_it(
    client, triager, monkeypatch
):
    from referrals.triage import views as views_triage

    monkeypatch.setattr(views_triage, "QUEUE_COUNT_CAP", 3)
    monkeypatch.setattr(views_triage, "PAGE_SIZE", 2)
    for _ in range(5):
        submitted_referral()
    response = _queue(client, triager)
    assert "More than 3 referrals match." in response.text
    assert response.context["page"].paginator.num_pages == 2
    last = _queue(client, triager, page=9)
    assert last.context["page"].number == 2 and len(last.context["rows"]) == 1


@pytest.mark.django_db
def test_a_count_under_the_cap_is_given_exactly(client, triager):
    for _ in range(2):
        submitted_referral()
    assert "2 referrals." in _queue(client, triager).text


@pytest.mark.django_db
def test_the_rows_escape_what_referrers_typed(client, triager):
    # The table is a Jinja2 fragment (referrals.fragments): autoescaped like the page.
    org = OrganisationFactory(name='<script>alert("Łódź")</script> & Ørsted Æbeltoft')
    submitted_referral(author=UserFactory(organisation=org, roles=["Practitioner"]))
    html = _queue(client, triager).text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;Łódź&#34;)&lt;/script&gt; &amp; Ørsted Æbeltoft" in html


@pytest.mark.django_db
def test_the_page_links_keep_the_filters(client, triager, monkeypatch):
    from referrals.triage import views as views_triage

    monkeypatch.setattr(views_triage, "PAGE_SIZE", 2)
    for _ in range(5):
        submitted_referral(is_urgent=True)
    first = _queue(client, triager, urgent="yes").text
    assert 'href="?urgent=yes&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first and "Page 1 of 3" in first
    middle = _queue(client, triager, urgent="yes", page=2).text
    assert 'href="?urgent=yes&amp;page=1" rel="prev"' in middle
    assert 'href="?urgent=yes&amp;page=3" rel="next"' in middle
    unfiltered = _queue(client, triager, page=2).text
    assert 'href="?page=1" rel="prev"' in unfiltered


@pytest.mark.django_db
def test_the_count_reads_only_the_ids_not_the_rows_joins(client, triager):
    submitted_referral()
    sign_in(client, triager)
    for params in ({}, {"status": "decided"}):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("triage_queue"), params)
        (count,) = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*) FROM (")]
        assert "JOIN" not in count and "ORDER BY" not in count, count
