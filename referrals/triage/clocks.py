"""The referral's clocks on the triage panel: its RAG rating and deadline, and the time
it has spent in each state (the time-in-state ledger), built from the chronology the
panel already loaded, so the page costs no extra query."""

import datetime as dt

from referrals.models import Rag, Referral, ReferralEvent, Status
from referrals.triage.queue import RAG_TAG_CLASSES, waiting, when

Kind = ReferralEvent.Kind
# The events that move a referral between states, and the state each one enters (for
# events written before the ledger kept the status). Notes, views and messages never
# move it, and a note may be dated earlier than it was written.
TRANSITION_KINDS = {
    Kind.SUBMITTED: Status.SUBMITTED,
    Kind.CLAIMED: Status.IN_TRIAGE,
    Kind.ASSIGNED: Status.IN_TRIAGE,
    Kind.DECIDED: Status.DECIDED,
    Kind.REOPENED: Status.IN_TRIAGE,
    Kind.CLOSED: Status.CLOSED,
}


def rag_summary(referral: Referral, now: dt.datetime) -> dict:
    """The current and first rating (the first is shown beside the current one when
    they differ) and the current rating's deadline, from receipt."""
    if not referral.rag_rating:
        return {}
    current, first = Rag(referral.rag_rating), Rag(referral.first_rag_rating)
    return {
        "label": current.label,
        "tag_class": RAG_TAG_CLASSES[current],
        "first_label": first.label if first != current else "",
        "first_tag_class": RAG_TAG_CLASSES[first],
        "due_at": referral.rag_due_at,
        "overdue": referral.is_rag_overdue(now),
    }


def transitions(referral: Referral, events: list[ReferralEvent]) -> list[dict]:
    """Every move between states, in order, with who made it and in what role. The
    statutory clock starts at receipt, so the ledger starts at `submitted_at`."""
    ledger = [{"status": Status.SUBMITTED, "at": referral.submitted_at, "actor": None, "role": ""}]
    for event in events:
        if event.kind not in TRANSITION_KINDS:
            continue
        status = event.status or TRANSITION_KINDS[event.kind]
        if event.kind == Kind.SUBMITTED:
            ledger[0].update(actor=event.actor, role=event.actor_role)
        elif status != ledger[-1]["status"]:
            ledger.append(
                {
                    "status": status,
                    "at": event.occurred_at,
                    "actor": event.actor,
                    "role": event.actor_role,
                }
            )
    return ledger


def time_in_state(referral: Referral, events: list[ReferralEvent], now: dt.datetime) -> dict:
    """The ledger's rows (each state entered, when, by whom, for how long) and the
    total time in each state visited, up to `now` for the current one."""
    if referral.submitted_at is None:
        return {}
    ledger = transitions(referral, events)
    totals: dict[str, dt.timedelta] = {}
    rows = []
    for entry, following in zip(ledger, [*ledger[1:], None], strict=True):
        left = following["at"] if following else now
        spent = max(left - entry["at"], dt.timedelta(0))
        totals[entry["status"]] = totals.get(entry["status"], dt.timedelta(0)) + spent
        rows.append(
            {
                "state": Status(entry["status"]).label,
                "entered": when(entry["at"]),
                "by": _by(entry),
                "spent": waiting(entry["at"], left),
                "current": following is None,
            }
        )
    return {
        "rows": rows,
        "totals": [
            {"state": Status(status).label, "spent": waiting(now - total, now)}
            for status, total in totals.items()
        ],
    }


def _by(entry: dict) -> str:
    actor = entry["actor"]
    if actor is None:
        return "The portal"
    return f"{actor.full_name} ({entry['role']})" if entry["role"] else actor.full_name
