"""Sign-in events go on the audit trail; connected in AccountsConfig.ready()."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.lockout import username_from_request
from accounts.middleware import session_started
from accounts.models import User
from referrals.audit import audit_record
from referrals.models import AuditEvent


@receiver(user_logged_in, dispatch_uid="accounts_signed_in")
def signed_in(sender, request, user, **kwargs):
    if request is None:
        return
    session_started(request)
    if not request.META:
        # Not an HTTP request (the test client's force_login, a shell): nothing to audit.
        return
    audit_record(action="auth.sign_in", actor=user, request=request, obj=user)


def _claimed_actor(username: str) -> User | None:
    """Who a sign-in attempt claimed to be: the account with that address or, when
    there is none, an unsaved User carrying the address. audit_record stores no actor
    for an unsaved user but keeps its email as the event's actor_email, the column the
    audit search reads, so failures for an address without an account are found by
    that address as cheaply as any other event. (The address is all that is kept: the
    sign-in form accepts only an email address here.)"""
    if not username:
        return None
    return User.objects.filter(email__iexact=username).first() or User(email=username)


@receiver(user_login_failed, dispatch_uid="accounts_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    username = username_from_request(request, credentials)
    # The account, when there is one, so administrators can find failures by user; the
    # address typed is kept either way (the trail is only for administrators).
    audit_record(
        action="auth.sign_in",
        actor=_claimed_actor(username),
        request=request,
        outcome=AuditEvent.Outcome.FAILED,
        detail={"username": username},
    )


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        action="auth.locked_out",
        actor=_claimed_actor(username or ""),
        request=request,
        outcome=AuditEvent.Outcome.DENIED,
        detail={"username": username or ""},
    )


@receiver(user_logged_out, dispatch_uid="accounts_signed_out")
def signed_out(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    audit_record(action="auth.sign_out", actor=user, request=request, obj=user)
