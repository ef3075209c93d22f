"""The monthly summary's SVG trend charts, drawn on the server (no scripts): counts of
referrals and the share decided in time, over the last months."""

import datetime as dt

from referrals.exports.figures import SMALL_COUNT_LIMIT, suppressing

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
