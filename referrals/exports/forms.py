"""The forms of the exports journey: a referral's PDF, and the month of a summary."""

import datetime as dt

from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.utils import timezone

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.checkbox("redact_referrer", small=True), Button("submit", "Export PDF")
        )


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
