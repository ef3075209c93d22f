"""What a referral holds beside its own fields: the answers to the warning signs, the
people around the person referred, the values that link referrals, and the chronology."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone

from indicators.models import Indicator
from referrals.models.choices import Status, YesNoUnknown
from referrals.models.referral import Referral


class Answer(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(max_length=7, choices=YesNoUnknown.choices)
    detail = models.TextField(blank=True)
    observed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["indicator__group", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "indicator"], name="one_answer_per_indicator"
            )
        ]
        indexes = [models.Index(fields=["indicator", "answer"], name="answer_indicator_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.answer}"


class Person(models.Model):
    """Someone in the subject's household or network. The role is recorded per person:
    nobody is a 'victim' or 'exploiter' by association."""

    class Role(models.TextChoices):
        PARENT_CARER = "parent_carer", "Parent or carer"
        PEER = "peer", "Peer of concern"
        SUSPECTED_EXPLOITER = "suspected_exploiter", "Suspected of exploiting them"
        OTHER = "other", "Other"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=200, blank=True)
    nickname = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(max_length=100, blank=True)
    parental_responsibility = models.CharField(
        max_length=7, choices=YesNoUnknown.choices, blank=True
    )
    # E.164 ('+447700900123'), normalised by the form; shown by normalise.phone_display.
    # Not a help_text: a model's help text becomes the form's hint, and practitioners
    # are not told formats by name.
    phone = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    vehicle_registration = models.CharField(max_length=12, blank=True)
    notes = models.TextField(blank=True)

    # h20a: an online handle, normalised (lower case, no leading @ or spaces) so that
    # the same account typed differently links referrals (LinkKey HANDLE).
    class HandlePlatform(models.TextChoices):
        SNAPCHAT = "snapchat", "Snapchat"
        INSTAGRAM = "instagram", "Instagram"
        TIKTOK = "tiktok", "TikTok"
        WHATSAPP = "whatsapp", "WhatsApp"
        TELEGRAM = "telegram", "Telegram"
        OTHER = "other", "Other"

    handle_platform = models.CharField(max_length=10, choices=HandlePlatform.choices, blank=True)
    handle = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{self.pk}"


class LinkKey(models.Model):
    """A normalised value that can link referrals: a phone number, an address
    (postcode + first line) or a vehicle registration. Written at submission so that
    links are found by an indexed equality look-up, never by scanning referrals."""

    class Kind(models.TextChoices):
        PHONE = "phone", "Phone number"
        ADDRESS = "address", "Address"
        VEHICLE = "vehicle", "Vehicle registration"
        # The subject's folded name (and each known-as name) with their date of birth,
        # so that a known-as name on either referral finds the other.
        PERSON = "person", "Same name and date of birth"
        # h20a: 'platform:handle', e.g. 'snapchat:zoe_testperson'.
        HANDLE = "handle", "Online handle"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="link_keys")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=200)
    display = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "kind", "value"], name="link_key_once")
        ]
        indexes = [
            models.Index(fields=["kind", "value"], name="link_key_lookup_idx"),
            # The search by known-as name (trigram similarity on PERSON values), over
            # PERSON keys only: phones and addresses (half the rows) are never searched
            # by similarity, and left in they made the index twice the size and each
            # name's look-up read their trigrams too (bench/findings.md).
            GinIndex(
                fields=["value"],
                opclasses=["gin_trgm_ops"],
                condition=models.Q(kind="person"),
                name="link_key_person_trgm_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ReferralEvent(models.Model):
    """The chronology of a referral. `occurred_at` is when it happened (which a worker
    may give for an earlier phone call); `recorded_at` is when it was written down."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Referral received"
        VIEWED = "viewed", "Viewed"
        CLAIMED = "claimed", "Claimed"
        ASSIGNED = "assigned", "Assigned"
        NOTE = "note", "Case note"
        DECIDED = "decided", "Decision recorded"
        REOPENED = "reopened", "Decision reopened"
        CLOSED = "closed", "Closed"
        MESSAGE = "message", "Message to the referrer"
        EXPORTED = "exported", "Exported"
        RATED = "rated", "RAG rating"

        KNOWN = "known", "Known: earlier contact"
        HOME_COUNCIL = "home_council", "Home council recorded"
        CORRECTED = "corrected", "Correction"

        # The referrer loop (referrals/addenda).
        QUESTION = "question", "Question to the referrer"
        QUESTION_WITHDRAWN = "q_withdrawn", "Question to the referrer withdrawn"
        ANSWER = "answer", "Answer from the referrer"
        INFORMATION = "information", "Information added by the referrer"
        REPLY = "reply", "Reply from the referrer"

        # h19b
        PARTNER_REQUEST = "partner_req", "Information request to a partner"
        PARTNER_ANSWER = "partner_ans", "Answer from a partner"
        PARTNER_WITHDRAWN = "partner_wd", "Information request withdrawn"
        NOT_SHARED = "not_shared", "Decision not to share"
        # h19c
        HANDED_OFF = "handed_off", "Handed to a receiving team"
        HANDOFF_ACK = "handoff_ack", "Hand-off acknowledged"
        HANDOFF_UNROUTED = "unrouted", "Hand-off: no receiving team"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    recorded_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)
    # The time-in-state ledger: the role the actor acted in, and the referral's status
    # after the event (a transition is an event whose status differs from the one
    # before). Blank on events from before the ledger, except the backfilled moves.
    actor_role = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["referral", "occurred_at"], name="event_chronology_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, referral, kind: str, actor, *, now=None, text="", occurred_at=None, role=""):
        """The one writer of the chronology: an entry is added, never edited. It keeps
        the referral's status after the event and the role the actor acted in (`role`,
        or the actor's single role when they have one)."""
        now = now or timezone.now()
        return cls.objects.create(
            referral=referral,
            kind=kind,
            actor=actor,
            occurred_at=occurred_at or now,
            recorded_at=now,
            text=text,
            actor_role=role or _only_role(actor),
            status=referral.status,
        )


def _only_role(actor) -> str:
    roles = sorted(actor.roles) if actor is not None else []
    return roles[0] if len(roles) == 1 else ", ".join(roles)
