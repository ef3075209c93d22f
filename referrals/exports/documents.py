"""The documents of the exports journey, from data to HTML: the referral PDF (what the
exporting user may see, as the referral page shows it), and the monthly summary's
lines, tables and CSV (with small-count suppression)."""

import base64
import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from referrals import links, redaction
from referrals.answers import answer_rows, check_answers_rows, front_door_rows
from referrals.correctable import correction_rows
from referrals.exports import charts
from referrals.exports.figures import SMALL_COUNT_LIMIT, suppressing
from referrals.exports.suppression import COUNT_SMALL, Shown
from referrals.models import Export, MonthlySummary, Referral, ReferralEvent, Status
from referrals.permissions import Action, can

WITHHELD = "Withheld in this export [redacted]"
REDACTED = redaction.REDACTED
# Chronology entries written by the referrer's side (the referrer loop, issue 19).
REFERRER_EVENT_KINDS = {
    ReferralEvent.Kind.ANSWER,
    ReferralEvent.Kind.INFORMATION,
    ReferralEvent.Kind.REPLY,
}


# --- The referral PDF ----------------------------------------------------------------


def referral_pdf_context(export: Export) -> dict:
    """What the exporting user may see of the referral, as the referral page shows it
    (the same presenters), with the referrer's section withheld when asked."""
    referral = export.referral
    user = export.requested_by
    is_triage = can(user, Action.TRIAGE, referral)
    withheld = export.withheld or {}
    sections = [
        _withhold_consent(_for_pdf(section, redact=export.redact_referrer), withheld)
        for section in check_answers_rows(referral)
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
        "people": _people(referral, withheld),
        "answers": answer_rows(referral),
        "show_outcome": referral.status in (Status.DECIDED, Status.CLOSED),
        "attachments_withheld": bool(withheld.get("attachments")),
        "attachments": [
            {"name": a.name, "kind": a.get_kind_display(), "state": a.get_state_display()}
            for a in referral.attachments.all()
        ],
        "redacted_note": _redacted_note(withheld),
    }
    if not is_triage:
        # The referrer's PDF has no chronology: it lists what the referrer's side added
        # and the intake team's questions to them (issue 19).
        context["addenda"] = _referrer_addenda(referral)
    if is_triage:
        context["events"] = _chronology(referral, export)
        context["links"] = links.links_for(referral)
        context["links_unlisted"] = links.unlisted(context["links"])
        context["front_door"] = front_door_rows(referral)

        # Corrections are addenda: each with what it replaced (issue 18).
        context["corrections"] = correction_rows(referral)
    return context


def _people(referral: Referral, withheld: dict) -> list[dict]:
    """The network, with each withheld third party replaced by [redacted]."""
    return redaction.people_rows_withholding(referral, set(withheld.get("people", [])))


def _withhold_consent(section: dict, withheld: dict) -> dict:
    if not withheld.get("consent"):
        return section
    rows = [
        (label, REDACTED if label == "Must not be shared with the family" else value)
        for label, value in section["rows"]
    ]
    return {**section, "rows": rows}


def _redacted_note(withheld: dict) -> str:
    parts = []
    if withheld.get("referrer"):
        parts.append("the referrer's identity")
    if withheld.get("people"):
        count = len(withheld["people"])
        parts.append(f"{count} third part{'y' if count == 1 else 'ies'} in the network")
    if withheld.get("consent"):
        parts.append("what must not be shared with the family")
    if withheld.get("attachments"):
        parts.append("the list of attached files")
    return f"Redacted in this export: {', '.join(parts)}." if parts else ""


def _for_pdf(section: dict, *, redact: bool) -> dict:
    """The form's "About you" is the referrer's section to a reader of the PDF."""
    if section["slug"] != "referrer":
        return section
    rows = [(label, WITHHELD) for label, _ in section["rows"]] if redact else section["rows"]
    return {**section, "title": "The referrer", "rows": rows}


def _referrer_addenda(referral: Referral) -> list[dict]:
    """The referrer loop as the referrer's side may see it: the questions asked of them
    (without who asked) and every addendum, oldest first."""
    rows = [
        {
            "at": timezone.localtime(question.asked_at),
            "kind": "Question from the intake team",
            "text": question.text,
        }
        for question in referral.referrer_questions.all()
    ]
    rows += [
        {"at": timezone.localtime(a.created_at), "kind": a.get_kind_display(), "text": a.body}
        for a in referral.addenda.all()
    ]
    return sorted(rows, key=lambda row: row["at"])


def _chronology(referral: Referral, export: Export) -> list[dict]:
    rows = []
    for event in referral.events.select_related("actor"):
        actor = event.actor.full_name if event.actor else "The portal"
        # An addendum may be written by a colleague of the author (organisation-wide view):
        # still the referrer's side, withheld the same way.
        if export.redact_referrer and (
            event.actor_id == referral.author_id or event.kind in REFERRER_EVENT_KINDS
        ):
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
    """A count as shown: 1 to 4 become "c" when suppression is on."""
    if suppressing() and 0 < value < SMALL_COUNT_LIMIT:
        return COUNT_SMALL
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
    lines += _front_door_lines(figures, shown)
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


FRONT_DOOR_SECTIONS = [
    "Front door",
    "RAG clocks",
    "Waiting for a decision at the end of the month",
    "Sex",
    "Ethnicity",
    "Disability",
]


def _front_door_lines(figures: dict, shown: Shown) -> list[Line]:
    """Contacts and conversion, the RAG clocks, the waiting list and who the contacts
    were about (issue 18). Summaries made before these figures existed have none."""
    if "front_door" not in figures:
        return []

    def front(key):
        return ("front", key)

    lines = [
        Line("Front door", "Contacts received", shown.count(front("contacts"))),
        Line("Front door", "Contacts with an outcome", shown.count(front("outcome_recorded"))),
        Line(
            "Front door",
            "Became a referral to children's social care",
            shown.count(front("referrals")),
        ),
        Line(
            "Front door",
            "Contacts with an outcome that became a referral",
            shown.share(front("referrals"), front("outcome_recorded")),
        ),
        Line(
            "Front door",
            "Referrals that were re-referrals within 12 months",
            shown.count(front("re_referrals")),
        ),
        Line(
            "Front door",
            "Re-referral rate",
            shown.share(front("re_referrals"), front("referrals")),
        ),
    ]
    for row in figures["rag_clocks"]:
        rated, in_clock = ("rag", row["key"], "rated"), ("rag", row["key"], "in_clock")
        label = row["label"]
        lines += [
            Line("RAG clocks", f"{label}: rated", shown.count(rated)),
            Line("RAG clocks", f"{label}: decided within its clock", shown.count(in_clock)),
            Line("RAG clocks", f"{label}: share within its clock", shown.share(in_clock, rated)),
        ]
    waiting = "Waiting for a decision at the end of the month"
    lines += [
        Line(waiting, row["band"], shown.count(("waiting", row["band"])))
        for row in figures["waiting_at_month_end"]
    ]
    lines.append(Line(waiting, "All", shown.count(("waiting", "all"))))
    received = ("totals", "received")
    for table, title in (("sex", "Sex"), ("ethnicity", "Ethnicity"), ("disability", "Disability")):
        lines += [
            Line(
                title,
                row["key"],
                f"{shown.count((table, row['key']))} of {shown.count(received)}"
                f" ({shown.share((table, row['key']), received)})",
            )
            for row in figures["characteristics"][table]
        ]
    return lines + _partner_lines(figures)


PARTNER_SECTION = "Partner response times"


def _partner_lines(figures: dict) -> list[Line]:
    """h19b: per agency, requests asked, answered on time and the median time to answer
    (summaries made before have none). Small counts are shown as the summary shows them."""
    lines = []
    for row in figures.get("partner_responses", []):
        agency = row["agency"]
        lines += [
            Line(PARTNER_SECTION, f"{agency}: requests sent", show_count(row["asked"])),
            Line(PARTNER_SECTION, f"{agency}: answered", show_count(row["answered"])),
            Line(
                PARTNER_SECTION,
                f"{agency}: share answered on time",
                show_share(row["on_time"], row["asked"]),
            ),
            Line(
                PARTNER_SECTION,
                f"{agency}: median time to answer",
                show_hours(row["median_hours"], row["answered"])
                if row["answered"]
                else "no answers",
            ),
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
            for title in [
                "Referring organisation",
                "Outcomes",
                "Warning signs answered Yes",
                *FRONT_DOOR_SECTIONS,
                PARTNER_SECTION,
            ]
            if title in by_section
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
        # A summary made before the MACE section (issue 20) has none.
        "mace": figures.get("mace", []),
    }


def _svg_data_url(svg: str) -> str:
    # A data: URL is one of the two kinds the PDF fetcher allows, and needs no |safe.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def summary_pdf_html(summary: MonthlySummary, figures: dict, now: dt.datetime) -> str:
    return render_to_string(
        "referrals/exports/pdf/summary.html", summary_pdf_context(summary, figures, now)
    )
