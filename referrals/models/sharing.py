"""The information-sharing log: every disclosure outside the front door, and every
decision not to share, with what, with whom, on what lawful basis and who decided
(Working Together 2023; the DfE's information-sharing advice expects it written down)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK_SAFEGUARDING = (
        "public_task_safeguarding",
        "UK GDPR Art 6(1)(e) public task, with Art 9(2)(g) and DPA 2018 Sch 1 para 18 "
        "(safeguarding of children and individuals at risk)",
    )
    LEGAL_OBLIGATION = "legal_obligation", "UK GDPR Art 6(1)(c) legal obligation"
    VITAL_INTERESTS = "vital_interests", "UK GDPR Art 6(1)(d) vital interests"
    CONSENT = "consent", "Consent (UK GDPR Art 6(1)(a), with Art 9(2)(a))"
    NOT_APPLICABLE = "not_applicable", "Not shared"
    # h21s
    SUBJECT_ACCESS = "subject_access", "UK GDPR Art 15 right of access (subject access request)"


class Disclosure(models.Model):
    """One entry in the log. Written by `referrals.sharing.disclosure_record` only;
    never edited (a mistake is corrected by a later entry)."""

    class Kind(models.TextChoices):
        INFORMATION_REQUEST = "information_request", "Information request to a partner"
        PARTNER_ANSWER = "partner_answer", "A partner's answer"
        HANDOFF = "handoff", "Hand-off to a receiving team"
        EXPORT = "export", "Referral PDF shared outside"
        REFERRER_MESSAGE = "referrer_message", "Message to the referrer"
        OTHER_COUNCIL = "other_council", "Notice to another council"
        API = "api", "Partner system"
        # h21s
        SUBJECT_ACCESS = "subject_access", "Subject access bundle released"

    class Decision(models.TextChoices):
        SHARED = "shared", "Shared"
        NOT_SHARED = "not_shared", "Not shared"

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="disclosures"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.SHARED)
    # What was shared, as labels ("subject's name", "date of birth"), never the values.
    what = models.JSONField(default=list, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    # A team or person outside the portal's organisations (a mailbox, another council).
    recipient_name = models.CharField(max_length=200, blank=True)
    lawful_basis = models.CharField(max_length=32, choices=LawfulBasis.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(default=timezone.now)
    # A retried form post or task writes the entry once.
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        indexes = [models.Index(fields=["decided_at"], name="disclosure_decided_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="disclosure_idempotent_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="not_shared") | ~models.Q(reason=""),
                name="disclosure_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_decision_display()})"

    @property
    def recipient(self) -> str:
        return self.organisation.name if self.organisation_id else self.recipient_name
