"""The warning-sign catalogue, as data and versioned.

A referral keeps the catalogue version it was answered against, and each answer points
at the indicator row of that version, so a referral always shows the wording its
referrer saw, however the catalogue changes later."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Audience(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult at risk"
    BOTH = "both", "Child or adult"


class Group(models.TextChoices):
    EXPLOITATION = "exploitation", "Signs of exploitation"
    CUCKOOING = "cuckooing", "Signs of cuckooing"
    VULNERABILITY = "vulnerability", "Vulnerabilities"


class CatalogueVersionQuerySet(models.QuerySet):
    def current(self) -> "CatalogueVersion":
        """The version new referrals are asked (the highest number)."""
        return self.order_by("-number").first()

    def current_id(self):
        """The current version's id as a subquery, for use inside another query."""
        return self.order_by("-number").values("pk")[:1]


class CatalogueVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    change_summary = models.CharField(max_length=300)

    objects = CatalogueVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Catalogue version {self.number}"


class IndicatorQuerySet(models.QuerySet):
    def for_audience(self, audience: str) -> "IndicatorQuerySet":
        return self.filter(active=True, audience__in=[audience, Audience.BOTH])


class Indicator(models.Model):
    """One indicator as worded in one catalogue version. `code` is stable across
    versions, so answers can be counted per indicator whatever the wording was."""

    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.SlugField(max_length=40)
    wording = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    group = models.CharField(max_length=20, choices=Group.choices)
    order = models.PositiveIntegerField()
    active = models.BooleanField(default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["version", "group", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_code_per_version")
        ]

    def __str__(self) -> str:
        return self.wording
