from crispy_forms_gds.layout import Button, Field
from django import forms

from referrals import normalise
from referrals.govuk import RealDateField, form_helper


class SearchForm(forms.Form):
    """One box, plus optional fields that narrow or add to it. Each typed value is
    kept as typed on a validation error."""

    q = forms.CharField(label="Name or reference", required=False, max_length=200)
    date_of_birth = RealDateField(
        label="Date of birth",
        required=False,
        help_text="For example 17 5 2010",
        invalid_message="The date of birth must be a real date",
    )
    age_from = forms.IntegerField(label="Age from", required=False, min_value=0, max_value=120)
    age_to = forms.IntegerField(label="Age to", required=False, min_value=0, max_value=120)
    phone = forms.CharField(label="Phone number", required=False, max_length=40)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    vehicle = forms.CharField(label="Vehicle registration", required=False, max_length=12)
    handle = forms.CharField(
        label="Online handle", required=False, max_length=100, help_text="On any app or site"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            *(Field(name) for name in self.fields), Button("search", "Search")
        )
        self.helper.form_method = "get"

    def clean_phone(self) -> str:
        try:
            return normalise.phone_e164(self.cleaned_data["phone"])
        except normalise.InvalidValue as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_postcode(self) -> str:
        return "".join((self.cleaned_data["postcode"] or "").split()).upper()

    def clean_vehicle(self) -> str:
        return normalise.vehicle_registration(self.cleaned_data["vehicle"])

    def clean_handle(self) -> str:
        return normalise.handle(self.cleaned_data["handle"])

    def clean(self):
        data = super().clean()
        if not any(data.get(f) not in (None, "") for f in self.fields):
            raise forms.ValidationError("Enter a name, reference or another detail to search for")
        return data

    def terms(self) -> dict[str, str]:
        """What was searched for, as audited: the values, never more."""
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "")}


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="This is recorded, and the triage leads are told that the record was opened.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why you need to open this record"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("reason"), Button("open", "Open the record"))
