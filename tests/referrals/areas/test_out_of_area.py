"""Other areas (issue 18): a contact about a child found here who lives elsewhere. The
referral page prompts triage; recording the home council sends its front door one
content-light notice (our reference and phone number) through the outbox, over real
SMTP, with no personal data."""

import pytest
from django.conf import settings
from django.urls import reverse

from referrals.models import AuditEvent, Council, Disclosure, Notification, ReferralEvent
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.notifications import leaks, sentinel_referral
from tests.smtp_sink import SmtpSink

PROMPT = "This may be another council's child"
OUT_OF_AREA = Notification.Kind.OUT_OF_AREA


@pytest.fixture
def sink(settings):
    server = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.stop()


@pytest.fixture
def bradford(db):
    return Council.objects.create(
        name="Testford Council",
        front_door_email="mash@testford.example",
        front_door_phone="01274 496 000",
        postcode_areas=["BD"],
    )


@pytest.fixture
def calderdale(db):
    return Council.objects.create(
        name="Calderton Council",
        front_door_email="front.door@calderton.example",
        postcode_areas=["HX1"],
    )


def _page(client, referral) -> str:
    return client.get(reverse("referral_detail", args=[referral.reference])).content.decode()


def _record(client, referral, council):
    url = reverse("referral_home_council", args=[referral.reference])
    return client.post(url, {"council": council.pk})


@pytest.mark.django_db
def test_found_in_areas_away_from_home_prompts_triage_to_record_the_home_council(client, triager):
    sign_in(client, triager)
    referral = submitted_referral(yes_to=["cl-02"])
    page = _page(client, referral)
    assert PROMPT in page
    assert "Being found in areas away from home" in page
    assert reverse("referral_home_council", args=[referral.reference]) in page


@pytest.mark.django_db
def test_a_home_postcode_outside_this_council_prompts_and_suggests_the_council_covering_it(
    client, triager, bradford, calderdale
):
    sign_in(client, triager)
    referral = submitted_referral(postcode="BD1 1AA")
    assert "The home postcode BD1 1AA is outside this council" in _page(client, referral)
    form = client.get(reverse("referral_home_council", args=[referral.reference]))
    assert f'<option value="{bradford.pk}" selected>' in form.content.decode()


@pytest.mark.django_db
def test_a_child_from_here_found_nowhere_else_gets_no_prompt(client, triager):
    sign_in(client, triager)
    referral = submitted_referral(postcode="LS6 2AB", yes_to=["cl-01"])
    page = _page(client, referral)
    assert PROMPT not in page
    assert "Record a home council" in page


@pytest.mark.django_db
def test_recording_the_home_council_sends_one_notice_with_no_personal_data(
    client, triager, bradford, sink, django_capture_on_commit_callbacks
):
    referral = sentinel_referral(yes_to=["cl-02"])
    sign_in(client, triager)
    with django_capture_on_commit_callbacks(execute=True):
        response = _record(client, referral, bradford)
        assert response.status_code == 302
        _record(client, referral, bradford)  # again: nothing more is sent

    notices = [m for m in sink.accepted if m.rcpt_tos == [bradford.front_door_email]]
    assert len(notices) == 1
    text = notices[0].text()
    assert referral.reference in text
    assert settings.FRONT_DOOR_PHONE in text and settings.FRONT_DOOR_NAME in text
    assert "from your area" in notices[0].subject
    assert leaks(text) == []
    assert settings.SITE_URL not in text  # the other council cannot sign in here
    assert Notification.objects.get(kind=OUT_OF_AREA).state == Notification.State.SENT

    referral.refresh_from_db()
    assert referral.home_council == bradford
    page = _page(client, referral)
    assert "Home council: <strong>Testford Council</strong>" in page
    assert PROMPT not in page
    assert ReferralEvent.objects.filter(referral=referral, kind="home_council").count() == 1
    assert (
        AuditEvent.objects.filter(
            action="referral.home_council_recorded", referral=referral, actor=triager
        ).count()
        == 1
    )
    # The notice is a disclosure: it is in the information-sharing log once.
    logged = Disclosure.objects.get(referral=referral)
    assert (logged.kind, logged.recipient, logged.decided_by) == (
        Disclosure.Kind.OTHER_COUNCIL,
        "Testford Council",
        triager,
    )


@pytest.mark.django_db
def test_changing_the_home_council_tells_the_new_one_once(
    client, triager, bradford, calderdale, sink, django_capture_on_commit_callbacks
):
    referral = submitted_referral(postcode="BD1 1AA")
    sign_in(client, triager)
    with django_capture_on_commit_callbacks(execute=True):
        _record(client, referral, bradford)
        _record(client, referral, calderdale)
        _record(client, referral, bradford)  # back again: Testford was told already
    assert sorted(r for m in sink.accepted for r in m.rcpt_tos) == sorted(
        [bradford.front_door_email, calderdale.front_door_email]
    )
    referral.refresh_from_db()
    assert referral.home_council == bradford
    events = ReferralEvent.objects.filter(referral=referral, kind="home_council")
    assert [e.text for e in events.order_by("id")] == [
        "Testford Council",
        "Calderton Council (was Testford Council)",
        "Testford Council (was Calderton Council)",
    ]


@pytest.mark.django_db
def test_a_home_council_must_be_chosen_from_the_active_list(client, triager, bradford):
    bradford.active = False
    bradford.save()
    referral = submitted_referral()
    sign_in(client, triager)
    response = _record(client, referral, bradford)
    assert response.status_code == 200
    assert "Choose the child" in response.content.decode()
    referral.refresh_from_db()
    assert referral.home_council is None and not Notification.objects.filter(kind=OUT_OF_AREA)
