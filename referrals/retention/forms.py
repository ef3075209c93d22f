"""Forms of the retention pages: choosing a batch from the due list, placing and lifting
a legal hold. Bad input gets a message on the form and loses nothing typed."""

import re

from crispy_forms_gds.layout import Field
from django import forms

from referrals.govuk import form_helper
from referrals.models import Referral

REFERENCE = re.compile(r"CL-\d{4}-\d{6}", re.IGNORECASE)


class BatchForm(forms.Form):
    """The due records chosen for a dry run (by reference)."""

    references = forms.MultipleChoiceField(
        label="Records to destroy",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one record for the dry run",
            "invalid_choice": "Choose only records on the due list that are not held",
        },
    )

    def __init__(self, *args, references: list[str], max_batch: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_batch = max_batch
        self.fields["references"].choices = [(r, r) for r in references]
        self.helper = form_helper(Field.checkboxes("references", small=True))

    def clean_references(self) -> list[str]:
        chosen = self.cleaned_data["references"]
        if len(chosen) > self.max_batch:
            raise forms.ValidationError(f"Choose at most {self.max_batch} records for one batch")
        return chosen


class HoldForm(forms.Form):
    everything = forms.BooleanField(
        label="Hold every record (a global hold)",
        required=False,
        help_text="Nothing is destroyed while a global hold is in place.",
    )
    references = forms.CharField(
        label="References of the records to hold",
        help_text="For example CL-2020-000123, separated by commas or spaces",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label="Reason for the hold",
        help_text="For example the inquiry or the claim it is for",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the legal hold"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.checkbox("everything"), Field.textarea("references"), Field.textarea("reason")
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for the legal hold")
        return reason

    def clean(self):
        data = super().clean()
        raw = data.get("references", "")
        wanted = [m.upper() for m in REFERENCE.findall(raw)]
        leftover = REFERENCE.sub("", raw).replace(",", " ").split()
        if data.get("everything"):
            data["referrals"] = []
            return data
        if leftover:
            self.add_error(
                "references",
                f"References look like CL-2020-000123: check {', '.join(leftover[:3])}",
            )
        elif not wanted:
            self.add_error(
                "references", "Enter the references of the records to hold, or hold every record"
            )
        else:
            found = {r.reference: r for r in Referral.objects.filter(reference__in=wanted)}
            missing = [r for r in wanted if r not in found]
            if missing:
                self.add_error("references", f"No record has the reference {missing[0]}")
            data["referrals"] = [found[r] for r in dict.fromkeys(wanted) if r in found]
        return data


class LiftForm(forms.Form):
    reason = forms.CharField(
        label="Why is the hold lifted?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the legal hold is lifted"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason"))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the legal hold is lifted")
        return reason
