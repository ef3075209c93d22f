"""GOV.UK form pieces the journeys share: a date input that says "must be a real date",
and crispy layout objects that render a template with data passed as data.

Text a person wrote (a warning sign's wording, an organisation's name) never goes into
a string compiled as a template: crispy's HTML() compiles its string, so data in it
would be template code. These objects render files from templates/ with the data in
their context, where autoescaping applies."""

from crispy_forms.layout import Layout, LayoutObject
from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.template.loader import render_to_string

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
    so that nothing typed is hidden."""

    template = "gds/layout/reveal.html"

    def __init__(self, summary: str, *fields, label: str = "", open: bool = False):
        self.summary, self.label, self.open, self.fields = summary, label, open, list(fields)

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(
            self.template,
            {
                "summary": self.summary,
                "label": self.label,
                "open": self.open,
                "fields": self.get_rendered_fields(form, context, template_pack, **kwargs),
            },
        )
