"""Retention (issue 21): the nightly due list, legal holds, and destruction in approved
batches with a dry run first.

Destruction is done from explicit lists, never by cascading blindly: `REFERRAL_CLEARED`
and `REFERRAL_KEPT` name every field of the referral row, and `CHILDREN` names every
foreign key to Referral with what happens to its rows. A model added later with a
foreign key to Referral fails tests/referrals/retention/test_destruction_coverage.py
until it is given a line here."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals.audit import audit_record
from referrals.models import (
    AuditEvent,
    DestructionBatch,
    LegalHold,
    PersonMembership,
    Referral,
    RetentionClass,
    RetentionDue,
    Status,
    SubjectAccessBundle,
    SubjectAccessRequest,
    Tombstone,
)
from referrals.models.retention import DEFAULT_CLASSES, retention_due
from referrals.normalise import fold, known_as_names

# What replaces free text a constraint keeps non-blank (a refusal to share, a hold).
DESTROYED_TEXT = "Destroyed under the retention schedule."

# The referral row's personal fields, emptied (blank, null or an empty list).
REFERRAL_CLEARED = [
    "police_reference",
    "first_name",
    "last_name",
    "known_as",
    "date_of_birth",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "disability",
    "nhs_number",
    "ethnicity_code",
    "disability_codes",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "current_whereabouts",
    "school_or_placement",
    "services_involved",
    "match_name",
    "no_consent_reason",
    "not_to_share",
    "concern",
    "concern_when_where",
    "subject_words",
    "actions_taken",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_phone",
    "referrer_email",
    "referrer_relationship",
    "decision_rationale",
    "message_to_referrer",
    "duplicate_of",
    "source_code_reason",
    "police_crime_reference",
    "nrm_reference",
    "other_council_case_id",
    "indecent_imagery_description",
    "known_from",
]
# Kept: ids, codes, dates, flags and counts, which say nothing about who it was about
# (the monthly figures and returns can still count the contact). `approximate_age`
# is replaced by the age at receipt, so the age band survives the date of birth.
REFERRAL_KEPT = [
    "id",
    "public_id",
    "reference",
    "status",
    "author",
    "organisation",
    "catalogue_version",
    "sections_completed",
    "immediate_danger",
    "police_called",
    "is_urgent",
    "subject_type",
    "approximate_age",
    "sex",
    "family_told",
    "consent_given",
    "source_wants_anonymity",
    "first_hand",
    "other_referrals",
    "created_at",
    "updated_at",
    "submitted_at",
    "decision_due_at",
    "claim_due_at",
    "assigned_to",
    "claimed_at",
    "decided_at",
    "decided_by",
    "outcome",
    "contact_outcome",
    "screening_reason",
    "cin_referral_date",
    "source_code",
    "factors",
    "indecent_imagery_exists",
    "time_to_decision",
    "yes_count",
    "is_repeat",
    "has_same_person",
    "has_shared_phone",
    "has_shared_address",
    "has_shared_vehicle",
    "legal_hold",
    "rag_rating",
    "rag_due_at",
    "first_rag_rating",
    "is_known",
    "home_council",
    "waiting_on_referrer_since",
    "has_new_information",
]

DELETE, CLEAR, KEEP, SCRUB = "delete", "clear", "keep", "scrub"

# (model label, foreign key to Referral) -> (what happens, fields cleared), in the order
# applied (questions before the addenda that answer them: a PROTECT foreign key).
CHILDREN: dict[tuple[str, str], tuple[str, dict]] = {
    ("referrals.ReferrerQuestion", "referral"): (DELETE, {}),
    ("referrals.Addendum", "referral"): (DELETE, {}),
    ("referrals.Answer", "referral"): (DELETE, {}),
    ("referrals.Person", "referral"): (DELETE, {}),
    ("referrals.LinkKey", "referral"): (DELETE, {}),
    ("referrals.Correction", "referral"): (DELETE, {}),
    ("referrals.Attachment", "referral"): (DELETE, {}),  # and the stored files
    ("referrals.Export", "referral"): (DELETE, {}),  # and the stored files
    ("referrals.Notification", "referral"): (DELETE, {}),
    ("referrals.InformationRequest", "referral"): (DELETE, {}),
    ("referrals.PersonMembership", "referral"): (DELETE, {}),
    ("referrals.RagRating", "referral"): (DELETE, {}),
    ("referrals.BreakGlassGrant", "referral"): (DELETE, {}),
    ("referrals.ApiIdempotencyKey", "referral"): (DELETE, {}),
    ("referrals.RetentionDue", "referral"): (DELETE, {}),
    # The chronology and the sharing log keep their rows (what happened, when, to whom
    # in which organisation), without the words.
    ("referrals.ReferralEvent", "referral"): (CLEAR, {"text": ""}),
    ("referrals.Disclosure", "referral"): (
        CLEAR,
        {"recipient_name": "", "reason": DESTROYED_TEXT},
    ),
    ("referrals.LegalHold", "referral"): (CLEAR, {"reason": DESTROYED_TEXT, "lift_reason": ""}),
    # A subject access request stays on record as answered (dates, state), without the
    # requester's name; its bundles, which hold the referral's words, are deleted with
    # their files (`_subject_access_bundles_delete`, also for requests made through the
    # subject's person record).
    ("referrals.SubjectAccessRequest", "referral"): (
        CLEAR,
        {"requester_name": DESTROYED_TEXT, "extension_reason": ""},
    ),
    # Rows with no personal data: a hand-off is a team, an outcome and dates; object
    # permissions are the author's; the tombstone is the register itself.
    ("referrals.Handoff", "referral"): (KEEP, {}),
    ("referrals.ReferralUserObjectPermission", "content_object"): (KEEP, {}),
    ("referrals.ReferralGroupObjectPermission", "content_object"): (KEEP, {}),
    ("referrals.Tombstone", "referral"): (KEEP, {}),
    # Links between referrals: cleared on the destroyed row itself (REFERRAL_CLEARED).
    ("referrals.Referral", "duplicate_of"): (KEEP, {}),
    ("referrals.Referral", "known_from"): (KEEP, {}),
    # The audit trail keeps its rows; their details are scrubbed (`_audit_scrub`).
    ("referrals.AuditEvent", "referral"): (SCRUB, {}),
}


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _rows(label: str, fk: str, referral_ids):
    return _model(label).objects.filter(**{f"{fk}__in": referral_ids})


# --- Holds -----------------------------------------------------------------------


def global_hold() -> LegalHold | None:
    return LegalHold.objects.active().filter(referral__isnull=True).first()


def held_referral_ids(referral_ids=None) -> set[int]:
    holds = LegalHold.objects.active().filter(referral__isnull=False)
    if referral_ids is not None:
        holds = holds.filter(referral_id__in=referral_ids)
    return set(holds.values_list("referral_id", flat=True))


@transaction.atomic
def legal_hold_place(
    *,
    user: User,
    reason: str,
    referrals: list[Referral] | None = None,
    everything: bool = False,
    request: HttpRequest | None = None,
) -> list[LegalHold]:
    """Hold the given referrals, or (`everything`) every record, with a reason."""
    targets = [None] if everything else list(referrals or [])
    holds = []
    for referral in targets:
        hold = LegalHold.objects.create(referral=referral, reason=reason, placed_by=user)
        if referral is not None:
            Referral.objects.filter(pk=referral.pk).update(legal_hold=True)
        audit_record(
            action="retention.hold_placed",
            actor=user,
            request=request,
            referral=referral,
            obj=hold,
            detail={"hold": hold.pk, "global": referral is None},
        )
        holds.append(hold)
    return holds


@transaction.atomic
def legal_hold_lift(
    *, hold: LegalHold, user: User, reason: str, request: HttpRequest | None = None
) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        return hold
    hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), user, reason
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    if hold.referral_id and not held_referral_ids([hold.referral_id]):
        Referral.objects.filter(pk=hold.referral_id).update(legal_hold=False)
    audit_record(
        action="retention.hold_lifted",
        actor=user,
        request=request,
        referral=hold.referral,
        obj=hold,
        detail={"hold": hold.pk, "global": hold.is_global},
    )
    return hold


# --- The due list ------------------------------------------------------------------


def _candidates(classes: list[RetentionClass], today: dt.date):
    """Decided contacts old enough to be due under the shortest decision class (a
    birthday only ever makes a record due later), not already destroyed."""
    decided = [c for c in classes if c.trigger == RetentionClass.Trigger.DECISION]
    if not decided:
        return Referral.objects.none()
    cutoff = max(today - c.period for c in decided) + relativedelta(days=1)
    cutoff_at = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return (
        Referral.objects.filter(status__in=(Status.DECIDED, Status.CLOSED))
        .filter(decided_at__lt=cutoff_at, tombstone__isnull=True)
        .only(
            "status",
            "decided_at",
            "contact_outcome",
            "date_of_birth",
            "approximate_age",
            "submitted_at",
            "created_at",
        )
    )


@transaction.atomic
def retention_list_due(*, now: dt.datetime | None = None) -> int:
    """The nightly task: make the due list exactly the records whose retention has
    ended (added, their class or date refreshed, removed when no longer due, e.g. a
    reopened decision). Idempotent: a second run the same day changes nothing."""
    today = timezone.localdate(now or timezone.now())
    classes = list(RetentionClass.objects.all())
    due = {}
    for referral in _candidates(classes, today).iterator(chunk_size=2000):
        retention_class, due_on = retention_due(referral, classes)
        if retention_class is not None and due_on <= today:
            due[referral.pk] = (retention_class, due_on)
    RetentionDue.objects.exclude(referral_id__in=list(due)).delete()
    RetentionDue.objects.bulk_create(
        [RetentionDue(referral_id=pk, retention_class=c, due_on=d) for pk, (c, d) in due.items()],
        update_conflicts=True,
        unique_fields=["referral"],
        update_fields=["retention_class", "due_on"],
    )
    audit_record(action="retention.due_listed", detail={"due": len(due)})
    return len(due)


# --- Dry run and destruction -------------------------------------------------------


def destruction_counts(referral_ids: list[int]) -> dict[str, int]:
    """What destroying these referrals would delete or empty, model by model."""
    counts = {"referrals": len(referral_ids)}
    for (label, fk), (what, _fields) in CHILDREN.items():
        if what in (DELETE, CLEAR):
            done = "deleted" if what == DELETE else "kept, free text emptied"
            key = f"{_model(label)._meta.verbose_name_plural}: {done}"
            counts[key] = counts.get(key, 0) + _rows(label, fk, referral_ids).count()
    counts["stored files: deleted"] = (
        _rows("referrals.Attachment", "referral", referral_ids).exclude(file="").count()
        + _rows("referrals.Export", "referral", referral_ids).exclude(file="").count()
        + _subject_access_bundles(referral_ids).exclude(file="").count()
    )
    counts["audit events: kept, details scrubbed"] = AuditEvent.objects.filter(
        referral_id__in=referral_ids
    ).count()
    return counts


def _destroyable(referral_ids) -> list[int]:
    """Of these, the referrals on the due list, not held and not already destroyed."""
    if global_hold() is not None:
        return []
    held = held_referral_ids(referral_ids)
    listed = RetentionDue.objects.filter(
        referral_id__in=referral_ids, referral__tombstone__isnull=True
    ).values_list("referral_id", flat=True)
    return sorted(pk for pk in listed if pk not in held)


@transaction.atomic
def destruction_dry_run(
    *, user: User, referral_ids: list[int], request: HttpRequest | None = None
) -> DestructionBatch:
    """Record the chosen batch and what destroying it would remove; nothing is
    destroyed until the batch is approved."""
    ids = _destroyable(referral_ids)
    batch = DestructionBatch.objects.create(
        referral_ids=ids, counts=destruction_counts(ids), created_by=user
    )
    audit_record(
        action="retention.dry_run",
        actor=user,
        request=request,
        obj=batch,
        detail={"batch": batch.pk, "referrals": len(ids), "counts": batch.counts},
    )
    return batch


@transaction.atomic
def destruction_approve(
    *, batch: DestructionBatch, user: User, request: HttpRequest | None = None
) -> list[Tombstone]:
    """Destroy the batch's referrals as the dry run showed them. A referral held or
    taken off the due list since the dry run is skipped (and counted as skipped)."""
    batch = DestructionBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != DestructionBatch.State.DRY_RUN:
        return list(batch.tombstones.all())
    ids = _destroyable(batch.referral_ids)
    now = timezone.now()
    audit_record(
        action="retention.approved",
        actor=user,
        request=request,
        obj=batch,
        detail={"batch": batch.pk, "referrals": len(ids)},
    )
    strings: set[str] = set()
    tombstones = [
        referral_destroy(referral_id=pk, batch=batch, user=user, now=now, strings=strings)
        for pk in ids
    ]
    # One pass over the audit trail for the whole batch (it is the largest table).
    _audit_scrub(ids, sorted(strings), batch)
    batch.state, batch.approved_by, batch.approved_at = DestructionBatch.State.DESTROYED, user, now
    batch.counts = {
        **batch.counts,
        "destroyed": len(ids),
        "skipped": len(batch.referral_ids) - len(ids),
    }
    batch.save(update_fields=["state", "approved_by", "approved_at", "counts"])
    return tombstones


def _personal_strings(referral: Referral) -> list[str]:
    """The values that identify this referral's people, to find them in audit details
    (search terms, reasons) that carry no referral id."""
    subject = [f"{referral.first_name} {referral.last_name}", referral.last_name]
    subject += known_as_names(referral.known_as) + [referral.match_name]
    subject += [
        part for part in f"{referral.first_name} {referral.last_name}".split() if len(part) >= 4
    ]
    people = referral.people.values_list(
        "name", "nickname", "phone", "handle", "vehicle_registration"
    )
    subject += [value for row in people for value in row]
    subject += [referral.referrer_name, referral.nhs_number, referral.police_reference]
    values = {v.strip() for v in subject if v and len(v.strip()) >= 3}
    return sorted(values | {fold(v) for v in values if len(fold(v)) >= 3})


def _audit_scrub(referral_ids: list[int], strings: list[str], batch: DestructionBatch) -> int:
    """Replace the details of the referrals' audit events, and of any event whose
    details name their people, by a marker. The rows stay (who did what, when). On
    PostgreSQL the append-only trigger allows exactly this update, in this transaction
    (migration 0031)."""
    match = Q(referral_id__in=referral_ids)
    if strings:
        ids = _audit_ids_naming(strings)
        match |= Q(pk__in=ids)
    marker = {"scrubbed": "retention", "batch": batch.pk}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL portal.allow_audit_scrub = 'on'")
        # The retention events themselves hold ids and codes only: kept as written.
        rows = AuditEvent.objects.filter(match).exclude(action__startswith="retention.")
        count = rows.exclude(detail=marker).update(detail=marker)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL portal.allow_audit_scrub = 'off'")
    return count


def _audit_ids_naming(strings: list[str]) -> list[int]:
    patterns = [
        "%" + s.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%" for s in strings
    ]
    if connection.vendor != "postgresql":
        return [
            e.pk
            for e in AuditEvent.objects.only("detail")
            if any(s.lower() in str(e.detail).lower() for s in strings)
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM referrals_auditevent WHERE detail::text ILIKE ANY(%s)", [patterns]
        )
        return [row[0] for row in cursor.fetchall()]


def _empty(field):
    if field.null:
        return None
    if field.get_internal_type() == "JSONField":
        return field.get_default()
    return ""


def _delete_files(label: str, referral_ids) -> int:
    names = list(
        _rows(label, "referral", referral_ids).exclude(file="").values_list("file", flat=True)
    )
    for name in names:
        default_storage.delete(name)
    return len(names)


def _subject_access_bundles(referral_ids):
    """The bundles of every subject access request about these referrals, directly or
    through their subjects' person records: each holds the referrals' words."""
    records = PersonMembership.objects.filter(referral_id__in=referral_ids).values("record_id")
    return SubjectAccessBundle.objects.filter(
        Q(request__referral_id__in=referral_ids) | Q(request__person_record_id__in=records)
    )


def _subject_access_bundles_delete(referral_id: int) -> int:
    """Delete those bundles of one referral with their files; returns the files."""
    bundles = _subject_access_bundles([referral_id])
    SubjectAccessRequest.objects.filter(released_bundle__in=bundles).update(released_bundle=None)
    names = list(bundles.exclude(file="").values_list("file", flat=True))
    for name in names:
        default_storage.delete(name)
    bundles.delete()
    return len(names)


def referral_destroy(
    *, referral_id: int, batch: DestructionBatch, user: User, now: dt.datetime, strings: set[str]
) -> Tombstone:
    """Destroy one referral's personal data (called inside `destruction_approve`, which
    then scrubs the audit trail for the values added to `strings`) and keep its
    tombstone."""
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    due = RetentionDue.objects.get(referral_id=referral_id)
    strings.update(_personal_strings(referral))
    counts = destruction_counts([referral_id])
    ids = [referral_id]
    counts["stored files: deleted"] = _delete_files("referrals.Attachment", ids) + _delete_files(
        "referrals.Export", ids
    )
    tombstone = Tombstone.objects.create(
        referral=referral,
        reference=referral.reference or str(referral.public_id)[:20],
        submitted_at=referral.submitted_at,
        decided_at=referral.decided_at,
        retention_class=due.retention_class,
        due_on=due.due_on,
        batch=batch,
        approved_by=user,
        destroyed_at=now,
        counts=counts,
    )
    counts["stored files: deleted"] += _subject_access_bundles_delete(referral_id)
    for (label, fk), (what, fields) in CHILDREN.items():
        if what == DELETE:
            _rows(label, fk, ids).delete()
        elif what == CLEAR:
            _rows(label, fk, ids).update(**fields)
    age = referral.age
    cleared = {name: _empty(Referral._meta.get_field(name)) for name in REFERRAL_CLEARED}
    Referral.objects.filter(pk=referral_id).update(**cleared, approximate_age=age, legal_hold=False)
    audit_record(
        action="retention.destroyed",
        actor=user,
        referral=referral,
        obj=tombstone,
        detail={"batch": batch.pk, "class": due.retention_class.code},
    )
    return tombstone


def retention_classes_ensure() -> None:
    """The default classes (as migration 0031 seeds them), added where missing and
    never overwriting an administrator's change: for seed_demo and the tests, whose
    transactional runs empty the table."""
    for values in DEFAULT_CLASSES:
        RetentionClass.objects.get_or_create(code=values["code"], defaults=values)
