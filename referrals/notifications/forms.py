"""A Triage user's email preference for new referrals."""

from crispy_forms_gds.layout import Button, Field
from django import forms

from referrals.govuk import form_helper


class PreferencesForm(forms.Form):
    notify_new_referrals = forms.BooleanField(
        label="Email me as each new referral arrives",
        help_text="The email gives only the reference, whether it is urgent and a link. "
        "New referrals appear in this list either way.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.checkbox("notify_new_referrals", small=True),
            Button("submit", "Save email preference", css_class="govuk-button--secondary"),
        )
