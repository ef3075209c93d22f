import pytest

from referrals.models import ApiClient, AuditEvent
from tests.factories import UserFactory, submitted_referral

pytestmark = pytest.mark.django_db


def _token_for(organisation):
    user = UserFactory(full_name="Øyvind Æsa", organisation=organisation)
    client = ApiClient(
        name="Zoë's MIS",
        organisation=organisation,
        accountable_person=user,
        scopes=[ApiClient.Scope.READ],
    )
    token = client.new_token()
    client.save()
    return {"Authorization": f"Bearer {token}"}


def test_a_client_reads_the_status_of_its_own_organisations_referral(client):
    referral = submitted_referral()
    headers = _token_for(referral.organisation)
    response = client.get(f"/api/v1/referrals/{referral.reference}/", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == referral.reference
    assert body["status"] == "submitted"
    assert body["outcome"] == ""
    assert AuditEvent.objects.filter(action="api.referral_read", referral=referral).exists()


def test_another_organisations_referral_is_a_404_problem_and_the_refusal_is_audited(client):
    referral = submitted_referral()
    headers = _token_for(UserFactory().organisation)
    response = client.get(f"/api/v1/referrals/{referral.reference}/", headers=headers)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert AuditEvent.objects.filter(
        action="api.referral_read", outcome=AuditEvent.Outcome.DENIED
    ).exists()
