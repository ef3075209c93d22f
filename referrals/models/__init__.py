"""Referral models, one module per concern so that each stays readable."""

from referrals.models.audit import AuditEvent
from referrals.models.exports import Export, MonthlySummary
from referrals.models.notifications import Notification
from referrals.models.permissions import ReferralGroupObjectPermission, ReferralUserObjectPermission
from referrals.models.referral import (
    Answer,
    AnswerChoice,
    LinkKey,
    Outcome,
    Person,
    ReferenceCounter,
    Referral,
    ReferralEvent,
    Status,
    SubjectType,
)

__all__ = [
    "Answer",
    "AnswerChoice",
    "AuditEvent",
    "Export",
    "LinkKey",
    "MonthlySummary",
    "Notification",
    "Outcome",
    "Person",
    "ReferenceCounter",
    "Referral",
    "ReferralEvent",
    "ReferralGroupObjectPermission",
    "ReferralUserObjectPermission",
    "Status",
    "SubjectType",
]
