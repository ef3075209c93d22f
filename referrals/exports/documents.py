"""The documents of the exports journey, from data to HTML: the referral PDF (what the
exporting user may see, as the referral page shows it), and the monthly summary's
lines, tables and CSV (with small-count suppression)."""

import base64
import csv
import datetime as dt
import io
import math
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from referrals import links
from referrals.answers import answer_rows, check_answers_rows, people_rows
from referrals.exports import charts
from referrals.exports.figures import SMALL_COUNT_LIMIT, suppressing
from referrals.models import Export, MonthlySummary, Referral, Status
from referrals.permissions import Action, can

WITHHELD = "Withheld in this export"


# --- The referral PDF ----------------------------------------------------------------


def referral_pdf_context(export: Export) -> dict:
    """What the exporting user may see of the referral, as the referral page shows it
    (the same presenters), with the referrer's section withheld when asked."""
    referral = export.referral
    user = export.requested_by
    is_triage = can(user, Action.TRIAGE, referral)
    sections = [
        _for_pdf(section, redact=export.redact_referrer) for section in check_answers_rows(referral)
    ]
    context = {
        "referral": referral,
        "exported_by": user.full_name or user.email,
        "exported_on": timezone.localtime(export.requested_at),
        "received": timezone.localtime(referral.submitted_at) if referral.submitted_at else None,
        "redact": export.redact_referrer,
        "referred_by": WITHHELD
        if export.redact_referrer
        else ", ".join(x for x in [referral.referrer_name, referral.referrer_organisation] if x),
        "is_triage": is_triage,
        "sections": sections,
        "people": people_rows(referral),
        "answers": answer_rows(referral),
        "show_outcome": referral.status in (Status.DECIDED, Status.CLOSED),
    }
    if is_triage:
        context["events"] = _chronology(referral, export)
        context["links"] = links.links_for(referral)
        context["links_unlisted"] = links.unlisted(context["links"])
    return context


def _for_pdf(section: dict, *, redact: bool) -> dict:
    """The form's "About you" is the referrer's section to a reader of the PDF."""
    if section["slug"] != "referrer":
        return section
    rows = [(label, WITHHELD) for label, _ in section["rows"]] if redact else section["rows"]
    return {**section, "title": "The referrer", "rows": rows}


def _chronology(referral: Referral, export: Export) -> list[dict]:
    rows = []
    for event in referral.events.select_related("actor"):
        actor = event.actor.full_name if event.actor else "The portal"
        if export.redact_referrer and event.actor_id == referral.author_id:
            actor = "The referrer"
        rows.append(
            {
                "occurred_at": timezone.localtime(event.occurred_at),
                # A note given for an earlier phone call shows when it was written down.
                "recorded_at": timezone.localtime(event.recorded_at)
                if event.recorded_at - event.occurred_at > dt.timedelta(minutes=1)
                else None,
                "kind": event.get_kind_display(),
                "actor": actor,
                "text": event.text,
            }
        )
    return rows


def referral_pdf_html(export: Export) -> str:
    return render_to_string("referrals/exports/pdf/referral.html", referral_pdf_context(export))


# --- The monthly summary -------------------------------------------------------------


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


# --- Secondary suppression -------------------------------------------------------
#
# A count of 1 to 4 hidden in a table whose other cells and total are shown is the
# total minus the others. So, as in the ONS's and NHS England's disclosure control
# (primary and secondary suppression), more cells are withheld until no hidden count
# can be worked out from what is shown. The reader is assumed to know the rule: a
# "fewer than 5" is 1 to 4, a withheld count (COUNT_WITHHELD) is 5 or more (0 is never
# withheld). A hidden count is protected when, from every sum the summary shows (parts
# and their total, and the month's own row of the trend) and those bounds, it could
# still be more than one value.

COUNT_WITHHELD = "withheld"
Cell = tuple


def summary_cells(figures: dict) -> dict[Cell, int]:
    """Every count of the summary, by a key naming where it is shown."""
    cells = {("totals", key): value for key, value in figures["totals"].items()}
    cells |= {("kind", row["key"]): row["count"] for row in figures["organisation_kinds"]}
    cells |= {("outcome", row["key"]): row["count"] for row in figures["outcomes"]}
    cells |= {("indicator", row["code"]): row["count"] for row in figures["indicators"]}
    for row in figures["age_sex"]:
        cells[("age", row["band"])] = row["total"]
        for sex, count in zip(figures["sex_labels"], row["counts"], strict=True):
            cells[("age", row["band"], sex)] = count
    for row in figures["trend"]:
        for key in ("received", "urgent", "in_time"):
            cells[("trend", row["month"], key)] = row[key]
    return cells


def summary_sums(figures: dict) -> list[tuple[Cell, list[Cell]]]:
    """(total, parts) for every sum a reader can form from the summary."""

    def t(key):
        return ("totals", key)

    received, decided = t("received"), t("decided")
    bands = [row["band"] for row in figures["age_sex"]]
    sums = [
        (received, [t("child"), t("adult")]),
        (received, [("kind", row["key"]) for row in figures["organisation_kinds"]]),
        (received, [("age", band) for band in bands]),
        (decided, [t("decided_in_time"), t("decided_late")]),
        (decided, [("outcome", row["key"]) for row in figures["outcomes"]]),
    ]
    sums += [
        (("age", band), [("age", band, sex) for sex in figures["sex_labels"]]) for band in bands
    ]
    month = figures["trend"][-1]["month"] if figures["trend"] else None
    for key, same in [
        ("received", "received"),
        ("urgent", "urgent"),
        ("in_time", "decided_in_time"),
    ]:
        if month:
            sums.append((("trend", month, key), [t(same)]))
    return sums


def _bounds(cells, hidden, primary) -> dict[Cell, list[float]]:
    def bound(key):
        if key in primary:
            return [1, SMALL_COUNT_LIMIT - 1]
        if key in hidden:
            return [SMALL_COUNT_LIMIT, math.inf]
        return [cells[key], cells[key]]

    return {key: bound(key) for key in cells}


def narrow(sums, bounds) -> dict[Cell, list[float]]:
    """What a reader can work out: each sum (total - parts = 0) narrows the range of
    every cell in it, until nothing changes."""
    changed, passes = True, 0
    while changed and passes < 100:  # a few passes settle it; the cap is for bad input
        changed, passes = False, passes + 1
        for total, parts in sums:
            terms = [(1, total), *((-1, part) for part in parts)]
            for sign, key in terms:
                others = [(s, k) for s, k in terms if k != key]
                low = -sum(s * bounds[k][1 if s > 0 else 0] for s, k in others)
                high = -sum(s * bounds[k][0 if s > 0 else 1] for s, k in others)
                low, high = (low, high) if sign > 0 else (-high, -low)
                old = bounds[key]
                low = math.ceil(low) if math.isfinite(low) else low
                high = math.floor(high) if math.isfinite(high) else high
                new = [max(old[0], low), min(old[1], high)]
                if new != old:
                    bounds[key], changed = new, True
    return bounds


def hidden_cells(figures: dict) -> dict[Cell, str]:
    """Each hidden count: "primary" (1 to 4) or "secondary" (withheld to protect one)."""
    if not suppressing():
        return {}
    cells, sums = summary_cells(figures), summary_sums(figures)
    primary = {key for key, value in cells.items() if 0 < value < SMALL_COUNT_LIMIT}
    hidden = set(primary)
    while True:
        bounds = narrow(sums, _bounds(cells, hidden, primary))
        pinned = sorted(key for key in hidden if bounds[key][0] >= bounds[key][1])
        candidates = [
            cell
            for key in pinned[:1]
            for total, parts in sums
            if key in (total, *parts)
            for cell in (total, *parts)
            if cell not in hidden and cells[cell] > 0
        ]
        if not candidates:
            break
        hidden.add(min(candidates, key=lambda cell: (cells[cell], cell)))
    return {key: "primary" if key in primary else "secondary" for key in hidden}


@dataclass(frozen=True)
class Shown:
    """The summary's counts as shown, with primary and secondary suppression."""

    cells: dict
    hidden: dict

    @classmethod
    def of(cls, figures: dict) -> "Shown":
        return cls(summary_cells(figures), hidden_cells(figures))

    def count(self, key: Cell) -> str:
        kind = self.hidden.get(key)
        if kind == "primary":
            return f"fewer than {SMALL_COUNT_LIMIT}"
        return COUNT_WITHHELD if kind else str(self.cells[key])

    def share(self, part: Cell, whole: Cell) -> str:
        if not self.cells[whole]:
            return "no referrals"
        if part in self.hidden or whole in self.hidden:
            return "not shown"
        return f"{round(100 * self.cells[part] / self.cells[whole])}%"


@dataclass(frozen=True)
class Line:
    section: str
    label: str
    value: str


def summary_lines(figures: dict) -> list[Line]:
    """The summary as labelled lines: the CSV and the PDF's tables share them."""
    shown = Shown.of(figures)

    def total(key):
        return shown.count(("totals", key))

    t = figures["totals"]
    times = figures["decision_times"]
    received = ("totals", "received")
    lines = [
        Line("Referrals", "Referrals received", total("received")),
        Line("Referrals", "Urgent (immediate danger)", total("urgent")),
        Line("Referrals", "About a child", total("child")),
        Line("Referrals", "About an adult at risk", total("adult")),
        Line("Referrals", "Re-referrals within 12 months", total("repeat")),
        Line("Referrals", "Re-referral rate", shown.share(("totals", "repeat"), received)),
        Line("Referrals", "Sharing a phone number with another referral", total("shared_phone")),
        Line("Referrals", "Sharing an address with another referral", total("shared_address")),
        Line("Timeliness", "Decided", total("decided")),
        Line("Timeliness", "Decided within one working day", total("decided_in_time")),
        Line(
            "Timeliness",
            "Share decided within one working day",
            shown.share(("totals", "decided_in_time"), received),
        ),
        Line("Timeliness", "Decided late", total("decided_late")),
        Line("Timeliness", "Awaiting a decision and overdue", total("overdue_undecided")),
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
        Line("Referring organisation", row["label"], shown.count(("kind", row["key"])))
        for row in figures["organisation_kinds"]
    ]
    for row in figures["age_sex"]:
        lines += [
            Line("Age and sex", f"{row['band']}: {sex}", shown.count(("age", row["band"], sex)))
            for sex in figures["sex_labels"]
        ]
    lines += [
        Line("Warning signs answered Yes", row["wording"], shown.count(("indicator", row["code"])))
        for row in figures["indicators"]
    ]
    lines += [
        Line("Outcomes", row["label"], shown.count(("outcome", row["key"])))
        for row in figures["outcomes"]
    ]
    lines += [
        Line(
            "Trend",
            f"{_month_label(row['month'])}: {label}",
            shown.count(("trend", row["month"], key)),
        )
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


def summary_pdf_context(summary: MonthlySummary, figures: dict, now: dt.datetime) -> dict:
    by_section: dict[str, list] = {}
    for line in summary_lines(figures):
        by_section.setdefault(line.section, []).append(line)
    trend = figures["trend"]
    shown = Shown.of(figures)
    return {
        "summary": summary,
        "month": summary.month,
        "generated_on": timezone.localtime(now),
        "headline": by_section["Referrals"],
        "timeliness": by_section["Timeliness"],
        "tables": [
            (title, by_section[title])
            for title in ["Referring organisation", "Outcomes", "Warning signs answered Yes"]
        ],
        "age_sex": [
            {
                "band": row["band"],
                "counts": [shown.count(("age", row["band"], sex)) for sex in figures["sex_labels"]],
                "total": shown.count(("age", row["band"])),
            }
            for row in figures["age_sex"]
        ],
        "sex_labels": figures["sex_labels"],
        "trend": [
            {
                "month": dt.date.fromisoformat(row["month"]),
                "received": shown.count(("trend", row["month"], "received")),
                "urgent": shown.count(("trend", row["month"], "urgent")),
                "in_time": shown.share(
                    ("trend", row["month"], "in_time"), ("trend", row["month"], "received")
                ),
            }
            for row in trend
        ],
        "counts_chart": _svg_data_url(charts.trend_counts_svg(trend)),
        "timeliness_chart": _svg_data_url(charts.trend_timeliness_svg(trend)),
        "suppressing": suppressing(),
    }


def _svg_data_url(svg: str) -> str:
    # A data: URL is one of the two kinds the PDF fetcher allows, and needs no |safe.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def summary_pdf_html(summary: MonthlySummary, figures: dict, now: dt.datetime) -> str:
    return render_to_string(
        "referrals/exports/pdf/summary.html", summary_pdf_context(summary, figures, now)
    )
