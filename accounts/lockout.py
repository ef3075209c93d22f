"""How django-axes names a sign-in attempt and what a locked-out visitor sees."""

from django.forms.utils import ErrorDict
from django.template.response import TemplateResponse


def username_from_request(request, credentials) -> str:
    """Emails are case-insensitive at sign-in, so they must be for counting failures."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()[:254]


def lockout_response(request, original_response=None, credentials=None):
    """The ordinary sign-in page with its one message, so a locked username looks
    exactly like a wrong password (and reveals nothing about whether it exists).

    The sign-in view has already answered with that page (authenticate() refused while
    locked), so that answer is kept; otherwise the page is rendered here without
    authenticating again, which would count one more failure."""
    if original_response is not None and original_response.status_code == 200:
        return original_response
    from accounts.forms import SignInForm
    from accounts.redirects import safe_next_url
    from accounts.views import login_context

    form = SignInForm(request, initial={"username": username_from_request(request, credentials)})
    form._errors = ErrorDict()
    form.cleaned_data = {}
    form.add_error(None, SignInForm.error_messages["invalid_login"])
    context = {"form": form, "next": safe_next_url(request, ""), **login_context()}
    return TemplateResponse(request, "accounts/login.html", context).render()
