"""POST /api/v1/referrals/: the form's fields and rules, submitted as the client's
accountable person, once per Idempotency-Key."""

import copy

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import Role
from referrals.models import ApiClient, ApiIdempotencyKey, AuditEvent, Referral, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals/"

VALID = {
    "danger": {"immediate_danger": "yes", "police_called": True, "police_reference": "LOG-42"},
    "subject": {
        "subject_type": "child",
        "first_name": "Zoë",
        "last_name": "Øyvindsdóttir",
        "date_of_birth": "2012-03-14",
        "sex": "Female",
        "address_line_1": "12 Imaginary Road",
        "town": "Testtown",
        "postcode": "ls1 4ap",
    },
    "people": [{"role": "suspected_exploiter", "name": "Łukasz Inventedson"}],
    "indicators": [
        {"code": "cl-01", "answer": "yes", "detail": "Out until 2am twice"},
        {"code": "cl-06", "answer": "no"},
    ],
    "consent": {"family_told": "yes", "consent_given": "yes"},
    "concern": {"concern": "Seen getting into unknown cars after school.", "first_hand": "first"},
}


@pytest.fixture
def api_client(school):
    person = UserFactory(
        full_name="Æsa Testlead",
        email="aesa.lead@example.org",
        organisation=school,
        roles=[Role.PRACTITIONER],
    )
    api_client = ApiClient(
        name="Æsa school MIS",
        organisation=school,
        accountable_person=person,
        scopes=[ApiClient.Scope.SUBMIT],
    )
    api_client.token = api_client.new_token()
    api_client.save()
    return api_client


def _post(client, api_client, body, **headers):
    return client.post(
        URL,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_client.token}", **headers},
    )


def test_the_same_idempotency_key_twice_makes_one_referral_and_one_intake_email(
    client, api_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, api_client, VALID, **{"Idempotency-Key": "mis-0001"})
    with django_capture_on_commit_callbacks(execute=True):
        second = _post(client, api_client, VALID, **{"Idempotency-Key": "mis-0001"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    referral = Referral.objects.get()
    assert first.json()["reference"] == referral.reference
    assert referral.status == Status.SUBMITTED
    assert referral.author == api_client.accountable_person
    assert referral.organisation == api_client.organisation
    assert referral.immediate_danger == "yes" and referral.police_called is True
    assert referral.is_urgent
    assert referral.referrer_name == "Æsa Testlead"
    assert sorted(referral.answers.values_list("indicator__code", flat=True)) == [
        "cl-01",
        "cl-06",
    ]
    assert referral.people.get().name == "Łukasz Inventedson"
    intake = [m for m in mail.outbox if m.to == [settings.INTAKE_MAILBOXES[0]]]
    assert len(intake) == 1
    assert ApiIdempotencyKey.objects.filter(client=api_client, key="mis-0001").count() == 1
    assert AuditEvent.objects.filter(action="api.referral_created").count() == 1


def test_a_different_key_or_no_key_makes_another_referral(client, api_client):
    assert _post(client, api_client, VALID, **{"Idempotency-Key": "a"}).status_code == 201
    assert _post(client, api_client, VALID, **{"Idempotency-Key": "b"}).status_code == 201
    assert _post(client, api_client, VALID).status_code == 201
    assert Referral.objects.exclude(status=Status.DRAFT).count() == 3
    references = set(Referral.objects.values_list("reference", flat=True))
    assert len(references) == 3


def test_missing_answers_are_field_errors_and_nothing_is_kept(client, api_client):
    body = copy.deepcopy(VALID)
    body["subject"].pop("sex")
    body["concern"] = {}
    body["danger"]["police_called"] = None
    response = _post(client, api_client, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors["subject"]["sex"] == ["Select their sex, or 'Not known'"]
    assert errors["concern"]["concern"] == ["Describe your concern"]
    assert "police_called" in errors["danger"]
    assert not Referral.objects.exists()


def test_an_unknown_indicator_code_is_a_field_error(client, api_client):
    body = copy.deepcopy(VALID)
    body["indicators"].append({"code": "zz-99", "answer": "yes"})
    response = _post(client, api_client, body)
    assert response.status_code == 400
    assert "zz-99" in response.json()["errors"]["indicators"]
    assert not Referral.objects.exists()


def test_no_indicator_answered_is_the_forms_error(client, api_client):
    body = copy.deepcopy(VALID)
    body["indicators"] = [{"code": "cl-01", "answer": ""}]
    response = _post(client, api_client, body)
    assert response.status_code == 400
    assert response.json()["errors"]["indicators"]


def test_wrong_types_and_malformed_json_are_problem_documents(client, api_client):
    body = copy.deepcopy(VALID)
    body["subject"]["approximate_age"] = "twelve"
    body["indicators"] = "cl-01"
    response = _post(client, api_client, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "approximate_age" in errors["subject"] and "indicators" in errors
    malformed = _post(client, api_client, "{nope")
    assert malformed.status_code == 400
    assert malformed["Content-Type"] == "application/problem+json"
    bad_postcode = copy.deepcopy(VALID)
    bad_postcode["subject"]["postcode"] = "not a postcode"
    response = _post(client, api_client, bad_postcode)
    assert response.status_code == 400 and "postcode" in response.json()["errors"]["subject"]


def test_an_overlong_idempotency_key_is_refused(client, api_client):
    response = _post(client, api_client, VALID, **{"Idempotency-Key": "k" * 101})
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]


def test_without_a_token_nothing_is_created(client):
    response = client.post(URL, VALID, content_type="application/json")
    assert response.status_code == 401
    assert not Referral.objects.exists()


def test_a_future_date_observed_is_the_indicators_error_by_code(client, api_client):
    body = copy.deepcopy(VALID)
    body["indicators"][0]["observed_on"] = "2999-01-01"
    response = _post(client, api_client, body)
    assert response.status_code == 400
    assert response.json()["errors"]["indicators"]["cl-01"] == [
        "Date observed must be today or in the past"
    ]
