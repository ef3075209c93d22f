"""Forms of the referrer loop. Each carries a hidden `form_token` made when the form is
first shown: a second submission of the same form (a double click, a resent POST)
is recognised by the service and writes nothing more."""

import datetime as dt
import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout
from django import forms
from django.conf import settings
from django.utils import timezone

from referrals import timeliness
from referrals.govuk import LONG_TEXT, RealDateField

TOKEN_LOST = "The form could not be sent. Check what you wrote and send it again."


def _helper(*fields, button: tuple[str, str]) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        *fields, "form_token", Div(Button(*button), css_class="govuk-button-group")
    )
    return helper


def _text(label: str, hint: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {LONG_TEXT:,} characters or fewer",
            "null_characters_not_allowed": f"{label} cannot contain a null character",
        },
    )


class _TokenForm(forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())

    def _required_text(self, name: str, message: str) -> str:
        text = self.cleaned_data[name].strip()
        if not text:
            raise forms.ValidationError(message)
        return text

    def clean(self):
        cleaned = super().clean()
        if "form_token" in self.errors:
            # Tampered with or lost: a fresh token, and what was typed is kept.
            del self.errors["form_token"]
            self.data = self.data.copy()
            self.data["form_token"] = str(uuid.uuid4())
            raise forms.ValidationError(TOKEN_LOST)
        return cleaned


class QuestionForm(_TokenForm):
    QUESTION_REQUIRED = "Enter the question for the referrer"

    text = _text(
        "Question for the referrer",
        "What you need to know. The referrer reads it when they sign in; the email they "
        "get says only that there is a question.",
        QUESTION_REQUIRED,
    )
    due_on = RealDateField(
        label="Answer needed by (optional)",
        help_text="",
        required=False,
        require_all_fields=False,
        invalid_message="The date the answer is needed by must be a real date",
    )

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.default_due_at = timeliness.working_days_after(
            self.now, settings.REFERRER_QUESTION_DUE_WORKING_DAYS
        )
        default = timezone.localtime(self.default_due_at)
        self.fields["due_on"].help_text = (
            f"Leave blank for {default:%-d %B %Y}, {default:%H:%M}. The answer is due at "
            f"{default:%H:%M} on the day you give. The decision's own due time does not change."
        )
        self.helper = _helper(
            Field.textarea("text"), Field("due_on"), button=("ask_question", "Send the question")
        )

    def clean_text(self) -> str:
        return self._required_text("text", self.QUESTION_REQUIRED)

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("due_on")
        if day:
            due_at = timeliness.end_of_working_day(day)
            if due_at <= self.now:
                self.add_error("due_on", "The date the answer is needed by must be in the future")
            cleaned["due_at"] = due_at
        else:
            cleaned["due_at"] = self.default_due_at
        return cleaned


class AnswerForm(_TokenForm):
    ANSWER_REQUIRED = "Enter your answer"

    body = _text(
        "Your answer",
        "Say what you know, and how you know it. Your answer is added to the referral; "
        "what you sent before is kept as it was.",
        ANSWER_REQUIRED,
    )

    def __init__(self, *args, question_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if question_id is not None:
            # Several answer forms on one page: their fields need their own ids.
            self.auto_id = f"id_q{question_id}_%s"
        self.helper = _helper(Field.textarea("body"), button=("answer_question", "Send answer"))

    def clean_body(self) -> str:
        return self._required_text("body", self.ANSWER_REQUIRED)


class InformationForm(_TokenForm):
    BODY_REQUIRED = "Enter the information you want to add"

    body = _text(
        "Information to add",
        "For example, something you have seen or heard since you sent the referral. It is "
        "added to the referral with the date and your name; what you sent before is kept as "
        "it was.",
        BODY_REQUIRED,
    )

    def __init__(self, *args, reply: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if reply:
            self.fields["body"].label = "Your reply"
            self.fields["body"].help_text = "Your reply is added to the referral."
            self.fields["body"].error_messages["required"] = "Enter your reply"
            self.BODY_REQUIRED = "Enter your reply"
            self.auto_id = "id_reply_%s"
        button = ("send_reply", "Send reply") if reply else ("add_information", "Add information")
        self.helper = _helper(Field.textarea("body"), button=button)

    def clean_body(self) -> str:
        return self._required_text("body", self.BODY_REQUIRED)
