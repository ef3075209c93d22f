"""Forms of the referrer loop. Each carries a hidden `form_token` made when the form is
first shown: a second submission of the same form (a double click, a resent POST)
is recognised by the service and writes nothing more."""

import datetime as dt

from crispy_forms_gds.layout import Field
from django.conf import settings
from django.utils import timezone

from referrals import timeliness
from referrals.govuk import (
    RealDateField,
    TokenForm,
    long_text_field,
    token_form_helper,
)


class QuestionForm(TokenForm):
    QUESTION_REQUIRED = "Enter the question for the referrer"

    text = long_text_field(
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
        self.helper = token_form_helper(
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


class AnswerForm(TokenForm):
    ANSWER_REQUIRED = "Enter your answer"

    body = long_text_field(
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
        self.helper = token_form_helper(
            Field.textarea("body"), button=("answer_question", "Send answer")
        )

    def clean_body(self) -> str:
        return self._required_text("body", self.ANSWER_REQUIRED)


class InformationForm(TokenForm):
    BODY_REQUIRED = "Enter the information you want to add"

    body = long_text_field(
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
        self.helper = token_form_helper(Field.textarea("body"), button=button)

    def clean_body(self) -> str:
        return self._required_text("body", self.BODY_REQUIRED)
