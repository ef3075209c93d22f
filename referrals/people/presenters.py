"""What the person page, the duplicates queue and the network pages show, as the viewer
may see it: Triage see names and dates of birth; Managers (who see no individual
referral) see initials and an age band, as in the queue."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from referrals import network, person_records
from referrals.models import PersonRecord, PossibleDuplicate, Referral
from referrals.permissions import can_decide_person_records


def sees_names(user) -> bool:
    return user.has_role(Role.TRIAGE)


def subject_label(referral: Referral, user) -> str:
    if sees_names(user):
        name = " ".join(p for p in (referral.first_name, referral.last_name) if p) or "No name"
        born = f", born {referral.date_of_birth:%-d %B %Y}" if referral.date_of_birth else ""
        return f"{name}{born}"
    return f"{referral.initials}, {referral.age_band}"


@dataclass(frozen=True)
class ReferralRow:
    reference: str
    received: object
    status: str
    subject: str
    rule: str
    url: str


def referral_rows(referrals: list[Referral], user) -> list[ReferralRow]:
    return [
        ReferralRow(
            r.reference,
            timezone.localtime(r.submitted_at),
            r.get_status_display(),
            subject_label(r, user),
            r.person.get_rule_display(),
            reverse("referral_detail", args=[r.reference]) if sees_names(user) else "",
        )
        for r in referrals
    ]


def person_page_context(request, record: PersonRecord) -> dict:
    user = request.user
    referrals = list(person_records.referrals_of_record(record).select_related("person"))
    is_lead = can_decide_person_records(user)
    decisions = [
        {
            "row": d,
            "undo_url": reverse("person_decision_undo", args=[d.pk])
            if is_lead and d.undone_at is None
            else "",
        }
        for d in person_records.decisions(record)
    ]
    return {
        "record": record,
        "referrals": referral_rows(referrals, user),
        "decisions": decisions,
        "identifiers": person_records.identifiers(referrals),
        "chronology": person_records.chronology(record, referrals),
        "network": network.network_for(referrals),
        "network_caption": f"Network of person record {record.pk}",
        "duplicates_url": reverse("duplicates_queue"),
    }


@dataclass(frozen=True)
class DuplicateRow:
    pk: int
    reason: str
    found_at: object
    record: PersonRecord
    record_url: str
    record_referrals: list[ReferralRow]
    other: PersonRecord
    other_url: str
    other_referrals: list[ReferralRow]
    decide_url: str


QUEUE_LIMIT = 50


def duplicates_context(request) -> dict:
    """The open pairs, newest first, with each record's referrals. Three queries."""
    user = request.user
    pairs = list(person_records.possible_duplicates_open()[:QUEUE_LIMIT])
    ids = {p.record_id for p in pairs} | {p.other_id for p in pairs}
    by_record: dict[int, list[Referral]] = {}
    for referral in (
        Referral.objects.submitted()
        .filter(person__record_id__in=ids)
        .select_related("person")
        .order_by("submitted_at")
    ):
        by_record.setdefault(referral.person.record_id, []).append(referral)
    is_lead = can_decide_person_records(user)
    rows = [
        DuplicateRow(
            p.pk,
            p.get_reason_display(),
            p.found_at,
            p.record,
            reverse("person_detail", args=[p.record_id]),
            referral_rows(by_record.get(p.record_id, []), user),
            p.other,
            reverse("person_detail", args=[p.other_id]),
            referral_rows(by_record.get(p.other_id, []), user),
            reverse("duplicate_decide", args=[p.pk]) if is_lead else "",
        )
        for p in pairs
    ]
    return {"rows": rows, "is_lead": is_lead, "limit": QUEUE_LIMIT}


def duplicate_pair(found: PossibleDuplicate, user) -> dict:
    referrals = (
        Referral.objects.submitted()
        .filter(person__record_id__in=[found.record_id, found.other_id])
        .select_related("person")
        .order_by("submitted_at")
    )
    return {
        "record_referrals": referral_rows(
            [r for r in referrals if r.person.record_id == found.record_id], user
        ),
        "other_referrals": referral_rows(
            [r for r in referrals if r.person.record_id == found.other_id], user
        ),
    }
