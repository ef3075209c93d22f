"""Forms of hand-offs: the receiving teams administrators keep, and triage choosing
the team of an unrouted hand-off."""

from crispy_forms_gds.layout import Field
from django import forms

from accounts.models import Organisation
from referrals.govuk import form_helper
from referrals.models import Receives, ReceivingTeam


class ReceivingTeamForm(forms.ModelForm):
    receives = forms.MultipleChoiceField(
        label="Cases it takes",
        help_text="A decision with one of these outcomes is handed to this team",
        choices=Receives.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of case the team takes"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation in the portal (optional)",
        help_text="Its Partner users see the team's hand-offs and acknowledge them",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="None",
    )

    class Meta:
        model = ReceivingTeam
        fields = ["name", "receives", "mailbox", "organisation", "active"]
        labels = {
            "name": "Team name",
            "mailbox": "Team mailbox (optional)",
            "active": "Hand cases to this team",
        }
        help_texts = {
            "mailbox": "Sent the reference and a link to acknowledge, nothing about the person",
        }
        error_messages = {
            "name": {"required": "Enter the team's name"},
            "mailbox": {"invalid": "Enter an email address like early.help@example.gov.uk"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name"),
            Field.checkboxes("receives"),
            Field.text("mailbox"),
            Field.select("organisation"),
            Field.checkbox("active"),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("mailbox") and not cleaned.get("organisation"):
            self.add_error("mailbox", "Enter the team's mailbox or choose its organisation")
        return cleaned


class RouteForm(forms.Form):
    team = forms.ModelChoiceField(
        label="Receiving team",
        queryset=ReceivingTeam.objects.none(),
        empty_label="Choose the team",
        error_messages={
            "required": "Choose the team to hand the case to",
            "invalid_choice": "Choose the team to hand the case to",
        },
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = ReceivingTeam.objects.filter(pk__in=[t.pk for t in teams])
        self.helper = form_helper(Field.select("team"))
