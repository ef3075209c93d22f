"""The attachment form: one file at a time, its type read from its content (`filetype`),
with the warning about images of children and the field that records them instead."""

import filetype
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout
from django import forms
from django.conf import settings

from referrals.govuk import LONG_TEXT
from referrals.models import Attachment

_KINDS = {
    "application/pdf": Attachment.Kind.PDF,
    "image/png": Attachment.Kind.PNG,
    "image/jpeg": Attachment.Kind.JPEG,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        Attachment.Kind.DOCX
    ),
    "application/vnd.oasis.opendocument.text": Attachment.Kind.ODT,
}

WRONG_TYPE = "The selected file must be a PDF, PNG, JPEG, Word (docx), ODF (odt) or text file"
EMPTY = "The selected file is empty"
REQUIRED = "Select a file to attach, or record that indecent images exist"
DESCRIBE = "Describe the images you are recording, without attaching them"


def _too_big() -> str:
    return f"The selected file must be smaller than {settings.ATTACHMENT_MAX_BYTES // 2**20} MB"


def too_many() -> str:
    return f"A referral can have at most {settings.ATTACHMENT_MAX_PER_REFERRAL} files"


def kind_of(upload) -> str | None:
    """The attachment kind read from the file's content, or None if it is not allowed."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    if guess is not None:
        if guess.mime == "application/zip" or guess.extension == "zip":
            return None
        return _KINDS.get(guess.mime)
    # No magic number: plain text if it is UTF-8 with no NUL.
    data = upload.read()
    upload.seek(0)
    if b"\0" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return Attachment.Kind.TEXT


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="File to attach",
        required=False,
        error_messages={"empty": EMPTY, "invalid": EMPTY},
        help_text=(
            "PDF, PNG, JPEG, Word (docx), ODF (odt) or plain text, smaller than 10 MB. "
            "Nobody can open it until it has been checked for viruses."
        ),
    )
    indecent_imagery_exists = forms.BooleanField(
        label="Nude or semi-nude images of a child exist",
        required=False,
        help_text="Record that they exist instead of attaching them.",
    )
    indecent_imagery_description = forms.CharField(
        label="Describe the images (optional if none exist)",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Where they are and who holds them. Do not copy, forward or screenshot them.",
    )

    def __init__(self, *args, existing: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("file"),
            Field("indecent_imagery_exists"),
            Field.textarea("indecent_imagery_description"),
            Div(Button("attach", "Attach"), css_class="govuk-button-group"),
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            if "file" in self.files:
                raise forms.ValidationError(EMPTY)
            return None
        if upload.size == 0:
            raise forms.ValidationError(EMPTY)
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_too_big())
        if self.existing >= settings.ATTACHMENT_MAX_PER_REFERRAL:
            raise forms.ValidationError(too_many())
        kind = kind_of(upload)
        if kind is None:
            raise forms.ValidationError(WRONG_TYPE)
        self.cleaned_data["kind"] = kind
        return upload

    def clean(self):
        cleaned = super().clean()
        exists = cleaned.get("indecent_imagery_exists")
        description = (cleaned.get("indecent_imagery_description") or "").strip()
        cleaned["indecent_imagery_description"] = description
        if exists and not description:
            self.add_error("indecent_imagery_description", DESCRIBE)
        if not cleaned.get("file") and not exists and "file" not in self.errors:
            self.add_error("file", REQUIRED)
        return cleaned
