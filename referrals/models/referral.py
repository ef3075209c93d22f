"""A referral: who it is about, what was seen, and what social care decided."""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone

from indicators.models import CatalogueVersion
from referrals.models.choices import (
    ADULT_ONLY_CONTACT_OUTCOMES,
    AGE_BAND_LIMITS,
    AGE_BAND_OLDEST,
    AGE_UNKNOWN,
    CHILD_ONLY_CONTACT_OUTCOMES,
    TRANSITIONS,
    UNDECIDED,
    ContactOutcome,
    FirstHand,
    Outcome,
    Rag,
    ScreeningReason,
    Section,
    Sex,
    SourceAnonymity,
    Status,
    SubjectType,
    YesNo,
    YesNoUnknown,
)

ADULTHOOD = 18


def is_child(subject_type: str, age: int | None) -> bool:
    """Referral.is_child for a subject type and an age (or None), so that migrations
    and reports on plain values apply the same rule."""
    if subject_type == SubjectType.CHILD:
        return True
    if age is not None:
        return age < ADULTHOOD
    return subject_type != SubjectType.ADULT


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
    # The census's coded forms beside the words the practitioner gave (referrals.codes).
    nhs_number = models.CharField(max_length=10, blank=True)  # 10 digits, no spaces
    ethnicity_code = models.CharField(max_length=4, blank=True)
    disability_codes = models.JSONField(default=list, blank=True)
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
    # The contact's statutory record (issue 18): what the front door decided about the
    # contact; `outcome` above stays as the next step of a referral (s17 / s47) and the
    # NRM flag.
    contact_outcome = models.CharField(max_length=24, choices=ContactOutcome.choices, blank=True)
    screening_reason = models.CharField(max_length=12, choices=ScreeningReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    cin_referral_date = models.DateField(null=True, blank=True)
    # Census source of referral (referrals.codes.SOURCE_OF_REFERRAL), derived from the
    # referring organisation's kind at submission; triage corrects it with a reason.
    source_code = models.CharField(max_length=2, blank=True)
    source_code_reason = models.TextField(blank=True)
    factors = models.JSONField(default=list, blank=True)  # referrals.codes.FACTORS
    police_crime_reference = models.CharField(max_length=60, blank=True)
    nrm_reference = models.CharField(max_length=60, blank=True)
    other_council_case_id = models.CharField(max_length=60, blank=True)
    # h21a: nude or semi-nude images of someone under 18 are never uploaded; that they
    # exist is recorded here instead (UK guidance), with a description of them.
    indecent_imagery_exists = models.BooleanField(default=False)
    indecent_imagery_description = models.TextField(blank=True)
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
    # The RAG rating (models.rag.RagRating holds every rating): current and first,
    # and the current rating's due time from receipt. Blank until rated.
    rag_rating = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    rag_due_at = models.DateTimeField(null=True, blank=True)
    first_rag_rating = models.CharField(max_length=5, choices=Rag.choices, blank=True)

    # Known children (issue 18): on submission, the earlier undecided or recently
    # decided contact about the same person (links.person_keys); is_known is the
    # queue's flag for it.
    known_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="known_contacts"
    )
    is_known = models.BooleanField(default=False)
    # Out of area (issue 18): the council the person lives in, recorded by triage.
    home_council = models.ForeignKey(
        "referrals.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The referrer loop (referrals/addenda), kept here for the queue: when the oldest
    # open question to the referrer was asked (null: none open), and whether the referrer
    # added something the assignee has not yet opened the referral to see.
    waiting_on_referrer_since = models.DateTimeField(null=True, blank=True)
    has_new_information = models.BooleanField(default=False)

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
            # h20b: the duplicates queue's "similar name, same date of birth" look-up.
            models.Index(fields=["date_of_birth"], name="referral_dob_idx"),
            models.Index(fields=["assigned_to", "status"], name="referral_assigned_idx"),
            # The search by name of a subject with no date of birth (pg_trgm word
            # similarity on the folded name); the others are found by their PERSON link
            # keys (referrals.search.services._name_matches).
            GinIndex(
                fields=["match_name"],
                opclasses=["gin_trgm_ops"],
                condition=models.Q(date_of_birth__isnull=True),
                name="referral_undated_name_trgm_idx",
            ),
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
    def is_child(self) -> bool:
        """Treated as a child: said to be one, or anyone who may be under 18 (age from
        the date of birth or the approximate age, on the day received); with no age,
        anyone not said to be an adult at risk. The one rule wherever "child" matters
        (outcomes offered, returns): when in doubt, the child's safeguarding applies."""
        return is_child(self.subject_type, self.age)

    @property
    def age_band(self) -> str:
        return self.age_band_on(timezone.localdate(self.submitted_at or timezone.now()))

    def age_band_on(self, day) -> str:
        """The age band on `day` (the day received, for `age_band`)."""
        age = self.age_on(day)
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
            actions.update({"assign", "rate"})
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
        if self.status != Status.CLOSED:
            actions.add("ask")  # a question to the referrer (referrals/addenda)
        return actions

    def allowed_contact_outcomes(self) -> list[ContactOutcome]:
        """The contact outcomes open for this subject, by Referral.is_child: a child is
        never offered adult safeguarding, an adult never a referral to children's
        social care or early help. The decision form offers these; the service refuses
        any other."""
        excluded = ADULT_ONLY_CONTACT_OUTCOMES if self.is_child else CHILD_ONLY_CONTACT_OUTCOMES
        return [outcome for outcome in ContactOutcome if outcome not in excluded]

    # The name the outcome lists had before contact outcomes (issue 18).
    allowed_outcomes = allowed_contact_outcomes

    @property
    def outcome_label(self) -> str:
        """The decision as the referrer, the page and the PDF show it: the contact
        outcome, then a referral's next step (s17 / s47) when there is one."""
        parts = (self.get_contact_outcome_display(), self.get_outcome_display())
        return ": ".join(part for part in parts if part)

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

    def is_rag_overdue(self, now=None) -> bool:
        """Undecided past its RAG rating's deadline."""
        return (
            self.is_undecided
            and self.rag_due_at is not None
            and self.rag_due_at < (now or timezone.now())
        )

    def is_overdue(self, now=None) -> bool:
        return (
            self.status in UNDECIDED
            and self.decision_due_at is not None
            and self.decision_due_at < (now or timezone.now())
        )


class ReferenceCounter(models.Model):
    """The last reference number given in a year (CL-2026-000123), locked when used."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
