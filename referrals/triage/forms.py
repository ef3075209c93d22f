"""Forms for working a referral. Each declares its fields; anything else posted is ignored."""

import datetime as dt
import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, ConditionalQuestion, Div, Field, Fixed, Layout, Size
from django import forms
from django.utils import timezone

from accounts.models import Role, User
from referrals import codes, timeliness
from referrals.govuk import LONG_TEXT, ContainedConditionalRadios, RealDateField
from referrals.models import ContactOutcome, Rag, Referral, ScreeningReason
from referrals.models.choices import NEXT_STEPS

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")

# Unbound forms whose HTML depends on no user or referral (the queue's filters of about
# 200 options, the triage workers to assign to) are cached rendered, for this long: a
# new organisation, warning sign or triage worker reaches them within a minute.
FORM_CACHE_SECONDS = 60


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
    """The contact outcome with its rationale (issue 18): a referral to children's
    social care with its next step and CIN referral date, or why no screening was
    needed; and the census factors the contact indicates, suggested from the warning
    signs answered yes (the assessment decides them; the front door suggests)."""

    contact_outcome = forms.ChoiceField(
        label="Contact outcome",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the contact outcome",
            "invalid_choice": "Choose the contact outcome",
        },
    )
    next_step = forms.ChoiceField(
        label="Next step",
        choices=[(o.value, o.label) for o in NEXT_STEPS],
        widget=forms.RadioSelect,
        required=False,
    )
    cin_referral_date = RealDateField(
        label="Date of the referral to children's social care",
        help_text="Leave blank for today. For example, 27 3 2026",
        required=False,
        require_all_fields=False,
        invalid_message="The referral date must be a real date",
    )
    screening_reason = forms.ChoiceField(
        label="Why screening is not required",
        choices=ScreeningReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    duplicate_of = forms.CharField(
        label="Reference of the contact it duplicates",
        help_text="For example, CL-2026-000123",
        max_length=20,
        required=False,
    )
    factors = forms.MultipleChoiceField(
        label="Factors the contact indicates (optional)",
        help_text="The census's factors identified. Those the warning signs answered yes "
        "point to are ticked; untick any the contact does not indicate. 'No factors "
        "identified' cannot be combined with another factor.",
        choices=codes.choices(codes.FACTORS),
        widget=forms.CheckboxSelectMultiple,
        required=False,
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

    def __init__(self, *args, referral: Referral, suggested_factors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        allowed = referral.allowed_contact_outcomes()
        self.fields["contact_outcome"].choices = [(o.value, o.label) for o in allowed]
        self.fields["factors"].initial = list(suggested_factors)
        self.helper = _helper(
            ContainedConditionalRadios(
                "contact_outcome", *[self._choice(outcome) for outcome in allowed]
            ),
            Field.checkboxes("factors", legend_size=Size.SMALL, small=True),
            Field.textarea("rationale"),
            Field.textarea("message_to_referrer"),
            button=("decide", "Record decision"),
        )

    @staticmethod
    def _choice(outcome: ContactOutcome):
        """The fields each outcome reveals: a referral's next step and date, or the
        reason no screening was needed (and which contact, for a duplicate)."""
        if outcome == ContactOutcome.REFERRAL:
            return ConditionalQuestion(
                outcome.label,
                Field.radios("next_step", legend_size=Size.SMALL),
                Field("cin_referral_date"),
            )
        if outcome == ContactOutcome.SCREENING_NOT_REQUIRED:
            return ConditionalQuestion(
                outcome.label,
                Field.radios("screening_reason", legend_size=Size.SMALL),
                Field.text("duplicate_of", field_width=Fixed.TEN),
            )
        return outcome.label

    def clean_rationale(self) -> str:
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError("Give the reasons for the decision")
        return rationale

    def clean_factors(self) -> list[str]:
        chosen = self.cleaned_data.get("factors") or []
        error = codes.factors_error(chosen)
        if error:
            raise forms.ValidationError(error)
        return chosen

    def clean_cin_referral_date(self):
        day = self.cleaned_data.get("cin_referral_date")
        received = self.referral.submitted_at
        if day and day > timezone.localdate():
            raise forms.ValidationError("The referral date must be today or in the past")
        if day and received and day < timezone.localdate(received):
            raise forms.ValidationError("The referral date cannot be before the contact came in")
        return day

    def clean_duplicate_of(self) -> Referral | None:
        reference = self.cleaned_data.get("duplicate_of", "").strip().upper()
        if not reference:
            return None
        original = Referral.objects.submitted().filter(reference=reference).first()
        if original is None:
            raise forms.ValidationError(f"There is no contact with the reference {reference}")
        if original.pk == self.referral.pk:
            raise forms.ValidationError("A contact cannot be a duplicate of itself")
        return original

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("contact_outcome")
        # What another outcome reveals is not part of this decision: nothing there can
        # stop it (the browser hides those fields; without script they are all shown).
        ignored = {
            ContactOutcome.REFERRAL: ("screening_reason", "duplicate_of"),
            ContactOutcome.SCREENING_NOT_REQUIRED: ("next_step", "cin_referral_date"),
        }.get(outcome, ("next_step", "cin_referral_date", "screening_reason", "duplicate_of"))
        if outcome:
            for name in ignored:
                self.errors.pop(name, None)
        if outcome == ContactOutcome.REFERRAL:
            if not cleaned.get("next_step"):
                self.add_error("next_step", "Choose the next step for the referral")
            if not cleaned.get("cin_referral_date") and "cin_referral_date" not in self.errors:
                cleaned["cin_referral_date"] = timezone.localdate()
        else:
            cleaned["next_step"], cleaned["cin_referral_date"] = "", None
        if outcome == ContactOutcome.SCREENING_NOT_REQUIRED:
            reason = cleaned.get("screening_reason")
            if not reason:
                self.add_error("screening_reason", "Choose why screening is not required")
            duplicate = reason == ScreeningReason.DUPLICATE
            if duplicate and not cleaned.get("duplicate_of") and "duplicate_of" not in self.errors:
                self.add_error("duplicate_of", "Enter the reference of the contact it duplicates")
            if not duplicate:
                cleaned["duplicate_of"] = None
        else:
            cleaned["screening_reason"], cleaned["duplicate_of"] = "", None
        return cleaned


class RecordForm(forms.Form):
    """The contact's census source and its cross-references, kept by triage: the source
    derived at submission from the referring organisation's kind is corrected here,
    with the reason (audited, and shown on the referral page)."""

    source_code = forms.ChoiceField(
        label="Source of referral",
        choices=codes.choices(codes.SOURCE_OF_REFERRAL),
        error_messages={"required": "Choose the source of referral"},
    )
    source_code_reason = _text(
        "Why the source is corrected",
        "Needed when you change the source. For example, the referrer is the child's GP.",
    )
    police_crime_reference = forms.CharField(
        label="Police log or crime reference (optional)", max_length=60, required=False
    )
    nrm_reference = forms.CharField(
        label="National Referral Mechanism reference (optional)", max_length=60, required=False
    )
    other_council_case_id = forms.CharField(
        label="Other council's case ID (optional)", max_length=60, required=False
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "source_code": referral.source_code,
                "police_crime_reference": referral.police_crime_reference,
                "nrm_reference": referral.nrm_reference,
                "other_council_case_id": referral.other_council_case_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.helper = _helper(
            Field.select("source_code"),
            Field.textarea("source_code_reason"),
            Field.text("police_crime_reference", field_width=Fixed.TWENTY),
            Field.text("nrm_reference", field_width=Fixed.TWENTY),
            Field.text("other_council_case_id", field_width=Fixed.TWENTY),
            button=("save_record", "Save"),
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["source_code_reason"] = cleaned.get("source_code_reason", "").strip()
        for name in ("police_crime_reference", "nrm_reference", "other_council_case_id"):
            cleaned[name] = cleaned.get(name, "").strip()
        changed = cleaned.get("source_code") not in (None, self.referral.source_code)
        if changed and not cleaned["source_code_reason"]:
            self.add_error("source_code_reason", "Give the reason for correcting the source")
        return cleaned


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
