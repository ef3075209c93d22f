"""A referral: who it is about, what was seen, and what social care decided."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from indicators.models import CatalogueVersion, Indicator


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_TRIAGE = "in_triage", "In triage"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


# Age bands of the queue and the monthly summary: (oldest age in the band, label).
AGE_BAND_LIMITS = [
    (9, "Under 10"),
    (13, "10 to 13"),
    (15, "14 to 15"),
    (17, "16 to 17"),
    (24, "18 to 24"),
]
AGE_BAND_OLDEST = "25 and over"
AGE_UNKNOWN = "Age not known"

# Waiting for a decision: the queue, the clocks and the "undecided" figures all mean these.
UNDECIDED = (Status.SUBMITTED, Status.IN_TRIAGE)


class Section(models.TextChoices):
    """The form's sections in order; submission needs every one completed."""

    DANGER = "danger", "Immediate danger"
    SUBJECT = "subject", "Who the referral is about"
    NETWORK = "network", "Household and network"
    INDICATORS = "indicators", "Warning signs"
    CONSENT = "consent", "Consent and information sharing"
    CONCERN = "concern", "Your concern"
    REFERRER = "referrer", "About you"


class SubjectType(models.TextChoices):
    CHILD = "child", "A child (under 18)"
    ADULT = "adult", "An adult at risk"


class Outcome(models.TextChoices):
    NFA = "nfa", "No further action, with advice to the referrer"
    EARLY_HELP = "early_help", "Early help"
    S17 = "s17", "Child-in-need assessment (section 17)"
    S47 = "s47", "Child-protection strategy discussion (section 47)"
    POLICE = "police", "Police referral"
    ADULT_S42 = "adult_s42", "Adult safeguarding enquiry (Care Act section 42)"
    NRM = "nrm", "National Referral Mechanism referral by a first responder"
    TRANSFER = "transfer", "Transfer to another area"


# Triage states and the moves between them (Status -> states it may move to).
TRANSITIONS = {
    Status.SUBMITTED: {Status.IN_TRIAGE},
    Status.IN_TRIAGE: {Status.DECIDED},
    Status.DECIDED: {Status.IN_TRIAGE, Status.CLOSED},
    Status.CLOSED: {Status.IN_TRIAGE},
}

# Statutory routes that exist only for children (Children Act 1989 s17/s47, early
# help) or only for adults (Care Act 2014 s42); the others apply to both.
CHILD_ONLY_OUTCOMES = {Outcome.EARLY_HELP, Outcome.S17, Outcome.S47}
ADULT_ONLY_OUTCOMES = {Outcome.ADULT_S42}


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


AnswerChoice = YesNoUnknown


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class Sex(models.TextChoices):
    # Stored as their labels (the first referrals were); the monthly summary groups
    # them into the census's categories (exports.figures).
    FEMALE = "Female", "Female"
    MALE = "Male", "Male"
    OTHER = "Other", "Other"
    NOT_KNOWN = "Not known", "Not known"


class SourceAnonymity(models.TextChoices):
    """Whether the person who passed on the concern wants to stay anonymous; "Not
    applicable" when the referrer saw it themselves or the source is a professional."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "na", "Not applicable"


class FirstHand(models.TextChoices):
    FIRST = "first", "First-hand"
    REPORTED = "reported", "Reported to me"


class OtherReferral(models.TextChoices):
    POLICE = "police", "Police"
    NRM = "nrm", "National Referral Mechanism (NRM)"
    ADULT_SAFEGUARDING = "adult_safeguarding", "Adult safeguarding"
    EARLY_HELP = "early_help", "Early help"
    OTHER = "other", "Another service"


class ReferralQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status=Status.DRAFT)

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def undecided(self):
        return self.filter(status__in=UNDECIDED)

    def overdue(self, now=None):
        return self.undecided().filter(decision_due_at__lt=now or timezone.now())

    def claim_overdue(self, now=None):
        """Urgent referrals nobody has claimed within the urgent target (claim_due_at is
        set only for urgent ones); the same rule as Referral.is_claim_overdue."""
        return self.undecided().filter(
            assigned_to__isnull=True, claim_due_at__lt=now or timezone.now()
        )

    def for_queue(self):
        """Urgent first, then by decision due time, which also puts the overdue (due
        earliest) first. Matches `referral_queue_idx`."""
        return self.order_by("-is_urgent", "decision_due_at", "pk")

    def assigned_to_user(self, user):
        return self.filter(assigned_to=user)

    def unassigned(self):
        return self.filter(assigned_to__isnull=True)


class Referral(models.Model):
    # Drafts are addressed by this id; the human reference is given at submission.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals"
    )
    catalogue_version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT)
    sections_completed = models.JSONField(default=list, blank=True)

    # 1. Immediate danger
    immediate_danger = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    police_called = models.BooleanField(null=True, blank=True)
    police_reference = models.CharField(max_length=60, blank=True)
    is_urgent = models.BooleanField(default=False)

    # 2. Who it is about
    subject_type = models.CharField(max_length=5, choices=SubjectType.choices, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    known_as = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.CharField(max_length=7, choices=YesNoUnknown.choices, blank=True)
    disability = models.TextField(blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    current_whereabouts = models.TextField(blank=True)
    school_or_placement = models.CharField(max_length=200, blank=True)
    services_involved = models.TextField(blank=True)
    # Normalised at save time by the service, for matching earlier referrals.
    match_name = models.CharField(max_length=200, blank=True)

    # 5. Consent and information sharing
    family_told = models.CharField(max_length=7, choices=YesNoUnknown.choices, blank=True)
    consent_given = models.CharField(max_length=7, choices=YesNoUnknown.choices, blank=True)
    no_consent_reason = models.TextField(blank=True)
    not_to_share = models.TextField(blank=True)
    source_wants_anonymity = models.CharField(
        max_length=3, choices=SourceAnonymity.choices, blank=True
    )

    # 6. The concern
    concern = models.TextField(blank=True)
    concern_when_where = models.TextField(blank=True)
    first_hand = models.CharField(max_length=8, choices=FirstHand.choices, blank=True)
    subject_words = models.TextField(blank=True)
    actions_taken = models.TextField(blank=True)
    other_referrals = models.JSONField(default=list, blank=True)

    # 7. Referrer, as they gave it (prefilled from their profile)
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_phone = models.CharField(max_length=32, blank=True)  # E.164, as Person.phone
    referrer_email = models.EmailField(blank=True)
    referrer_relationship = models.CharField(max_length=200, blank=True)

    # Lifecycle
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decision_due_at = models.DateTimeField(null=True, blank=True)
    claim_due_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_referrals",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    message_to_referrer = models.TextField(blank=True)
    # Seconds from receipt to decision, kept for the monthly summary.
    time_to_decision = models.DurationField(null=True, blank=True)
    yes_count = models.PositiveSmallIntegerField(default=0)
    # Link badges, set by `links.index_links` on both referrals of a link. A re-referral
    # is the later of two about the same person within twelve months.
    is_repeat = models.BooleanField(default=False)
    has_same_person = models.BooleanField(default=False)
    has_shared_phone = models.BooleanField(default=False)
    has_shared_address = models.BooleanField(default=False)
    has_shared_vehicle = models.BooleanField(default=False)
    legal_hold = models.BooleanField(default=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The triage queue: undecided first by urgency then due time.
            models.Index(
                fields=["-is_urgent", "decision_due_at"],
                name="referral_queue_idx",
                condition=Q(status__in=["submitted", "in_triage"]),
            ),
            # The queue filtered to one status (decided, closed: most of the table).
            models.Index(
                fields=["status", "-is_urgent", "decision_due_at", "id"],
                name="referral_status_queue_idx",
            ),
            models.Index(fields=["author", "status"], name="referral_author_idx"),
            # A referring organisation's referrals in one status, in queue order: the
            # queue filtered by organisation reads 50 index entries, not every row of a
            # large organisation's history, and its COUNT is index-only.
            models.Index(
                fields=["organisation", "status", "-is_urgent", "decision_due_at", "id"],
                name="referral_org_queue_idx",
            ),
            models.Index(fields=["submitted_at"], name="referral_submitted_idx"),
            models.Index(fields=["match_name", "date_of_birth"], name="referral_match_idx"),
            models.Index(fields=["assigned_to", "status"], name="referral_assigned_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft {self.public_id}"

    @property
    def initials(self) -> str:
        parts = [self.first_name, self.last_name]
        return "".join(p.strip()[0].upper() for p in parts if p.strip()) or "?"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def age_on(self, day) -> int | None:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        return self.approximate_age

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate(self.submitted_at or timezone.now()))

    @property
    def age_band(self) -> str:
        age = self.age
        if age is None:
            return AGE_UNKNOWN
        return next((label for upper, label in AGE_BAND_LIMITS if age <= upper), AGE_BAND_OLDEST)

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, set())

    def open_triage_actions(self, user) -> set[str]:
        """The triage actions open on this referral to `user`: the panel offers exactly
        these, and the triage services refuse any other (the one rule for both)."""
        actions = set()
        if self.is_undecided:
            actions.add("assign")
            if self.assigned_to_id is None:
                actions.add("claim")
        else:
            actions.add("message")
            if self.can_move_to(Status.IN_TRIAGE):
                actions.add("reopen")
        if self.can_move_to(Status.DECIDED) and self.assigned_to_id == user.pk:
            actions.add("decide")
        if self.can_move_to(Status.CLOSED):
            actions.add("close")
        return actions

    def allowed_outcomes(self) -> list[Outcome]:
        excluded = {
            SubjectType.CHILD: ADULT_ONLY_OUTCOMES,
            SubjectType.ADULT: CHILD_ONLY_OUTCOMES,
        }.get(self.subject_type, set())
        return [outcome for outcome in Outcome if outcome not in excluded]

    def apply_urgency(self) -> None:
        """Anyone in immediate danger makes the referral urgent (the guide: call the
        police first); without it, no police call or log number is kept."""
        self.is_urgent = self.immediate_danger == YesNo.YES
        if not self.is_urgent:
            self.police_called, self.police_reference = None, ""

    @staticmethod
    def format_reference(year: int, number: int) -> str:
        """The human reference given at submission, gapless per year: CL-2026-000123."""
        return f"CL-{year}-{number:06d}"

    def missing_sections(self) -> list[str]:
        return [slug for slug in Section.values if slug not in self.sections_completed]

    @property
    def is_undecided(self) -> bool:
        return self.status in UNDECIDED

    def is_claim_overdue(self, now=None) -> bool:
        """An urgent referral nobody has claimed within the urgent target."""
        return (
            self.is_undecided
            and self.assigned_to_id is None
            and self.claim_due_at is not None
            and self.claim_due_at < (now or timezone.now())
        )

    def is_overdue(self, now=None) -> bool:
        return (
            self.status in UNDECIDED
            and self.decision_due_at is not None
            and self.decision_due_at < (now or timezone.now())
        )


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

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="link_keys")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=200)
    display = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "kind", "value"], name="link_key_once")
        ]
        indexes = [models.Index(fields=["kind", "value"], name="link_key_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ReferenceCounter(models.Model):
    """The last reference number given in a year (CL-2026-000123), locked when used."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


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

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    recorded_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["referral", "occurred_at"], name="event_chronology_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, referral, kind: str, actor, *, now=None, text="", occurred_at=None):
        """The one writer of the chronology: an entry is added, never edited."""
        now = now or timezone.now()
        return cls.objects.create(
            referral=referral,
            kind=kind,
            actor=actor,
            occurred_at=occurred_at or now,
            recorded_at=now,
            text=text,
        )
