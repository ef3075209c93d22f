"""Person records (issue 20): the same person across referrals, grouped by the rules the
re-referral badge uses (referrals/links.py: the folded name and date of birth, and each
known-as name, as `LinkKey` PERSON values written at submission).

An automatic match is only ever an exact match of those keys. Anything looser (a date of
birth a few days out, a name a letter or two apart, a shared phone or address) is put in
the duplicates queue for a triage lead, who merges or marks "not the same person"; both
are undoable and audited. A referral's own fields (what the referrer wrote) are never
changed by any of this: a record only groups referrals."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals import normalise
from referrals.audit import audit_record
from referrals.models import (
    LinkKey,
    PersonDecision,
    PersonMembership,
    PersonRecord,
    PossibleDuplicate,
    Referral,
    ReferralEvent,
    Status,
)

CLOSE_DATE_OF_BIRTH = dt.timedelta(days=31)
# A name this many edits from another (same date of birth) is a possible typo.
TYPO_EDITS = 2
# Bounds on the look-ups for possible duplicates: a date of birth shared by more
# referrals than this is checked against its newest ones only.
CANDIDATE_LIMIT = 500


class DecisionRefused(Exception):
    """A merge or undo that would leave the records inconsistent."""


# --- Assigning a referral to a record (at submission, and by the backfill)


@transaction.atomic
def person_record_assign(*, referral: Referral, now: dt.datetime | None = None):
    """Put the referral's subject in a person record: the record of another referral
    with one of its PERSON keys, else a new one. Called once at submission, after
    `links.index_links` (it reads the keys written there). Idempotent."""
    existing = PersonMembership.objects.filter(referral=referral).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    matches = _matching_records(referral)
    if matches:
        record_id, rule = matches[0]
    else:
        record_id = PersonRecord.objects.create(created_at=now).pk
        rule = PersonMembership.Rule.FIRST
    membership = PersonMembership.objects.create(
        referral=referral, record_id=record_id, rule=rule, created_at=now
    )
    same_name = [(other, PossibleDuplicate.Reason.SAME_NAME) for other, _ in matches[1:]]
    _queue_duplicates(record_id, same_name + _possible_duplicates(referral, record_id), now)
    return membership


def _matching_records(referral: Referral) -> list[tuple[int, str]]:
    """(record id, rule) of the records whose referrals share a PERSON key with this
    one, best first (the same name before a known-as name, then the oldest record).
    One query."""
    keys = normalise.person_keys(
        referral.first_name, referral.last_name, referral.known_as, referral.date_of_birth
    )
    if not keys:
        return []
    rows = (
        PersonMembership.objects.filter(
            referral__link_keys__kind=LinkKey.Kind.PERSON, referral__link_keys__value__in=keys
        )
        .exclude(referral=referral)
        .exclude(referral__status=Status.DRAFT)
        .values_list("record_id", "referral__match_name", "referral__date_of_birth")
    )
    match_name = normalise.match_name(referral.first_name, referral.last_name)
    best: dict[int, str] = {}
    for record_id, other_name, other_dob in rows:
        same = other_name == match_name and other_dob == referral.date_of_birth
        rule = (
            PersonMembership.Rule.NAME_AND_DATE_OF_BIRTH if same else PersonMembership.Rule.KNOWN_AS
        )
        if best.get(record_id) != PersonMembership.Rule.NAME_AND_DATE_OF_BIRTH:
            best[record_id] = rule
    order = {PersonMembership.Rule.NAME_AND_DATE_OF_BIRTH: 0, PersonMembership.Rule.KNOWN_AS: 1}
    return sorted(best.items(), key=lambda item: (order[item[1]], item[0]))


def _folded_full_name(match_name: str) -> str:
    return match_name.replace("|", " ").strip()


def within_edits(a: str, b: str, limit: int = TYPO_EDITS) -> bool:
    """Whether `a` becomes `b` with at most `limit` insertions, deletions or
    substitutions (Levenshtein), stopping early once the limit is passed."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _possible_duplicates(referral: Referral, record_id: int) -> list[tuple[int, str]]:
    """(other record, reason) for the records that may be the same person: the same
    folded name with a date of birth up to 31 days out; the same date of birth with a
    name up to two letters different; or a shared phone, address or vehicle with the
    same date of birth or name. Three indexed queries."""
    dob, match_name = referral.date_of_birth, referral.match_name
    if not dob or not match_name:
        return []
    others = (
        Referral.objects.submitted().exclude(pk=referral.pk).exclude(person__record_id=record_id)
    )
    found: list[tuple[int, str]] = []
    close = (
        others.filter(
            match_name=match_name,
            date_of_birth__range=(dob - CLOSE_DATE_OF_BIRTH, dob + CLOSE_DATE_OF_BIRTH),
        )
        .exclude(date_of_birth=dob)
        .values_list("person__record_id", flat=True)[:CANDIDATE_LIMIT]
    )
    found += [(other, PossibleDuplicate.Reason.CLOSE_DATE_OF_BIRTH) for other in close]
    name = _folded_full_name(match_name)
    same_day = (
        others.filter(date_of_birth=dob)
        .exclude(match_name=match_name)
        .order_by("-submitted_at")
        .values_list("person__record_id", "match_name")[:CANDIDATE_LIMIT]
    )
    found += [
        (other, PossibleDuplicate.Reason.SIMILAR_NAME)
        for other, other_name in same_day
        if within_edits(name, _folded_full_name(other_name))
    ]
    mine = list(referral.link_keys.exclude(kind=LinkKey.Kind.PERSON).values_list("kind", "value"))
    if mine:
        shared = (
            others.filter(Q(date_of_birth=dob) | Q(match_name=match_name))
            .filter(
                pk__in=LinkKey.objects.filter(
                    Q(*[Q(kind=k, value=v) for k, v in mine], _connector=Q.OR)
                ).values("referral_id")
            )
            .values_list("person__record_id", flat=True)[:CANDIDATE_LIMIT]
        )
        found += [(other, PossibleDuplicate.Reason.SHARED_IDENTIFIER) for other in shared]
    return [(other, reason) for other, reason in found if other is not None]


def _queue_duplicates(record_id: int, found: list[tuple[int, str]], now: dt.datetime) -> None:
    """Add each pair to the queue once (lowest record id first), unless a lead has
    already said they are not the same person."""
    pairs: dict[tuple[int, int], str] = {}
    for other, reason in found:
        if other != record_id:
            pairs.setdefault((min(record_id, other), max(record_id, other)), reason)
    if not pairs:
        return
    decided = set(
        PersonDecision.objects.filter(
            Q(
                *[Q(record_id=a, other_id=b) | Q(record_id=b, other_id=a) for a, b in pairs],
                _connector=Q.OR,
            ),
            kind=PersonDecision.Kind.NOT_SAME,
            undone_at__isnull=True,
        ).values_list("record_id", "other_id")
    )
    PossibleDuplicate.objects.bulk_create(
        [
            PossibleDuplicate(record_id=a, other_id=b, reason=reason, found_at=now)
            for (a, b), reason in pairs.items()
            if (a, b) not in decided and (b, a) not in decided
        ],
        ignore_conflicts=True,
    )


def person_records_backfill(*, batch_size: int = 500) -> int:
    """Assign every submitted referral without a record, oldest first (so that each
    joins the record of an earlier one); returns how many were assigned."""
    assigned = 0
    while True:
        batch = list(
            Referral.objects.submitted()
            .filter(person__isnull=True)
            .order_by("submitted_at", "pk")[:batch_size]
        )
        if not batch:
            return assigned
        for referral in batch:
            person_record_assign(referral=referral, now=referral.submitted_at)
        assigned += len(batch)


# --- Reading


def live(record: PersonRecord) -> PersonRecord:
    """The record a merged record now lives in."""
    seen = set()
    while record.merged_into_id is not None and record.pk not in seen:
        seen.add(record.pk)
        record = record.merged_into
    return record


def record_of(referral: Referral) -> PersonRecord | None:
    membership = PersonMembership.objects.filter(referral=referral).select_related("record").first()
    return membership.record if membership else None


def referrals_of_record(record: PersonRecord) -> QuerySet[Referral]:
    return Referral.objects.submitted().filter(person__record=record).order_by("submitted_at", "pk")


@dataclass(frozen=True)
class ChronologyEntry:
    at: dt.datetime
    what: str
    reference: str = ""


def chronology(record: PersonRecord, referrals: list[Referral], limit: int = 500) -> list:
    """The record's referrals' events, identifiers first seen and the leads' decisions,
    in time order (a chronology across referrals). Three queries."""
    by_id = {r.pk: r.reference for r in referrals}
    entries = [
        ChronologyEntry(e.occurred_at, e.get_kind_display(), by_id.get(e.referral_id, ""))
        for e in ReferralEvent.objects.filter(referral_id__in=by_id)
        .only("occurred_at", "kind", "referral_id")
        .order_by("-occurred_at")[:limit]
    ]
    entries += [
        ChronologyEntry(
            identifier.first_seen, f"{identifier.kind_label} first reported", identifier.reference
        )
        for identifier in identifiers(referrals)
    ]
    for decision in decisions(record):
        entries.append(ChronologyEntry(decision.decided_at, decision.summary))
        if decision.undone_at:
            entries.append(ChronologyEntry(decision.undone_at, f"Undone: {decision.summary}"))
    return sorted(entries, key=lambda entry: entry.at)


@dataclass(frozen=True)
class Identifier:
    kind: str
    kind_label: str
    display: str
    first_seen: dt.datetime
    reference: str
    referrals: int


def identifiers(referrals: list[Referral]) -> list[Identifier]:
    """The phones, addresses, vehicles (every LinkKey kind but the person's own) on
    the record's referrals, with when each was first reported. One query."""
    by_id = {r.pk: r for r in referrals}
    seen: dict[tuple[str, str], list] = {}
    keys = (
        LinkKey.objects.filter(referral_id__in=by_id)
        .exclude(kind=LinkKey.Kind.PERSON)
        .values_list("kind", "value", "display", "referral_id")
    )
    for kind, value, display, referral_id in keys:
        seen.setdefault((kind, value), []).append((by_id[referral_id], display))
    found = []
    for (kind, _), reports in seen.items():
        first, display = min(reports, key=lambda report: report[0].submitted_at)
        found.append(
            Identifier(
                kind,
                LinkKey.Kind(kind).label,
                display,
                first.submitted_at,
                first.reference,
                len(reports),
            )
        )
    return sorted(found, key=lambda identifier: identifier.first_seen)


@dataclass(frozen=True)
class DecisionRow:
    pk: int
    kind: str
    summary: str
    by: str
    decided_at: dt.datetime
    undone_at: dt.datetime | None
    undone_by: str


def decisions(record: PersonRecord) -> list[DecisionRow]:
    rows = PersonDecision.objects.filter(Q(record=record) | Q(other=record)).select_related(
        "decided_by", "undone_by"
    )
    return [
        DecisionRow(
            d.pk,
            d.kind,
            f"{d.get_kind_display()}: person record {d.record_id} and person record {d.other_id}",
            d.decided_by.full_name or d.decided_by.email,
            d.decided_at,
            d.undone_at,
            (d.undone_by.full_name or d.undone_by.email) if d.undone_by else "",
        )
        for d in rows
    ]


def possible_duplicates_open() -> QuerySet[PossibleDuplicate]:
    """The duplicates queue: undecided pairs of records that both still stand."""
    return (
        PossibleDuplicate.objects.filter(
            decision__isnull=True,
            record__merged_into__isnull=True,
            other__merged_into__isnull=True,
        )
        .select_related("record", "other")
        .order_by("-found_at", "id")
    )


def person_record_viewed(*, record: PersonRecord, user: User, request: HttpRequest | None) -> None:
    audit_record(action="person.viewed", actor=user, request=request, obj=record)


# --- A triage lead's decisions


def _pair_rows(record: PersonRecord, other: PersonRecord) -> QuerySet[PossibleDuplicate]:
    return PossibleDuplicate.objects.filter(
        Q(record=record, other=other) | Q(record=other, other=record)
    )


@transaction.atomic
def person_record_merge(
    *, record: PersonRecord, other: PersonRecord, user: User, request: HttpRequest | None = None
) -> PersonDecision:
    """Merge `other` into `record`: its referrals join `record` and `other` points at
    it. The referrals themselves are not touched."""
    locked = {
        r.pk: r
        for r in PersonRecord.objects.select_for_update().filter(pk__in=[record.pk, other.pk])
    }
    record, other = locked[record.pk], locked[other.pk]
    if record.pk == other.pk or record.merged_into_id or other.merged_into_id:
        raise DecisionRefused("Both records must stand, and be two records")
    members = list(PersonMembership.objects.filter(record=other).values_list("pk", "rule"))
    decision = PersonDecision.objects.create(
        kind=PersonDecision.Kind.MERGE,
        record=record,
        other=other,
        decided_by=user,
        moved=[[pk, rule] for pk, rule in members],
    )
    PersonMembership.objects.filter(pk__in=[pk for pk, _ in members]).update(
        record=record, rule=PersonMembership.Rule.MERGED
    )
    other.merged_into = record
    other.save(update_fields=["merged_into"])
    _pair_rows(record, other).filter(decision__isnull=True).update(decision=decision)
    audit_record(
        action="person.merged",
        actor=user,
        request=request,
        obj=decision,
        detail={"record": record.pk, "other": other.pk, "referrals": len(members)},
    )
    return decision


@transaction.atomic
def person_record_mark_not_same(
    *, record: PersonRecord, other: PersonRecord, user: User, request: HttpRequest | None = None
) -> PersonDecision:
    if record.pk == other.pk:
        raise DecisionRefused("Two different records are needed")
    decision = PersonDecision.objects.create(
        kind=PersonDecision.Kind.NOT_SAME, record=record, other=other, decided_by=user
    )
    _pair_rows(record, other).filter(decision__isnull=True).update(decision=decision)
    audit_record(
        action="person.not_same",
        actor=user,
        request=request,
        obj=decision,
        detail={"record": record.pk, "other": other.pk},
    )
    return decision


@transaction.atomic
def person_decision_undo(
    *, decision: PersonDecision, user: User, request: HttpRequest | None = None
) -> PersonDecision:
    """Undo a merge (the moved referrals go back to the other record, which stands
    again) or a "not the same person" (the pair is back in the queue)."""
    decision = PersonDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.undone_at is not None:
        return decision
    if decision.kind == PersonDecision.Kind.MERGE:
        other = PersonRecord.objects.select_for_update().get(pk=decision.other_id)
        if other.merged_into_id != decision.record_id or decision.record.merged_into_id:
            # The merged record has itself been merged on since: undo that first.
            raise DecisionRefused("Undo the later merge of this record first")
        for pk, rule in decision.moved:
            PersonMembership.objects.filter(pk=pk, record_id=decision.record_id).update(
                record=other, rule=rule
            )
        other.merged_into = None
        other.save(update_fields=["merged_into"])
    decision.undone_at, decision.undone_by = timezone.now(), user
    decision.save(update_fields=["undone_at", "undone_by"])
    PossibleDuplicate.objects.filter(decision=decision).update(decision=None)
    audit_record(
        action="person.decision_undone",
        actor=user,
        request=request,
        obj=decision,
        detail={"kind": decision.kind, "record": decision.record_id, "other": decision.other_id},
    )
    return decision
