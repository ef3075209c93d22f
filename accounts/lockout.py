"""How django-axes names a sign-in attempt and what a locked-out visitor sees."""

from django.conf import settings
from django.forms.utils import ErrorDict
from django.template.response import TemplateResponse

from accounts.forms import SignInForm
from accounts.redirects import safe_next_url
from accounts.views import login_context


def username_from_request(request, credentials) -> str:
    """Emails are case-insensitive at sign-in, so they must be for counting failures."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()[:254]


def paused_message() -> str:
    """What a locked-out visitor is told: the real cool-off, from settings."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Signing in with this email address is paused for {minutes} minutes after "
        f"{settings.AXES_FAILURE_LIMIT} wrong attempts. Try again after that, or reset "
        "your password."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The ordinary sign-in page saying that sign-in with this address is paused for
    the cool-off, so a locked-out person stops trying (even with the right password,
    which is not checked while locked).

    It is said for any address that reached the failure limit, known or not, so the
    page reveals nothing about whether an account exists (docs/security.md). The page
    is rendered here without authenticating again, which would count one more
    failure; the audit events come from the axes signals, as before."""

    form = SignInForm(request, initial={"username": username_from_request(request, credentials)})
    form._errors = ErrorDict()
    form.cleaned_data = {}
    form.add_error(None, paused_message())
    context = {"form": form, "next": safe_next_url(request, ""), **login_context()}
    return TemplateResponse(request, "accounts/login.html", context).render()
