"""The statutory returns the front door answers for, built from what triage recorded:
Ofsted's Annex A List 1 (contacts) and List 3 (referrals) for an inspection, and the
Children in Need census's referral fields (DfE).

Each row is one child per contact (List 1) or per referral (List 3, census). Children
are told apart by the same rule the re-referral badge uses (referrals.links: the folded
name and date of birth, known-as names included); a child's unique ID is the reference
of their first contact in the portal, so it is stable between returns and carries no
personal data of its own."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from referrals import codes
from referrals.models import ContactOutcome, LinkKey, Outcome, Referral, Sex
from referrals.models.referral import is_child
from referrals.returns.checks import Violation, contact_violations, referral_violations

LONDON = ZoneInfo("Europe/London")
RETURN_LIST_1 = "list-1"
RETURN_LIST_3 = "list-3"
RETURN_CENSUS = "cin-census"

# How a referral's next step sets the census's NFA flag (N00112 ReferralNFA): a
# referral that goes on to an assessment or a strategy discussion is not NFA; one
# closed with no assessment is. Without a next step the flag is not recorded.
NFA_FOR_NEXT_STEP = {Outcome.REFERRAL_NFA: True, Outcome.S17: False, Outcome.S47: False}

GENDER_LABELS = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.OTHER: "Other"}
GENDER_NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str


@dataclass
class Return:
    """One return for a period: its columns, its rows (dicts by column key, dates as
    dates) and the rule violations found in them."""

    kind: str
    title: str
    start: dt.date
    end: dt.date
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


LIST_1_COLUMNS = [
    Column("child_id", "Child unique ID"),
    Column("gender", "Gender"),
    Column("ethnicity", "Ethnicity"),
    Column("date_of_birth", "Date of birth"),
    Column("age", "Age of child (years)"),
    Column("contact_date", "Date of contact"),
    Column("source", "Contact source"),
    Column("outcome", "Contact outcome"),
    Column("reference", "Contact reference"),
]
LIST_3_COLUMNS = [
    Column("child_id", "Child unique ID"),
    Column("gender", "Gender"),
    Column("ethnicity", "Ethnicity"),
    Column("disability", "Disability"),
    Column("date_of_birth", "Date of birth"),
    Column("age", "Age of child (years)"),
    Column("referral_date", "Date of referral"),
    Column("source", "Referral source"),
    Column("nfa", "Referral NFA"),
    Column("previous_referrals", "Number of referrals in the previous 12 months"),
    Column("reference", "Contact reference"),
]
CENSUS_COLUMNS = [
    Column("child_id", "LAchildID"),
    Column("referral_date", "CINreferralDate"),
    Column("source", "ReferralSource"),
    Column("nfa", "ReferralNFA"),
    Column("factors", "AssessmentFactors"),
    Column("reference", "Contact reference"),
]
TITLES = {
    RETURN_LIST_1: "Annex A List 1: contacts",
    RETURN_LIST_3: "Annex A List 3: referrals",
    RETURN_CENSUS: "Children in Need census: referral fields",
}


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end] London days as [from, until) instants."""
    first = dt.datetime.combine(start, dt.time(), tzinfo=LONDON)
    last = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    return first.astimezone(dt.UTC), last.astimezone(dt.UTC)


def contacts_between(start: dt.date, end: dt.date) -> QuerySet[Referral]:
    since, until = day_bounds(start, end)
    return Referral.objects.submitted().filter(submitted_at__gte=since, submitted_at__lt=until)


def cin_referrals_between(start: dt.date, end: dt.date) -> QuerySet[Referral]:
    return Referral.objects.submitted().filter(
        contact_outcome=ContactOutcome.REFERRAL, cin_referral_date__range=(start, end)
    )


def timezone_date(value: dt.datetime) -> dt.date:
    return value.astimezone(LONDON).date()


def a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# --- The children behind the rows ----------------------------------------------------


@dataclass(frozen=True)
class Sighting:
    """Another contact about (possibly) the same child: what the returns need of it."""

    pk: int
    reference: str
    submitted_at: dt.datetime
    referral_date: dt.date | None


def _same_child(referral_ids: list[int]) -> dict[int, list[Sighting]]:
    """For each referral, every submitted contact that shares one of its person keys
    (itself included): two queries, whatever the number of rows."""
    keys_of = defaultdict(set)
    for referral_id, value in LinkKey.objects.filter(
        kind=LinkKey.Kind.PERSON, referral_id__in=referral_ids
    ).values_list("referral_id", "value"):
        keys_of[referral_id].add(value)
    values = set().union(*keys_of.values()) if keys_of else set()
    by_value = defaultdict(set)
    for value, pk, reference, submitted_at, outcome, referral_date in (
        LinkKey.objects.filter(kind=LinkKey.Kind.PERSON, value__in=values)
        .exclude(referral__submitted_at=None)
        .values_list(
            "value",
            "referral_id",
            "referral__reference",
            "referral__submitted_at",
            "referral__contact_outcome",
            "referral__cin_referral_date",
        )
    ):
        date = referral_date if outcome == ContactOutcome.REFERRAL else None
        by_value[value].add(Sighting(pk, reference, submitted_at, date))
    return {
        referral_id: sorted(
            set().union(*(by_value[v] for v in keys)), key=lambda s: (s.submitted_at, s.pk)
        )
        for referral_id, keys in keys_of.items()
    }


def _child_id(referral: Referral, sightings: list[Sighting]) -> str:
    """The reference of the child's first contact (their own without a date of birth,
    which the matching rule needs)."""
    return sightings[0].reference if sightings else referral.reference


def _previous_referrals(referral: Referral, sightings: list[Sighting]) -> int:
    """Referrals to children's social care about the same child in the 12 months
    before this one's referral date (Annex A List 3)."""
    day = referral.cin_referral_date
    if day is None:
        return 0
    since = a_year_before(day)
    return sum(
        1
        for s in sightings
        if s.pk != referral.pk and s.referral_date and since <= s.referral_date < day
    )


# --- Rows ------------------------------------------------------------------------------


def _common(referral: Referral, child_id: str, day: dt.date) -> dict:
    return {
        "reference": referral.reference,
        "child_id": child_id,
        "gender": GENDER_LABELS.get(referral.sex, GENDER_NOT_RECORDED),
        "ethnicity": referral.ethnicity_code or codes.ETHNICITY_NOT_OBTAINED,
        "ethnicity_code": referral.ethnicity_code,
        "date_of_birth": referral.date_of_birth,
        "age": referral.age_on(day),
        "source_code": referral.source_code,
        "source": referral.source_code,
    }


def _is_child_on(referral: Referral, day: dt.date) -> bool:
    return is_child(referral.subject_type, referral.age_on(day))


def _disability(referral: Referral) -> str:
    if not referral.disability_codes:
        return "Not recorded"
    return "No" if referral.disability_codes == [codes.NO_DISABILITY] else "Yes"


def _nfa(referral: Referral) -> bool | None:
    return NFA_FOR_NEXT_STEP.get(referral.outcome)


def list_1(start: dt.date, end: dt.date) -> Return:
    """Every contact about a child received in the period (List 1)."""
    result = Return(RETURN_LIST_1, TITLES[RETURN_LIST_1], start, end, LIST_1_COLUMNS)
    contacts = list(contacts_between(start, end).order_by("submitted_at", "pk"))
    children = [r for r in contacts if _is_child_on(r, timezone_date(r.submitted_at))]
    same = _same_child([r.pk for r in children])
    for referral in children:
        day = timezone_date(referral.submitted_at)
        row = _common(referral, _child_id(referral, same.get(referral.pk, [])), day)
        row |= {
            "contact_date": day,
            "outcome": referral.get_contact_outcome_display() if referral.contact_outcome else "",
        }
        result.rows.append(row)
        result.violations += contact_violations(row)
    return result


def _referral_rows(kind: str, columns: list[Column], start: dt.date, end: dt.date) -> Return:
    result = Return(kind, TITLES[kind], start, end, columns)
    referrals = list(cin_referrals_between(start, end).order_by("cin_referral_date", "pk"))
    same = _same_child([r.pk for r in referrals])
    for referral in referrals:
        sightings = same.get(referral.pk, [])
        row = _common(referral, _child_id(referral, sightings), referral.cin_referral_date)
        row |= {
            "referral_date": referral.cin_referral_date,
            "nfa": _nfa(referral),
            "factors": list(referral.factors),
            "disability": _disability(referral),
            "previous_referrals": _previous_referrals(referral, sightings),
        }
        result.rows.append(row)
        result.violations += referral_violations(row, period_end=end)
    return result


def list_3(start: dt.date, end: dt.date) -> Return:
    """Every referral to children's social care in the period (List 3)."""
    return _referral_rows(RETURN_LIST_3, LIST_3_COLUMNS, start, end)


def census_referrals(start: dt.date, end: dt.date) -> Return:
    """The census's referral fields for the referrals in the period."""
    return _referral_rows(RETURN_CENSUS, CENSUS_COLUMNS, start, end)


BUILDERS = {RETURN_LIST_1: list_1, RETURN_LIST_3: list_3, RETURN_CENSUS: census_referrals}
