"""Hand-offs through the real services (referrals/handoffs). Every name is invented."""

import datetime as dt

from accounts.models import Organisation, Role
from referrals.models import Handoff, ReceivingTeam
from referrals.notifications.outbox import notifications_queue_handoff_overdue
from referrals.triage import services as triage
from tests.factories import OrganisationFactory, UserFactory

EARLY_HELP_MAILBOX = "early.help@testshire.example"


def early_help_team(**fields) -> ReceivingTeam:
    defaults = {
        "name": "Testshire Early Help (Zoë's team)",
        "receives": ["early_help"],
        "mailbox": EARLY_HELP_MAILBOX,
    }
    return ReceivingTeam.objects.create(**{**defaults, **fields})


def team_member(team: ReceivingTeam, **fields):
    """A Partner user of the team's organisation (given one if it has none)."""
    if team.organisation_id is None:
        team.organisation = OrganisationFactory(
            name=f"{team.name} organisation", kind=Organisation.Kind.SOCIAL_CARE
        )
        team.save(update_fields=["organisation"])
    defaults = {"full_name": "Øyvind Receiver", "organisation": team.organisation}
    return UserFactory(roles=[Role.PARTNER], **{**defaults, **fields})


def decided(referral, worker, outcome="early_help", now=None):
    """Claim (unless the worker has it already) and decide; returns the referral."""
    if referral.assigned_to_id != worker.pk:
        referral = triage.referral_claim(referral=referral, user=worker, now=now)
    return triage.referral_decide(
        referral=referral,
        user=worker,
        contact_outcome=outcome,
        rationale="Early help fits: invented rationale.",
        now=now,
    )


def handoff_of(referral) -> Handoff:
    return Handoff.objects.get(referral=referral)


def every_handoff_email(referral, worker, rationale: str):
    """One email of each hand-off kind about `referral` (assigned to `worker`, a Triage
    lead): decided early help with a team (the team's email), not acknowledged in time
    (the leads' alert), then reopened and decided police with no police team (the
    leads' "no receiving team" alert)."""
    early_help_team()
    referral = triage.referral_decide(
        referral=referral, user=worker, contact_outcome="early_help", rationale=rationale
    )
    handoff = handoff_of(referral)
    notifications_queue_handoff_overdue(now=handoff.due_at + dt.timedelta(minutes=1))
    referral = triage.referral_reopen(referral=referral, user=worker, reason=rationale)
    return triage.referral_decide(
        referral=referral, user=worker, contact_outcome="police", rationale=rationale
    )
