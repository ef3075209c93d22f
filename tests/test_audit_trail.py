"""The audit trail: sign-ins, denied attempts, request ids, search and the
"who has viewed or exported this" panel (issue 4)."""

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from referrals.audit import audit_record
from referrals.detail.presenters import access_log_context
from referrals.models import AuditEvent
from tests.auth import sign_in
from tests.factories import TEST_PASSWORD, submitted_referral
from tests.services import require_postgres


def test_a_successful_sign_in_is_audited_with_request_id_and_ip(client, practitioner):
    response = client.post(
        reverse("login"),
        {"username": practitioner.email, "password": TEST_PASSWORD},
        REMOTE_ADDR="192.0.2.44",
    )
    event = AuditEvent.objects.get(action="auth.sign_in", outcome="allowed")
    assert event.actor == practitioner
    assert event.ip_address == "192.0.2.44"
    assert event.request_id == response["X-Request-ID"]


def test_a_request_id_from_the_proxy_is_kept(client, practitioner):
    client.post(
        reverse("login"),
        {"username": practitioner.email, "password": TEST_PASSWORD},
        HTTP_X_REQUEST_ID="proxy-req-123",
    )
    assert AuditEvent.objects.get(action="auth.sign_in").request_id == "proxy-req-123"


def test_a_failed_sign_in_is_audited_without_the_password(client, practitioner):
    client.post(reverse("login"), {"username": practitioner.email, "password": "Sentinel-Pw-99"})
    event = AuditEvent.objects.get(action="auth.sign_in", outcome="failed")
    assert event.actor == practitioner
    assert "Sentinel-Pw-99" not in str(event.detail)


def test_a_failed_sign_in_for_an_unknown_address_is_audited(client, db):
    client.post(reverse("login"), {"username": "nobody@example.org", "password": "x" * 12})
    event = AuditEvent.objects.get(action="auth.sign_in", outcome="failed")
    assert event.actor is None
    assert event.detail["username"] == "nobody@example.org"


def test_signing_out_is_audited(client, practitioner):
    client.post(reverse("login"), {"username": practitioner.email, "password": TEST_PASSWORD})
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(actor=practitioner, action="auth.sign_out").exists()


def test_opening_a_page_of_another_role_is_audited_as_denied(client, practitioner):
    sign_in(client, practitioner)
    assert client.get("/triage/").status_code == 404
    event = AuditEvent.objects.get(action="page.denied")
    assert event.actor == practitioner
    assert event.outcome == "denied"


def test_opening_a_referral_out_of_scope_is_audited_as_denied(
    client, practitioner, other_practitioner
):
    referral = submitted_referral(author=practitioner)
    sign_in(client, other_practitioner)
    assert client.get(f"/referrals/{referral.reference}/").status_code == 404
    event = AuditEvent.objects.get(actor=other_practitioner, outcome="denied")
    assert event.referral_id == referral.pk


def search(client, **params):
    return client.get(reverse("audit_search"), params)


def test_administrators_search_the_trail_by_user(client, admin, practitioner, triager):
    audit_record(action="referral.viewed", actor=practitioner)
    audit_record(action="referral.viewed", actor=triager)
    sign_in(client, admin)
    response = search(client, user="pat.teacher")
    events = list(response.context["page"])
    assert [e.actor_email for e in events] == [practitioner.email]


def test_administrators_search_the_trail_by_referral(client, admin, practitioner, triager):
    first = submitted_referral(author=practitioner)
    second = submitted_referral(author=practitioner)
    audit_record(action="referral.viewed", actor=triager, referral=first)
    audit_record(action="referral.viewed", actor=triager, referral=second)
    sign_in(client, admin)
    events = list(search(client, reference=first.reference).context["page"])
    assert events and all(e.referral_id == first.pk for e in events)


def test_administrators_search_the_trail_by_london_date(client, admin, triager):
    london = timezone.get_default_timezone()
    just_before = timezone.make_aware(datetime(2026, 6, 1, 23, 59), london)
    on_the_day = timezone.make_aware(datetime(2026, 6, 2, 0, 30), london)
    sign_in(client, admin)
    AuditEvent.objects.create(action="dated", actor=triager, at=just_before)
    AuditEvent.objects.create(action="dated", actor=triager, at=on_the_day)
    AuditEvent.objects.create(action="dated", actor=triager, at=on_the_day + timedelta(days=1))
    response = search(client, date_from="2/6/2026", date_to="2/6/2026")
    actions = [(e.action, e.at) for e in response.context["page"] if e.action == "dated"]
    assert actions == [("dated", on_the_day)]


def test_a_to_date_before_the_from_date_gets_a_message(client, admin):
    sign_in(client, admin)
    response = search(client, date_from="3/6/2026", date_to="2/6/2026")
    assert "The to date must be the same as or after the from date" in response.content.decode()


def test_only_administrators_search_the_trail(client, triager, manager, practitioner):
    for user in (triager, manager, practitioner):
        sign_in(client, user)
        assert client.get(reverse("audit_search")).status_code == 404


@pytest.fixture
def viewed_referral(practitioner, triager):
    referral = submitted_referral(author=practitioner)
    audit_record(action="referral.viewed", actor=triager, referral=referral)
    audit_record(action="export.requested", actor=triager, referral=referral)
    audit_record(action="referral.claimed", actor=triager, referral=referral)
    return referral


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_triage_see_who_viewed_or_exported_a_referral(triager, viewed_referral):
    context = access_log_context(request_as(triager), viewed_referral)
    assert [entry["what"] for entry in context["access_log"]] == ["Asked for a PDF", "Viewed"]
    assert {entry["who"] for entry in context["access_log"]} == {triager.email}
    html = render_to_string("referrals/detail/access_log.html", context)
    assert "Who has viewed or exported this referral" in html
    assert triager.email in html


def test_administrators_see_the_access_log_with_a_link_to_the_trail(admin, viewed_referral):
    context = access_log_context(request_as(admin), viewed_referral)
    assert len(context["access_log"]) == 2
    assert viewed_referral.reference in context["access_log_search_url"]


def test_practitioners_and_managers_do_not_see_the_access_log(
    practitioner, manager, viewed_referral
):
    assert access_log_context(request_as(practitioner), viewed_referral) == {}
    assert access_log_context(request_as(manager), viewed_referral) == {}
    assert render_to_string("referrals/detail/access_log.html", {}).strip() == ""


@pytest.mark.postgres
def test_the_database_refuses_to_update_or_delete_audit_rows(practitioner):
    # Each refused statement is rolled back to its own savepoint (transaction.atomic
    # inside the test's transaction), so the test needs no flush of the table.
    require_postgres()
    event = audit_record(action="referral.viewed", actor=practitioner)
    for statement in (
        "UPDATE referrals_auditevent SET action = 'rewritten' WHERE id = %s",
        "DELETE FROM referrals_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, ProgrammingError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    with pytest.raises((InternalError, ProgrammingError, IntegrityError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises((InternalError, ProgrammingError, IntegrityError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.action == "referral.viewed"


def test_role_changes_in_the_django_admin_are_audited_and_deactivation_ends_sessions(
    client, admin, practitioner
):
    from django.contrib.auth.models import Group

    admin.is_superuser = True
    admin.save()
    victim = client.__class__()
    sign_in(victim, practitioner)
    sign_in(client, admin)
    response = client.post(
        f"/admin/accounts/user/{practitioner.pk}/change/",
        {
            "email": practitioner.email,
            "full_name": practitioner.full_name,
            "job_title": "",
            "work_phone": "",
            "organisation": practitioner.organisation_id,
            "groups": [Group.objects.get(name="Triage").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="user.access_changed")
    assert event.actor == admin
    assert event.detail["before"]["roles"] == ["Practitioner"]
    assert event.detail["after"]["roles"] == ["Triage"]
    assert event.detail["after"]["is_active"] is False
    assert victim.get("/referrals/mine/").status_code == 302


def test_sign_in_logs_and_account_emails_carry_no_personal_data(client, caplog, school):
    import logging

    from django.core import mail

    from tests.factories import UserFactory

    sentinel_name = "Sentinelname Qzxv"
    user = UserFactory(full_name=sentinel_name, organisation=school)
    caplog.set_level(logging.DEBUG)
    client.post(reverse("login"), {"username": user.email, "password": "wrong-password-x"})
    client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    client.post(reverse("logout"))
    client.post(reverse("password_reset"), {"email": user.email})
    client.post(
        reverse("account_request"),
        {
            "email": "sentinel@testshire.sch.uk",
            "full_name": sentinel_name,
            "job_title": "Sentineljob Qzxv",
            "organisation": school.pk,
        },
    )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "Sentinel" not in message.subject + message.body
    assert "Sentinel" not in caplog.text
    assert user.email not in caplog.text


def test_failed_sign_ins_for_an_address_without_an_account_are_found_by_that_address(client, admin):
    anonymous = client.__class__()
    for _ in range(5):
        anonymous.post(reverse("login"), {"username": "No.Body@Example.org", "password": "x" * 12})
    sign_in(client, admin)
    for query in ("no.body@example.org", "NO.BODY@example", "no.body"):
        events = list(search(client, user=query).context["page"])
        assert {(e.action, e.outcome) for e in events} == {
            ("auth.sign_in", "failed"),
            ("auth.locked_out", "denied"),
        }, query
        assert all(e.actor_id is None for e in events)
    page = search(client, user="no.body@example.org").content.decode()
    assert "no.body@example.org (no account)" in page


def test_searching_the_trail_by_address_reads_one_column_not_the_event_detail(client, admin):
    from django.test.utils import CaptureQueriesContext

    sign_in(client, admin)
    with CaptureQueriesContext(connection) as queries:
        search(client, user="nobody@example.org")
    audit_queries = [q["sql"] for q in queries if "auditevent" in q["sql"] and "SELECT" in q["sql"]]
    assert audit_queries
    assert not any('"detail"' in sql.split("WHERE", 1)[-1] for sql in audit_queries)
