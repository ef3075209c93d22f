"""Forms for working a referral. Each declares its fields; anything else posted is ignored."""

import datetime as dt
import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size
from django import forms
from django.utils import timezone

from accounts.models import Role, User
from referrals import timeliness
from referrals.govuk import LONG_TEXT, RealDateField
from referrals.models import Rag, Referral

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _helper(*fields, button: tuple[str, str]) -> FormHelper:
    """The template writes the <form> and its CSRF token; the button's name is unique
    on the referral page, which also holds other panels' forms."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Div(Button(*button), css_class="govuk-button-group"))
    return helper


def _text(label: str, hint: str = "", required_message: str = "") -> forms.CharField:
    """A long answer; required when it has a message for leaving it blank."""
    return forms.CharField(
        label=label,
        help_text=hint,
        required=bool(required_message),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": required_message} if required_message else {},
    )


def triage_workers():
    return User.objects.active_with_role(Role.TRIAGE).order_by("full_name")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="Assign to",
        queryset=User.objects.none(),
        empty_label="Choose a triage worker",
        error_messages={"required": "Choose who to assign the referral to"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = triage_workers()
        self.fields["assignee"].label_from_instance = lambda user: user.full_name
        self.helper = _helper(Field.select("assignee"), button=("assign", "Assign"))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome", "invalid_choice": "Choose the outcome"},
    )
    rationale = _text(
        "Why you decided this",
        "What you weighed up, including the warning signs and any linked referrals.",
        required_message="Give the reasons for the decision",
    )
    message_to_referrer = _text(
        "Message to the referrer (optional)",
        "What the referrer may know about the outcome. They read it when they sign in; "
        "the email they get says only that there is an update.",
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o.value, o.label) for o in referral.allowed_outcomes()]
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("rationale"),
            Field.textarea("message_to_referrer"),
            button=("decide", "Record decision"),
        )

    def clean_rationale(self) -> str:
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError("Give the reasons for the decision")
        return rationale


class ReopenForm(forms.Form):
    reason = _text(
        "Why the decision is being reopened",
        "For example, new information from the referrer or the police.",
        required_message="Give the reason for reopening the decision",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason"), button=("reopen", "Reopen decision"))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for reopening the decision")
        return reason


class NoteForm(forms.Form):
    text = _text("Case note", required_message="Enter the case note")
    occurred_on = RealDateField(
        label="When it happened (optional)",
        help_text="Leave blank if it happened now. For example, 27 3 2026",
        required=False,
        require_all_fields=False,
        invalid_message="The date it happened must be a real date",
    )
    occurred_time = forms.CharField(
        label="Time it happened (optional)",
        help_text="Use the 24-hour clock, for example 14:30",
        required=False,
        max_length=5,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("text"),
            Field("occurred_on"),
            Field.text("occurred_time", field_width=5),
            button=("add_note", "Add case note"),
        )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Enter the case note")
        return text

    def clean_occurred_time(self) -> dt.time | None:
        raw = self.cleaned_data["occurred_time"].strip()
        if not raw:
            return None
        match = _TIME.match(raw)
        if not match:
            raise forms.ValidationError("Enter the time like 14:30")
        return dt.time(int(match.group(1)), int(match.group(2)))

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("occurred_on"), cleaned.get("occurred_time")
        if time and not day and "occurred_on" not in self.errors:
            self.add_error("occurred_on", "Enter the date it happened as well as the time")
        if day:
            at = timezone.make_aware(dt.datetime.combine(day, time or dt.time(0)))
            if at > timezone.now():
                self.add_error("occurred_on", "The date it happened must be today or in the past")
            cleaned["occurred_at"] = at
        return cleaned


class MessageForm(forms.Form):
    text = _text(
        "Message to the referrer",
        "What the referrer may know about the outcome. Do not include anything they "
        "are not entitled to know.",
        required_message="Enter the message",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("text"), button=("send_message", "Send message"))

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Enter the message")
        return text


class RateForm(forms.Form):
    """The RAG rating on the triage panel. A re-rating needs its reason as much as the
    first rating does; the clock stays the one from receipt."""

    rating = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose red, amber or green",
            "invalid_choice": "Choose red, amber or green",
        },
    )
    rationale = _text(
        "Why you chose this rating", required_message="Give the reasons for the rating"
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.fields["rating"].help_text = (
            " ".join(f"{r.label}: {timeliness.describe_rag_clock(r)}." for r in Rag)
            + " Each counts from when the referral was received."
        )
        if referral.rag_rating:
            self.fields["rating"].label = "Change the RAG rating"
            self.fields["rationale"].label = "Why you are changing the rating"
            self.fields["rationale"].error_messages["required"] = (
                "Give the reason for changing the rating"
            )
        self.helper = _helper(
            Field.radios("rating", legend_size=Size.SMALL, inline=True),
            Field.textarea("rationale"),
            button=("rate", "Save rating"),
        )

    def clean_rating(self) -> str:
        rating = self.cleaned_data["rating"]
        if rating == self.referral.rag_rating:
            raise forms.ValidationError(f"It is already rated {Rag(rating).label.lower()}")
        return rating

    def clean_rationale(self) -> str:
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError(self.fields["rationale"].error_messages["required"])
        return rationale
