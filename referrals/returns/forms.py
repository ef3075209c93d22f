"""The return a manager asks for: which list, and the period it covers."""

import datetime as dt

from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.utils import timezone

from referrals.govuk import RealDateField, form_helper
from referrals.returns.lists import RETURN_CENSUS, RETURN_LIST_1, RETURN_LIST_3, TITLES

# Ofsted asks for List 1 over the six months before an inspection, List 3 over twelve;
# a census year is April to March. Longer periods are refused rather than left to time out.
LONGEST_PERIOD = dt.timedelta(days=366 * 2)


class ReturnForm(forms.Form):
    kind = forms.ChoiceField(
        label="Return",
        widget=forms.RadioSelect,
        choices=[(kind, TITLES[kind]) for kind in (RETURN_LIST_1, RETURN_LIST_3, RETURN_CENSUS)],
        error_messages={"required": "Choose the return", "invalid_choice": "Choose a return"},
    )
    start = RealDateField(
        label="From",
        help_text="For example, 1 4 2026",
        invalid_message="The first day must be a real date",
    )
    end = RealDateField(
        label="To",
        help_text="The last day the return covers, for example 31 3 2027",
        invalid_message="The last day must be a real date",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].error_messages["required"] = "Enter the first day of the period"
        self.fields["end"].error_messages["required"] = "Enter the last day of the period"
        self.helper = form_helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field("start"),
            Field("end"),
            Button("submit", "Check the return"),
        )
        self.helper.form_method = "get"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The last day must be on or after the first day")
            elif end - start > LONGEST_PERIOD:
                self.add_error("end", "A return covers at most two years")
            elif start > timezone.localdate():
                self.add_error("start", "The first day must be today or in the past")
        return data
