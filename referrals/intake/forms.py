"""The referral form: one ModelForm per section, each declaring its fields.

Every form keeps what was typed when it is invalid (Django re-renders bound data) and
explains each problem next to its field and in the error summary."""

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    HTML,
    Button,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Fixed,
    Layout,
    Size,
)
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from indicators.models import Indicator
from referrals import normalise
from referrals.models import AnswerChoice, Person, Referral, SubjectType

YES_NO = [("yes", "Yes"), ("no", "No")]
LONG_TEXT = 10_000  # characters: generous for a concern, bounded against abuse
SEX_CHOICES = [
    ("Female", "Female"),
    ("Male", "Male"),
    ("Other", "Other"),
    ("Not known", "Not known"),
]
OTHER_REFERRALS = [
    ("police", "Police"),
    ("nrm", "National Referral Mechanism (NRM)"),
    ("adult_safeguarding", "Adult safeguarding"),
    ("early_help", "Early help"),
    ("other", "Another service"),
]


def _buttons() -> list:
    return [
        Button("continue", "Save and continue"),
        Button.secondary("later", "Save and come back later"),
    ]


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


def _date(label: str, hint: str = "", required: bool = False) -> DateInputField:
    field = DateInputField(label=label, help_text=hint, required=required, require_all_fields=False)
    field.error_messages["invalid"] = f"{label} must be a real date"
    return field


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class SectionForm(forms.ModelForm):
    """A section of the referral. `partial=True` ("save and come back later") keeps
    format checks but waives required answers, so nothing typed is lost."""

    required_when_complete: tuple[str, ...] = ()

    def __init__(self, *args, partial: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.partial = partial
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = LONG_TEXT
                field.validators.append(forms.fields.validators.MaxLengthValidator(LONG_TEXT))
            field.required = name in self.required_when_complete and not partial

    def require(self, cleaned: dict, name: str, message: str) -> None:
        if not self.partial and cleaned.get(name) in (None, "", []):
            self.add_error(name, message)


class DangerForm(SectionForm):
    immediate_danger = forms.ChoiceField(
        label="Is anyone in immediate danger right now?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if anyone is in immediate danger right now"},
    )
    police_called = forms.TypedChoiceField(
        label="Have the police been called?",
        choices=YES_NO,
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
        self.helper = _helper(
            HTML(
                '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" '
                'aria-hidden="true">!</span><strong class="govuk-warning-text__text">'
                '<span class="govuk-visually-hidden">Warning</span>'
                "If anyone is in immediate danger, call 999 now. Then come back and finish "
                "this referral.</strong></div>"
            ),
            ConditionalRadios(
                "immediate_danger",
                ConditionalQuestion(
                    "Yes",
                    HTML(
                        '<p class="govuk-body govuk-!-font-weight-bold">Call 999 now if you '
                        "have not already. The referral will be marked urgent.</p>"
                    ),
                    Field.radios("police_called", legend_size=Size.SMALL, inline=True),
                    Field.text("police_reference", field_width=Fixed.TWENTY),
                ),
                "No",
            ),
            *_buttons(),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("immediate_danger") == "yes" and cleaned.get("police_called") is None:
            self.require(cleaned, "police_called", "Select yes if the police have been called")
        return cleaned

    def save(self, commit=True):
        referral = super().save(commit=False)
        referral.is_urgent = referral.immediate_danger == "yes"
        if referral.immediate_danger != "yes":
            referral.police_called, referral.police_reference = None, ""
        if commit:
            referral.save()
        return referral


class SubjectForm(SectionForm):
    date_of_birth = _date("Date of birth", "For example, 27 3 2011. Leave blank if not known.")
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
            "sex",
            "ethnicity",
            "first_language",
            "interpreter_needed",
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
            "ethnicity": "Ethnicity",
            "first_language": "First language",
            "interpreter_needed": "Do they need an interpreter?",
            "disability": "Disability or special educational needs",
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
            "sex": forms.RadioSelect(choices=SEX_CHOICES),
            "interpreter_needed": forms.RadioSelect,
            "disability": _textarea(3),
            "current_whereabouts": _textarea(3),
            "services_involved": _textarea(3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].choices = SubjectType.choices
        self.fields["sex"] = forms.ChoiceField(
            label="Sex", choices=SEX_CHOICES, widget=forms.RadioSelect, required=not self.partial
        )
        self.fields["interpreter_needed"].choices = AnswerChoice.choices
        self.fields["approximate_age"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["approximate_age"].validators.append(_plausible_age)
        self.fields["subject_type"].error_messages["required"] = (
            "Select whether the referral is about a child or an adult at risk"
        )
        self.fields["sex"].error_messages["required"] = "Select their sex, or 'Not known'"
        self.helper = _helper(
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
            Field.radios("sex", legend_size=Size.SMALL, inline=True),
            Field.text("ethnicity", field_width=Fixed.TWENTY),
            Field.text("first_language", field_width=Fixed.TWENTY),
            Field.radios("interpreter_needed", legend_size=Size.SMALL, inline=True),
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
            *_buttons(),
        )

    def clean_postcode(self):
        try:
            return normalise.postcode(self.cleaned_data.get("postcode", ""))
        except normalise.InvalidValue as exc:
            raise ValidationError(str(exc)) from None

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
        if no_age and "date_of_birth" not in self.errors:
            self.require(
                cleaned,
                "approximate_age",
                "Enter their date of birth, or their approximate age if you do not know it",
            )
        return cleaned


def _plausible_age(value: int) -> None:
    if value is not None and not 0 <= value <= 120:
        raise ValidationError("Enter an age between 0 and 120")


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "role",
            "name",
            "nickname",
            "relationship",
            "parental_responsibility",
            "phone",
            "address",
            "postcode",
            "vehicle_registration",
            "notes",
        ]
        labels = {
            "role": "Their part in the concern",
            "name": "Name",
            "nickname": "Nicknames or street names",
            "relationship": "Relationship to the person referred",
            "parental_responsibility": "Do they have parental responsibility?",
            "phone": "Phone number",
            "address": "Address (first line)",
            "postcode": "Postcode",
            "vehicle_registration": "Vehicle registration",
            "notes": "Anything else about them",
        }
        widgets = {"notes": _textarea(2), "parental_responsibility": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parental_responsibility"].choices = AnswerChoice.choices
        self.fields["phone"].max_length = 40
        self.fields["phone"].widget.attrs.update({"input_type": "tel", "autocomplete": "off"})
        self.fields["notes"].max_length = LONG_TEXT
        self.fields["role"].error_messages["required"] = "Select their part in the concern"

    def clean_phone(self):
        try:
            return normalise.phone_e164(self.cleaned_data.get("phone", ""))
        except normalise.InvalidValue as exc:
            raise ValidationError(str(exc)) from None

    def clean_postcode(self):
        try:
            return normalise.postcode(self.cleaned_data.get("postcode", ""))
        except normalise.InvalidValue as exc:
            raise ValidationError(str(exc)) from None

    def clean_vehicle_registration(self):
        return normalise.vehicle_registration(self.cleaned_data.get("vehicle_registration", ""))


PeopleFormSet = forms.inlineformset_factory(
    Referral, Person, form=PersonForm, extra=1, can_delete=True, max_num=30, validate_max=True
)


class IndicatorsForm(forms.Form):
    """One Yes / No / Not known question per active indicator for the audience,
    with optional detail and date observed. At least one must be answered."""

    def __init__(
        self, *args, referral: Referral, indicators: list[Indicator], partial=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.referral, self.indicators, self.partial = referral, indicators, partial
        for indicator in indicators:
            self.fields[f"answer_{indicator.code}"] = forms.ChoiceField(
                label=indicator.wording,
                help_text=indicator.guidance,
                choices=AnswerChoice.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"detail_{indicator.code}"] = forms.CharField(
                label="What have you seen? (optional)",
                widget=_textarea(2),
                required=False,
                max_length=LONG_TEXT,
            )
            self.fields[f"observed_{indicator.code}"] = _date(
                "Date observed (optional)", "For example, 3 11 2026"
            )

        self.helper = _helper(*self._layout(), *_buttons())

    def _layout(self) -> list:
        """Grouped questions, inline Yes / No / Not known, detail behind a reveal."""
        items, group = [], None
        for ind in self.indicators:
            if ind.group != group:
                group = ind.group
                items.append(HTML(f'<h2 class="govuk-heading-m">{ind.get_group_display()}</h2>'))
            # Open the reveal when it holds something, so nothing typed is hidden.
            filled = self[f"detail_{ind.code}"].value() or any(
                self[f"observed_{ind.code}"].value() or []
            )
            items += [
                Field.radios(f"answer_{ind.code}", legend_size=Size.SMALL, inline=True),
                HTML(
                    f'<details class="govuk-details"{" open" if filled else ""}>'
                    '<summary class="govuk-details__summary">'
                    '<span class="govuk-details__summary-text">Add detail'
                    f'<span class="govuk-visually-hidden"> for: {escape(ind.wording)}</span>'
                    '</span></summary><div class="govuk-details__text">'
                ),
                Field.textarea(f"detail_{ind.code}", rows=2),
                Field(f"observed_{ind.code}"),
                HTML("</div></details>"),
            ]
        return items

    def clean(self):
        cleaned = super().clean()
        answered = [ind for ind in self.indicators if cleaned.get(f"answer_{ind.code}")]
        if not answered and not self.partial and self.indicators:
            self.add_error(
                f"answer_{self.indicators[0].code}", "Answer at least one of the warning signs"
            )
        today = timezone.localdate()
        for ind in self.indicators:
            observed = cleaned.get(f"observed_{ind.code}")
            if observed and observed > today:
                self.add_error(f"observed_{ind.code}", "Date observed must be today or in the past")
        return cleaned

    def answers(self) -> dict[str, tuple[str, str, dt.date | None]]:
        data = self.cleaned_data
        return {
            ind.code: (
                data[f"answer_{ind.code}"],
                data[f"detail_{ind.code}"],
                data[f"observed_{ind.code}"],
            )
            for ind in self.indicators
            if data.get(f"answer_{ind.code}")
        }


class ConsentForm(SectionForm):
    source_wants_anonymity = forms.TypedChoiceField(
        label="Does the person who told you about this want to stay anonymous?",
        help_text="Professionals making a referral are not anonymous; a member of the public "
        "who passed on the concern may ask to be",
        choices=[("yes", "Yes"), ("no", "No"), ("na", "Not applicable")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
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
            "no_consent_reason": _textarea(3),
            "not_to_share": _textarea(3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family_told"].choices = AnswerChoice.choices
        self.fields["consent_given"].choices = AnswerChoice.choices
        self.fields["family_told"].error_messages["required"] = (
            "Select whether you have told the parents, carers or the adult"
        )
        self.fields["consent_given"].error_messages["required"] = "Select whether they consented"
        if self.instance.source_wants_anonymity is not None and not self.is_bound:
            self.initial["source_wants_anonymity"] = (
                "yes" if self.instance.source_wants_anonymity else "no"
            )
        self.helper = _helper(
            Field.radios("family_told", legend_size=Size.SMALL),
            Field.radios("consent_given", legend_size=Size.SMALL),
            Field.textarea("no_consent_reason", rows=3),
            Field.textarea("not_to_share", rows=3),
            Field.radios("source_wants_anonymity", legend_size=Size.SMALL),
            *_buttons(),
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
        choices=OTHER_REFERRALS,
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
            "concern": _textarea(6),
            "concern_when_where": _textarea(3),
            "first_hand": forms.RadioSelect,
            "subject_words": _textarea(3),
            "actions_taken": _textarea(3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_hand"].choices = [
            ("first", "Yes, first-hand"),
            ("reported", "No, it was reported to me"),
        ]
        self.fields["concern"].error_messages["required"] = "Describe your concern"
        self.fields["first_hand"].error_messages["required"] = (
            "Select whether you saw or heard this yourself"
        )
        self.helper = _helper(
            Field.textarea("concern", rows=6),
            Field.textarea("concern_when_where", rows=3),
            Field.radios("first_hand", legend_size=Size.SMALL),
            Field.textarea("subject_words", rows=3),
            Field.textarea("actions_taken", rows=3),
            Field.checkboxes("other_referrals", legend_size=Size.SMALL),
            *_buttons(),
        )


class ReferrerForm(SectionForm):
    required_when_complete = (
        "referrer_name",
        "referrer_role",
        "referrer_organisation",
        "referrer_email",
    )

    class Meta:
        model = Referral
        fields = [
            "referrer_name",
            "referrer_role",
            "referrer_organisation",
            "referrer_phone",
            "referrer_email",
            "referrer_relationship",
        ]
        labels = {
            "referrer_name": "Your name",
            "referrer_role": "Your role",
            "referrer_organisation": "Your organisation",
            "referrer_phone": "Your work phone number",
            "referrer_email": "Your work email address",
            "referrer_relationship": "Your relationship to the person referred",
        }
        help_texts = {"referrer_relationship": "For example, their teacher or youth worker"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrer_phone"].widget.attrs.update(
            {"input_type": "tel", "autocomplete": "tel"}
        )
        self.fields["referrer_email"].widget.attrs.update({"autocomplete": "email"})
        for name, label in self._meta.labels.items():
            self.fields[name].error_messages["required"] = (
                f"Enter {label.lower().replace('your ', 'your ')}"
            )
        self.helper = _helper(
            Field.text("referrer_name"),
            Field.text("referrer_role"),
            Field.text("referrer_organisation"),
            Field.text("referrer_phone", field_width=Fixed.TWENTY),
            Field.text("referrer_email"),
            Field.text("referrer_relationship"),
            *_buttons(),
        )

    def clean_referrer_phone(self):
        try:
            e164 = normalise.phone_e164(self.cleaned_data.get("referrer_phone", ""))
        except normalise.InvalidValue as exc:
            raise ValidationError(str(exc)) from None
        return normalise.phone_display(e164)


SECTION_FORMS = {
    "danger": DangerForm,
    "subject": SubjectForm,
    "consent": ConsentForm,
    "concern": ConcernForm,
    "referrer": ReferrerForm,
}
