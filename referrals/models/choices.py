"""The referral's choices and the rules that are only lists: states and the moves
between them, outcomes, sections, age bands. Forms, filters and reports read them here."""

from django.db import models


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
    """The next step of a contact that becomes a referral to children's social care
    (Referral.outcome). The other decisions this list once held are contact outcomes
    now (ContactOutcome; migration 0014 moved them). NRM is kept for the decisions
    recorded as "NRM referral" before contact outcomes; it is not offered any more:
    an NRM referral is recorded by its reference (Referral.nrm_reference)."""

    S17 = "s17", "Child-in-need assessment (section 17)"
    S47 = "s47", "Child-protection strategy discussion (section 47)"
    # The census's ReferralNFA: accepted as a referral, then closed with no assessment.
    REFERRAL_NFA = "referral_nfa", "No further action after the referral (no assessment)"
    NRM = "nrm", "National Referral Mechanism referral by a first responder"


# The next steps triage chooses from when a contact becomes a referral.
NEXT_STEPS = (Outcome.S17, Outcome.S47, Outcome.REFERRAL_NFA)


class ContactOutcome(models.TextChoices):
    """What the front door decided about a contact (every submission is a contact);
    only `referral` is a referral to children's social care in the Children in Need
    census, with its own date (Referral.cin_referral_date)."""

    REFERRAL = "referral", "Becomes a referral to children's social care"
    OPEN_CASE = "open_case", "Existing open case: goes to its worker"
    EARLY_HELP = "early_help", "Early help"
    ADVICE = "advice", "Advice or information only"
    NFA = "nfa", "No further action"
    ADULT_SAFEGUARDING = "adult_safeguarding", "Adult safeguarding"
    POLICE = "police", "Police"
    OTHER_COUNCIL = "other_council", "Another council's case (out of area)"
    SCREENING_NOT_REQUIRED = "screening_not_required", "Screening not required"


class ScreeningReason(models.TextChoices):
    """Why a contact needed no screening (ContactOutcome.SCREENING_NOT_REQUIRED)."""

    DUPLICATE = "duplicate", "Duplicate of another contact"
    NOT_AT_RISK = "not_at_risk", "Not a child, nor an adult at risk"
    OTHER_AREA = "other_area", "Belongs to another area"


# Statutory routes that exist only for children (a referral to children's social care,
# then s17 / s47 of the Children Act 1989; early help) or only for adults (Care Act
# 2014 s42 adult safeguarding); the others apply to both.
CHILD_ONLY_CONTACT_OUTCOMES = {ContactOutcome.REFERRAL, ContactOutcome.EARLY_HELP}
ADULT_ONLY_CONTACT_OUTCOMES = {ContactOutcome.ADULT_SAFEGUARDING}

# The decisions recorded before contact outcomes existed, as contact outcomes (the data
# migration 0012 applies it). An NRM referral is made by a first responder beside the
# safeguarding route, so it maps by who it is about: a child to a referral to
# children's social care, an adult to adult safeguarding; `outcome` keeps "nrm".
CONTACT_OUTCOME_FOR_LEGACY_OUTCOME = {
    "s17": ContactOutcome.REFERRAL,
    "s47": ContactOutcome.REFERRAL,
    "nfa": ContactOutcome.NFA,
    "early_help": ContactOutcome.EARLY_HELP,
    "police": ContactOutcome.POLICE,
    "adult_s42": ContactOutcome.ADULT_SAFEGUARDING,
    "transfer": ContactOutcome.OTHER_COUNCIL,
}


# Triage states and the moves between them (Status -> states it may move to).
TRANSITIONS = {
    Status.SUBMITTED: {Status.IN_TRIAGE},
    Status.IN_TRIAGE: {Status.DECIDED},
    Status.DECIDED: {Status.IN_TRIAGE, Status.CLOSED},
    Status.CLOSED: {Status.IN_TRIAGE},
}


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


class Rag(models.TextChoices):
    """The front door's red / amber / green rating of a contact; each has its own clock
    (settings.RAG_CLOCKS, referrals.timeliness.rag_due)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
