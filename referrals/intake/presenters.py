"""What the practitioner's pages show: "my referrals" (labels worked out here, so that
templates only lay them out)."""

from django.core.paginator import Paginator
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


SENT_PAGE_SIZE = 50
_NO_ID = "00000000-0000-0000-0000-000000000000"  # stands for a draft's id in its URL


def my_referral_rows(user, page_number=None) -> dict:
    """Drafts and submitted referrals of the practitioner, newest first. The sent ones
    come 50 to a page: a busy practitioner has thousands, and listing them all cost
    over a second of CPU per view at national scale (issue 17). Four queries whatever
    the number: drafts, the open questions, the count and one page of sent referrals,
    each reading only the columns the list shows."""
    mine = permissions.referrals_authored_by(user).only(
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
    # One reverse each for the page: references and public ids are URL-safe.
    detail_url = reverse("referral_detail", args=["__ref__"])
    tasks_url = reverse("referral_tasks", args=[_NO_ID])
    drafts = [
        {
            "referral": r,
            "tasks_url": tasks_url.replace(_NO_ID, str(r.public_id)),
            "initials": r.initials if (r.first_name or r.last_name) else "Not yet given",
            "started": _day(r.created_at),
            "started_at": _at(r.created_at, " "),
            "saved": _at(r.updated_at),
        }
        for r in mine.filter(status=Status.DRAFT).order_by("-updated_at")
    ]
    sent = mine.exclude(status=Status.DRAFT).order_by("-updated_at", "-pk")
    page = Paginator(sent, SENT_PAGE_SIZE).get_page(page_number)
    submitted = [
        {
            "referral": r,
            "url": detail_url.replace("__ref__", r.reference),
            "initials": r.initials if (r.first_name or r.last_name) else "Not yet given",
            "age": r.age if r.age is not None else "Not known",
            "status": r.get_status_display(),
            # Referrers learn the outcome and the message for them, never the rationale.
            "outcome": r.outcome_label if r.status in (Status.DECIDED, Status.CLOSED) else "",
            "message": r.message_to_referrer,
            # An open question from the intake team (referrals/addenda).
            "question": r.waiting_on_referrer_since is not None,
            "sent": _day(r.submitted_at),
        }
        for r in page
    ]
    # The in-portal notice of the intake team's open questions (referrals/addenda), on
    # every page of the list.
    questions = list(
        sent.filter(waiting_on_referrer_since__isnull=False).values_list("reference", flat=True)
    )
    return {
        "drafts": drafts,
        "submitted": submitted,
        "questions_waiting": questions,
        "page": page,
    }
