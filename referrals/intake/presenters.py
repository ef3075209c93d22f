"""What the practitioner's pages show: "my referrals" (labels worked out here, so that
templates only lay them out)."""

from django.urls import reverse
from django.utils import timezone

from referrals import permissions
from referrals.models import Status

# Dates and links formatted once per row here, not by `|date` and `{% url %}` per cell:
# a busy practitioner's list has thousands of rows (issue 17). English month names, as
# Django's "M" date format gives them.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(value) -> str:
    """ "9 Mar 2026" (Django's "j M Y") in the portal's time zone."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}"


def _at(value, separator: str = ", ") -> str:
    """ "9 Mar 2026, 17:05" (Django's "j M Y, H:i"; separator " " for "j M Y H:i")."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}{separator}{local:%H:%M}"


def my_referral_rows(user) -> dict:
    """Drafts and submitted referrals of the practitioner, newest first. One query
    whatever the number: only the columns the list shows are read."""
    referrals = (
        permissions.referrals_authored_by(user)
        .only(
            "public_id",
            "reference",
            "status",
            "first_name",
            "last_name",
            "date_of_birth",
            "approximate_age",
            "created_at",
            "updated_at",
            "submitted_at",
            "outcome",
            "contact_outcome",
            "message_to_referrer",
            "is_urgent",
            "waiting_on_referrer_since",
        )
        .order_by("-updated_at")
    )
    drafts, submitted = [], []
    # One reverse each for the page: references and public ids are URL-safe.
    detail_url = reverse("referral_detail", args=["__ref__"])
    tasks_url = reverse("referral_tasks", args=["00000000-0000-0000-0000-000000000000"])
    for r in referrals:
        is_draft = r.status == Status.DRAFT
        (drafts if is_draft else submitted).append(
            {
                "referral": r,
                "url": "" if is_draft else detail_url.replace("__ref__", r.reference),
                "tasks_url": tasks_url.replace(
                    "00000000-0000-0000-0000-000000000000", str(r.public_id)
                )
                if is_draft
                else "",
                "started": _day(r.created_at),
                "started_at": _at(r.created_at, " "),
                "saved": _at(r.updated_at),
                "sent": _day(r.submitted_at),
                "initials": r.initials if (r.first_name or r.last_name) else "Not yet given",
                "age": r.age if r.age is not None else "Not known",
                "status": r.get_status_display(),
                # Referrers learn the outcome and the message for them, never the rationale.
                "outcome": r.outcome_label if r.status in (Status.DECIDED, Status.CLOSED) else "",
                "message": r.message_to_referrer,
                # An open question from the intake team (referrals/addenda).
                "question": r.waiting_on_referrer_since is not None,
            }
        )
    # The in-portal notice of the intake team's open questions (referrals/addenda).
    questions = [row["referral"].reference for row in submitted if row["question"]]
    return {"drafts": drafts, "submitted": submitted, "questions_waiting": questions}
