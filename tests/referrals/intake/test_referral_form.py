"""The practitioner's referral form, posted section by section as a browser does."""

import pytest
from django.urls import reverse

from referrals.models import AuditEvent, Notification, Referral, Status
from tests.auth import sign_in
from tests.factories import ReferralFactory
from tests.referral_journey import VALID, complete_all_sections, post_section, start_draft


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in(client, practitioner)


def test_starting_a_referral_needs_a_post_so_a_get_creates_nothing(signed_in):
    response = signed_in.get("/referrals/new/")
    assert response.status_code == 200
    assert "call 999 now" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_practitioner_completes_a_referral_to_the_confirmation_page(signed_in, practitioner):
    draft = start_draft(signed_in)
    complete_all_sections(signed_in, draft)
    check = signed_in.get(reverse("referral_check", args=[draft.public_id]))
    assert check.status_code == 200
    check_page = check.content.decode()
    assert "Check your answers" in check_page
    assert "Out until 2am twice" in check_page
    assert "Invented Olderperson" in check_page
    assert "Returning home late, staying out all night or going missing" in check_page
    response = signed_in.post(reverse("referral_check", args=[draft.public_id]), follow=True)
    referral = Referral.objects.get()
    assert referral.status == Status.SUBMITTED
    assert referral.reference.startswith("CL-")
    page = response.content.decode()
    assert referral.reference in page
    assert "within one working day" in page
    assert "call 999" in page
    assert referral.author == practitioner
    assert referral.decision_due_at is not None


def test_submission_stores_the_answers_people_and_normalised_values(signed_in):
    draft = start_draft(signed_in)
    complete_all_sections(signed_in, draft)
    signed_in.post(reverse("referral_check", args=[draft.public_id]))
    referral = Referral.objects.get()
    assert referral.postcode == "LS1 4AP"
    person = referral.people.get()
    assert person.phone == "+447700900123"
    assert person.vehicle_registration == "AB12CDE"
    answers = {a.indicator.code: a.answer for a in referral.answers.select_related("indicator")}
    assert answers == {"cl-01": "yes", "cl-06": "no"}
    assert referral.yes_count == 1


@pytest.mark.parametrize(
    "section,field,message",
    [
        ("danger", "immediate_danger", "Select yes if anyone is in immediate danger right now"),
        (
            "subject",
            "subject_type",
            "Select whether the referral is about a child or an adult at risk",
        ),
        ("subject", "sex", "Select their sex, or &#x27;Not known&#x27;"),
        ("subject", "last_name", "Enter their name, or a name they are known by"),
        ("subject", "approximate_age", "Enter their date of birth, or their approximate age"),
        ("indicators", "answer_cl-01", "Answer at least one of the warning signs"),
        ("consent", "family_told", "Select whether you have told the parents, carers or the adult"),
        ("consent", "consent_given", "Select whether they consented"),
        ("concern", "concern", "Describe your concern"),
        ("concern", "first_hand", "Select whether you saw or heard this yourself"),
        ("referrer", "referrer_name", "Enter your name"),
        ("referrer", "referrer_email", "Enter your work email address"),
    ],
)
def test_each_missing_required_answer_gives_a_field_error_and_keeps_the_input(
    signed_in, section, field, message
):
    draft = start_draft(signed_in)
    data = {k: v for k, v in VALID[section].items() if not k.startswith(field)}
    if section == "subject" and field == "last_name":
        data = {k: v for k, v in data.items() if k not in {"first_name", "known_as"}}
    if section == "subject" and field == "approximate_age":
        data = {k: v for k, v in data.items() if not k.startswith("date_of_birth")}
    if section == "indicators":
        data = {}
    response = post_section(signed_in, draft, section, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "govuk-error-summary" in page
    assert f'href="#id_{field}' in page
    for key, value in data.items():
        if key.endswith(("_0", "_1", "_2")) or not isinstance(value, str) or value in ("yes", "no"):
            continue
        assert value in page


def test_an_invalid_phone_number_is_explained_not_dropped(signed_in):
    draft = start_draft(signed_in)
    data = {**VALID["network"], "people-0-phone": "12345"}
    response = post_section(signed_in, draft, "network", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a phone number with the right number of digits" in page
    assert 'value="12345"' in page
    assert not draft.people.exists()


def test_an_invalid_postcode_gets_a_message(signed_in):
    draft = start_draft(signed_in)
    response = post_section(
        signed_in, draft, "subject", {**VALID["subject"], "postcode": "NOT A CODE"}
    )
    assert response.status_code == 400
    assert "Enter a full UK postcode" in response.content.decode()
    assert 'value="NOT A CODE"' in response.content.decode()


def test_a_date_of_birth_in_the_future_is_refused(signed_in):
    draft = start_draft(signed_in)
    data = {**VALID["subject"], "date_of_birth_2": "2099"}
    response = post_section(signed_in, draft, "subject", data)
    assert response.status_code == 400
    assert "Date of birth must be in the past" in response.content.decode()


def test_the_urgent_path_records_police_called_and_marks_the_referral_urgent(signed_in):
    draft = start_draft(signed_in)
    missing_police = post_section(signed_in, draft, "danger", {"immediate_danger": "yes"})
    assert missing_police.status_code == 400
    page = missing_police.content.decode()
    assert "Call 999 now" in page
    assert "Select yes if the police have been called" in page
    complete_all_sections(
        signed_in,
        draft,
        danger={"immediate_danger": "yes", "police_called": "yes", "police_reference": "LOG-4471"},
    )
    signed_in.post(reverse("referral_check", args=[draft.public_id]))
    referral = Referral.objects.get()
    assert referral.is_urgent is True
    assert referral.police_called is True
    assert referral.police_reference == "LOG-4471"
    assert referral.claim_due_at is not None
    page = signed_in.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "LOG-4471" in page
    assert Notification.objects.filter(referral=referral, kind="new_referral", urgent=True).exists()


def test_a_double_post_of_the_final_step_creates_one_referral(signed_in):
    draft = start_draft(signed_in)
    complete_all_sections(signed_in, draft)
    url = reverse("referral_check", args=[draft.public_id])
    first = signed_in.post(url)
    second = signed_in.post(url)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Referral.objects.count() == 1
    assert Notification.objects.filter(kind="new_referral").count() == len(
        __import__("django.conf", fromlist=["settings"]).settings.INTAKE_MAILBOXES
    )
    assert AuditEvent.objects.filter(action="referral.submitted").count() == 1


def test_submitting_an_incomplete_draft_sends_the_practitioner_back_to_the_sections(signed_in):
    draft = start_draft(signed_in)
    post_section(signed_in, draft, "danger")
    response = signed_in.post(reverse("referral_check", args=[draft.public_id]), follow=True)
    assert "Complete every section before you submit" in response.content.decode()
    assert Referral.objects.get().status == Status.DRAFT


HOSTILE = [
    '<script>alert("x")</script>',
    "Zoë said 🙂 she is fine",
    "النص العربي من اليمين إلى اليسار",
    "x" * 9_000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_and_shown_escaped(signed_in, text):
    draft = start_draft(signed_in)
    complete_all_sections(signed_in, draft, concern={"concern": text, "first_hand": "first"})
    signed_in.post(reverse("referral_check", args=[draft.public_id]))
    referral = Referral.objects.get()
    assert referral.concern == text
    page = signed_in.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "<script>alert" not in page
    if text.startswith("<script>"):
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    else:
        assert text in page


def test_nul_bytes_and_overlong_text_get_messages_not_server_errors(signed_in):
    draft = start_draft(signed_in)
    nul = post_section(
        signed_in, draft, "concern", {"concern": "bad\x00byte", "first_hand": "first"}
    )
    assert nul.status_code == 400
    assert "Null characters are not allowed" in nul.content.decode()
    overlong = post_section(
        signed_in, draft, "concern", {"concern": "y" * 20_000, "first_hand": "first"}
    )
    assert overlong.status_code == 400
    assert "at most 10000 characters" in overlong.content.decode()
    long_name = post_section(
        signed_in, draft, "subject", {**VALID["subject"], "first_name": "n" * 500}
    )
    assert long_name.status_code == 400


def test_posting_extra_fields_changes_nothing_they_do_not_declare(signed_in, other_practitioner):
    draft = start_draft(signed_in)
    data = {
        **VALID["danger"],
        "status": "decided",
        "author": str(other_practitioner.pk),
        "organisation": str(other_practitioner.organisation_id),
        "assigned_to": str(other_practitioner.pk),
        "outcome": "nfa",
        "reference": "CL-1999-000001",
    }
    post_section(signed_in, draft, "danger", data)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.author != other_practitioner
    assert draft.assigned_to is None
    assert draft.outcome == ""
    assert draft.reference is None


@pytest.mark.parametrize("section", list(VALID))
@pytest.mark.parametrize("poison", ["\x00", "🙂" * 5000, "\u202eevil\u202c", "' OR 1=1 --"])
def test_no_section_answers_hostile_input_with_a_server_error(signed_in, section, poison):
    draft = start_draft(signed_in)
    data = {
        key: (poison if not key.endswith("FORMS") else value)
        for key, value in VALID[section].items()
    }
    response = post_section(signed_in, draft, section, data)
    assert response.status_code in (302, 400)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_saving_for_later_keeps_every_valid_answer_when_one_is_in_the_wrong_format(
    client, practitioner
):
    """The session-timeout warning saves the draft with "Save and come back later": an
    impossible date must not cost the rest of what was typed."""
    draft = ReferralFactory(author=practitioner, first_name="", known_as="")
    sign_in(client, practitioner)
    response = client.post(
        reverse("referral_section", args=[draft.public_id, "subject"]),
        {
            "later": "",
            "first_name": "Zoë",
            "known_as": "Łukasz's friend",
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",
            "date_of_birth_2": "2011",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Date of birth must be a real date" in page
    assert "Your other answers have been saved" in page
    draft.refresh_from_db()
    assert (draft.first_name, draft.known_as) == ("Zoë", "Łukasz's friend")
