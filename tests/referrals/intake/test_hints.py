"""Hints are written for the practitioners who read them: a model's help text (notes
for developers, such as "E.164") never shows on the referral form (issue #14)."""

import pytest
from django.apps import apps
from django.urls import reverse

from referrals.intake.forms import PHONE_HINT, PersonForm
from referrals.intake.sections import SECTION_FORMS
from referrals.models import Referral
from tests.auth import sign_in
from tests.referral_journey import start_draft

pytestmark = pytest.mark.django_db


def _model_help_texts() -> set[str]:
    return {
        str(field.help_text)
        for model in apps.get_app_config("referrals").get_models()
        for field in model._meta.get_fields()
        if getattr(field, "help_text", "")
    }


def test_no_model_help_text_is_shown_as_a_hint_on_the_referral_form():
    forms = [form(instance=Referral()) for form in SECTION_FORMS.values()] + [PersonForm()]
    leaked = {
        (type(form).__name__, name, str(field.help_text))
        for form in forms
        for name, field in form.fields.items()
        if field.help_text and str(field.help_text) in _model_help_texts()
    }
    assert leaked == set()


def test_the_phone_number_hint_is_an_example_not_a_format_name(client, practitioner):
    sign_in(client, practitioner)
    draft = start_draft(client)
    page = client.get(reverse("referral_section", args=[draft.public_id, "network"]))
    html = page.content.decode()
    assert PHONE_HINT in html
    assert "E.164" not in html
