import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from referrals.models import ApiClient, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client_token(**fields):
    user = UserFactory(full_name="Zoë Łukasz")
    client = ApiClient(
        name="Æsa school MIS",
        organisation=user.organisation,
        accountable_person=user,
        scopes=[ApiClient.Scope.CHECKLIST],
        **fields,
    )
    token = client.new_token()
    client.save()
    return client, token


def test_the_checklist_lists_the_current_versions_codes_with_a_valid_token(client):
    api_client, token = _client_token()
    response = client.get("/api/v1/checklist/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.json()
    assert body["version"] >= 1
    assert body["indicators"] and {"code", "wording"} <= set(body["indicators"][0])
    assert AuditEvent.objects.filter(action="api.checklist_read").count() == 1
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None


def test_a_revoked_token_is_refused_with_a_problem_document(client):
    _, token = _client_token(revoked_at=timezone.now())
    response = client.get("/api/v1/checklist/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_an_unknown_token_and_no_token_are_both_401(client):
    assert (
        client.get("/api/v1/checklist/", headers={"Authorization": "Bearer nope"}).status_code
        == 401
    )
    assert client.get("/api/v1/checklist/").status_code == 401


def test_the_rate_limit_answers_429_with_retry_after(client, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    _, token = _client_token()
    original = SimpleRateThrottle.THROTTLE_RATES
    rates = {"api_client": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    from django.core.cache import cache

    cache.clear()
    try:
        headers = {"Authorization": f"Bearer {token}"}
        statuses = [client.get("/api/v1/checklist/", headers=headers) for _ in range(3)]
        assert [r.status_code for r in statuses] == [200, 200, 429]
        assert int(statuses[-1]["Retry-After"]) > 0
        assert statuses[-1]["Content-Type"] == "application/problem+json"
    finally:
        # The class attribute outlives the settings fixture: put the original back, or
        # every later API test in the run is limited to 2 a minute.
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()


def test_the_openapi_document_is_valid(client):
    response = client.get("/api/v1/schema/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    validate(response.json())


def test_the_docs_page_loads_its_scripts_from_the_portal_under_the_csp(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
