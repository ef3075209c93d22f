"""Forms of the partner journey. Each carries a hidden `form_token` (as the referrer
loop's forms do): a second submission of the same form writes nothing more."""

import datetime as dt
import re

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from accounts.models import Organisation
from referrals import timeliness
from referrals.govuk import (
    LONG_TEXT,
    RealDateField,
    TokenForm,
    long_text_field,
    token_form_helper,
)
from referrals.models import Disclosure, LawfulBasis, Referral, SharedField
from referrals.partners.services import default_due_at, partner_organisations
from referrals.sharing import DEFAULT_LAWFUL_BASIS

TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
BASES = [(v, label) for v, label in LawfulBasis.choices if v != LawfulBasis.NOT_APPLICABLE]


class _Agency(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class InformationRequestForm(TokenForm):
    QUESTION_REQUIRED = "Enter what you are asking the agency"

    organisation = _Agency(
        label="Agency",
        queryset=Organisation.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency to ask"},
    )
    question = long_text_field(
        "What you are asking",
        "For example: is the young person known to you, and is there anything we should "
        "know? The agency reads it when they sign in; their email says only that there is "
        "a request.",
        QUESTION_REQUIRED,
    )
    shared_fields = forms.MultipleChoiceField(
        label="What to share with the agency",
        help_text="Share only what the agency needs to find their records. The referrer's "
        "identity is not shared unless you choose it.",
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing", choices=BASES, initial=DEFAULT_LAWFUL_BASIS
    )
    due_on = RealDateField(
        label="Answer needed by",
        help_text="",
        require_all_fields=False,
        invalid_message="The date the answer is needed by must be a real date",
    )
    due_time = forms.CharField(
        label="Time",
        help_text="24-hour clock, for example 14:30",
        max_length=5,
        error_messages={"required": "Enter the time the answer is needed by"},
    )
    # The prefilled due time: left as it was, the chosen agency's own clock applies.
    prefilled_due = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, referral: Referral, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral, self.now = referral, now or timezone.now()
        self.fields["organisation"].queryset = partner_organisations()
        self.fields["due_on"].error_messages["required"] = "Enter the date the answer is needed by"
        self.fields["shared_fields"].initial = [SharedField.NAME, SharedField.DATE_OF_BIRTH]
        default = timezone.localtime(default_due_at(referral, None, self.now))
        stamp = f"{default:%Y-%m-%d %H:%M}"
        if not self.is_bound:
            self.initial.update(
                {"due_on": default.date(), "due_time": f"{default:%H:%M}", "prefilled_due": stamp}
            )
        rating = referral.get_rag_rating_display().lower() or "not yet rated (treated as amber)"
        self.fields["due_on"].help_text = (
            f"Prefilled from the referral's rating ({rating}). If you leave it as it is, the "
            "chosen agency's own time for that rating applies."
        )
        self.helper = token_form_helper(
            Field("organisation"),
            Field.textarea("question"),
            Field.checkboxes("shared_fields"),
            Field("lawful_basis"),
            Field("due_on"),
            Field.text("due_time", field_width=5),
            "prefilled_due",
            button=("send_partner_request", "Send the request"),
        )

    def clean_question(self) -> str:
        return self._required_text("question", self.QUESTION_REQUIRED)

    def clean_due_time(self) -> tuple[int, int]:
        match = TIME.match(self.cleaned_data["due_time"].strip())
        if match is None:
            raise forms.ValidationError("Enter the time as hours and minutes, like 14:30")
        return int(match.group(1)), int(match.group(2))

    def clean(self):
        cleaned = super().clean()
        day, time, agency = (
            cleaned.get("due_on"),
            cleaned.get("due_time"),
            cleaned.get("organisation"),
        )
        if day and time:
            local = dt.datetime.combine(day, dt.time(*time), tzinfo=timeliness.LONDON)
            if f"{local:%Y-%m-%d %H:%M}" == cleaned.get("prefilled_due") and agency:
                cleaned["due_at"] = default_due_at(self.referral, agency.kind, self.now)
            else:
                cleaned["due_at"] = local.astimezone(dt.UTC)
            if cleaned["due_at"] <= self.now:
                self.add_error("due_on", "The date the answer is needed by must be in the future")
        return cleaned


class PartnerAnswerForm(TokenForm):
    ANSWER_REQUIRED = "Enter what your agency knows, or tick \u201cnothing known\u201d"

    answer = forms.CharField(
        label="What your agency knows",
        help_text="Say what you know and how you know it. Your answer goes to the front door.",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    nothing_known = forms.BooleanField(label="Nothing known to our agency", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = token_form_helper(
            Field.textarea("answer"),
            Field.checkbox("nothing_known"),
            button=("answer_partner_request", "Send the answer"),
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["answer"] = (cleaned.get("answer") or "").strip()
        if (
            not cleaned["answer"]
            and not cleaned.get("nothing_known")
            and "answer" not in self.errors
        ):
            self.add_error("answer", self.ANSWER_REQUIRED)
        return cleaned


class SharingRefusalForm(TokenForm):
    REASON_REQUIRED = "Enter why the information is not being shared"

    kind = forms.ChoiceField(
        label="What was asked for or considered",
        choices=Disclosure.Kind.choices,
        initial=Disclosure.Kind.INFORMATION_REQUEST,
    )
    organisation = _Agency(
        label="Agency (if it is one in the portal)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not an agency in the portal",
    )
    recipient_name = forms.CharField(
        label="Or who it would have gone to", max_length=200, required=False
    )
    what = forms.MultipleChoiceField(
        label="What was not shared",
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = long_text_field(
        "Why it is not being shared",
        "Working Together 2023 and the DfE's information-sharing advice expect the reason "
        "to be written down.",
        REASON_REQUIRED,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.helper = token_form_helper(
            Field("kind"),
            Field("organisation"),
            Field.text("recipient_name"),
            Field.checkboxes("what"),
            Field.textarea("reason"),
            button=("record_not_shared", "Record the decision not to share"),
        )

    def clean_reason(self) -> str:
        return self._required_text("reason", self.REASON_REQUIRED)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not (cleaned.get("recipient_name") or "").strip():
            self.add_error("recipient_name", "Choose the agency or say who it would have gone to")
        return cleaned
