"""Referral models, one module per concern so that each stays readable."""

from referrals.models.addenda import Addendum, ReferrerQuestion
from referrals.models.api import (
    ApiClient,
    ApiIdempotencyKey,
    WebhookDelivery,
    WebhookSubscription,
)
from referrals.models.attachments import Attachment
from referrals.models.audit import AuditEvent
from referrals.models.choices import (
    UNDECIDED,
    AnswerChoice,
    ContactOutcome,
    FirstHand,
    OtherReferral,
    Outcome,
    Rag,
    ScreeningReason,
    Section,
    Sex,
    SourceAnonymity,
    Status,
    SubjectType,
    YesNo,
)
from referrals.models.corrections import Correction
from referrals.models.councils import Council
from referrals.models.details import Answer, LinkKey, Person, ReferralEvent
from referrals.models.exports import Export, MonthlySummary
from referrals.models.handoffs import Handoff, Receives, ReceivingTeam
from referrals.models.notifications import Notification
from referrals.models.partners import InformationRequest, SharedField
from referrals.models.people import (
    PersonDecision,
    PersonMembership,
    PersonRecord,
    PossibleDuplicate,
)
from referrals.models.permissions import ReferralGroupObjectPermission, ReferralUserObjectPermission
from referrals.models.rag import RagRating
from referrals.models.referral import ReferenceCounter, Referral
from referrals.models.retention import (
    DestructionBatch,
    LegalHold,
    RetentionClass,
    RetentionDue,
    Tombstone,
)
from referrals.models.search import BreakGlassGrant
from referrals.models.sharing import Disclosure, LawfulBasis
from referrals.models.subject_access import SubjectAccessBundle, SubjectAccessRequest

__all__ = [
    "BreakGlassGrant",
    "Attachment",
    "UNDECIDED",
    "ApiClient",
    "ApiIdempotencyKey",
    "WebhookDelivery",
    "WebhookSubscription",
    "Addendum",
    "Answer",
    "AnswerChoice",
    "ContactOutcome",
    "ScreeningReason",
    "FirstHand",
    "OtherReferral",
    "Section",
    "Sex",
    "SourceAnonymity",
    "YesNo",
    "AuditEvent",
    "Correction",
    "Council",
    "Disclosure",
    "LawfulBasis",
    "Export",
    "InformationRequest",
    "SharedField",
    "Handoff",
    "ReceivingTeam",
    "Receives",
    "LinkKey",
    "MonthlySummary",
    "Notification",
    "Outcome",
    "Person",
    "PersonDecision",
    "PersonMembership",
    "PersonRecord",
    "PossibleDuplicate",
    "Rag",
    "RagRating",
    "ReferenceCounter",
    "Referral",
    "ReferralEvent",
    "ReferralGroupObjectPermission",
    "ReferralUserObjectPermission",
    "ReferrerQuestion",
    "Status",
    "SubjectType",
    # h21r
    "DestructionBatch",
    "LegalHold",
    "RetentionClass",
    "RetentionDue",
    "Tombstone",
    "SubjectAccessBundle",
    "SubjectAccessRequest",
]
