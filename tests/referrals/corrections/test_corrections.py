"""Corrections are addenda (issue 18): triage corrects a submitted contact's details or
a decision through a form with a reason; the page shows the corrected value, and the
original stays visible in the chronology, the corrections table and the PDF."""

import datetime as dt

import pytest
from django.db import InternalError, ProgrammingError, transaction
from django.urls import reverse

from referrals.models import AuditEvent, Correction, Export, LinkKey, Referral
from referrals.models.exports import ExportState
from referrals.triage import services as triage
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.exports import downloaded_bytes, flat, pdf_text
from tests.services import require_postgres

ORIGINAL = {
    "first_name": "Zoë",
    "last_name": "Testperson",
    "date_of_birth": dt.date(2011, 4, 3),
    "sex": "Female",
    "address_line_1": "12 Imaginary Road",
    "town": "Testtown",
    "postcode": "LS1 4AP",
}
REASON = "The school confirmed the spelling and the date of birth on the phone."


def _form(referral, **changes) -> dict:
    """The contact form as the page prefills it, with `changes` typed over it."""
    data = {
        "first_name": referral.first_name,
        "last_name": referral.last_name,
        "known_as": referral.known_as,
        "approximate_age": referral.approximate_age or "",
        "sex": referral.sex,
        "ethnicity": referral.ethnicity,
        "first_language": referral.first_language,
        "address_line_1": referral.address_line_1,
        "address_line_2": referral.address_line_2,
        "town": referral.town,
        "postcode": referral.postcode,
        "school_or_placement": referral.school_or_placement,
        "reason": REASON,
    }
    born = referral.date_of_birth
    if born:
        data.update({"date_of_birth_0": born.day, "date_of_birth_1": born.month})
        data["date_of_birth_2"] = born.year
    data.update(changes)
    return data


def _correct(client, referral, **changes):
    url = reverse("referral_correct_contact", args=[referral.reference])
    return client.post(url, _form(referral, **changes))


@pytest.mark.django_db
def test_a_corrected_name_and_date_of_birth_show_and_the_originals_stay_in_the_chronology(
    client, triager
):
    referral = submitted_referral(**ORIGINAL)
    sign_in(client, triager)
    form = client.get(reverse("referral_correct_contact", args=[referral.reference]))
    assert 'value="Zoë"' in form.content.decode()
    response = _correct(client, referral, first_name="Zoey", date_of_birth_0="4", postcode="ls14ap")
    assert response.status_code == 302

    referral.refresh_from_db()
    assert referral.first_name == "Zoey" and referral.date_of_birth == dt.date(2011, 4, 4)
    rows = Correction.objects.filter(referral=referral).order_by("field")
    assert [(c.field, c.previous_value, c.corrected_value) for c in rows] == [
        ("date_of_birth", "2011-04-03", "2011-04-04"),
        ("first_name", "Zoë", "Zoey"),
    ]  # the postcode was only typed another way: no correction
    assert {c.reason for c in rows} == {REASON} and {c.author for c in rows} == {triager}

    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Zoey Testperson" in page and "4 April 2011" in page
    assert "First name: Zoë → Zoey" in page
    assert "Date of birth: 3 April 2011 → 4 April 2011" in page
    assert REASON in page
    audit = AuditEvent.objects.get(action="referral.corrected")
    assert audit.actor == triager and audit.detail == {
        "target": "contact",
        "fields": ["first_name", "date_of_birth"],
    }


@pytest.mark.django_db
def test_a_correction_needs_a_reason_and_a_change_and_keeps_what_was_typed(client, triager):
    referral = submitted_referral(**ORIGINAL)
    sign_in(client, triager)
    page = _correct(client, referral, first_name="Zoey", reason=" ").content.decode()
    assert "Give the reason for the correction" in page and 'value="Zoey"' in page
    page = _correct(client, referral).content.decode()
    assert "Nothing has been changed" in page
    page = _correct(client, referral, postcode="LS1").content.decode()
    assert "Enter a full UK postcode" in page
    page = _correct(client, referral, date_of_birth_2="2099").content.decode()
    assert "Date of birth must be today or in the past" in page
    assert not Correction.objects.exists()
    referral.refresh_from_db()
    assert referral.first_name == "Zoë"


@pytest.mark.django_db
def test_correcting_a_name_links_the_contact_to_the_same_person_s_other_contacts(client, triager):
    earlier = submitted_referral(**{**ORIGINAL, "first_name": "Łukasz"})
    referral = submitted_referral(**ORIGINAL)
    assert not referral.has_same_person
    sign_in(client, triager)
    _correct(client, referral, first_name="Lukasz")
    referral.refresh_from_db()
    assert referral.has_same_person and referral.is_repeat
    assert referral.match_name == "lukasz|testperson"
    keys = LinkKey.objects.filter(referral=referral, kind=LinkKey.Kind.PERSON)
    assert keys.count() == 1
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert earlier.reference in page


@pytest.mark.django_db
def test_a_decision_s_outcome_and_reasons_are_corrected_with_the_original_kept(client, triager):
    referral = triage.referral_claim(referral=submitted_referral(**ORIGINAL), user=triager)
    triage.referral_decide(
        referral=referral,
        user=triager,
        contact_outcome="nfa",
        rationale="Advice given to the school.",
    )
    sign_in(client, triager)
    url = reverse("referral_correct_decision", args=[referral.reference])
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            "contact_outcome": "early_help",
            "decision_rationale": "Early help: the family agreed.",
            "reason": REASON,
        },
    )
    referral.refresh_from_db()
    assert referral.contact_outcome == "early_help"
    assert referral.decision_rationale == "Early help: the family agreed."
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Contact outcome: No further action → Early help" in page
    assert "Advice given to the school." in page  # the original reasons, in the chronology


@pytest.mark.django_db
def test_an_undecided_referral_has_no_decision_to_correct(client, triager):
    referral = submitted_referral()
    sign_in(client, triager)
    response = client.get(reverse("referral_correct_decision", args=[referral.reference]))
    assert response.status_code == 302
    assert not Correction.objects.exists()


@pytest.mark.django_db
def test_the_referral_pdf_shows_the_corrected_values_and_the_originals(
    client, triager, django_capture_on_commit_callbacks
):
    referral = submitted_referral(**ORIGINAL)
    sign_in(client, triager)
    _correct(client, referral, first_name="Zoey", address_line_1="21 Imaginary Road")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export_create", args=[referral.reference]))
    export = Export.objects.get(referral=referral)
    assert export.state == ExportState.READY, export.error
    response = client.get(reverse("export_download", args=[referral.reference, export.pk]))
    text = flat(pdf_text(downloaded_bytes(response)))
    assert "Zoey Testperson" in text
    assert "Corrections" in text
    # The corrections table (its cells wrap) and the chronology, with the originals.
    table = text[text.index("Corrections The details above") : text.index("Chronology")]
    assert "Zoë" in table and "12 Imaginary Road" in table and "21 Imaginary Road" in table
    assert "First name: Zoë → Zoey" in text
    assert "Address line 1: 12 Imaginary Road → 21 Imaginary Road" in text
    assert REASON in text


@pytest.mark.django_db
def test_only_triage_corrects(client, practitioner):
    referral = submitted_referral(author=practitioner, **ORIGINAL)
    sign_in(client, practitioner)
    assert _correct(client, referral, first_name="Zoey").status_code == 404
    assert Referral.objects.get(pk=referral.pk).first_name == "Zoë"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_refuses_to_change_a_correction(client, triager):
    require_postgres()
    referral = submitted_referral(**ORIGINAL)
    sign_in(client, triager)
    _correct(client, referral, first_name="Zoey")
    correction = Correction.objects.get()
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        Correction.objects.filter(pk=correction.pk).update(previous_value="Rewritten")
    assert Correction.objects.get().previous_value == "Zoë"
