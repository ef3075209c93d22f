"""Users sign in with their work email; roles are Django groups."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


class Role(models.TextChoices):
    """The portal's roles; each is a Django group of the same name."""

    PRACTITIONER = "Practitioner"
    TRIAGE = "Triage"
    MANAGER = "Manager"
    ADMINISTRATOR = "Administrator"
    # Staff of a partner agency (police, health, education, youth justice ...): they see
    # only the information requests addressed to their organisation, never a referral.
    PARTNER = "Partner"


class Organisation(models.Model):
    """A referring or receiving agency that users belong to."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School or college"
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        YOUTH_SERVICE = "youth_service", "Youth service"
        HOUSING = "housing", "Housing"
        VOLUNTARY = "voluntary", "Voluntary sector"
        SOCIAL_CARE = "social_care", "Social care"
        EDUCATION = "education", "Education (local authority)"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        PROBATION = "probation", "Probation"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def active_with_role(self, role: str):
        """Active users holding `role` (say, the triage workers a referral may go to)."""
        return self.filter(is_active=True, groups__name=role).distinct()

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str):
        # Emails are stored lower-case; sign-in must not depend on how it is typed.
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    work_phone = models.CharField(max_length=32, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # Granted by an administrator: see (not edit) every submitted referral made by
    # colleagues in the same organisation, e.g. a school's designated safeguarding lead.
    organisation_wide_view = models.BooleanField(default=False)
    # Triage users who asked for an email as each referral arrives (all Triage users
    # see new referrals in the portal's notification list either way).
    notify_new_referrals = models.BooleanField(default=False)
    # A Triage lead receives the daily digest of overdue referrals.
    is_triage_lead = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised by "sign out everywhere" and by deactivation: every session signed in
    # before carries the old value in its auth hash and so ends at its next request.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> frozenset[str]:
        """The user's role names, cached for the request (groups rarely change)."""
        if not hasattr(self, "_roles"):
            self._roles = frozenset(self.groups.values_list("name", flat=True))
        return self._roles

    def has_role(self, role: Role) -> bool:
        return self.is_active and role.value in self.roles

    def _get_session_auth_hash(self, secret=None):
        # Django ends a session whose stored hash no longer matches: mixing in the
        # generation lets one update end all of a user's sessions, on any backend.
        key_salt = "accounts.User.session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


def _normalise_domain(value: str) -> str:
    value = value.strip().lower()
    return value if value.startswith(".") else f".{value}"


class AllowedEmailDomain(models.Model):
    """An email domain from which practitioners may ask for an account. ".sch.uk"
    admits any address ending in ".sch.uk"; administrators manage the list."""

    domain = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = _normalise_domain(self.domain)
        super().save(*args, **kwargs)

    @classmethod
    def admits(cls, email: str) -> bool:
        host = "." + email.rsplit("@", 1)[-1].strip().lower()
        return any(host.endswith(d) for d in cls.objects.values_list("domain", flat=True))


class AccountRequest(models.Model):
    """A practitioner asking for an account: the address is verified by a link, then
    an administrator approves (which invites them) or declines."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Email not yet confirmed"
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNVERIFIED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Account request {self.pk}"
