"""Destruction after retention (issue 21), with frozen time: a contact with no further
action passes its retention date, the nightly task puts it on the due list, an
administrator's dry run destroys nothing, their approval destroys it: the tombstone is
kept and no personal data is left in any table of the database."""

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from referrals.attachments import services as attachments
from referrals.exports import services as exports
from referrals.models import (
    Addendum,
    Attachment,
    AuditEvent,
    DestructionBatch,
    Export,
    LinkKey,
    Person,
    Referral,
    RetentionDue,
    SubjectAccessBundle,
    Tombstone,
)
from referrals.subject_access import services as subject_access
from referrals.tasks import retention_list_due as retention_list_due_task
from referrals.triage import services as triage
from tests.auth import sign_in
from tests.factories.addenda import added_information, answered_question
from tests.factories.exports import an_export, london
from tests.factories.partners import answered_request, sent_request
from tests.factories.retention import decided_contact

pytestmark = pytest.mark.postgres

SENTINEL = "Sentinelia Øxbrøw-Łamp"
# The sentinel as it may be stored: as typed, folded for matching (match_name, link
# keys), and each distinctive part on its own.
NEEDLES = ["Sentinelia", "Øxbrøw", "oxbrow", "Łamp"]
DECIDED = london(2020, 3, 10, 11)
PAST_DUE = london(2026, 3, 11, 3)


def tables_containing(needle: str) -> list[str]:
    """Every table.column (text, varchar, json) whose value holds `needle`, found through
    the connection's introspection: the whole database, not a list of known tables."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
                if connection.introspection.get_field_type(column.type_code, column)
                in ("CharField", "TextField", "JSONField")
            ]
            for column in columns:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}")
    return found


def everywhere(needles=NEEDLES) -> dict[str, list[str]]:
    return {n: hits for n in needles if (hits := tables_containing(n))}


@pytest.fixture
def sentinel_contact(
    triager, practitioner, partner, admin, client, django_capture_on_commit_callbacks
):
    """A contact decided in 2020 with the sentinel in every personal field it can hold."""

    def while_open(referral):
        triage.referral_rate(
            referral=referral, user=triager, rating="amber", rationale=f"Amber: {SENTINEL}."
        )
        info = sent_request(
            referral, triager, partner.organisation, question=f"Is {SENTINEL} known?"
        )
        answered_request(info, partner, answer=f"{SENTINEL} is known to us.")

    referral = decided_contact(
        triager,
        decided_on=DECIDED,
        outcome="nfa",
        before_decision=while_open,
        rationale=f"No further action for {SENTINEL}.",
        author=practitioner,
        first_name="Sentinelia",
        last_name="Øxbrøw-Łamp",
        known_as=f"{SENTINEL}, Sentinelia the Second",
        concern=f"{SENTINEL} was seen at the station.",
        subject_words=f"I am {SENTINEL}",
        referrer_name=f"Referrer for {SENTINEL}",
        people=[
            {"role": "parent_carer", "name": f"{SENTINEL} senior", "nickname": SENTINEL},
            {"role": "peer", "name": "Sentinelia's friend", "notes": f"Friend of {SENTINEL}"},
        ],
    )
    with time_machine.travel(DECIDED + dt.timedelta(hours=1), tick=False):
        triage.referral_add_note(referral=referral, user=triager, text=f"Called {SENTINEL}.")
        triage.referral_message_referrer(
            referral=referral, user=triager, text=f"Thank you about {SENTINEL}."
        )
        added_information(referral, practitioner, body=f"{SENTINEL} has a new phone.")
        answered_question(
            referral, triager, practitioner, text=f"Is {SENTINEL} safe?", body=SENTINEL
        )
        attachments.attachment_add(
            referral=referral,
            user=practitioner,
            upload=SimpleUploadedFile(f"{SENTINEL} screenshot.txt", b"Invented text.\n"),
            kind="text",
        )
        exports.export_render(export_id=an_export(referral, triager).pk)
        with django_capture_on_commit_callbacks(execute=True):  # the bundle is rendered
            subject_access.subject_access_request_record(
                user=admin,
                requester="parent",
                requester_name=f"{SENTINEL}'s mother",
                received_on=DECIDED.date(),
                referral=referral,
            )
        sign_in(client, triager)
        assert client.get(reverse("referral_search"), {"q": SENTINEL}).status_code == 200
        assert client.get(reverse("referral_detail", args=[referral.reference])).status_code == 200
        client.logout()
    return Referral.objects.get(pk=referral.pk)


def test_the_sentinel_is_everywhere_before_destruction(sentinel_contact):
    found = everywhere()
    assert "referrals_referral.first_name" in found["Sentinelia"]
    assert "referrals_person.name" in found["Sentinelia"]
    assert "referrals_addendum.body" in found["Sentinelia"]
    assert "referrals_attachment.name" in found["Sentinelia"]
    assert "referrals_auditevent.detail" in found["Sentinelia"]  # the search terms
    assert "referrals_linkkey.value" in found["oxbrow"]
    assert "referrals_informationrequest.shared_name" in found["Sentinelia"]
    assert "referrals_ragrating.rationale" in found["Sentinelia"]
    assert "referrals_referralevent.text" in found["Sentinelia"]
    assert "referrals_subjectaccessrequest.requester_name" in found["Sentinelia"]


def test_a_contact_past_its_retention_is_listed_dry_run_then_destroyed_leaving_no_trace(
    sentinel_contact, admin, client
):
    referral = sentinel_contact
    files = [a.file.name for a in Attachment.objects.filter(referral=referral)]
    files += [e.file.name for e in Export.objects.filter(referral=referral).exclude(file="")]
    bundles = SubjectAccessBundle.objects.filter(request__referral=referral).exclude(file="")
    files += [b.file.name for b in bundles]
    assert bundles.exists()
    assert files and all(default_storage.exists(name) for name in files)

    with time_machine.travel(london(2026, 3, 9, 3), tick=False):
        retention_list_due_task.delay()
    assert not RetentionDue.objects.exists()  # a day before the date: not yet due

    with time_machine.travel(PAST_DUE, tick=False):
        retention_list_due_task.delay()
        retention_list_due_task.delay()  # nightly, idempotent
        assert RetentionDue.objects.get().referral_id == referral.pk
        sign_in(client, admin)
        due_list = client.get(reverse("retention_due_list"))
        assert referral.reference in due_list.content.decode()
        assert "Sentinelia" not in due_list.content.decode()

        dry_run = client.post(reverse("retention_dry_run"), {"references": [referral.reference]})
        batch = DestructionBatch.objects.get()
        assert dry_run.url == reverse("retention_batch", args=[batch.pk])
        page = client.get(dry_run.url).content.decode()
        assert "Dry run: nothing has been destroyed yet" in page
        assert referral.reference in page
        assert batch.counts["persons: deleted"] == 2
        assert batch.counts["stored files: deleted"] == len(files)
        # Nothing destroyed by the dry run.
        assert Referral.objects.get(pk=referral.pk).first_name == "Sentinelia"
        assert Person.objects.filter(referral=referral).count() == 2
        assert not Tombstone.objects.exists()

        approved = client.post(reverse("retention_batch_approve", args=[batch.pk]))
        assert approved.status_code == 302

    tombstone = Tombstone.objects.get()
    assert tombstone.reference == referral.reference
    assert tombstone.retention_class.code == "contact-nfa"
    assert tombstone.approved_by == admin
    assert tombstone.batch == batch
    assert tombstone.decided_at == referral.decided_at
    assert tombstone.submitted_at == referral.submitted_at
    destroyed = Referral.objects.get(pk=referral.pk)
    assert (destroyed.first_name, destroyed.date_of_birth, destroyed.concern) == ("", None, "")
    assert destroyed.approximate_age == referral.age  # the age band survives
    assert not Person.objects.filter(referral=referral).exists()
    assert not LinkKey.objects.filter(referral=referral).exists()
    assert not Addendum.objects.filter(referral=referral).exists()
    assert not any(default_storage.exists(name) for name in files)
    # The audit trail keeps its rows, and the approval and destruction are in it.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"retention.dry_run", "retention.approved", "retention.destroyed"} <= actions
    assert AuditEvent.objects.filter(referral_id=referral.pk, action="referral.viewed").exists()

    assert everywhere() == {}, "personal data left after destruction"

    sign_in(client, admin)
    register = client.get(reverse("retention_register")).content.decode()
    assert referral.reference in register
    assert client.get(reverse("retention_due_list")).content.decode().count(referral.reference) == 0


def test_the_database_still_refuses_other_updates_of_audit_rows(sentinel_contact):
    from django.db import DatabaseError, transaction

    event = AuditEvent.objects.filter(referral_id=sentinel_contact.pk).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.allow_audit_scrub = 'on'")
        cursor.execute(
            "UPDATE referrals_auditevent SET action = 'rewritten' WHERE id = %s", [event.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE referrals_auditevent SET detail = '{}' WHERE id = %s", [event.pk])


def test_a_destroyed_referral_still_opens_for_triage_and_its_author_without_personal_data(
    sentinel_contact, admin, triager, practitioner, client
):
    from referrals.models import PersonMembership
    from referrals.retention import services

    record_id = PersonMembership.objects.get(referral=sentinel_contact).record_id
    with time_machine.travel(PAST_DUE, tick=False):
        services.retention_list_due()
        batch = services.destruction_dry_run(user=admin, referral_ids=[sentinel_contact.pk])
        services.destruction_approve(batch=batch, user=admin)
    sign_in(client, triager)
    assert client.get(reverse("person_detail", args=[record_id])).status_code == 200
    for user, name in ((triager, "referral_detail"), (practitioner, "referral_mine")):
        sign_in(client, user)
        args = [sentinel_contact.reference] if name == "referral_detail" else []
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        assert "Sentinelia" not in response.content.decode()


def test_the_audit_events_of_the_destruction_keep_their_details(sentinel_contact, admin):
    from referrals.retention import services

    with time_machine.travel(PAST_DUE, tick=False):
        services.retention_list_due()
        batch = services.destruction_dry_run(user=admin, referral_ids=[sentinel_contact.pk])
        services.destruction_approve(batch=batch, user=admin)
    destroyed = AuditEvent.objects.get(action="retention.destroyed")
    assert destroyed.detail == {"batch": batch.pk, "class": "contact-nfa"}
    viewed = AuditEvent.objects.filter(action="referral.viewed", referral_id=sentinel_contact.pk)
    assert {e.detail.get("scrubbed") for e in viewed} == {"retention"}


def test_a_monthly_summary_already_published_is_not_touched(sentinel_contact, admin):
    from django.core.files.base import ContentFile

    from referrals.models import MonthlySummary
    from referrals.retention import services

    summary = MonthlySummary.objects.create(
        month=dt.date(2020, 3, 1), state="ready", figures={"received": 1, "nfa": 1}
    )
    summary.pdf.save("summary-2020-03.pdf", ContentFile(b"%PDF-1.4 published"), save=True)
    with time_machine.travel(PAST_DUE, tick=False):
        services.retention_list_due()
        batch = services.destruction_dry_run(user=admin, referral_ids=[sentinel_contact.pk])
        services.destruction_approve(batch=batch, user=admin)
    summary.refresh_from_db()
    assert summary.figures == {"received": 1, "nfa": 1}
    assert default_storage.open(summary.pdf.name).read() == b"%PDF-1.4 published"
