from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout, Size
from django import forms
from django.core.validators import RegexValidator

from indicators.models import Indicator


class IndicatorForm(forms.ModelForm):
    change_summary = forms.CharField(
        label="Why are you making this change?",
        help_text="Recorded with the new catalogue version",
        max_length=300,
        error_messages={"required": "Say why you are making this change"},
    )

    class Meta:
        model = Indicator
        fields = ["wording", "guidance", "audience", "group", "order", "active"]
        labels = {
            "wording": "Wording",
            "guidance": "Guidance for the referrer (optional)",
            "audience": "Who it applies to",
            "group": "Group",
            "order": "Position in its group",
            "active": "Ask this in new referrals",
        }
        help_texts = {"active": "Untick to retire it. Past referrals keep their answers."}
        widgets = {
            "audience": forms.RadioSelect,
            "group": forms.RadioSelect,
            "guidance": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wording"].error_messages["required"] = "Enter the wording"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("wording", rows=2),
            Field.textarea("guidance", rows=3),
            Field.radios("audience", legend_size=Size.SMALL),
            Field.radios("group", legend_size=Size.SMALL),
            Field.text("order", field_width=Fixed.TWO),
            Field.checkbox("active"),
            Field.text("change_summary"),
            Button("submit", "Publish a new version"),
        )


class NewIndicatorForm(IndicatorForm):
    code = forms.CharField(
        label="Code",
        help_text="A short, permanent identifier, for example cl-11",
        max_length=40,
        validators=[RegexValidator(r"^[a-z0-9-]+$", "Use lower-case letters, numbers and hyphens")],
    )

    def __init__(self, *args, existing_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_codes = set(existing_codes)
        self.helper.layout.fields.insert(0, Field.text("code", field_width=Fixed.TEN))

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in self.existing_codes:
            raise forms.ValidationError("An indicator with this code already exists")
        return code
