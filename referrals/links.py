"""Links between referrals: the same person referred before, and referrals that share a
phone number, an address or a vehicle (a possible line or a cuckooed home).

A link is a prompt to check, not a finding. Every look-up here is an indexed equality
match on `LinkKey (kind, value)` or `Referral (match_name, date_of_birth)`."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber

from referrals import normalise
from referrals.models import LinkKey, Referral, Status

REPEAT_WINDOW = dt.timedelta(days=365)

# The referral's flag for each kind of link, set on both referrals of a link.
LINK_FLAGS = {
    LinkKey.Kind.PERSON: "has_same_person",
    LinkKey.Kind.PHONE: "has_shared_phone",
    LinkKey.Kind.ADDRESS: "has_shared_address",
    LinkKey.Kind.VEHICLE: "has_shared_vehicle",
}


def _phone(raw: str) -> str:
    # The form stores E.164; normalise again so that a value saved another way still links.
    try:
        return normalise.phone_e164(raw)
    except normalise.InvalidValue:
        return ""


def person_keys(first_name, last_name, known_as, date_of_birth) -> list[tuple[str, str, str]]:
    """(kind, normalised value, display) keys of the subject: their folded name and each
    known-as name, with their date of birth."""
    return [
        (LinkKey.Kind.PERSON, key, LinkKey.Kind.PERSON.label)
        for key in normalise.person_keys(first_name, last_name, known_as, date_of_birth)
    ]


def address_keys(line: str, postcode: str) -> list[tuple[str, str, str]]:
    key = normalise.address_key(line, postcode)
    return [(LinkKey.Kind.ADDRESS, key, f"{line}, {postcode}")] if key else []


def phone_keys(raw: str) -> list[tuple[str, str, str]]:
    phone = _phone(raw)
    return [(LinkKey.Kind.PHONE, phone, normalise.phone_display(phone))] if phone else []


def vehicle_keys(raw: str) -> list[tuple[str, str, str]]:
    value = normalise.vehicle_registration(raw)
    return [(LinkKey.Kind.VEHICLE, value, value)] if value else []


def handle_keys(platform: str, raw: str) -> list[tuple[str, str, str]]:
    key = normalise.handle_key(platform, raw)
    return [(LinkKey.Kind.HANDLE, key, key)] if key else []


def link_keys_for(referral: Referral) -> list[tuple[str, str, str]]:
    """(kind, normalised value, display) for every linkable value on the referral."""
    r = referral
    keys = person_keys(r.first_name, r.last_name, r.known_as, r.date_of_birth)
    keys += address_keys(r.address_line_1, r.postcode)
    for person in r.people.all():
        keys += phone_keys(person.phone)
        keys += address_keys(person.address, person.postcode)
        keys += vehicle_keys(person.vehicle_registration)
        keys += handle_keys(person.handle_platform, person.handle)
    unique: dict[tuple[str, str], str] = {}
    for kind, value, display in keys:
        # Bounded to the columns; a value this long is never a real phone or address.
        unique.setdefault((kind, value[:200]), display[:300])
    return [(kind, value, display) for (kind, value), display in unique.items()]


def index_links(referral: Referral) -> None:
    """Write the referral's link keys and set its (and its partners') link badges.
    Called inside the submitting transaction.

    Links are symmetric: the referral and every partner carry the badge of the kind
    they share (the queue shows one badge per kind, issue 14). Because every submission
    keeps that true, a value already shared by two or more submitted referrals has its
    badge on all of them; only a value's first partner can lack it. So each value is
    looked up for at most two partners, in one statement, and at most one UPDATE sets
    the badges missing: the same work whatever the number of referrals sharing a line
    number (a busy line is shared by thousands). Corrections call this again with the
    referral's new values; a badge left on a former partner errs on the side of a
    prompt to check."""
    keys = link_keys_for(referral)
    LinkKey.objects.bulk_create(
        [LinkKey(referral=referral, kind=k, value=v, display=d) for k, v, d in keys]
    )
    partners = (
        LinkKey.objects.exclude(referral=referral)
        .exclude(referral__status=Status.DRAFT)
        .values_list("kind", "referral_id", *[f"referral__{f}" for f in LINK_FLAGS.values()])
    )
    per_value = [partners.filter(kind=k, value=v)[:2] for k, v, _ in keys if k in LINK_FLAGS]
    if per_value and connection.features.supports_slicing_ordering_in_compound:
        found = per_value[0].union(*per_value[1:], all=True)
    else:  # SQLite (the demo) allows no LIMIT inside a UNION: one look-up per value.
        found = [row for rows in per_value for row in rows]
    shared: set[str] = set()
    unbadged: dict[str, set[int]] = {}
    for kind, partner_id, *badges in found:
        shared.add(kind)
        if not dict(zip(LINK_FLAGS, badges, strict=True))[kind]:
            unbadged.setdefault(LINK_FLAGS[kind], set()).add(partner_id)
    for kind, flag in LINK_FLAGS.items():
        setattr(referral, flag, kind in shared)
    if unbadged:
        Referral.objects.filter(pk__in=set().union(*unbadged.values())).update(
            **{
                flag: Case(When(pk__in=ids, then=Value(True)), default=F(flag))
                for flag, ids in unbadged.items()
            }
        )
    referral.is_repeat = (
        earlier_referrals_of_person(referral)
        .filter(submitted_at__gte=(referral.submitted_at or referral.created_at) - REPEAT_WINDOW)
        .exists()
    )


def referrals_of_person(referral: Referral):
    """Other submitted referrals about the same person, earlier or later: the same
    folded name and date of birth, where the name may be either referral's known-as
    name."""
    keys = normalise.person_keys(
        referral.first_name, referral.last_name, referral.known_as, referral.date_of_birth
    )
    if not keys:
        return Referral.objects.none()
    same_person = LinkKey.objects.filter(kind=LinkKey.Kind.PERSON, value__in=keys)
    return (
        Referral.objects.submitted()
        .filter(pk__in=same_person.values("referral_id"))
        .exclude(pk=referral.pk)
    )


def earlier_referrals_of_person(referral: Referral):
    """Earlier submitted referrals about the same person (a re-referral's)."""
    return referrals_of_person(referral).filter(
        submitted_at__lt=referral.submitted_at or referral.created_at
    )


@dataclass(frozen=True)
class Link:
    kind: str  # "person", "phone", "address", "vehicle"
    shared_value: str
    reference: str
    submitted_at: dt.datetime
    is_repeat: bool = False
    # How many referrals share this value in all; at most `per_value` of them are listed.
    sharing: int = 1

    @property
    def kind_label(self) -> str:
        return LinkKey.Kind(self.kind).label


@dataclass(frozen=True)
class Unlisted:
    """A shared value with more referrals than the page lists."""

    shared: str  # "Phone number 07700 900123", "Same name and date of birth"
    listed: int
    sharing: int


# A "line" number can be reported in hundreds of referrals; the page lists the newest
# of each shared value and says how many more there are.
LINKS_PER_VALUE = 10


def _newest_first(*fields):
    return [F(f).desc() for f in fields]


def links_for(referral: Referral, per_value: int | None = LINKS_PER_VALUE) -> list[Link]:
    """The links of a submitted referral, newest first: for each shared value (the
    person, each phone number, address and vehicle) the newest `per_value` referrals
    sharing it, or all with `per_value=None`. Links are symmetric: the earlier
    referral lists the later one as the later lists the earlier. Three queries
    whatever the number of referrals."""
    links = _same_person_links(referral, per_value) + _shared_value_links(referral, per_value)
    return sorted(links, key=lambda link: link.submitted_at, reverse=True)


def _same_person_links(referral: Referral, per_value: int | None) -> list[Link]:
    received = referral.submitted_at or referral.created_at
    same_person = (
        referrals_of_person(referral)
        .only("reference", "submitted_at")
        .annotate(sharing=Window(Count("pk")))
        .order_by(*_newest_first("submitted_at", "pk"))
    )
    return [
        Link(
            kind=LinkKey.Kind.PERSON,
            shared_value="Same name and date of birth",
            reference=other.reference,
            submitted_at=other.submitted_at,
            # Either is a re-referral of the other within twelve months.
            is_repeat=abs(other.submitted_at - received) <= REPEAT_WINDOW,
            sharing=other.sharing,
        )
        for other in (same_person[:per_value] if per_value is not None else same_person)
    ]


def _shared_value_links(referral: Referral, per_value: int | None) -> list[Link]:
    mine = list(
        referral.link_keys.exclude(kind=LinkKey.Kind.PERSON).values_list("kind", "value", "display")
    )
    if not mine:
        return []
    query = Q(*[Q(kind=k, value=v) for k, v, _ in mine], _connector=Q.OR)
    displays = {(k, v): d for k, v, d in mine}
    same_value = [F("kind"), F("value")]
    shared = (
        LinkKey.objects.filter(query)
        .exclude(referral=referral)
        .exclude(referral__status=Status.DRAFT)
        .select_related("referral")
        .only("kind", "value", "referral__reference", "referral__submitted_at")
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=same_value,
                order_by=_newest_first("referral__submitted_at", "referral_id"),
            ),
            sharing=Window(Count("pk"), partition_by=same_value),
        )
    )
    if per_value is not None:
        shared = shared.filter(newest__lte=per_value)
    return [
        Link(
            kind=key.kind,
            shared_value=displays[(key.kind, key.value)],
            reference=key.referral.reference,
            submitted_at=key.referral.submitted_at,
            sharing=key.sharing,
        )
        for key in shared
    ]


def unlisted(found: list[Link]) -> list[Unlisted]:
    """The shared values of `found` that have more referrals than were listed."""
    listed: dict[tuple[str, str], list[Link]] = {}
    for link in found:
        listed.setdefault((link.kind, link.shared_value), []).append(link)
    return [
        Unlisted(
            shared_value
            if kind == LinkKey.Kind.PERSON
            else f"{group[0].kind_label} {shared_value}",
            listed=len(group),
            sharing=group[0].sharing,
        )
        for (kind, shared_value), group in listed.items()
        if group[0].sharing > len(group)
    ]
