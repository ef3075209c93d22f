"""What the practitioner's pages show: "my referrals" (labels worked out here, so that
templates only lay them out)."""

from referrals import permissions
from referrals.models import Status


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
    for r in referrals:
        (drafts if r.status == Status.DRAFT else submitted).append(
            {
                "referral": r,
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
