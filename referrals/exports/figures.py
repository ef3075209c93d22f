"""The managers' monthly summary figures, aggregated in the database.

Every figure is a count or a duration over many referrals: no names, dates of birth,
addresses or free text ever reach a summary. The number of queries is fixed, whatever
the number of referrals (asserted in the tests)."""

import datetime as dt
import statistics
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Lower,
    Trim,
    TruncMonth,
)
from django.utils import timezone

from accounts.models import Organisation
from indicators.models import CatalogueVersion, Indicator
from referrals import codes, network
from referrals.models import (
    Answer,
    ContactOutcome,
    InformationRequest,
    LinkKey,
    Rag,
    Referral,
    Sex,
    Status,
    SubjectType,
)
from referrals.models import choices as referral_models

LONDON = ZoneInfo("Europe/London")
TREND_MONTHS = 12
SMALL_COUNT_LIMIT = 5
AGE_BANDS = [label for _, label in referral_models.AGE_BAND_LIMITS] + [
    referral_models.AGE_BAND_OLDEST
]
AGE_UNKNOWN = referral_models.AGE_UNKNOWN
SEX_LABELS = ["Female", "Male", "Another description", "Not recorded"]


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(f) WITHIN GROUP (ORDER BY expr)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


# --- Months ----------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def previous_month(today: dt.date) -> dt.date:
    return add_months(month_start(today), -1)


def parse_month(text: str) -> dt.date:
    """ "2026-10" -> 1 October 2026; ValueError otherwise."""
    return dt.datetime.strptime(text.strip(), "%Y-%m").date()


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as [start, end) instants: London midnights, whatever the offset."""
    start = dt.datetime.combine(month, dt.time(), tzinfo=LONDON)
    end = dt.datetime.combine(add_months(month, 1), dt.time(), tzinfo=LONDON)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def received_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Referral]:
    return Referral.objects.submitted().filter(submitted_at__gte=start, submitted_at__lt=end)


# --- Figures ---------------------------------------------------------------------


def _decided_in_time() -> Q:
    return Q(decided_at__isnull=False, decided_at__lte=F("decision_due_at"))


def _totals(referrals: QuerySet[Referral], now: dt.datetime) -> dict:
    decided = Q(decided_at__isnull=False)
    undecided = Q(status__in=[Status.SUBMITTED, Status.IN_TRIAGE])
    return referrals.aggregate(
        received=Count("pk"),
        urgent=Count("pk", filter=Q(is_urgent=True)),
        child=Count("pk", filter=Q(subject_type=SubjectType.CHILD)),
        adult=Count("pk", filter=Q(subject_type=SubjectType.ADULT)),
        decided=Count("pk", filter=decided),
        decided_in_time=Count("pk", filter=_decided_in_time()),
        decided_late=Count("pk", filter=decided & Q(decided_at__gt=F("decision_due_at"))),
        overdue_undecided=Count("pk", filter=undecided & Q(decision_due_at__lt=now)),
        repeat=Count("pk", filter=Q(is_repeat=True)),
        shared_phone=Count("pk", filter=Q(has_shared_phone=True)),
        shared_address=Count("pk", filter=Q(has_shared_address=True)),
    )


def _decision_times(referrals: QuerySet[Referral]) -> dict:
    """Median and 90th percentile time to decision, in hours (None without decisions)."""
    decided = referrals.filter(time_to_decision__isnull=False)
    if connection.vendor == "postgresql":
        row = decided.aggregate(
            median=PercentileCont("time_to_decision", 0.5),
            p90=PercentileCont("time_to_decision", 0.9),
        )
        values = [row["median"], row["p90"]]
    else:
        # SQLite has no percentile function: one query for the durations, then Python.
        durations = sorted(decided.values_list("time_to_decision", flat=True))
        values = [_percentile(durations, 0.5), _percentile(durations, 0.9)]
    median, p90 = (round(v.total_seconds() / 3600, 1) if v is not None else None for v in values)
    return {"median_hours": median, "p90_hours": p90}


def _percentile(values: list[dt.timedelta], fraction: float) -> dt.timedelta | None:
    """percentile_cont's definition (linear interpolation between closest ranks)."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    seconds = [v.total_seconds() for v in values]
    return dt.timedelta(
        seconds=statistics.quantiles(seconds, n=100, method="inclusive")[round(fraction * 100) - 1]
    )


def _by_organisation_kind(referrals: QuerySet[Referral]) -> list[dict]:
    counts = dict(referrals.values_list("organisation__kind").annotate(n=Count("pk")).order_by())
    return [
        {"key": kind.value, "label": kind.label, "count": counts.get(kind.value, 0)}
        for kind in Organisation.Kind
    ]


def _age_expression():
    """Age in whole years on the London date of submission (as Referral.age_on)."""
    birthday_to_come = Q(sub_month__lt=F("dob_month")) | Q(
        sub_month=F("dob_month"), sub_day__lt=F("dob_day")
    )
    exact = (
        F("sub_year")
        - F("dob_year")
        - Case(When(birthday_to_come, then=Value(1)), default=Value(0))
    )
    return Coalesce(exact, F("approximate_age"), output_field=IntegerField())


def _age_band_expression():
    whens = [
        When(age__lte=upper, then=Value(label)) for upper, label in referral_models.AGE_BAND_LIMITS
    ]
    return Case(
        When(age__isnull=True, then=Value(AGE_UNKNOWN)), *whens, default=Value(AGE_BANDS[-1])
    )


def _sex_expression():
    # The free-text value is mapped to fixed labels in SQL so none of it can leak.
    # "Not known" on the form is a sex not recorded, not another description of it.
    return Case(
        When(sex_folded=Sex.FEMALE.lower(), then=Value("Female")),
        When(sex_folded=Sex.MALE.lower(), then=Value("Male")),
        When(sex_folded__in=["", Sex.NOT_KNOWN.lower()], then=Value("Not recorded")),
        default=Value("Another description"),
    )


def _with_age_band(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """The referrals annotated with `band`, their age band on the day received."""
    return (
        referrals.annotate(
            sub_year=ExtractYear("submitted_at", tzinfo=LONDON),
            sub_month=ExtractMonth("submitted_at", tzinfo=LONDON),
            sub_day=ExtractDay("submitted_at", tzinfo=LONDON),
            dob_year=ExtractYear("date_of_birth"),
            dob_month=ExtractMonth("date_of_birth"),
            dob_day=ExtractDay("date_of_birth"),
        )
        .annotate(age=_age_expression())
        .annotate(band=_age_band_expression())
    )


def _by_age_and_sex(referrals: QuerySet[Referral]) -> list[dict]:
    rows = (
        _with_age_band(referrals)
        .annotate(sex_folded=Lower(Trim("sex")))
        .annotate(sex_label=_sex_expression())
        .values_list("band", "sex_label")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(band, sex): n for band, sex, n in rows}
    return [
        {
            "band": band,
            "counts": [counts.get((band, sex), 0) for sex in SEX_LABELS],
            "total": sum(counts.get((band, sex), 0) for sex in SEX_LABELS),
        }
        for band in [*AGE_BANDS, AGE_UNKNOWN]
    ]


def _indicator_yes_counts(referrals: QuerySet[Referral]) -> list[dict]:
    counts = dict(
        Answer.objects.filter(referral__in=referrals.values("pk"), answer="yes")
        .values_list("indicator__code")
        .annotate(n=Count("referral_id", distinct=True))
        .order_by()
    )
    current = (
        Indicator.objects.filter(version=Subquery(CatalogueVersion.objects.current_id()))
        .order_by("group", "order")
        .values_list("code", "wording")
    )
    rows = [{"code": c, "wording": w, "count": counts.pop(c, 0)} for c, w in current]
    # Codes answered in the month but retired from the current catalogue keep a row.
    rows += [
        {"code": c, "wording": f"Retired indicator {c}", "count": n} for c, n in counts.items()
    ]
    return rows


def _outcomes(referrals: QuerySet[Referral]) -> list[dict]:
    """Decisions by contact outcome (issue 18: every submission is a contact)."""
    decided = referrals.exclude(contact_outcome="")
    counts = dict(decided.values_list("contact_outcome").annotate(n=Count("pk")).order_by())
    return [
        {"key": o.value, "label": o.label, "count": counts.get(o.value, 0)} for o in ContactOutcome
    ]


# --- The front door (issue 18) ------------------------------------------------------

ETHNICITY_NOT_RECORDED = "Not recorded"
# The census's ethnicity codes by their major group (the part of the label before ":").
ETHNIC_GROUPS: dict[str, list[str]] = {}
for _code, _label in codes.ETHNICITY.items():
    ETHNIC_GROUPS.setdefault(_label.split(":")[0], []).append(_code)
DISABILITY_LABELS = ["Disabled", "Not disabled", "Not recorded"]


def _re_referral() -> Exists:
    """A referral to children's social care with another about the same child (the
    re-referral badge's person keys) in the 12 months before its referral date."""
    keys = LinkKey.objects.filter(
        referral=OuterRef(OuterRef("pk")), kind=LinkKey.Kind.PERSON
    ).values("value")
    return Exists(
        Referral.objects.filter(
            contact_outcome=ContactOutcome.REFERRAL,
            cin_referral_date__lt=OuterRef("cin_referral_date"),
            cin_referral_date__gte=OuterRef("cin_referral_date") - dt.timedelta(days=365),
            link_keys__kind=LinkKey.Kind.PERSON,
            link_keys__value__in=keys,
        ).exclude(pk=OuterRef("pk"))
    )


def _front_door(referrals: QuerySet[Referral]) -> tuple[dict, list[dict]]:
    """Contacts received, how many became referrals to children's social care and how
    many of those were re-referrals within 12 months; and for each RAG rating, the
    contacts with it and those decided within its clock. One query."""
    became = Q(contact_outcome=ContactOutcome.REFERRAL)
    in_clock = Q(decided_at__isnull=False, decided_at__lte=F("rag_due_at"))
    counts = referrals.annotate(re_referral=_re_referral()).aggregate(
        contacts=Count("pk"),
        outcome_recorded=Count("pk", filter=~Q(contact_outcome="")),
        referrals=Count("pk", filter=became),
        re_referrals=Count("pk", filter=became & Q(re_referral=True)),
        **{f"{r}_rated": Count("pk", filter=Q(rag_rating=r)) for r in Rag.values},
        **{f"{r}_in_clock": Count("pk", filter=Q(rag_rating=r) & in_clock) for r in Rag.values},
    )
    front = {
        key: counts[key] for key in ("contacts", "outcome_recorded", "referrals", "re_referrals")
    }
    rag = [
        {
            "key": rag.value,
            "label": rag.label,
            "rated": counts[f"{rag.value}_rated"],
            "in_clock": counts[f"{rag.value}_in_clock"],
        }
        for rag in Rag
    ]
    return front, rag


def _waiting_at(end: dt.datetime) -> list[dict]:
    """Contacts received before `end` and not decided by then, by age band."""
    waiting = Referral.objects.submitted().filter(submitted_at__lt=end)
    waiting = waiting.filter(Q(decided_at__isnull=True) | Q(decided_at__gte=end))
    counts = dict(_with_age_band(waiting).values_list("band").annotate(n=Count("pk")).order_by())
    return [{"band": band, "count": counts.get(band, 0)} for band in [*AGE_BANDS, AGE_UNKNOWN]]


def _ethnic_group_expression():
    whens = [
        When(ethnicity_code__in=group_codes, then=Value(name))
        for name, group_codes in ETHNIC_GROUPS.items()
    ]
    return Case(*whens, default=Value(ETHNICITY_NOT_RECORDED), output_field=CharField())


def _disability_expression():
    return Case(
        When(disability_codes=[], then=Value("Not recorded")),
        When(disability_codes=[codes.NO_DISABILITY], then=Value("Not disabled")),
        default=Value("Disabled"),
        output_field=CharField(),
    )


def _characteristics(referrals: QuerySet[Referral]) -> dict:
    """Contacts by sex, ethnic group and disability, from one query (numerators; the
    denominator is the contacts received)."""
    rows = (
        referrals.annotate(sex_folded=Lower(Trim("sex")))
        .annotate(
            sex_label=_sex_expression(),
            ethnic_group=_ethnic_group_expression(),
            disabled=_disability_expression(),
        )
        .values_list("sex_label", "ethnic_group", "disabled")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tables = {"sex": {}, "ethnicity": {}, "disability": {}}
    for *groups, n in rows:
        for table, group in zip(tables.values(), groups, strict=True):
            table[group] = table.get(group, 0) + n
    labels = {
        "sex": SEX_LABELS,
        "ethnicity": [*ETHNIC_GROUPS, ETHNICITY_NOT_RECORDED],
        "disability": DISABILITY_LABELS,
    }
    return {
        name: [{"key": label, "count": tables[name].get(label, 0)} for label in labels[name]]
        for name in tables
    }


def _trend(month: dt.date) -> list[dict]:
    first = add_months(month, -(TREND_MONTHS - 1))
    start, _ = month_bounds(first)
    _, end = month_bounds(month)
    rows = (
        received_between(start, end)
        .annotate(month=TruncMonth("submitted_at", tzinfo=LONDON))
        .values("month")
        .annotate(
            received=Count("pk"),
            urgent=Count("pk", filter=Q(is_urgent=True)),
            in_time=Count("pk", filter=_decided_in_time()),
        )
        .order_by()
    )
    by_month = {_as_date(row["month"]): row for row in rows}
    trend = []
    for offset in range(TREND_MONTHS):
        key = add_months(first, offset)
        row = by_month.get(key, {"received": 0, "urgent": 0, "in_time": 0})
        trend.append(
            {
                "month": key.isoformat(),
                "received": row["received"],
                "urgent": row["urgent"],
                "in_time": row["in_time"],
            }
        )
    return trend


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(LONDON).date() if timezone.is_aware(value) else value.date()
    return value


def monthly_figures(month: dt.date, *, now: dt.datetime | None = None) -> dict:
    """Every figure of the summary for `month`, as JSON-ready raw counts."""
    now = now or timezone.now()
    start, end = month_bounds(month)
    referrals = received_between(start, end)
    front_door, rag_clocks = _front_door(referrals)
    return {
        "month": month.isoformat(),
        "generated_at": now.isoformat(),
        "totals": _totals(referrals, now),
        "decision_times": _decision_times(referrals),
        "organisation_kinds": _by_organisation_kind(referrals),
        "age_sex": _by_age_and_sex(referrals),
        "sex_labels": SEX_LABELS,
        "indicators": _indicator_yes_counts(referrals),
        "outcomes": _outcomes(referrals),
        "trend": _trend(month),
        "front_door": front_door,
        "rag_clocks": rag_clocks,
        "waiting_at_month_end": _waiting_at(min(end, now)),
        "characteristics": _characteristics(referrals),
        "partner_responses": _partner_responses(start, end),  # h19b
        # h20b (issue 20): identifiers shared by three or more referrals in the 90 days
        # to the month's end; counts and references only, never the value or a name.
        "mace": network.mace_figures(min(end, now)),
    }


def _partner_responses(start: dt.datetime, end: dt.datetime) -> list[dict]:
    """h19b: per agency asked, the information requests sent in the month, how many were
    answered, how many by their due time, and the median hours to an answer (one query;
    a withdrawn request counts as asked, never as answered)."""
    sent = InformationRequest.objects.filter(sent_at__gte=start, sent_at__lt=end)
    answered = Q(answered_at__isnull=False)
    waited = ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField())
    rows = sent.values("organisation__name").annotate(
        asked=Count("pk"),
        answered=Count("pk", filter=answered),
        on_time=Count("pk", filter=answered & Q(answered_at__lte=F("due_at"))),
    )
    if connection.vendor == "postgresql":
        rows = rows.annotate(median=PercentileCont(waited, 0.5, filter=answered))
    result = []
    for row in rows.order_by("organisation__name"):
        median = row.get("median")
        if connection.vendor != "postgresql":
            durations = sorted(
                info.answered_at - info.sent_at
                for info in sent.filter(answered, organisation__name=row["organisation__name"])
            )
            median = _percentile(durations, 0.5)
        result.append(
            {
                "agency": row["organisation__name"],
                "asked": row["asked"],
                "answered": row["answered"],
                "on_time": row["on_time"],
                "median_hours": round(median.total_seconds() / 3600, 1) if median else None,
            }
        )
    return result


def suppressing() -> bool:
    return settings.SUPPRESS_SMALL_COUNTS
