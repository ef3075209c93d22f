"""The referral form's sections with one ModelForm each (immediate danger, who it is
about, consent, the concern, the referrer), each declaring its fields.

Every form keeps what was typed when it is invalid (Django re-renders bound data) and
explains each problem next to its field and in the error summary."""

import datetime as dt

from crispy_forms_gds.layout import (
    ConditionalQuestion,
    Field,
    Fieldset,
    Fixed,
    Size,
)
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from referrals import codes, normalise
from referrals.govuk import PageHeadingRadios, Snippet
from referrals.intake.forms import (
    ReferrerForm,
    SectionForm,
    date_field,
    plausible_age,
    section_buttons,
    section_helper,
    textarea,
)
from referrals.models import (
    AnswerChoice,
    FirstHand,
    OtherReferral,
    Referral,
    Sex,
    SourceAnonymity,
    SubjectType,
    YesNo,
)


class DangerForm(SectionForm):
    immediate_danger = forms.ChoiceField(
        label="Is anyone in immediate danger right now?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if anyone is in immediate danger right now"},
    )
    police_called = forms.TypedChoiceField(
        label="Have the police been called?",
        choices=YesNo.choices,
        coerce=lambda v: v == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    police_reference = forms.CharField(
        label="Police log or reference number (if you have one)", max_length=60, required=False
    )
    required_when_complete = ("immediate_danger",)

    class Meta:
        model = Referral
        fields = ["immediate_danger", "police_called", "police_reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.police_called is not None and not self.is_bound:
            self.initial["police_called"] = "yes" if self.instance.police_called else "no"
        self.helper = section_helper(
            PageHeadingRadios(
                "immediate_danger",
                ConditionalQuestion(
                    "Yes",
                    Snippet("referrals/intake/snippets/marked_urgent.html"),
                    Field.radios("police_called", legend_size=Size.SMALL, inline=True),
                    Field.text("police_reference", field_width=Fixed.TWENTY),
                ),
                "No",
                intro=Snippet("referrals/intake/snippets/call_999.html"),
            ),
            *section_buttons(),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("immediate_danger") == YesNo.YES and cleaned.get("police_called") is None:
            self.require(cleaned, "police_called", "Select yes if the police have been called")
        return cleaned


class SubjectForm(SectionForm):
    date_of_birth = date_field("Date of birth", "For example, 27 3 2011. Leave blank if not known.")
    # The census's coded forms (referrals.codes) beside the words: optional, since the
    # referrer may not know them; "Not known" is an answer, never a guess.
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        help_text="10 digits, for example 943 476 5919. Leave blank if you do not know it.",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    ethnicity_code = forms.ChoiceField(
        label="Ethnicity",
        help_text="As they describe it. Choose 'Information not yet obtained' if you do not know.",
        choices=[("", "Choose their ethnicity"), *codes.ETHNICITY.items()],
        required=False,
    )
    disability_codes = forms.MultipleChoiceField(
        label="Disability",
        help_text="Select all that apply, or 'None'",
        choices=list(codes.DISABILITY.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    required_when_complete = ("subject_type", "sex")

    class Meta:
        model = Referral
        fields = [
            "subject_type",
            "first_name",
            "last_name",
            "known_as",
            "date_of_birth",
            "approximate_age",
            "nhs_number",
            "sex",
            "ethnicity_code",
            "ethnicity",
            "first_language",
            "interpreter_needed",
            "disability_codes",
            "disability",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "current_whereabouts",
            "school_or_placement",
            "services_involved",
        ]
        labels = {
            "subject_type": "Who is the referral about?",
            "first_name": "First name",
            "last_name": "Last name",
            "known_as": "Other names or nicknames they are known by",
            "approximate_age": "Approximate age, if you do not know their date of birth",
            "sex": "Sex",
            "ethnicity": "Ethnicity in their words (optional)",
            "first_language": "First language",
            "interpreter_needed": "Do they need an interpreter?",
            "disability": "Disability or special educational needs: describe it (optional)",
            "address_line_1": "Address line 1",
            "address_line_2": "Address line 2 (optional)",
            "town": "Town or city",
            "postcode": "Postcode",
            "current_whereabouts": "Where are they now?",
            "school_or_placement": "School, college or placement",
            "services_involved": "Services already involved",
        }
        help_texts = {
            "known_as": "Separate names with commas",
            "current_whereabouts": "If different from their home address, or not known",
            "services_involved": "For example, a social worker, youth offending team or CAMHS",
        }
        widgets = {
            "subject_type": forms.RadioSelect,
            "sex": forms.RadioSelect(choices=Sex.choices),
            "interpreter_needed": forms.RadioSelect,
            # GOV.UK asks for numbers with a text input: type="number" draws an unstyled
            # box with a spinner and changes a value on a scroll (design system, "Text
            # input": asking for whole numbers). The IntegerField still validates it.
            "approximate_age": forms.TextInput(
                attrs={"inputmode": "numeric", "spellcheck": "false"}
            ),
            "disability": textarea(3),
            "current_whereabouts": textarea(3),
            "services_involved": textarea(3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].choices = SubjectType.choices
        self.fields["sex"] = forms.ChoiceField(
            label="Sex", choices=Sex.choices, widget=forms.RadioSelect, required=not self.partial
        )
        self.fields["interpreter_needed"].choices = AnswerChoice.choices
        self.fields["approximate_age"].validators.append(plausible_age)
        self.fields["subject_type"].error_messages["required"] = (
            "Select whether the referral is about a child or an adult at risk"
        )
        self.fields["sex"].error_messages["required"] = "Select their sex, or 'Not known'"
        self.helper = section_helper(
            Field.radios("subject_type", legend_size=Size.MEDIUM),
            Fieldset(
                Field.text("first_name", field_width=Fixed.TWENTY),
                Field.text("last_name", field_width=Fixed.TWENTY),
                Field.text("known_as"),
                legend="Their name",
                legend_size=Size.MEDIUM,
            ),
            Field("date_of_birth"),
            Field.text("approximate_age", field_width=Fixed.THREE),
            Field.text("nhs_number", field_width=Fixed.TEN),
            Field.radios("sex", legend_size=Size.SMALL, inline=True),
            Field.select("ethnicity_code"),
            Field.text("ethnicity", field_width=Fixed.TWENTY),
            Field.text("first_language", field_width=Fixed.TWENTY),
            Field.radios("interpreter_needed", legend_size=Size.SMALL, inline=True),
            Field.checkboxes("disability_codes", legend_size=Size.SMALL, small=True),
            Field.textarea("disability", rows=3),
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=Fixed.TWENTY),
                Field.text("postcode", field_width=Fixed.TEN),
                legend="Home address",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("current_whereabouts", rows=3),
            Field.text("school_or_placement"),
            Field.textarea("services_involved", rows=3),
            *section_buttons(),
        )

    def clean_postcode(self):
        try:
            return normalise.postcode(self.cleaned_data.get("postcode", ""))
        except normalise.InvalidValue as exc:
            raise ValidationError(str(exc)) from None

    def clean_nhs_number(self):
        try:
            return normalise.nhs_number(self.cleaned_data.get("nhs_number", ""))
        except normalise.InvalidValue as exc:
            raise ValidationError(str(exc)) from None

    def clean_disability_codes(self):
        chosen = self.cleaned_data.get("disability_codes") or []
        error = codes.disability_error(chosen)
        if error:
            raise ValidationError(error)
        return chosen

    def clean_date_of_birth(self):
        dob = self.cleaned_data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            raise ValidationError("Date of birth must be in the past")
        if dob and dob < dt.date(1900, 1, 1):
            raise ValidationError("Date of birth must be after 1900")
        return dob

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("first_name") or cleaned.get("last_name") or cleaned.get("known_as")):
            self.require(cleaned, "last_name", "Enter their name, or a name they are known by")
        no_age = cleaned.get("date_of_birth") is None and cleaned.get("approximate_age") is None
        # Not on top of an age already refused: as a text input it can now hold letters.
        if no_age and "date_of_birth" not in self.errors and "approximate_age" not in self.errors:
            self.require(
                cleaned,
                "approximate_age",
                "Enter their date of birth, or their approximate age if you do not know it",
            )
        return cleaned


class ConsentForm(SectionForm):
    source_wants_anonymity = forms.ChoiceField(
        label="Does the person who told you about this want to stay anonymous?",
        help_text="Professionals making a referral are not anonymous; a member of the public "
        "who passed on the concern may ask to be",
        choices=SourceAnonymity.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    required_when_complete = ("family_told", "consent_given")

    class Meta:
        model = Referral
        fields = [
            "family_told",
            "consent_given",
            "no_consent_reason",
            "not_to_share",
            "source_wants_anonymity",
        ]
        labels = {
            "family_told": "Have you told the parents or carers (or the adult) about it?",
            "consent_given": "Have they consented to the referral?",
            "no_consent_reason": "Why has consent not been given or sought?",
            "not_to_share": "Is there anything that must not be shared with the family?",
        }
        help_texts = {
            "consent_given": "Consent is not needed where a child is at risk of significant harm",
            "no_consent_reason": "For example, telling them could put the child at greater risk",
        }
        widgets = {
            "family_told": forms.RadioSelect,
            "consent_given": forms.RadioSelect,
            "no_consent_reason": textarea(3),
            "not_to_share": textarea(3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family_told"].choices = AnswerChoice.choices
        self.fields["consent_given"].choices = AnswerChoice.choices
        self.fields["family_told"].error_messages["required"] = (
            "Select whether you have told the parents, carers or the adult"
        )
        self.fields["consent_given"].error_messages["required"] = "Select whether they consented"
        self.helper = section_helper(
            Field.radios("family_told", legend_size=Size.SMALL),
            Field.radios("consent_given", legend_size=Size.SMALL),
            Field.textarea("no_consent_reason", rows=3),
            Field.textarea("not_to_share", rows=3),
            Field.radios("source_wants_anonymity", legend_size=Size.SMALL),
            *section_buttons(),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_given") in ("no", "unknown") and not cleaned.get(
            "no_consent_reason"
        ):
            self.require(
                cleaned, "no_consent_reason", "Explain why consent has not been given or sought"
            )
        return cleaned


class ConcernForm(SectionForm):
    other_referrals = forms.MultipleChoiceField(
        label="Have you made any other referrals about this?",
        help_text="Select all that apply",
        choices=OtherReferral.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    required_when_complete = ("concern", "first_hand")

    class Meta:
        model = Referral
        fields = [
            "concern",
            "concern_when_where",
            "first_hand",
            "subject_words",
            "actions_taken",
            "other_referrals",
        ]
        labels = {
            "concern": "What is your concern?",
            "concern_when_where": "When and where did this happen?",
            "first_hand": "Did you see or hear this yourself?",
            "subject_words": "What did they say, in their own words?",
            "actions_taken": "What have you done so far?",
        }
        help_texts = {
            "concern": "Describe what you saw or heard. Include any injuries.",
            "subject_words": "Write down what they said as closely as you can",
        }
        widgets = {
            "concern": textarea(6),
            "concern_when_where": textarea(3),
            "first_hand": forms.RadioSelect,
            "subject_words": textarea(3),
            "actions_taken": textarea(3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The question's own wording of the two answers (stored as FirstHand).
        self.fields["first_hand"].choices = [
            (FirstHand.FIRST, "Yes, first-hand"),
            (FirstHand.REPORTED, "No, it was reported to me"),
        ]
        self.fields["concern"].error_messages["required"] = "Describe your concern"
        self.fields["first_hand"].error_messages["required"] = (
            "Select whether you saw or heard this yourself"
        )
        self.helper = section_helper(
            Field.textarea("concern", rows=6),
            Field.textarea("concern_when_where", rows=3),
            Field.radios("first_hand", legend_size=Size.SMALL),
            Field.textarea("subject_words", rows=3),
            Field.textarea("actions_taken", rows=3),
            Field.checkboxes("other_referrals", legend_size=Size.SMALL),
            *section_buttons(),
        )


# The sections with one ModelForm each (network and indicators have their own modules).
SECTION_FORMS = {
    "danger": DangerForm,
    "subject": SubjectForm,
    "consent": ConsentForm,
    "concern": ConcernForm,
    "referrer": ReferrerForm,
}
