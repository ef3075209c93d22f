"""The referral form's building blocks: the section form base, the people formset and
the warning-signs form, and "About you". The other sections are in `sections.py`.

Every form keeps what was typed when it is invalid (Django re-renders bound data) and
explains each problem next to its field and in the error summary."""

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    Button,
    Div,
    Field,
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
from referrals.govuk import LONG_TEXT, RealDateField, Reveal, Snippet
from referrals.models import (
    AnswerChoice,
    Person,
    Referral,
)

# Room for a number as people write it, with spaces, brackets and a dialling prefix
# ('0044 (0) 7700 900 123' is 21 characters); it is stored as E.164 (at most 16).
PHONE_LENGTH = 40
PHONE_HINT = "For example, 07700 900123, or +33 6 12 34 56 78 for a number outside the UK"


def phone_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=PHONE_HINT,
        max_length=PHONE_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"input_type": "tel"}),
    )


def section_buttons() -> list:
    """Side by side and aligned, stacked on a phone (GOV.UK button group)."""
    return [
        Div(
            Button("continue", "Save and continue"),
            Button.secondary("later", "Save and come back later"),
            css_class="govuk-button-group",
        )
    ]


def section_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


def date_field(label: str, hint: str = "", required: bool = False) -> RealDateField:
    return RealDateField(
        label=label,
        help_text=hint,
        required=required,
        require_all_fields=False,
        invalid_message=f"{label} must be a real date",
    )


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def plausible_age(value: int) -> None:
    if value is not None and not 0 <= value <= 120:
        raise ValidationError("Enter an age between 0 and 120")


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


class ReferrerForm(SectionForm):
    referrer_phone = phone_field("Your work phone number")
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
        self.fields["referrer_phone"].widget.attrs.update({"autocomplete": "tel"})
        if not self.is_bound:
            self.initial["referrer_phone"] = normalise.phone_display(self.instance.referrer_phone)
        self.fields["referrer_email"].widget.attrs.update({"autocomplete": "email"})
        # WCAG 1.3.5: the browser can fill in the referrer's own details.
        for name, token in (
            ("referrer_name", "name"),
            ("referrer_role", "organization-title"),
            ("referrer_organisation", "organization"),
        ):
            self.fields[name].widget.attrs["autocomplete"] = token
        for name, label in self._meta.labels.items():
            self.fields[name].error_messages["required"] = (
                f"Enter {label.lower().replace('your ', 'your ')}"
            )
        self.helper = section_helper(
            Field.text("referrer_name"),
            Field.text("referrer_role"),
            Field.text("referrer_organisation"),
            Field.text("referrer_phone", field_width=Fixed.TWENTY),
            Field.text("referrer_email"),
            Field.text("referrer_relationship"),
            *section_buttons(),
        )

    def clean_referrer_phone(self):
        try:
            e164 = normalise.phone_e164(self.cleaned_data.get("referrer_phone", ""))
        except normalise.InvalidValue as exc:
            raise ValidationError(str(exc)) from None
        return e164


class PersonForm(forms.ModelForm):
    phone = phone_field("Phone number")

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
            "handle_platform",
            "handle",
            "notes",
        ]
        labels = {
            "role": "Their part in the concern",
            "name": "Name",
            "nickname": "Nicknames or street names",
            "relationship": "Relationship to the person referred",
            "parental_responsibility": "Do they have parental responsibility?",
            "address": "Address (first line)",
            "postcode": "Postcode",
            "vehicle_registration": "Vehicle registration",
            "handle_platform": "Online account: which app or site",
            "handle": "Online account: username or handle",
            "notes": "Anything else about them",
        }
        widgets = {"notes": textarea(2), "parental_responsibility": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parental_responsibility"].choices = AnswerChoice.choices
        self.fields["phone"].widget.attrs.update({"autocomplete": "off"})
        if not self.is_bound:
            self.initial["phone"] = normalise.phone_display(self.instance.phone)
        self.fields["notes"].max_length = LONG_TEXT
        self.fields["notes"].validators.append(
            forms.fields.validators.MaxLengthValidator(LONG_TEXT)
        )
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

    def clean_handle(self):
        return normalise.handle(self.cleaned_data.get("handle", ""))


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
            # crispy-forms-gds prints labels and hints as markup: the catalogue's
            # wording is escaped here, so that it shows as typed.
            self.fields[f"answer_{indicator.code}"] = forms.ChoiceField(
                label=escape(indicator.wording),
                help_text=escape(indicator.guidance),
                choices=AnswerChoice.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"detail_{indicator.code}"] = forms.CharField(
                label="What have you seen? (optional)",
                widget=textarea(2),
                required=False,
                max_length=LONG_TEXT,
            )
            self.fields[f"observed_{indicator.code}"] = date_field(
                "Date observed (optional)", "For example, 3 11 2026"
            )

        self.helper = section_helper(*self._layout(), *section_buttons())

    def _layout(self) -> list:
        """Grouped questions, inline Yes / No / Not known, detail behind a reveal."""
        items, group = [], None
        for ind in self.indicators:
            if ind.group != group:
                group = ind.group
                items.append(
                    Snippet(
                        "referrals/intake/snippets/group_heading.html",
                        heading=ind.get_group_display(),
                    )
                )
            filled = self[f"detail_{ind.code}"].value() or any(
                self[f"observed_{ind.code}"].value() or []
            )
            items.append(
                Reveal(
                    "Add detail",
                    Field.textarea(f"detail_{ind.code}", rows=2),
                    Field(f"observed_{ind.code}"),
                    label=ind.wording,
                    open=bool(filled),
                    question=Field.radios(
                        f"answer_{ind.code}", legend_size=Size.SMALL, inline=True
                    ),
                )
            )
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
