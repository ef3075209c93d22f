from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.models import Role
from referrals.audit import audit_record
from referrals.models import AuditEvent


def role_required(*roles: Role):
    """Deny by default: a signed-in user without one of `roles` gets 404, so the
    portal does not reveal which pages exist to people who may not use them. The
    refusal is audited."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not any(request.user.has_role(role) for role in roles):
                _audit_denied(request, roles)
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles
        # Points at the role check itself: an outer decorator's functools.wraps copies
        # the attribute, so `view.role_check is view` only when the check is outermost
        # (tests/test_view_decorators.py holds every view to that order).
        wrapped.role_check = wrapped
        return wrapped

    return decorator


def _audit_denied(request, roles) -> None:
    match = request.resolver_match
    audit_record(
        action="page.denied",
        request=request,
        outcome=AuditEvent.Outcome.DENIED,
        # The route, not the path: a path may carry a reference typed by the user.
        detail={"url_name": match.view_name if match else "", "roles": [r.value for r in roles]},
    )


def public_page(view):
    """A page anyone may open without signing in (h19c: the hand-off acknowledgement
    link). Explicit, so that tests/test_view_decorators.py can hold each public view to
    its allowlist: a view without `role_required` or this decorator fails the test."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.required_roles = ()
    wrapped.public = True
    wrapped.role_check = wrapped
    return wrapped
