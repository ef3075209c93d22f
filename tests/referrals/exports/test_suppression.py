"""Small-count suppression cannot be undone: for generated months, an attacker reads
what the summary shows (the CSV's lines and the PDF's age-by-sex table with its row
totals), forms every sum it holds (parts and their total) and tries to work out each
hidden count, by linear algebra and by narrowing ranges ("c" is 1 to 4, a
withheld count is 5 or more). The test fails if any hidden count has one possible value."""

import datetime as dt
import math
from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Organisation
from referrals.exports import documents, suppression
from referrals.exports.figures import AGE_BANDS, AGE_UNKNOWN, SEX_LABELS
from referrals.models import ContactOutcome

BANDS = [*AGE_BANDS, AGE_UNKNOWN]
KINDS = [(k.value, k.label) for k in Organisation.Kind]
OUTCOMES = [(o.value, o.label) for o in ContactOutcome]
MONTHS = [f"2026-{m:02d}-01" for m in range(1, 13)]
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
small = st.integers(0, 3) | st.integers(0, 12)


def split(draw, whole: int, parts: int) -> list[int]:
    counts = []
    for _ in range(parts - 1):
        counts.append(draw(st.integers(0, whole - sum(counts))))
    return [*counts, whole - sum(counts)]


@st.composite
def months(draw) -> dict:
    grid = [[draw(small) for _ in SEX_LABELS] for _ in BANDS]
    received = sum(map(sum, grid))
    decided = draw(st.integers(0, received))
    in_time = draw(st.integers(0, decided))
    urgent = draw(st.integers(0, received))
    child = draw(st.integers(0, received))
    totals = {
        "received": received,
        "urgent": urgent,
        "child": child,
        "adult": received - child,
        "decided": decided,
        "decided_in_time": in_time,
        "decided_late": decided - in_time,
        "overdue_undecided": draw(st.integers(0, received - decided)),
        "repeat": draw(st.integers(0, received)),
        "shared_phone": draw(small),
        "shared_address": draw(small),
    }
    trend = [
        {"month": m, "received": r, "urgent": draw(st.integers(0, r)), "in_time": 0}
        for m in MONTHS[:-1]
        for r in [draw(small)]
    ]
    trend.append({"month": MONTHS[-1], "received": received, "urgent": urgent, "in_time": in_time})
    return {
        "month": MONTHS[-1],
        "totals": totals,
        "decision_times": {"median_hours": 5.0, "p90_hours": 9.0},
        "organisation_kinds": [
            {"key": k, "label": label, "count": n}
            for (k, label), n in zip(KINDS, split(draw, received, len(KINDS)), strict=True)
        ],
        "age_sex": [
            {"band": b, "counts": row, "total": sum(row)}
            for b, row in zip(BANDS, grid, strict=True)
        ],
        "sex_labels": SEX_LABELS,
        "indicators": [{"code": "cl-01", "wording": "A warning sign", "count": draw(small)}],
        "outcomes": [
            {"key": k, "label": label, "count": n}
            for (k, label), n in zip(OUTCOMES, split(draw, decided, len(OUTCOMES)), strict=True)
        ],
        "trend": trend,
    }


# --- The attacker: only what is shown ----------------------------------------------


def shown_values(figures) -> tuple[dict, list]:
    """{cell: shown text} read from the CSV lines and the PDF's age table, and the sums."""
    lines = {(line.section, line.label): line.value for line in documents.summary_lines(figures)}
    shown = dict(lines)
    shown |= {("All", row["band"]): row["total"] for row in age_table(figures)}

    def r(label):
        return ("Referrals", label)

    def tl(label):
        return ("Timeliness", label)

    received, decided = r("Referrals received"), tl("Decided")
    last = documents._month_label(MONTHS[-1])
    sums = [
        (received, [r("About a child"), r("About an adult at risk")]),
        (received, [("Referring organisation", label) for _, label in KINDS]),
        (received, [("All", band) for band in BANDS]),
        (decided, [tl("Decided within one working day"), tl("Decided late")]),
        (decided, [("Outcomes", label) for _, label in OUTCOMES]),
        (("Trend", f"{last}: received"), [received]),
        (("Trend", f"{last}: urgent"), [r("Urgent (immediate danger)")]),
        (
            ("Trend", f"{last}: decided within one working day"),
            [tl("Decided within one working day")],
        ),
    ]
    sums += [
        (("All", band), [("Age and sex", f"{band}: {sex}") for sex in SEX_LABELS]) for band in BANDS
    ]
    in_sums = {key for total, parts in sums for key in (total, *parts)}
    return {k: v for k, v in shown.items() if k in in_sums}, sums


def age_table(figures):
    summary = SimpleNamespace(month=None)
    context = documents.summary_pdf_context(summary, figures, now=NOW)
    return context["age_sex"]


def ranges(shown: dict) -> dict:
    def read(text):
        if text == suppression.COUNT_SMALL:
            return [1, 4]
        if text == suppression.COUNT_WITHHELD:
            return [5, math.inf]
        return [int(text), int(text)]

    return {key: read(text) for key, text in shown.items()}


def determined_by_linear_algebra(shown, sums) -> set:
    known = {k: int(v) for k, v in shown.items() if v.isdigit()}
    unknowns = sorted({k for t, ps in sums for k in (t, *ps) if k not in known})
    index = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for total, parts in sums:
        row = [Fraction(0)] * (len(unknowns) + 1)
        for sign, key in [(1, total), *((-1, p) for p in parts)]:
            if key in known:
                row[-1] -= sign * known[key]
            else:
                row[index[key]] += sign
        rows.append(row)
    # Reduced row echelon form; a row with a single non-zero coefficient fixes that cell.
    pivot_row = 0
    for col in range(len(unknowns)):
        pick = next((i for i in range(pivot_row, len(rows)) if rows[i][col]), None)
        if pick is None:
            continue
        rows[pivot_row], rows[pick] = rows[pick], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [x / lead for x in rows[pivot_row]]
        for i in range(len(rows)):
            if i != pivot_row and rows[i][col]:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[pivot_row], strict=True)]
        pivot_row += 1
    return {
        unknowns[[i for i, x in enumerate(row[:-1]) if x][0]]
        for row in rows
        if sum(1 for x in row[:-1] if x) == 1
    }


def determined_by_ranges(shown, sums) -> set:
    bounds = ranges(shown)
    for _ in range(50):
        for total, parts in sums:
            terms = [(1, total), *((-1, p) for p in parts)]
            for sign, key in terms:
                rest = [(s, k) for s, k in terms if k != key]
                lo = -sum(s * bounds[k][1] if s > 0 else s * bounds[k][0] for s, k in rest)
                hi = -sum(s * bounds[k][0] if s > 0 else s * bounds[k][1] for s, k in rest)
                if sign < 0:
                    lo, hi = -hi, -lo
                bounds[key] = [max(bounds[key][0], lo), min(bounds[key][1], hi)]
    return {k for k, (lo, hi) in bounds.items() if lo == hi and not shown[k].isdigit()}


@pytest.mark.django_db
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(figures=months())
def test_no_suppressed_count_can_be_worked_out_from_the_totals_and_other_cells(figures):
    shown, sums = shown_values(figures)
    hidden = {k for k, v in shown.items() if not v.isdigit()}
    if not hidden:
        return
    assert determined_by_linear_algebra(shown, sums) == set(), shown
    assert determined_by_ranges(shown, sums) == set(), shown


def test_the_attacker_recovers_a_lone_small_count_from_its_total():
    """The check is only worth something if it can fail: primary suppression alone."""
    shown = {("t",): "12", ("a",): suppression.COUNT_SMALL, ("b",): "9"}
    sums = [(("t",), [("a",), ("b",)])]
    assert determined_by_linear_algebra(shown, sums) == {("a",)}
    assert determined_by_ranges(shown, sums) == {("a",)}
    shown = {("t",): "6", ("a",): suppression.COUNT_SMALL, ("b",): suppression.COUNT_WITHHELD}
    assert determined_by_ranges(shown, sums) == {("a",), ("b",)}  # 1 + 5 only
