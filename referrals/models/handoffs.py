"""Hand-offs (issue 19): a decision that passes the case on (early help, adult
safeguarding, police, another council, another team) goes to a receiving team that
administrators configure; the team is told (content-free) and acknowledges, in the
portal or by the link in its email."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from referrals.models.choices import ContactOutcome


class Receives(models.TextChoices):
    """What a receiving team takes: the contact outcomes that pass a case on."""

    EARLY_HELP = "early_help", "Early help"
    ADULT_SAFEGUARDING = "adult_safeguarding", "Adult safeguarding"
    POLICE = "police", "Police"
    OTHER_COUNCIL = "other_council", "Another council's case (out of area)"
    # The generic "transfer to another team": an existing open case goes to its team.
    OTHER_TEAM = "other_team", "Another team (an existing open case)"


# Contact outcome -> what a receiving team must take to be handed the case.
HANDOFF_ROUTES = {
    ContactOutcome.EARLY_HELP: Receives.EARLY_HELP,
    ContactOutcome.ADULT_SAFEGUARDING: Receives.ADULT_SAFEGUARDING,
    ContactOutcome.POLICE: Receives.POLICE,
    ContactOutcome.OTHER_COUNCIL: Receives.OTHER_COUNCIL,
    ContactOutcome.OPEN_CASE: Receives.OTHER_TEAM,
}


class ReceivingTeamQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def receiving(self, contact_outcome: str):
        """Active teams that take cases with this contact outcome (none if it does not
        pass the case on). The list is a few dozen teams, read whole."""
        route = HANDOFF_ROUTES.get(contact_outcome)
        if route is None:
            return []
        return [team for team in self.active() if route in team.receives]


class ReceivingTeam(models.Model):
    """A team a case can be handed to: a mailbox outside the portal, an organisation in
    the portal whose users acknowledge there, or both."""

    name = models.CharField(max_length=150, unique=True)
    receives = models.JSONField(default=list)
    mailbox = models.EmailField("Team mailbox", blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receiving_teams",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReceivingTeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mailbox="") | models.Q(organisation__isnull=False),
                name="receiving_team_reachable",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def receives_display(self) -> str:
        labels = dict(Receives.choices)
        return ", ".join(labels.get(value, value) for value in self.receives)


class HandoffQuerySet(models.QuerySet):
    def awaiting(self):
        return self.filter(state=Handoff.State.SENT)

    def overdue(self, now: dt.datetime):
        return self.awaiting().filter(due_at__lte=now)


class Handoff(models.Model):
    """One decision's hand-off. Unrouted (no team) when no active team, or more than one,
    takes the outcome: triage chooses the team, then it is sent."""

    class State(models.TextChoices):
        UNROUTED = "unrouted", "No receiving team yet"
        SENT = "sent", "Not yet acknowledged"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="handoffs"
    )
    team = models.ForeignKey(
        ReceivingTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="handoffs"
    )
    contact_outcome = models.CharField(max_length=24, choices=ContactOutcome.choices)
    # The decision it follows: one hand-off per decision (a reopened and re-decided
    # contact has a hand-off per decision).
    decision_at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.UNROUTED)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Acknowledgement is due one working day after it was sent.
    due_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_via_link = models.BooleanField(default=False)
    # The link's token is derived (HMAC with SECRET_KEY) from the row and this random
    # salt; only its hash is stored, so the database alone cannot make a working link.
    ack_salt = models.CharField(max_length=32, blank=True)
    ack_token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    objects = HandoffQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "decision_at"], name="handoff_once_per_decision"
            )
        ]

    def __str__(self) -> str:
        return f"Hand-off #{self.pk} ({self.state})"

    @property
    def is_acknowledged(self) -> bool:
        return self.state == self.State.ACKNOWLEDGED

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.state == self.State.SENT and self.due_at is not None and self.due_at <= now

    # --- The acknowledgement link

    def new_ack_token(self) -> None:
        """A fresh salt for the link (called when the hand-off is sent)."""
        self.ack_salt = secrets.token_hex(16)
        self.ack_token_hash = hash_token(self.ack_token())

    def ack_token(self) -> str:
        message = f"handoff-ack:{self.pk}:{self.ack_salt}".encode()
        key = settings.SECRET_KEY.encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def link_expires_at(self) -> dt.datetime | None:
        if self.sent_at is None:
            return None
        return self.sent_at + dt.timedelta(days=settings.HANDOFF_LINK_DAYS)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
