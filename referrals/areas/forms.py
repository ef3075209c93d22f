"""Forms for other councils: the list administrators keep, and triage recording a
contact's home council."""

import re

from crispy_forms_gds.layout import Field
from django import forms

from referrals.govuk import form_helper
from referrals.models import Council

_AREA = re.compile(r"^[A-Z]{1,2}(\d[A-Z\d]?)?$")


class CouncilForm(forms.ModelForm):
    postcode_areas = forms.CharField(
        label="Postcode areas or districts it covers",
        help_text="Separated by commas, for example BD, HX1, HX2",
        required=False,
        max_length=2000,
    )

    class Meta:
        model = Council
        fields = ["name", "front_door_email", "front_door_phone", "active"]
        labels = {
            "name": "Council name",
            "front_door_email": "Front-door email address",
            "front_door_phone": "Front-door phone number",
            "active": "Offer this council to triage",
        }
        help_texts = {
            "front_door_email": "The children's services front door (MASH) mailbox that "
            "notices about children from this council's area are sent to",
        }
        error_messages = {
            "name": {"required": "Enter the council's name"},
            "front_door_email": {
                "required": "Enter the front door's email address",
                "invalid": "Enter an email address like mash@example.gov.uk",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["postcode_areas"] = self.instance.postcode_areas_display
        self.helper = form_helper(
            Field.text("name"),
            Field.text("front_door_email"),
            Field.text("front_door_phone", field_width=20),
            Field.text("postcode_areas"),
            Field.checkbox("active"),
        )

    def clean_postcode_areas(self) -> list[str]:
        raw = self.cleaned_data["postcode_areas"]
        areas = [a.strip().upper().replace(" ", "") for a in raw.split(",") if a.strip()]
        wrong = [a for a in areas if not _AREA.match(a)]
        if wrong:
            raise forms.ValidationError(
                f"Postcode areas look like BD or HX1: check {', '.join(wrong[:3])}"
            )
        return list(dict.fromkeys(areas))

    def save(self, commit=True):
        self.instance.postcode_areas = self.cleaned_data["postcode_areas"]
        return super().save(commit=commit)


class HomeCouncilForm(forms.Form):
    council = forms.ModelChoiceField(
        label="Home council",
        queryset=Council.objects.none(),
        empty_label="Choose the council",
        help_text="The council the child lives in. Its front door is sent one notice with "
        "our reference and phone number, and nothing about the child.",
        error_messages={
            "required": "Choose the child's home council",
            "invalid_choice": "Choose the child's home council",
        },
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.helper = form_helper(Field.select("council"))
