import uuid

import pytest

from referrals.models import Addendum, ApiClient
from tests.factories import submitted_referral

pytestmark = pytest.mark.django_db


def _headers_for_author(referral, **extra):
    client = ApiClient(
        name="Łukasz's MIS",
        organisation=referral.organisation,
        accountable_person=referral.author,
        scopes=[ApiClient.Scope.ADDENDA],
    )
    token = client.new_token()
    client.save()
    return {"Authorization": f"Bearer {token}", **extra}


def test_a_retried_post_with_the_same_idempotency_key_adds_the_information_once(client):
    referral = submitted_referral()
    headers = _headers_for_author(referral, **{"Idempotency-Key": str(uuid.uuid4())})
    url = f"/api/v1/referrals/{referral.reference}/addenda/"
    first = client.post(
        url, {"body": "Zoë was seen again"}, content_type="application/json", headers=headers
    )
    second = client.post(
        url, {"body": "Zoë was seen again"}, content_type="application/json", headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Addendum.objects.filter(referral=referral).count() == 1


def test_malformed_json_and_a_blank_body_are_problem_documents_not_500s(client):
    referral = submitted_referral()
    headers = _headers_for_author(referral)
    url = f"/api/v1/referrals/{referral.reference}/addenda/"
    malformed = client.post(url, "{not json", content_type="application/json", headers=headers)
    assert malformed.status_code == 400
    assert malformed["Content-Type"] == "application/problem+json"
    blank = client.post(url, {"body": "   "}, content_type="application/json", headers=headers)
    assert blank.status_code == 400
    assert "body" in blank.json()["errors"]
    wrong_type = client.post(url, {"body": ["a"]}, content_type="application/json", headers=headers)
    assert wrong_type.status_code == 400


def test_a_body_over_the_upload_limit_is_a_413_problem(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    referral = submitted_referral()
    url = f"/api/v1/referrals/{referral.reference}/addenda/"
    response = client.post(
        url,
        {"body": "Æ" * 2000},
        content_type="application/json",
        headers=_headers_for_author(referral),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
