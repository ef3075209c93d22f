"""The managers' monthly summary: figures aggregated in the database, their display
(with small-count suppression), the CSV and the SVG trend chart.

Every figure is a count or a duration over many referrals: no names, dates of birth,
addresses or free text ever reach a summary. The number of queries is fixed, whatever
the number of referrals (asserted in the tests)."""

import csv
import datetime as dt
import io
import statistics
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    F,
    IntegerField,
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
from referrals.models import Answer, Outcome, Referral, Status, SubjectType

LONDON = ZoneInfo("Europe/London")
TREND_MONTHS = 12
SMALL_COUNT_LIMIT = 5
AGE_BANDS = ["Under 10", "10 to 13", "14 to 15", "16 to 17", "18 to 24", "25 and over"]
AGE_UNKNOWN = "Age not known"
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
        When(age__lte=upper, then=Value(label))
        for upper, label in zip([9, 13, 15, 17, 24], AGE_BANDS, strict=False)
    ]
    return Case(
        When(age__isnull=True, then=Value(AGE_UNKNOWN)), *whens, default=Value(AGE_BANDS[-1])
    )


def _sex_expression():
    # The free-text value is mapped to fixed labels in SQL so none of it can leak.
    return Case(
        When(sex_folded="female", then=Value("Female")),
        When(sex_folded="male", then=Value("Male")),
        When(sex_folded="", then=Value("Not recorded")),
        default=Value("Another description"),
    )


def _by_age_and_sex(referrals: QuerySet[Referral]) -> list[dict]:
    rows = (
        referrals.annotate(
            sub_year=ExtractYear("submitted_at", tzinfo=LONDON),
            sub_month=ExtractMonth("submitted_at", tzinfo=LONDON),
            sub_day=ExtractDay("submitted_at", tzinfo=LONDON),
            dob_year=ExtractYear("date_of_birth"),
            dob_month=ExtractMonth("date_of_birth"),
            dob_day=ExtractDay("date_of_birth"),
        )
        .annotate(age=_age_expression(), sex_folded=Lower(Trim("sex")))
        .annotate(band=_age_band_expression(), sex_label=_sex_expression())
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
        Indicator.objects.filter(
            version=Subquery(CatalogueVersion.objects.order_by("-number").values("pk")[:1])
        )
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
    counts = dict(
        referrals.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")).order_by()
    )
    return [{"key": o.value, "label": o.label, "count": counts.get(o.value, 0)} for o in Outcome]


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
    referrals = received_between(*month_bounds(month))
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
    }


# --- Display ---------------------------------------------------------------------


def suppressing() -> bool:
    return settings.SUPPRESS_SMALL_COUNTS


def show_count(value: int) -> str:
    """A count as shown: 1 to 4 become "fewer than 5" when suppression is on."""
    if suppressing() and 0 < value < SMALL_COUNT_LIMIT:
        return f"fewer than {SMALL_COUNT_LIMIT}"
    return str(value)


def show_share(part: int, whole: int) -> str:
    """A percentage, hidden when its numerator is suppressed (a share would reveal it)."""
    if not whole:
        return "no referrals"
    if suppressing() and 0 < part < SMALL_COUNT_LIMIT:
        return "not shown"
    return f"{round(100 * part / whole)}%"


def show_hours(hours: float | None, decided: int) -> str:
    if hours is None:
        return "no decisions"
    if suppressing() and 0 < decided < SMALL_COUNT_LIMIT:
        return "not shown"
    return f"{hours:g} hours"


@dataclass(frozen=True)
class Line:
    section: str
    label: str
    value: str


def summary_lines(figures: dict) -> list[Line]:
    """The summary as labelled lines: the CSV and the PDF's tables share them."""
    t = figures["totals"]
    times = figures["decision_times"]
    lines = [
        Line("Referrals", "Referrals received", show_count(t["received"])),
        Line("Referrals", "Urgent (immediate danger)", show_count(t["urgent"])),
        Line("Referrals", "About a child", show_count(t["child"])),
        Line("Referrals", "About an adult at risk", show_count(t["adult"])),
        Line("Referrals", "Re-referrals within 12 months", show_count(t["repeat"])),
        Line("Referrals", "Re-referral rate", show_share(t["repeat"], t["received"])),
        Line(
            "Referrals",
            "Sharing a phone number with another referral",
            show_count(t["shared_phone"]),
        ),
        Line(
            "Referrals", "Sharing an address with another referral", show_count(t["shared_address"])
        ),
        Line("Timeliness", "Decided", show_count(t["decided"])),
        Line("Timeliness", "Decided within one working day", show_count(t["decided_in_time"])),
        Line(
            "Timeliness",
            "Share decided within one working day",
            show_share(t["decided_in_time"], t["received"]),
        ),
        Line("Timeliness", "Decided late", show_count(t["decided_late"])),
        Line("Timeliness", "Awaiting a decision and overdue", show_count(t["overdue_undecided"])),
        Line(
            "Timeliness", "Median time to decision", show_hours(times["median_hours"], t["decided"])
        ),
        Line(
            "Timeliness",
            "90th percentile time to decision",
            show_hours(times["p90_hours"], t["decided"]),
        ),
    ]
    lines += [
        Line("Referring organisation", row["label"], show_count(row["count"]))
        for row in figures["organisation_kinds"]
    ]
    for row in figures["age_sex"]:
        lines += [
            Line("Age and sex", f"{row['band']}: {sex}", show_count(count))
            for sex, count in zip(figures["sex_labels"], row["counts"], strict=True)
        ]
    lines += [
        Line("Warning signs answered Yes", row["wording"], show_count(row["count"]))
        for row in figures["indicators"]
    ]
    lines += [
        Line("Outcomes", row["label"], show_count(row["count"])) for row in figures["outcomes"]
    ]
    lines += [
        Line("Trend", f"{_month_label(row['month'])}: {label}", show_count(row[key]))
        for row in figures["trend"]
        for key, label in [
            ("received", "received"),
            ("urgent", "urgent"),
            ("in_time", "decided within one working day"),
        ]
    ]
    return lines


def _month_label(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%b %Y")


def summary_csv(figures: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Section", "Figure", "Value"])
    for line in summary_lines(figures):
        # Labels come from the catalogue and the code, never from referrals; still,
        # a leading = + - @ would be run as a formula by a spreadsheet.
        writer.writerow([_csv_safe(line.section), _csv_safe(line.label), _csv_safe(line.value)])
    return buffer.getvalue()


def _csv_safe(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- Trend chart -------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 640, 206
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 44, 628, 30, 156


def _nice_ceiling(value: int) -> int:
    """The axis top: a round number divisible by 4, so the grid lines are whole."""
    for step in (4, 8, 12, 20, 40, 60, 80, 100, 200, 400, 800, 1000, 2000, 4000):
        if value <= step:
            return step
    return ((value // 4000) + 1) * 4000


def trend_counts_svg(trend: list[dict]) -> str:
    """Bars for referrals received and urgent per month, each labelled with its value
    (shown as "<5" when suppressed), with a text legend: no colour-only meaning."""
    top = _nice_ceiling(max([row["received"] for row in trend] + [1]))
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(trend)
    bar = slot * 0.34
    parts = _chart_frame("Referrals received and urgent, by month", top, "")
    for index, row in enumerate(trend):
        x = PLOT_LEFT + index * slot + slot * 0.14
        parts += _bar(x, bar, row["received"], top, "received")
        parts += _bar(x + bar + 2, bar, row["urgent"], top, "urgent")
        parts.append(_month_tick(PLOT_LEFT + (index + 0.5) * slot, row["month"]))
    parts += _legend([("received", "Received (solid)"), ("urgent", "Urgent (hatched)")])
    return _svg(parts, "Bar chart of referrals received and urgent referrals per month.")


def trend_timeliness_svg(trend: list[dict]) -> str:
    """A line of the share decided within one working day, per month, labelled. The
    line is broken at months without a share (none received, or hidden)."""
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(trend)
    frame = _chart_frame("Share decided within one working day, by month", 100, "%")
    parts: list[str] = []
    lines: list[list[str]] = [[]]
    for index, row in enumerate(trend):
        x = PLOT_LEFT + (index + 0.5) * slot
        parts.append(_month_tick(x, row["month"]))
        label = _share_label(row["in_time"], row["received"])
        if row["received"] and label != "*":
            y = _y(100 * row["in_time"] / row["received"], 100)
            lines[-1].append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="line-point"/>')
        else:
            y = PLOT_BOTTOM - 2
            lines.append([])
        parts.append(f'<text x="{x:.1f}" y="{y - 7:.1f}" class="value">{label}</text>')
    segments = [
        f'<polyline points="{" ".join(points)}" class="line"/>'
        for points in lines
        if len(points) > 1
    ]
    legend = "Decided within one working day (%); – = no referrals"
    if suppressing():
        legend += "; * = small number hidden"
    parts = frame + segments + parts + _legend([("line", legend)])
    return _svg(parts, "Line chart of the share of referrals decided within one working day.")


def _share_label(part: int, whole: int) -> str:
    if not whole:
        return "–"
    if suppressing() and 0 < part < SMALL_COUNT_LIMIT:
        return "*"
    return f"{round(100 * part / whole)}%"


def _y(value: float, top: float) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (value / top)


def _bar(x: float, width: float, value: int, top: int, kind: str) -> list[str]:
    hidden = suppressing() and 0 < value < SMALL_COUNT_LIMIT
    label = "&lt;5" if hidden else str(value)
    height = 0 if hidden else (PLOT_BOTTOM - _y(value, top))
    parts: list[str] = []
    if kind == "urgent" and value == 0:
        return parts
    if height:
        parts.append(
            f'<rect x="{x:.1f}" y="{PLOT_BOTTOM - height:.1f}" width="{width:.1f}" '
            f'height="{height:.1f}" class="bar-{kind}"/>'
        )
    text_y = PLOT_BOTTOM - height - 3
    parts.append(
        f'<text x="{x + width / 2:.1f}" y="{text_y:.1f}" class="value small">{label}</text>'
    )
    return parts


def _month_tick(x: float, iso: str) -> str:
    month = dt.date.fromisoformat(iso)
    year = f'<tspan x="{x:.1f}" dy="11">{month:%Y}</tspan>' if month.month == 1 else ""
    return f'<text x="{x:.1f}" y="{PLOT_BOTTOM + 13}" class="tick">{month:%b}{year}</text>'


def _chart_frame(title: str, top: int, unit: str) -> list[str]:
    parts = [f'<text x="{PLOT_LEFT}" y="14" class="title">{title}</text>']
    for step in range(5):
        value = top * step / 4
        y = _y(value, top)
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{PLOT_RIGHT}" y2="{y:.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{PLOT_LEFT - 6}" y="{y + 3:.1f}" class="axis">{value:g}{unit}</text>'
        )
    return parts


def _legend(items: list[tuple[str, str]]) -> list[str]:
    parts, x = [], PLOT_LEFT
    for kind, label in items:
        y = CHART_HEIGHT - 4
        if kind == "line":
            parts.append(f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" class="line"/>')
            parts.append(f'<circle cx="{x + 9}" cy="{y - 4}" r="3.5" class="line-point"/>')
        else:
            parts.append(f'<rect x="{x}" y="{y - 10}" width="14" height="10" class="bar-{kind}"/>')
        parts.append(f'<text x="{x + 22}" y="{y}" class="legend">{label}</text>')
        x += 30 + 6.2 * len(label)
    return parts


_STYLE = (
    "text{font-family:Arial,'Liberation Sans',sans-serif;fill:#0b0c0c}"
    ".title{font-size:13px;font-weight:bold}.axis{font-size:10px;text-anchor:end}"
    ".tick{font-size:10px;text-anchor:middle}.value{font-size:10px;text-anchor:middle}"
    ".small{font-size:9px}.legend{font-size:11px}"
    ".grid{stroke:#b1b4b6;stroke-width:0.5}"
    ".bar-received{fill:#1d70b8}"
    ".bar-urgent{fill:url(#hatch);stroke:#d4351c;stroke-width:1}"
    ".line{fill:none;stroke:#00703c;stroke-width:2}.line-point{fill:#00703c}"
)


def _svg(parts: list[str], description: str) -> str:
    """The whole chart. Every value in it is a number or a fixed label from this module."""
    hatch = (
        '<defs><pattern id="hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#d4351c" stroke-width="2.5"/></pattern></defs>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img">'
        f"<title>{description}</title><style>{_STYLE}</style>{hatch}" + "".join(parts) + "</svg>"
    )
