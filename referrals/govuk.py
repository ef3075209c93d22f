"""GOV.UK form pieces the journeys share: a date input that says "must be a real date",
and crispy layout objects that render a template with data passed as data.

Text a person wrote (a warning sign's wording, an organisation's name) never goes into
a string compiled as a template: crispy's HTML() compiles its string, so data in it
would be template code. These objects render files from templates/ with the data in
their context, where autoescaping applies."""

import uuid

from crispy_forms.layout import Layout, LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, ConditionalRadios, Div
from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

LONG_TEXT = 10_000  # characters: generous for a concern, bounded against abuse


def form_helper(*fields) -> FormHelper:
    """A crispy helper for a form whose <form> tag (and CSRF token) the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


class RealDateField(DateInputField):
    """A GOV.UK date input whose impossible dates (31 2 2026) get the field's own
    message instead of Python's "day is out of range for month"."""

    def __init__(self, *, invalid_message: str = "Enter a real date", **kwargs):
        super().__init__(**kwargs)
        self.error_messages["invalid"] = invalid_message

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class Snippet(LayoutObject):
    """A template from templates/, rendered with `data` (autoescaped), in a layout."""

    def __init__(self, template: str, **data):
        self.template, self.data, self.fields = template, data, []

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(self.template, {"form": form, **self.data})


class Reveal(LayoutObject):
    """GOV.UK details ("Add detail") around fields; `label` is read by screen readers
    after the summary, so that each reveal is told apart. Open when it holds an answer,
    so that nothing typed is hidden.

    With `question` (the field the detail is about), the question and its reveal share
    one form group, so the reveal sits with its own question and the next question's
    spacing starts after it (GOV.UK form group: one group per question)."""

    template = "gds/layout/reveal.html"

    def __init__(self, summary: str, *fields, label: str = "", open: bool = False, question=None):
        self.summary, self.label, self.open, self.fields = summary, label, open, list(fields)
        self.question = question

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        question = ""
        if self.question is not None:
            question = render_field(self.question, form, context, template_pack=template_pack)
        return render_to_string(
            self.template,
            {
                "question": question,
                "summary": self.summary,
                "label": self.label,
                "open": self.open,
                "fields": self.get_rendered_fields(form, context, template_pack, **kwargs),
            },
        )


class ContainedConditionalRadios(ConditionalRadios):
    """Radios that reveal fields under some answers, rendered in a context of their own:
    crispy-forms-gds's conditional questions write "field" and "choices" into the
    context they are given, which would reach the fields after them."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        with context.push():
            return super().render(form, context, template_pack, **kwargs)


class PageHeadingRadios(ConditionalRadios):
    """The page's one question, as GOV.UK asks a question on a page of its own: its
    legend is the page's <h1> ("legend as page heading"), so the heading and the
    question a screen reader announces are the same words. `intro` (a Snippet) is shown
    under the question, before the hint and the answers, inside the fieldset."""

    template = "gds/layout/page_heading_radios.html"

    def __init__(self, field: str, *choices, intro: LayoutObject | None = None):
        super().__init__(field, *choices)
        self.intro = intro

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        bound_field = form[self.field]
        # crispy-forms-gds's conditional questions write into the context they are given:
        # a context of their own keeps that from reaching the fields after this one.
        with context.push():
            # Markup from crispy-forms-gds's templates, where the data was autoescaped.
            choices = mark_safe(  # noqa: S308
                self.render_choices(bound_field, form, context, template_pack, **kwargs)
            )
            flat = context.flatten()
        intro = "" if self.intro is None else self.intro.render(form, context, template_pack)
        return render_to_string(
            self.template, {**flat, "field": bound_field, "choices": choices, "intro": intro}
        )


# --- Forms that a second submission must not repeat (the referrer loop, partners) ------

TOKEN_LOST = "The form could not be sent. Check what you wrote and send it again."


def token_form_helper(*fields, button: tuple[str, str]) -> FormHelper:
    """A form inside a page's own <form>: its fields, the hidden token, one button."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        *fields, "form_token", Div(Button(*button), css_class="govuk-button-group")
    )
    return helper


def long_text_field(label: str, hint: str, required_message: str) -> forms.CharField:
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


class TokenForm(forms.Form):
    """Carries a hidden `form_token` made when the form is first shown, so that the
    service recognises a second submission (a double click, a resent POST) and writes
    nothing more. A lost or tampered token gets a fresh one, and what was typed is kept."""

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
            del self.errors["form_token"]
            self.data = self.data.copy()
            self.data["form_token"] = str(uuid.uuid4())
            raise forms.ValidationError(TOKEN_LOST)
        return cleaned
