"""Driving the practitioner's referral form through the test client, section by
section, as a browser would post it."""

from django.urls import reverse

VALID = {
    "danger": {"immediate_danger": "no"},
    "subject": {
        "subject_type": "child",
        "first_name": "Testa",
        "last_name": "Fictional",
        "known_as": "TF",
        "date_of_birth_0": "14",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2012",
        "sex": "Female",
        "address_line_1": "12 Imaginary Road",
        "town": "Testtown",
        "postcode": "ls1 4ap",
        "school_or_placement": "Testshire High School",
    },
    "network": {
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "30",
        "people-0-role": "suspected_exploiter",
        "people-0-name": "Invented Olderperson",
        "people-0-nickname": "Madeup",
        "people-0-phone": "07700 900123",
        "people-0-vehicle_registration": "ab12 cde",
    },
    "indicators": {
        "answer_cl-01": "yes",
        "detail_cl-01": "Out until 2am twice",
        "answer_cl-06": "no",
    },
    "consent": {"family_told": "yes", "consent_given": "yes"},
    "concern": {"concern": "Seen getting into unknown cars after school.", "first_hand": "first"},
    "referrer": {
        "referrer_name": "Pat Testteacher",
        "referrer_role": "Safeguarding lead",
        "referrer_organisation": "Testshire High School",
        "referrer_email": "pat.teacher@example.org",
        "referrer_phone": "01632 960001",
    },
}


def section_url(referral, section: str) -> str:
    return reverse("referral_section", args=[referral.public_id, section])


def post_section(
    client, referral, section: str, data: dict | None = None, button: str = "continue"
):
    payload = dict(VALID[section] if data is None else data)
    payload[button] = ""
    return client.post(section_url(referral, section), payload)


def start_draft(client):
    from referrals.models import Referral

    response = client.post(reverse("referral_create"))
    assert response.status_code == 302
    return Referral.objects.order_by("-pk").first()


def complete_all_sections(client, referral, **overrides):
    for section in VALID:
        data = {**VALID[section], **overrides.get(section, {})}
        response = post_section(client, referral, section, data)
        assert response.status_code == 302, (section, response.content.decode()[:2000])
