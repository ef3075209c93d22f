"""Correction forms: the contact's details or the decision, prefilled with the effective
values, with a required reason. Only what is changed becomes a correction."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.utils import timezone

from referrals import normalise
from referrals.correctable import CONTACT_FIELDS, DECISION_FIELDS
from referrals.govuk import LONG_TEXT, RealDateField, form_helper
from referrals.models import Referral, Sex


def _reason() -> forms.CharField:
    return forms.CharField(
        label="Why this is being corrected",
        help_text="For example, the school confirmed the spelling of the name. The original "
        "stays in the chronology and the PDF.",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for the correction"},
    )


def _text(field: str, max_length: int) -> forms.CharField:
    return forms.CharField(label=CONTACT_FIELDS[field], required=False, max_length=max_length)


class _CorrectionForm(forms.Form):
    """Compares what was posted with the referral's effective values: `changes` holds
    only the fields that differ."""

    fields_corrected: dict[str, str] = {}

    def __init__(self, *args, referral: Referral, **kwargs):
        initial = {field: getattr(referral, field) for field in self.fields_corrected}
        super().__init__(*args, initial=initial, **kwargs)
        self.referral = referral
        self.changes: dict = {}

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for the correction")
        return reason

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.changes = {
            field: cleaned.get(field)
            for field in self.fields_corrected
            if cleaned.get(field) != getattr(self.referral, field)
        }
        if not self.changes:
            raise forms.ValidationError("Nothing has been changed: correct a detail, or go back")
        return cleaned


class ContactCorrectionForm(_CorrectionForm):
    fields_corrected = CONTACT_FIELDS

    first_name = _text("first_name", 100)
    last_name = _text("last_name", 100)
    known_as = _text("known_as", 200)
    date_of_birth = RealDateField(
        label="Date of birth",
        help_text="For example, 27 3 2011. Leave blank if not known.",
        required=False,
        require_all_fields=False,
        invalid_message="Date of birth must be a real date",
    )
    approximate_age = forms.IntegerField(
        label="Approximate age",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Enter the age as a number, like 15",
            "min_value": "Enter an age between 0 and 120",
            "max_value": "Enter an age between 0 and 120",
        },
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)
    ethnicity = _text("ethnicity", 100)
    first_language = _text("first_language", 100)
    address_line_1 = _text("address_line_1", 200)
    address_line_2 = _text("address_line_2", 200)
    town = _text("town", 100)
    postcode = _text("postcode", 10)
    school_or_placement = _text("school_or_placement", 200)
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].error_messages["required"] = "Select their sex, or Not known"
        self.helper = form_helper(
            Fieldset(
                Field.text("first_name"),
                Field.text("last_name"),
                Field.text("known_as"),
                Field("date_of_birth"),
                Field.text("approximate_age", field_width=3),
                Field.radios("sex", legend_size=Size.SMALL, inline=True),
                Field.text("ethnicity"),
                Field.text("first_language"),
                legend="Who it is about",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                Field.text("school_or_placement"),
                legend="Where they live and study",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("reason"),
        )

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError("Date of birth must be today or in the past")
        return born

    def clean_postcode(self) -> str:
        try:
            return normalise.postcode(self.cleaned_data.get("postcode", ""))
        except normalise.InvalidValue as exc:
            raise forms.ValidationError(str(exc)) from None


class DecisionCorrectionForm(_CorrectionForm):
    fields_corrected = DECISION_FIELDS

    contact_outcome = forms.ChoiceField(
        label=DECISION_FIELDS["contact_outcome"],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome", "invalid_choice": "Choose the outcome"},
    )
    decision_rationale = forms.CharField(
        label=DECISION_FIELDS["decision_rationale"],
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reasons for the decision"},
    )
    reason = _reason()

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, referral=referral, **kwargs)
        self.fields["contact_outcome"].choices = [
            (o.value, o.label) for o in referral.allowed_outcomes()
        ]
        self.helper = form_helper(
            Field.radios("contact_outcome", legend_size=Size.MEDIUM),
            Field.textarea("decision_rationale"),
            Field.textarea("reason"),
        )

    def clean_decision_rationale(self) -> str:
        rationale = self.cleaned_data["decision_rationale"].strip()
        if not rationale:
            raise forms.ValidationError("Give the reasons for the decision")
        return rationale
