"""Phone numbers as practitioners type them: kept whole (no digit cut off by the browser
or lost in normalising), stored as E.164, and shown with their country code unless they
are UK numbers (issue #14)."""

import pytest
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from indicators.models import CatalogueVersion
from referrals.exports.documents import referral_pdf_html
from referrals.intake.forms import IndicatorsForm, PersonForm
from referrals.intake.sections import SECTION_FORMS
from referrals.models import Referral
from tests.auth import sign_in
from tests.factories.exports import an_export
from tests.referral_journey import VALID, complete_all_sections, post_section, start_draft

pytestmark = pytest.mark.django_db

# (as typed, E.164, as shown): UK numbers nationally, every other internationally.
NUMBERS = [
    ("0044 (0) 7700 900 123", "+447700900123", "07700 900123"),
    ("+33 6 12 34 56 78", "+33612345678", "+33 6 12 34 56 78"),
    ("0033 (0)6 12 34 56 78", "+33612345678", "+33 6 12 34 56 78"),
    ("+48 512 345 678", "+48512345678", "+48 512 345 678"),
    ("+47 412 34 567", "+4741234567", "+47 41 23 45 67"),
    ("+353 (0)85 123 4567", "+353851234567", "+353 85 123 4567"),
    ("+1 202 555 0143", "+12025550143", "+1 202-555-0143"),
    ("+91 98765 43210", "+919876543210", "+91 98765 43210"),
]


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in(client, practitioner)


def _every_form():
    forms = {name: form(instance=Referral()) for name, form in SECTION_FORMS.items()}
    forms["network"] = PersonForm()
    indicators = list(CatalogueVersion.objects.current().indicators.filter(active=True))
    forms["indicators"] = IndicatorsForm(referral=Referral(), indicators=indicators)
    return forms


def _fields(form):
    for name, field in form.fields.items():
        yield name, field, field.widget
        for n, (part, widget) in enumerate(
            zip(getattr(field, "fields", ()), getattr(field.widget, "widgets", ()), strict=False)
        ):
            yield f"{name}_{n}", part, widget


def test_no_field_s_box_holds_fewer_characters_than_its_form_accepts():
    for section, form in _every_form().items():
        for name, field, widget in _fields(form):
            limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
            accepted = min(limits, default=None)
            assert accepted == getattr(field, "max_length", None), (section, name)
            box = widget.attrs.get("maxlength")
            assert box is None or int(box) >= (accepted or 0), (section, name, box, accepted)


def test_the_phone_box_takes_a_number_written_with_a_dialling_prefix_and_trunk_zero(signed_in):
    draft = start_draft(signed_in)
    page = signed_in.get(reverse("referral_section", args=[draft.public_id, "network"]))
    assert 'maxlength="40"' in page.content.decode()
    typed = "0044 (0) 7700 900 123"
    assert len(typed) == 21
    response = post_section(
        signed_in, draft, "network", {**VALID["network"], "people-0-phone": typed}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert draft.people.get().phone == "+447700900123"


@pytest.mark.parametrize("typed", ["+1 1 202 555 0143", "+7 8 912 345 6789"])
def test_a_number_that_would_lose_digits_is_refused_with_a_message(signed_in, typed):
    draft = start_draft(signed_in)
    response = post_section(
        signed_in, draft, "network", {**VALID["network"], "people-0-phone": typed}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the phone number with every digit" in page
    assert f'value="{typed}"' in page
    assert not draft.people.exists()


@pytest.mark.parametrize(("typed", "e164", "shown"), NUMBERS)
def test_numbers_from_every_country_are_stored_as_e164_and_shown_with_their_country_code(
    signed_in, triager, typed, e164, shown
):
    draft = start_draft(signed_in)
    complete_all_sections(
        signed_in,
        draft,
        network={"people-0-phone": typed},
        referrer={"referrer_phone": typed},
    )
    draft.refresh_from_db()
    assert draft.referrer_phone == e164
    assert draft.people.get().phone == e164
    check = signed_in.get(reverse("referral_check", args=[draft.public_id])).content.decode()
    assert check.count(shown) == 2, shown
    again = signed_in.get(reverse("referral_section", args=[draft.public_id, "referrer"]))
    assert f'value="{shown}"' in again.content.decode()
    signed_in.post(reverse("referral_check", args=[draft.public_id]))
    draft.refresh_from_db()
    pdf_html = referral_pdf_html(an_export(draft, triager))
    assert pdf_html.count(shown) >= 2, shown
