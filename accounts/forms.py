from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from accounts.models import AllowedEmailDomain, Organisation, Role, User

# GOV.UK error messages say what to do, naming the field ("Enter your email address"),
# never Django's "This field is required." (design-system.service.gov.uk/components/
# error-message/).
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.org"


def _messages(required: str, **others: str) -> dict[str, str]:
    return {"required": required, **others}


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        error_messages=_messages("Enter your email address", invalid=EMAIL_FORMAT),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages=_messages("Enter your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        # One message whatever went wrong, so the form reveals nothing about accounts.
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "Enter a correct email address and password.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "username",
            "password",
            Button("submit", "Sign in"),
        )
        self.helper.label_size = Size.SMALL


def _gds_helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", submit))
    helper.label_size = Size.SMALL
    return helper


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, or one backup code."""

    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        max_length=16,
        error_messages=_messages("Enter the security code from your authenticator app"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args, submit: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _gds_helper("token", submit=submit)

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())


class DailyDigestForm(forms.Form):
    """Whether a Triage user receives the triage leads' daily digest of overdue
    referrals (accounts.User.is_triage_lead)."""

    daily_digest = forms.BooleanField(
        label="Email the daily digest of overdue referrals", required=False
    )

    def __init__(self, *args, person: User, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["daily_digest"].help_text = (
            f"Sent each morning at {settings.NOTIFICATION_DIGEST_HOUR:02d}:00 when referrals "
            "are overdue: their references and a link, nothing personal."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkbox("daily_digest", small=True),
            Button("submit", submit, css_class="govuk-button--secondary"),
        )

    def clean_daily_digest(self) -> bool:
        wanted = self.cleaned_data["daily_digest"]
        # The digest goes only to Triage users (referrals.notifications._triage_leads).
        if wanted and not self.person.has_role(Role.TRIAGE):
            raise forms.ValidationError(
                "Only Triage users can get the daily digest. Give them the Triage role first"
            )
        return wanted


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        error_messages=_messages("Enter their work email address", invalid=EMAIL_FORMAT),
    )
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages=_messages("Enter their full name")
    )
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.all(),
        empty_label="Choose",
        error_messages=_messages("Select their organisation"),
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages=_messages("Select at least one role"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _gds_helper(
            "email", "full_name", "job_title", "organisation", "roles", submit="Send invitation"
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("There is already an account with this email address.")
        return email


class AccountRequestForm(forms.Form):
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="Use the address your organisation gave you. We will send you a link to it.",
        error_messages=_messages("Enter your work email address", invalid=EMAIL_FORMAT),
    )
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages=_messages("Enter your full name")
    )
    job_title = forms.CharField(
        label="Job title", max_length=150, error_messages=_messages("Enter your job title")
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.all(),
        empty_label="Choose",
        error_messages=_messages("Select your organisation"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _gds_helper(
            "email", "full_name", "job_title", "organisation", submit="Request an account"
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if not AllowedEmailDomain.admits(email):
            raise forms.ValidationError(
                "Enter an email address from a school, NHS, police or council organisation"
            )
        return email


class AccountRequestApprovalForm(forms.Form):
    """An administrator approves a request, correcting the organisation, job title or
    roles the requester gave if they are wrong."""

    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.all(), empty_label="Choose"
    )
    job_title = forms.CharField(label="Job title", max_length=150)
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. People who ask for an account are usually practitioners.",
    )

    def __init__(self, *args, account_request, **kwargs):
        initial = {
            "organisation": account_request.organisation_id,
            "job_title": account_request.job_title,
            "roles": [Role.PRACTITIONER.value],
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.account_request = account_request
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout("organisation", "job_title", "roles")

    def clean(self):
        cleaned = super().clean()
        if User.objects.filter(email__iexact=self.account_request.email).exists():
            # Invited some other way since they asked: approving would fail.
            raise forms.ValidationError("There is already an account with this email address")
        return cleaned


class AllowedDomainForm(forms.ModelForm):
    class Meta:
        model = AllowedEmailDomain
        fields = ["domain"]
        labels = {"domain": "Email domain"}
        help_texts = {"domain": "For example .sch.uk admits every address ending in .sch.uk"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _gds_helper("domain", submit="Add domain")

    def clean_domain(self) -> str:
        domain = self.cleaned_data["domain"].strip().lower()
        bare = domain.lstrip(".")
        if not bare or "." not in bare or "@" in bare or " " in bare:
            raise forms.ValidationError("Enter a domain like .sch.uk or .nhs.net")
        domain = "." + bare
        if AllowedEmailDomain.objects.filter(domain=domain).exists():
            raise forms.ValidationError("This domain is already on the list")
        return domain


class AuditSearchForm(forms.Form):
    user = forms.CharField(
        label="User's email address", required=False, max_length=254, help_text="Or part of it."
    )
    reference = forms.CharField(label="Referral reference", required=False, max_length=32)
    date_from = forms.DateField(
        label="From date",
        required=False,
        help_text="For example, 27/3/2026",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    date_to = forms.DateField(
        label="To date",
        required=False,
        help_text="For example, 28/3/2026",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _gds_helper("user", "reference", "date_from", "date_to", submit="Search")
        self.helper.form_method = "get"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return cleaned


class PortalPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        error_messages=_messages("Enter your work email address", invalid=EMAIL_FORMAT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _gds_helper("email", submit="Send me a link")


class PortalSetPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": "Enter the same password in both boxes"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the password again"
        self.fields[
            "new_password1"
        ].help_text = "At least 12 characters. A few unrelated words make a strong password."
        self.helper = _gds_helper("new_password1", "new_password2", submit="Set password")
