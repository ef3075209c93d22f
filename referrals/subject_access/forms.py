"""The forms of subject access: record a request, extend its deadline, review the
redactions and release the bundle."""

from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.utils import timezone

from referrals import person_records
from referrals.govuk import LONG_TEXT, RealDateField, form_helper
from referrals.models import LawfulBasis, PersonRecord, Referral, SubjectAccessRequest

SUBJECT_REQUIRED = "Enter the person record number or the referral reference"


class RequestForm(forms.Form):
    person_record = forms.CharField(
        label="Person record number",
        help_text="From the person record's page, for example 12. Leave blank to give a "
        "referral reference instead.",
        required=False,
        max_length=20,
    )
    reference = forms.CharField(
        label="Or a referral reference",
        help_text="For example CL-2026-000123: the bundle covers every referral about "
        "that referral's subject.",
        required=False,
        max_length=20,
    )
    requester = forms.ChoiceField(
        label="Who made the request",
        choices=SubjectAccessRequest.Requester.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who made the request"},
    )
    requester_name = forms.CharField(
        label="Requester's name",
        help_text="Only what you need to reply. Keep proof of identity outside the portal.",
        max_length=200,
        error_messages={
            "required": "Enter the requester's name",
            "max_length": "The requester's name must be 200 characters or fewer",
        },
    )
    received_on = RealDateField(
        label="Date the request was received",
        help_text="The one-month deadline runs from this date.",
        invalid_message="The date the request was received must be a real date",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].error_messages["required"] = (
            "Enter the date the request was received"
        )
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
        self.helper = form_helper(
            Field.text("person_record", field_width=10),
            Field.text("reference", field_width=10),
            Field.radios("requester", legend_size=Size.SMALL),
            Field.text("requester_name"),
            Field("received_on"),
            Button("submit", "Record the request"),
        )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                "The date the request was received must be today or earlier"
            )
        return day

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("person_record") or "").strip()
        reference = (cleaned.get("reference") or "").strip().upper()
        cleaned["record"] = cleaned["referral"] = None
        if number:
            record = (
                PersonRecord.objects.filter(pk=int(number)).first() if number.isdigit() else None
            )
            if record is None:
                self.add_error("person_record", "There is no person record with that number")
            else:
                cleaned["record"] = person_records.live(record)
        elif reference:
            referral = Referral.objects.submitted().filter(reference=reference).first()
            if referral is None:
                self.add_error("reference", "There is no submitted referral with that reference")
            else:
                cleaned["referral"] = referral
                cleaned["record"] = person_records.record_of(referral)
        else:
            self.add_error("person_record", SUBJECT_REQUIRED)
        return cleaned


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label="Why the request needs two more months",
        help_text="Art. 12(3) UK GDPR: only for a complex request or many requests from "
        "the person. Tell them, with this reason, within the first month.",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the request needs two more months"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("reason"), Button("submit", "Extend by two months")
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the request needs two more months")
        return reason


class ReviewForm(forms.Form):
    """One checkbox per proposed redaction: ticked means release (un-redact) it."""

    unredact = forms.MultipleChoiceField(
        label="Release these (they will not be redacted)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the redactions listed"},
    )

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unredact"].choices = [(p.key, p.key) for p in proposals]


class ReleaseForm(forms.Form):
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for the disclosure",
        choices=[
            (LawfulBasis.SUBJECT_ACCESS, LawfulBasis.SUBJECT_ACCESS.label),
            (LawfulBasis.LEGAL_OBLIGATION, LawfulBasis.LEGAL_OBLIGATION.label),
        ],
        initial=LawfulBasis.SUBJECT_ACCESS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis"},
    )
    reviewed = forms.BooleanField(
        label="I have reviewed every redaction in this bundle",
        error_messages={"required": "Confirm that you have reviewed every redaction"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("lawful_basis", legend_size=Size.SMALL),
            Field.checkbox("reviewed", small=True),
            Button("submit", "Release the bundle"),
        )
