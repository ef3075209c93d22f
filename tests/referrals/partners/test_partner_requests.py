"""Triage asks a partner agency what it knows; the agency's Partner users answer in the
portal, seeing only what was shared (issue 19, partner information requests)."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from referrals.models import (
    AuditEvent,
    Disclosure,
    InformationRequest,
    Notification,
    ReferralEvent,
)
from referrals.partners import services
from tests.auth import sign_in
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.partners import ANSWER, QUESTION, answered_request, sent_request
from tests.factories.triage import claimed_referral, london

# A Wednesday morning.
WEDNESDAY = london(2026, 3, 25, 10, 0)
SUBJECT = {
    "first_name": "Zoë",
    "last_name": "Ångström",
    "date_of_birth": dt.date(2011, 7, 23),
    "address_line_1": "12 Æsa Road",
    "town": "Testtown",
    "postcode": "TT1 1ZZ",
}


def _referral(triager, practitioner, **fields):
    return claimed_referral(triager, author=practitioner, **{**SUBJECT, **fields})


def _send_data(organisation, **fields):
    data = {
        "organisation": organisation.pk,
        "question": QUESTION,
        "shared_fields": ["name", "date_of_birth"],
        "lawful_basis": "public_task_safeguarding",
        "due_on_0": "26",
        "due_on_1": "3",
        "due_on_2": "2026",
        "due_time": "12:00",
        "form_token": str(uuid.uuid4()),
    }
    data.update(fields)
    return data


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.django_db
def test_triage_sends_a_request_which_is_in_the_chronology_and_the_sharing_log(
    client, triager, practitioner, partner
):
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        sign_in(client, triager)
        url = reverse("information_request_create", args=[referral.reference])
        response = client.post(url, _send_data(partner.organisation))

    assert response.status_code == 302
    info = InformationRequest.objects.get(referral=referral)
    assert info.organisation == partner.organisation and info.asked_by == triager
    assert info.shared_fields == ["name", "date_of_birth"]
    assert (info.shared_name, info.shared_date_of_birth) == (
        "Zoë Ångström",
        SUBJECT["date_of_birth"],
    )
    # Only what was chosen is kept on the request.
    assert info.shared_address == info.shared_referrer == ""
    assert info.due_at == london(2026, 3, 26, 12, 0)
    event = referral.events.get(kind=ReferralEvent.Kind.PARTNER_REQUEST)
    assert "Testshire Police" in event.text and QUESTION in event.text
    logged = Disclosure.objects.get(referral=referral, kind=Disclosure.Kind.INFORMATION_REQUEST)
    assert logged.organisation == partner.organisation and logged.decided_by == triager
    assert logged.what == ["Subject's name", "Subject's date of birth", "the question"]
    told = Notification.objects.get(kind=Notification.Kind.PARTNER_REQUEST)
    assert told.recipient == partner

    sign_in(client, triager)
    page = client.get(reverse("referral_detail", args=[referral.reference]))
    text = page.content.decode()
    assert "Information requests to partner agencies" in text and "Overdue" in text
    assert "Information-sharing log" in text and "Information request to a partner" in text


@pytest.mark.django_db
def test_a_double_submission_sends_one_request(client, triager, practitioner, partner):
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        sign_in(client, triager)
        url = reverse("information_request_create", args=[referral.reference])
        data = _send_data(partner.organisation)
        client.post(url, data)
        client.post(url, data)
    assert InformationRequest.objects.filter(referral=referral).count() == 1
    assert Disclosure.objects.filter(kind=Disclosure.Kind.INFORMATION_REQUEST).count() == 1


@pytest.mark.django_db
def test_the_due_time_is_prefilled_from_the_rag_rating_and_the_agency_kind(
    triager, practitioner, partner, settings
):
    settings.PARTNER_REQUEST_DUE_BY_KIND = {"health": {"amber": (16.0, "working hours")}}
    health = OrganisationFactory(name="Testshire Health", kind="health")
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        # Not rated counts as amber: one working day.
        assert services.default_due_at(referral, "police", WEDNESDAY) == london(2026, 3, 26, 10)
        assert services.default_due_at(referral, "health", WEDNESDAY) == london(2026, 3, 27, 10)
        referral.rag_rating = "red"
        assert services.default_due_at(referral, "police", WEDNESDAY) == london(2026, 3, 25, 12)
        referral.rag_rating = "green"
        assert services.default_due_at(referral, "police", WEDNESDAY) == london(2026, 3, 30, 10)
    assert health.kind == "health"


@pytest.mark.django_db
def test_leaving_the_prefilled_due_time_uses_the_chosen_agencys_clock(
    client, triager, practitioner, settings
):
    settings.PARTNER_REQUEST_DUE_BY_KIND = {"health": {"amber": (16.0, "working hours")}}
    health = OrganisationFactory(name="Testshire Health", kind="health")
    UserFactory(email="hana.health@example.org", organisation=health, roles=[Role.PARTNER])
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        sign_in(client, triager)
        url = reverse("information_request_create", args=[referral.reference])
        form = client.get(url).context["form"]
        prefilled = form.initial["prefilled_due"]
        assert prefilled == "2026-03-26 10:00"
        data = _send_data(health, due_time="10:00", prefilled_due=prefilled)
        assert client.post(url, data).status_code == 302
    assert InformationRequest.objects.get().due_at == london(2026, 3, 27, 10, 0)


@pytest.mark.django_db
def test_a_request_to_an_agency_with_no_active_users_is_refused_naming_it_and_keeps_what_was_typed(
    client, triager, practitioner
):
    empty = OrganisationFactory(name="Testshire Probation Ærø", kind="probation")
    UserFactory(email="gone@example.org", organisation=empty, roles=[Role.PARTNER], is_active=False)
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        sign_in(client, triager)
        url = reverse("information_request_create", args=[referral.reference])
        response = client.post(url, _send_data(empty, question="Is Øyvind known to you?"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Testshire Probation Ærø has no active users in the portal" in text
    assert "Is Øyvind known to you?" in text
    assert not InformationRequest.objects.exists() and not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_form_with_errors_keeps_everything_typed(client, triager, practitioner, partner):
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        sign_in(client, triager)
        url = reverse("information_request_create", args=[referral.reference])
        data = _send_data(partner.organisation, question="Is Zoë known?", due_time="25:99")
        data["shared_fields"] = ["address"]
        response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Enter the time as hours and minutes" in text
    assert "Is Zoë known?" in text and 'value="25:99"' in text
    form = response.context["form"]
    assert form["shared_fields"].value() == ["address"]
    assert str(form["organisation"].value()) == str(partner.organisation.pk)


@pytest.mark.django_db
def test_the_partner_sees_only_their_agencys_requests_and_only_what_was_shared(
    client, triager, practitioner, partner
):
    referral = _referral(triager, practitioner)
    info = sent_request(referral, triager, partner.organisation, shared=("name",))
    health = OrganisationFactory(name="Testshire Health", kind="health")
    UserFactory(email="hana.health@example.org", organisation=health, roles=[Role.PARTNER])
    other = sent_request(referral, triager, health, shared=("name", "address"))

    sign_in(client, partner)
    queue = client.get(reverse("partner_queue"))
    assert [row["pk"] for row in queue.context["rows"]] == [info.pk]
    page = client.get(reverse("partner_request_detail", args=[info.pk]))
    text = page.content.decode()
    assert "Zoë Ångström" in text and QUESTION.replace("'", "&#x27;") in text
    for hidden in (
        "Æsa Road",
        "23 July 2011",
        "Pat Testteacher",
        referral.concern or "never-there",
    ):
        assert hidden not in text
    assert client.get(reverse("partner_request_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("referral_detail", args=[referral.reference])).status_code == 404
    assert client.get(reverse("triage_queue")).status_code == 404
    assert AuditEvent.objects.filter(
        action="partner_request.viewed", outcome=AuditEvent.Outcome.DENIED
    ).exists()


@pytest.mark.django_db
def test_the_referrer_is_shown_to_the_partner_only_when_chosen(
    client, triager, practitioner, partner
):
    referral = _referral(triager, practitioner)
    without = sent_request(referral, triager, partner.organisation, shared=("name", "address"))
    chosen = sent_request(referral, triager, partner.organisation, shared=("referrer",))
    sign_in(client, partner)
    first = client.get(reverse("partner_request_detail", args=[without.pk])).content.decode()
    assert "Pat Testteacher" not in first and "12 Æsa Road" in first
    second = client.get(reverse("partner_request_detail", args=[chosen.pk])).content.decode()
    assert "Pat Testteacher" in second and "Ångström</dd>" not in second


@pytest.mark.django_db
def test_the_partner_answers_and_triage_sees_it_on_the_referral_and_in_the_log(
    client, triager, practitioner, partner
):
    referral = _referral(triager, practitioner)
    info = sent_request(referral, triager, partner.organisation)
    sign_in(client, partner)
    url = reverse("partner_request_detail", args=[info.pk])
    data = {"answer": ANSWER, "form_token": str(uuid.uuid4())}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double click: nothing more
    info.refresh_from_db()
    assert (info.state, info.answer, info.answered_by) == ("answered", ANSWER, partner)
    assert referral.events.filter(kind=ReferralEvent.Kind.PARTNER_ANSWER).count() == 1
    answer = Disclosure.objects.get(kind=Disclosure.Kind.PARTNER_ANSWER)
    assert answer.organisation == partner.organisation and answer.decided_by == partner
    told = Notification.objects.get(kind=Notification.Kind.PARTNER_ANSWERED)
    assert told.recipient == triager

    sign_in(client, triager)
    text = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Known to police: yes, with details." in text and "Answered" in text


@pytest.mark.django_db
def test_an_empty_answer_needs_nothing_known_and_nothing_known_is_an_answer(
    client, triager, practitioner, partner
):
    referral = _referral(triager, practitioner)
    info = sent_request(referral, triager, partner.organisation)
    sign_in(client, partner)
    url = reverse("partner_request_detail", args=[info.pk])
    response = client.post(url, {"answer": "  ", "form_token": str(uuid.uuid4())})
    assert response.status_code == 200 and "nothing known" in response.content.decode()
    client.post(url, {"nothing_known": "on", "form_token": str(uuid.uuid4())})
    info.refresh_from_db()
    assert info.state == "answered" and info.nothing_known
    assert Disclosure.objects.get(kind=Disclosure.Kind.PARTNER_ANSWER).what == ["nothing known"]


@pytest.mark.django_db
def test_a_stale_link_to_a_withdrawn_request_shows_a_clear_page(
    client, triager, practitioner, partner
):
    referral = _referral(triager, practitioner)
    info = sent_request(referral, triager, partner.organisation)
    sign_in(client, triager)
    url = reverse("information_request_withdraw", args=[referral.reference, info.pk])
    assert client.post(url).status_code == 302
    assert referral.events.filter(kind=ReferralEvent.Kind.PARTNER_WITHDRAWN).exists()

    sign_in(client, partner)
    page = client.get(reverse("partner_request_detail", args=[info.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "This request has been withdrawn" in text and "Zoë" not in text
    posted = client.post(
        reverse("partner_request_detail", args=[info.pk]),
        {"answer": ANSWER, "form_token": str(uuid.uuid4())},
    )
    assert posted.status_code == 200 and "withdrawn" in posted.content.decode()
    info.refresh_from_db()
    assert info.state == "withdrawn" and info.answer == ""


@pytest.mark.django_db
def test_a_decision_not_to_share_needs_a_reason_and_is_logged(
    client, triager, practitioner, partner
):
    referral = _referral(triager, practitioner)
    sign_in(client, triager)
    url = reverse("sharing_refusal_create", args=[referral.reference])
    data = {
        "kind": "information_request",
        "organisation": partner.organisation.pk,
        "what": ["address"],
        "reason": "",
        "recipient_name": "",
        "form_token": str(uuid.uuid4()),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Enter why the information is not being shared" in (
        response.content.decode()
    )
    assert response.context["form"]["what"].value() == ["address"]
    data["reason"] = "Sharing Zoë's address could put her mother at risk."
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    refusal = Disclosure.objects.get()
    assert refusal.decision == Disclosure.Decision.NOT_SHARED
    assert refusal.reason == data["reason"] and refusal.what == ["Subject's address"]
    assert referral.events.filter(kind=ReferralEvent.Kind.NOT_SHARED).count() == 1
    text = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "could put her mother at risk" in text


@pytest.mark.django_db
def test_the_partner_is_reminded_before_the_due_time_and_the_leads_are_told_when_overdue(
    triager, practitioner, partner
):
    triager.is_triage_lead = True
    triager.save()
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        info = sent_request(referral, triager, partner.organisation, due_at=london(2026, 3, 26, 10))
    # A quarter of the 24 hours before the due time: from 04:00 on Thursday.
    with time_machine.travel(london(2026, 3, 26, 3, 0), tick=False):
        assert services.partner_requests_chase() == {"reminded": 0, "escalated": 0}
    with time_machine.travel(london(2026, 3, 26, 5, 0), tick=False):
        assert services.partner_requests_chase() == {"reminded": 1, "escalated": 0}
        assert services.partner_requests_chase() == {"reminded": 0, "escalated": 0}
    reminder = Notification.objects.get(kind=Notification.Kind.PARTNER_REMINDER)
    assert reminder.recipient == partner
    with time_machine.travel(london(2026, 3, 26, 10, 1), tick=False):
        assert services.partner_requests_chase() == {"reminded": 0, "escalated": 1}
        assert services.partner_requests_chase() == {"reminded": 0, "escalated": 0}
        info.refresh_from_db()
        assert info.state_label() == "Overdue"
    overdue = Notification.objects.get(kind=Notification.Kind.PARTNER_OVERDUE)
    assert overdue.recipient == triager


@pytest.mark.django_db
def test_partner_emails_carry_no_personal_details(
    triager, practitioner, partner, django_capture_on_commit_callbacks
):
    triager.is_triage_lead = True
    triager.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral = _referral(triager, practitioner)
        from tests.factories.partners import every_partner_email

        every_partner_email(referral, triager, partner, question=QUESTION, answer=ANSWER)
    partner_mail = [m for m in mail.outbox if "information request" in m.subject.lower()]
    assert len(partner_mail) >= 3
    for message in partner_mail:
        whole = message.subject + message.body
        for personal in ("Zoë", "Ångström", "Æsa", "Łukasz", "2011", "Øyvind", "Police"):
            assert personal not in whole, (personal, message.subject)


@pytest.mark.django_db
def test_answer_on_a_request_by_another_agency_is_refused(triager, practitioner, partner):
    referral = _referral(triager, practitioner)
    health = OrganisationFactory(name="Testshire Health", kind="health")
    nurse = UserFactory(email="hana.health@example.org", organisation=health, roles=[Role.PARTNER])
    info = sent_request(referral, triager, partner.organisation)
    with pytest.raises(services.PartnerRequestRefused):
        answered_request(info, nurse)


def test_beat_chases_partner_requests_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["partner-requests-chase"]
    assert entry == {"task": "referrals.partner_requests_chase", "schedule": 300.0}


@pytest.mark.django_db
def test_the_beat_task_escalates_an_overdue_request_once(triager, practitioner, partner):
    from referrals.tasks import partner_requests_chase

    triager.is_triage_lead = True
    triager.save()
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        info = sent_request(referral, triager, partner.organisation, due_at=london(2026, 3, 25, 12))
    with time_machine.travel(london(2026, 3, 25, 12, 5), tick=False):
        assert partner_requests_chase() == {"reminded": 0, "escalated": 1}
        assert partner_requests_chase() == {"reminded": 0, "escalated": 0}
    info.refresh_from_db()
    assert info.escalated_at == london(2026, 3, 25, 12, 5) and info.reminded_at is None
    assert AuditEvent.objects.filter(action="partner_request.escalated").count() == 1


@pytest.mark.django_db
def test_an_answered_or_withdrawn_request_is_never_chased(triager, practitioner, partner):
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        due = london(2026, 3, 25, 12)
        answered_request(sent_request(referral, triager, partner.organisation, due_at=due), partner)
        withdrawn = sent_request(referral, triager, partner.organisation, due_at=due)
        services.information_request_withdraw(information_request=withdrawn, user=triager)
    with time_machine.travel(london(2026, 3, 26, 12), tick=False):
        assert services.partner_requests_chase() == {"reminded": 0, "escalated": 0}
    assert not Notification.objects.filter(
        kind__in=[Notification.Kind.PARTNER_REMINDER, Notification.Kind.PARTNER_OVERDUE]
    ).exists()


@pytest.mark.django_db
def test_a_lost_form_token_keeps_what_was_typed(client, triager, practitioner, partner):
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = _referral(triager, practitioner)
        sign_in(client, triager)
        url = reverse("information_request_create", args=[referral.reference])
        response = client.post(url, _send_data(partner.organisation, form_token="tampered"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "The form could not be sent" in text and "Is Zoë Ångström known to you" in text
    assert not InformationRequest.objects.exists()
