"""Small-count suppression of the monthly summary, primary and secondary: which counts
are shown as "c" (as the DfE publishes them) or "withheld", so that none can be worked
out from what the summary shows (docs/exports-and-reports.md)."""

import math
from dataclasses import dataclass

from referrals.exports.figures import SMALL_COUNT_LIMIT, suppressing

#
# A count of 1 to 4 hidden in a table whose other cells and total are shown is the
# total minus the others. So, as in the ONS's and NHS England's disclosure control
# (primary and secondary suppression), more cells are withheld until no hidden count
# can be worked out from what is shown. The reader is assumed to know the rule: a
# "c" is 1 to 4, a withheld count (COUNT_WITHHELD) is 5 or more (0 is never
# withheld). A hidden count is protected when, from every sum the summary shows (parts
# and their total, and the month's own row of the trend) and those bounds, it could
# still be more than one value.

COUNT_WITHHELD = "withheld"
# The DfE's symbol for a count of 1 to 4 in its published statistics.
COUNT_SMALL = "c"
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
    return cells | _front_door_cells(figures)


def _front_door_cells(figures: dict) -> dict[Cell, int]:
    """The front door's counts (issue 18); summaries made before it have none."""
    if "front_door" not in figures:
        return {}
    cells = {("front", key): value for key, value in figures["front_door"].items()}
    for row in figures["rag_clocks"]:
        cells[("rag", row["key"], "rated")] = row["rated"]
        cells[("rag", row["key"], "in_clock")] = row["in_clock"]
    for row in figures["waiting_at_month_end"]:
        cells[("waiting", row["band"])] = row["count"]
    cells[("waiting", "all")] = sum(row["count"] for row in figures["waiting_at_month_end"])
    for table, rows in figures["characteristics"].items():
        cells |= {(table, row["key"]): row["count"] for row in rows}
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
    if "front_door" in figures:
        sums.append((received, [("front", "contacts")]))
        bands = [("waiting", row["band"]) for row in figures["waiting_at_month_end"]]
        sums.append((("waiting", "all"), bands))
        sums += [
            (received, [(table, row["key"]) for row in rows])
            for table, rows in figures["characteristics"].items()
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
        # The first pinned count that can still be protected: one whose every sum has
        # nothing left to withhold cannot be, and must not stop the others (issue 18's
        # sums made that case reachable).
        candidates = [
            cell
            for key in pinned
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
            return COUNT_SMALL
        return COUNT_WITHHELD if kind else str(self.cells[key])

    def share(self, part: Cell, whole: Cell) -> str:
        if not self.cells[whole]:
            return "no referrals"
        if part in self.hidden or whole in self.hidden:
            return "not shown"
        return f"{round(100 * self.cells[part] / self.cells[whole])}%"
