"""Scopes (issue 22): every endpoint needs one, a token without it gets a 403 problem
document naming it, and the OpenAPI document says which scope each operation needs."""

import importlib

import pytest
from django.apps import apps

from referrals.models import Addendum, ApiClient, Referral
from tests.factories import submitted_referral

pytestmark = pytest.mark.django_db
Scope = ApiClient.Scope


def _token(referral, scopes):
    client = ApiClient(
        name="Øyvind Academy MIS",
        organisation=referral.organisation,
        accountable_person=referral.author,
        scopes=list(scopes),
    )
    token = client.new_token()
    client.save()
    return {"Authorization": f"Bearer {token}"}


def _calls(referral):
    reference = referral.reference
    return {
        Scope.CHECKLIST: ("get", "/api/v1/checklist/", None),
        Scope.READ: ("get", f"/api/v1/referrals/{reference}/", None),
        Scope.SUBMIT: ("post", "/api/v1/referrals/", {"danger": {"immediate_danger": "no"}}),
        Scope.ADDENDA: ("post", f"/api/v1/referrals/{reference}/addenda/", {"body": "Zoë"}),
    }


def _call(client, method, url, body, headers):
    if method == "get":
        return client.get(url, headers=headers)
    return client.post(url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("scope", [Scope.CHECKLIST, Scope.READ, Scope.SUBMIT, Scope.ADDENDA])
def test_a_token_with_every_scope_but_the_one_needed_gets_a_403_naming_it(client, scope):
    referral = submitted_referral()
    headers = _token(referral, [s for s in Scope if s != scope])
    method, url, body = _calls(referral)[scope]
    response = _call(client, method, url, body, headers)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert scope.value in response.json()["detail"]
    assert Referral.objects.count() == 1
    assert not Addendum.objects.exists()


def test_a_token_with_no_scopes_is_refused_everywhere_and_each_scope_opens_its_endpoint(client):
    referral = submitted_referral()
    none = _token(referral, [])
    for method, url, body in _calls(referral).values():
        assert _call(client, method, url, body, none).status_code == 403
    for scope, (method, url, body) in _calls(referral).items():
        response = _call(client, method, url, body, _token(referral, [scope]))
        assert response.status_code != 403, (scope, response.json())


def test_the_openapi_document_names_each_operations_scope(client):
    schema = client.get("/api/v1/schema/", headers={"Accept": "application/json"}).json()
    needed = {
        (path, method): operation["security"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert needed[("/api/v1/checklist/", "get")] == [{"bearerAuth": ["checklist:read"]}]
    assert needed[("/api/v1/referrals/", "post")] == [{"bearerAuth": ["referrals:submit"]}]
    assert needed[("/api/v1/referrals/{reference}/", "get")] == [{"bearerAuth": ["referrals:read"]}]
    assert needed[("/api/v1/referrals/{reference}/addenda/", "post")] == [
        {"bearerAuth": ["addenda:write"]}
    ]
    scheme = schema["components"]["securitySchemes"]["bearerAuth"]
    for scope in Scope:
        assert scope.value in scheme["description"]


def test_clients_registered_before_scopes_keep_what_they_could_do_but_attachments():
    migration = importlib.import_module("referrals.migrations.0032_h22c_api_scopes")
    referral = submitted_referral()
    unscoped = ApiClient(
        name="Old MIS", organisation=referral.organisation, accountable_person=referral.author
    )
    unscoped.new_token()
    unscoped.save()
    submitting = ApiClient(
        name="Old submitter",
        organisation=referral.organisation,
        accountable_person=referral.author,
        scopes=["referrals:submit"],
    )
    submitting.new_token()
    submitting.save()
    migration.grant_existing_clients(apps, None)
    unscoped.refresh_from_db()
    submitting.refresh_from_db()
    assert unscoped.scopes == [
        "referrals:submit",
        "referrals:read",
        "checklist:read",
        "addenda:write",
    ]
    assert submitting.scopes == ["referrals:submit", "addenda:write"]
