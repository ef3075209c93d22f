"""The forms of the exports journey: a referral's PDF, and the month of a summary."""

import datetime as dt

from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.utils import timezone

from referrals import redaction
from referrals.exports import figures
from referrals.govuk import form_helper

SUMMARY_MONTHS_OFFERED = 24


class ExportForm(forms.Form):
    redact_referrer = forms.BooleanField(
        label="Withhold the referrer's identity",
        help_text="The PDF leaves out the referrer's name, role, organisation and contact "
        "details, for example when sharing it with a partner agency.",
        required=False,
    )

    # h21a: redacted sharing. Each third party (the people in the subject's network),
    # the "do not share with the family" text and the list of attached files.
    withhold_people = forms.MultipleChoiceField(
        label="Withhold these people (third parties)",
        help_text="The PDF says [redacted] in place of each person you choose.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the people to withhold from the list"},
    )
    withhold_consent = forms.BooleanField(
        label="Withhold what must not be shared with the family", required=False
    )
    withhold_attachments = forms.BooleanField(
        label="Withhold the list of attached files", required=False
    )

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = list(referral.people.all()) if referral is not None else []
        self.fields["withhold_people"].choices = [
            (str(p.pk), redaction.person_label(p)) for p in people
        ]
        fields = [Field.checkbox("redact_referrer", small=True)]
        if people:
            fields.append(Field.checkboxes("withhold_people", small=True))
        fields += [
            Field.checkbox("withhold_consent", small=True),
            Field.checkbox("withhold_attachments", small=True),
        ]
        self.helper = form_helper(*fields, Button("submit", "Export PDF"))

    def withheld(self) -> dict:
        """What the export withholds (Export.withheld), from a valid form."""
        data = self.cleaned_data
        return {
            "referrer": bool(data.get("redact_referrer")),
            "people": sorted(int(pk) for pk in data.get("withhold_people") or []),
            "consent": bool(data.get("withhold_consent")),
            "attachments": bool(data.get("withhold_attachments")),
        }


def _month_choices(today: dt.date) -> list[tuple[str, str]]:
    # The current month too: a manager may want the month so far.
    this_month = figures.month_start(today)
    months = [figures.add_months(this_month, -n) for n in range(SUMMARY_MONTHS_OFFERED)]
    return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]


class SummaryForm(forms.Form):
    month = forms.ChoiceField(
        label="Month",
        help_text="The summary covers referrals received in this calendar month.",
        error_messages={
            "required": "Choose the month to summarise",
            "invalid_choice": "Choose a month from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "Choose a month")] + _month_choices(
            timezone.localdate()
        )
        self.helper = form_helper(
            Field.select("month", label_size=Size.SMALL), Button("submit", "Produce summary")
        )

    def clean_month(self) -> dt.date:
        return figures.parse_month(self.cleaned_data["month"])
