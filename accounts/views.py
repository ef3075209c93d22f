from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from accounts import services, two_factor
from accounts.decorators import role_required
from accounts.forms import (
    AccountRequestForm,
    DailyDigestForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    SignInForm,
    TokenForm,
)
from accounts.middleware import session_touched
from accounts.models import Role
from accounts.redirects import safe_next_url
from referrals.audit import audit_record
from referrals.models import AuditEvent, ReceivingTeam

# Where each role starts its day; the first role the user holds wins.
ROLE_HOME = [
    (Role.TRIAGE, "triage_queue"),
    (Role.PRACTITIONER, "referral_mine"),
    (Role.MANAGER, "report_list"),
    (Role.ADMINISTRATOR, "user_list"),
    (Role.PARTNER, "partner_queue"),  # h19b
]


def _receives_handoffs(user) -> bool:
    """Whether a partner's organisation is a receiving team: its staff start at the
    cases handed to them, other partner agencies at their information requests."""
    return bool(user.organisation_id) and (
        ReceivingTeam.objects.filter(organisation_id=user.organisation_id, active=True).exists()
    )


@login_required
def home(request):
    for role, url_name in ROLE_HOME:
        if request.user.has_role(role):
            if role == Role.PARTNER and _receives_handoffs(request.user):
                return redirect("handoff_list")
            return redirect(url_name)
    return render(request, "accounts/no_role.html")


# --- Sign-in ----------------------------------------------------------------------


def login_context() -> dict:
    """What the sign-in page says about how sign-in works here."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    if not settings.REQUIRE_2FA:
        context["demo_notice"] = (
            "Demo mode: two-factor sign-in is switched off (REQUIRE_2FA=false). "
            "In production, triage staff, managers and administrators also enter a code "
            "from an authenticator app."
        )
    return context


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **login_context()}

    def get_redirect_url(self):
        return safe_next_url(self.request, "")


class SignOutView(auth_views.LogoutView):
    def get_redirect_url(self):
        return safe_next_url(self.request, "")


# --- Second factor ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code, type a code to prove it works,
    then keep the backup codes shown once."""
    if two_factor.has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect(
            f"{reverse('otp_verify')}?{urlencode({'next': safe_next_url(request, '')})}"
        )
    device = two_factor.pending_totp_device(request)
    form = TokenForm(request.POST or None, submit="Set up")
    if request.method == "POST" and form.is_valid():
        if two_factor.pending_token_verify(device, form.cleaned_data["token"]):
            two_factor.totp_device_confirm(request=request, device=device)
            otp_login(request, device)
            codes = two_factor.backup_codes_replace(user=request.user)
            audit_record(action="auth.second_factor_enrolled", request=request, obj=request.user)
            return render(
                request,
                "accounts/otp_backup_codes.html",
                {"codes": codes, "next": safe_next_url(request, reverse("home"))},
            )
        form.add_error("token", "The code is not right. Enter the code your app shows now")
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_data_uri(device),
        "manual_key": two_factor.manual_key(device),
        "next": safe_next_url(request, ""),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if not two_factor.has_confirmed_device(request.user):
        return redirect("otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit_record(action="auth.second_factor_verified", request=request, obj=request.user)
            return redirect(safe_next_url(request, reverse("home")))
        audit_record(
            action="auth.second_factor_verified",
            request=request,
            obj=request.user,
            outcome=AuditEvent.Outcome.FAILED,
        )
        form.add_error("token", "The code is not right. Enter the code your app shows now")
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": safe_next_url(request, "")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_backup_codes(request):
    """New backup codes (the old ones stop working); GET only explains."""
    if request.method == "POST":
        codes = two_factor.backup_codes_replace(user=request.user)
        audit_record(action="auth.backup_codes_replaced", request=request, obj=request.user)
        return render(
            request, "accounts/otp_backup_codes.html", {"codes": codes, "next": reverse("home")}
        )
    return render(request, "accounts/otp_backup_codes_new.html")


# --- Sessions ---------------------------------------------------------------------


def _own_digest_form(request, data=None) -> DailyDigestForm:
    return DailyDigestForm(
        data,
        person=request.user,
        submit="Save email preference",
        initial={"daily_digest": request.user.is_triage_lead},
    )


@login_required
def account_security(request):
    context = {
        "needs_second_factor": two_factor.needs_second_factor(request.user),
        "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
    }
    if request.user.has_role(Role.TRIAGE):
        context["digest_form"] = _own_digest_form(request)
    return render(request, "accounts/security.html", context)


@role_required(Role.TRIAGE)
@require_POST
def account_email_preferences(request):
    """A Triage user's own choice of the daily digest (the email about each new
    referral is chosen on the notifications page)."""
    form = _own_digest_form(request, request.POST)
    if form.is_valid():
        wanted = form.cleaned_data["daily_digest"]
        services.user_set_daily_digest(user=request.user, receives=wanted, request=request)
        messages.success(
            request,
            "You will get the daily digest of overdue referrals."
            if wanted
            else "You will not get the daily digest of overdue referrals.",
        )
    return redirect("account_security")


@login_required
@require_POST
def session_keep_alive(request):
    """The "stay signed in" button restarts the idle clock."""
    session_touched(request)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(safe_next_url(request, reverse("home")))


@login_required
@require_http_methods(["GET", "POST"])
def sign_out_everywhere(request):
    if request.method == "POST":
        services.user_sign_out_everywhere(user=request.user, request=request)
        logout(request)
        messages.success(request, "You have been signed out on every device.")
        return redirect("login")
    return render(request, "accounts/sign_out_everywhere.html")


# --- Passwords --------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Always the same answer, so the page reveals nothing about which addresses have
    an account; the email carries only a link."""

    template_name = "accounts/password_reset.html"
    form_class = PortalPasswordResetForm
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_extra_email_context(self):
        return {"site_url": settings.SITE_URL, "PORTAL_NAME": settings.PORTAL_NAME}

    def form_valid(self, form):
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Both an invitation and a password reset end here."""

    template_name = "accounts/set_password.html"
    form_class = PortalSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


# --- Asking for an account --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def account_request(request):
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_request_create(**form.cleaned_data)
        return redirect("account_request_sent")
    return render(request, "accounts/account_request.html", {"form": form})


def account_request_sent(request):
    return render(request, "accounts/account_request_sent.html")


@require_http_methods(["GET", "POST"])
def account_request_verify(request, token):
    pending = services.account_request_from_token(token)
    if pending is None:
        return render(request, "accounts/account_request_link_invalid.html", status=404)
    if request.method == "POST":
        services.account_request_verify(account_request=pending)
        return render(request, "accounts/account_request_verified.html")
    return render(request, "accounts/account_request_verify.html")
