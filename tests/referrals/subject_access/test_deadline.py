"""The one-month deadline of a subject access request (UK GDPR Art. 12(3)): the same
day next month, or the month's last day when it is shorter; two more months when
extended; overdue requests tagged on the list."""

import datetime as dt

import pytest
from django.urls import reverse

from referrals.models import SubjectAccessRequest
from referrals.models.subject_access import calendar_months_after
from referrals.subject_access import services
from tests.auth import sign_in
from tests.factories import submitted_referral


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 15), dt.date(2026, 2, 15)),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
        (dt.date(2026, 12, 31), dt.date(2027, 1, 31)),
    ],
)
def test_a_request_is_due_one_calendar_month_after_it_was_received(received, due):
    assert calendar_months_after(received, 1) == due


def test_three_months_after_the_last_of_november_is_the_last_of_february():
    assert calendar_months_after(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


@pytest.mark.django_db
def test_an_extension_adds_two_months_from_the_date_received(admin, practitioner, settings):
    referral = submitted_referral(author=practitioner)
    sar = services.subject_access_request_record(
        user=admin,
        referral=referral,
        requester="subject",
        requester_name="Zoë Inventedsubject",
        received_on=dt.date(2026, 1, 31),
    )
    assert sar.due_on == dt.date(2026, 2, 28)
    services.subject_access_extend(sar=sar, user=admin, reason="Many records across teams.")
    sar.refresh_from_db()
    assert sar.due_on == dt.date(2026, 4, 30)
    assert sar.extension_reason == "Many records across teams."


@pytest.mark.django_db
def test_the_list_shows_each_open_request_due_date_and_tags_the_overdue_one(
    client, admin, practitioner
):
    referral = submitted_referral(author=practitioner)
    overdue = services.subject_access_request_record(
        user=admin,
        referral=referral,
        requester="subject",
        requester_name="Øyvind Requester",
        received_on=dt.date(2025, 1, 31),
    )
    sign_in(client, admin)
    response = client.get(reverse("subject_access_list"))
    html = response.content.decode()
    assert f"SAR-{overdue.pk}" in html
    assert "28 February 2025" in html
    assert 'govuk-tag--red">Overdue' in html
    assert SubjectAccessRequest.objects.overdue().count() == 1


@pytest.mark.django_db
def test_the_form_records_a_request_received_earlier_for_a_referral_reference(
    client, admin, practitioner, django_capture_on_commit_callbacks
):
    referral = submitted_referral(author=practitioner)
    sign_in(client, admin)
    data = {
        "reference": referral.reference.lower(),
        "requester": "parent",
        "requester_name": "Æsa Requester",
        "received_on_0": "31",
        "received_on_1": "1",
        "received_on_2": "2028",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subject_access_create"), data)
    assert response.status_code == 400  # 2028 is in the future
    assert "must be today or earlier" in response.content.decode()
    assert "Æsa Requester" in response.content.decode()  # nothing typed is lost
    data["received_on_2"] = "2024"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subject_access_create"), data)
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert sar.due_on == dt.date(2024, 2, 29)
    assert sar.person_record_id == referral.person.record_id


@pytest.mark.django_db
def test_the_form_says_when_neither_a_record_nor_a_reference_is_given(client, admin):
    sign_in(client, admin)
    response = client.post(
        reverse("subject_access_create"), {"requester": "subject", "requester_name": "Zoë"}
    )
    assert response.status_code == 400
    assert "Enter the person record number or the referral reference" in response.content.decode()
