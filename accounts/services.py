"""Writes about users and organisations."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import AccountRequest, AllowedEmailDomain, Organisation, Role, User
from referrals.audit import audit_record


@transaction.atomic
def user_ensure(
    *,
    email: str,
    full_name: str,
    roles: list[Role],
    organisation: Organisation | None,
    password: str,
    job_title: str = "",
    work_phone: str = "",
) -> tuple[User, bool]:
    """Create the user if missing, else bring profile and roles in line.

    The password is set only at creation: re-running must not change a password that
    its owner may have changed since."""
    user, created = User.objects.get_or_create(
        email=email.lower(),
        defaults={
            "full_name": full_name,
            "organisation": organisation,
            "job_title": job_title,
            "work_phone": work_phone,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    else:
        changed = {
            field: value
            for field, value in {
                "full_name": full_name,
                "organisation": organisation,
                "job_title": job_title,
                "work_phone": work_phone,
            }.items()
            if getattr(user, field) != value
        }
        if changed:
            for field, value in changed.items():
                setattr(user, field, value)
            user.save(update_fields=list(changed))
    wanted = set(Group.objects.filter(name__in=[r.value for r in roles]))
    if set(user.groups.all()) != wanted:
        user.groups.set(wanted)
    return user, created


# --- Access-control writes (issue 4) --------------------------------------------
# Each records itself on the audit trail; emails carry a link and nothing personal.


def _audit(action: str, *, request, obj, detail: dict | None = None) -> None:
    audit_record(action=action, request=request, obj=obj, detail=detail or {})


def _send_link_email(*, to: str, template: str, path: str) -> None:
    context = {"link": f"{settings.SITE_URL}{path}", "PORTAL_NAME": settings.PORTAL_NAME}
    subject = render_to_string(f"accounts/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/emails/{template}.txt", context)
    send_mail(subject, body, None, [to])


def set_password_path(user: User) -> str:
    """A one-time link: the token is tied to the password hash, so it stops working
    once a password is set (and after PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_invite(
    *,
    email: str,
    full_name: str,
    organisation: Organisation,
    roles: list[Role],
    job_title: str = "",
    request=None,
) -> User:
    user = User.objects.create_user(
        email=email, full_name=full_name, organisation=organisation, job_title=job_title
    )
    user.groups.set(Group.objects.filter(name__in=[Role(r).value for r in roles]))
    _audit("user.invited", request=request, obj=user, detail={"roles": sorted(roles)})
    _send_link_email(to=user.email, template="invitation", path=set_password_path(user))
    return user


@transaction.atomic
def user_sign_out_everywhere(*, user: User, request=None) -> None:
    """Every session of `user`, on every device, ends at its next request."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    _audit("user.sessions_ended", request=request, obj=user)


@transaction.atomic
def user_deactivate(*, user: User, request=None) -> None:
    User.objects.filter(pk=user.pk).update(
        is_active=False, session_generation=F("session_generation") + 1
    )
    user.refresh_from_db(fields=["is_active", "session_generation"])
    _audit("user.deactivated", request=request, obj=user)


@transaction.atomic
def user_set_organisation_wide_view(*, user: User, granted: bool, request=None) -> None:
    User.objects.filter(pk=user.pk).update(organisation_wide_view=granted)
    user.refresh_from_db(fields=["organisation_wide_view"])
    _audit(
        "user.organisation_wide_view_changed",
        request=request,
        obj=user,
        detail={"granted": granted},
    )


@transaction.atomic
def user_set_daily_digest(*, user: User, receives: bool, request=None) -> None:
    """Switch the triage leads' daily digest of overdue referrals on or off for `user`
    (by an administrator, or by the user on their own account page)."""
    before = (
        User.objects.select_for_update().values_list("is_triage_lead", flat=True).get(pk=user.pk)
    )
    User.objects.filter(pk=user.pk).update(is_triage_lead=receives)
    user.is_triage_lead = receives
    _audit(
        "user.daily_digest_changed",
        request=request,
        obj=user,
        detail={"before": before, "after": receives},
    )


ACCOUNT_REQUEST_SALT = "accounts.account_request.verify"


def account_request_token(account_request: AccountRequest) -> str:
    return signing.dumps({"r": account_request.pk}, salt=ACCOUNT_REQUEST_SALT)


def account_request_from_token(token: str) -> AccountRequest | None:
    try:
        data = signing.loads(
            token, salt=ACCOUNT_REQUEST_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT
        )
    except signing.BadSignature:
        return None
    return AccountRequest.objects.filter(
        pk=data.get("r"), status=AccountRequest.Status.UNVERIFIED
    ).first()


@transaction.atomic
def account_request_create(
    *, email: str, full_name: str, job_title: str, organisation: Organisation
) -> AccountRequest | None:
    """Record the request and send a link to the address. An address that already has
    an account gets nothing, and the page says the same either way."""
    if User.objects.filter(email__iexact=email).exists():
        return None
    account_request = AccountRequest.objects.create(
        email=email.lower(), full_name=full_name, job_title=job_title, organisation=organisation
    )
    path = reverse(
        "account_request_verify", kwargs={"token": account_request_token(account_request)}
    )
    _send_link_email(to=account_request.email, template="account_request", path=path)
    return account_request


@transaction.atomic
def account_request_verify(*, account_request: AccountRequest) -> None:
    account_request.status = AccountRequest.Status.PENDING
    account_request.verified_at = timezone.now()
    account_request.save(update_fields=["status", "verified_at"])


def _corrections(account_request: AccountRequest, **approved) -> dict:
    """What the administrator changed from what the requester gave, before and after
    (organisations by id)."""
    asked = {
        "organisation": account_request.organisation_id,
        "job_title": account_request.job_title,
        "roles": [Role.PRACTITIONER.value],
    }
    return {
        field: {"before": asked[field], "after": value}
        for field, value in approved.items()
        if value != asked[field]
    }


@transaction.atomic
def account_request_approve(
    *,
    account_request: AccountRequest,
    organisation: Organisation | None = None,
    job_title: str | None = None,
    roles: list[Role] | None = None,
    request=None,
) -> User:
    """Approval invites the requester: they choose a password from the link. The
    administrator may correct the organisation, job title and roles; what they changed
    goes on the audit trail. The request itself keeps what was asked."""
    organisation = organisation or account_request.organisation
    job_title = account_request.job_title if job_title is None else job_title
    roles = sorted({Role(r).value for r in roles or [Role.PRACTITIONER]})
    user = user_invite(
        email=account_request.email,
        full_name=account_request.full_name,
        job_title=job_title,
        organisation=organisation,
        roles=roles,
        request=request,
    )
    account_request.status = AccountRequest.Status.APPROVED
    account_request.decided_at = timezone.now()
    account_request.decided_by = request.user if request else None
    account_request.user = user
    account_request.save(update_fields=["status", "decided_at", "decided_by", "user"])
    corrected = _corrections(
        account_request, organisation=organisation.pk, job_title=job_title, roles=roles
    )
    _audit(
        "account_request.approved",
        request=request,
        obj=account_request,
        detail={"corrected": corrected} if corrected else {},
    )
    return user


@transaction.atomic
def account_request_decline(*, account_request: AccountRequest, request=None) -> None:
    account_request.status = AccountRequest.Status.DECLINED
    account_request.decided_at = timezone.now()
    account_request.decided_by = request.user if request else None
    account_request.save(update_fields=["status", "decided_at", "decided_by"])
    _audit("account_request.declined", request=request, obj=account_request)


@transaction.atomic
def allowed_domain_add(*, domain: str, request=None) -> AllowedEmailDomain:
    allowed = AllowedEmailDomain.objects.create(domain=domain)
    _audit("allowed_domain.added", request=request, obj=allowed, detail={"domain": allowed.domain})
    return allowed


@transaction.atomic
def allowed_domain_remove(*, allowed: AllowedEmailDomain, request=None) -> None:
    _audit(
        "allowed_domain.removed", request=request, obj=allowed, detail={"domain": allowed.domain}
    )
    allowed.delete()
