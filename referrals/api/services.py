"""The API's reads and writes. Each is audited with the calling client's identity."""

from django.db import transaction

from indicators.models import CatalogueVersion
from referrals.audit import audit_record
from referrals.models import ApiClient


@transaction.atomic
def checklist_read(*, client: ApiClient, request=None) -> dict:
    version = CatalogueVersion.objects.current()
    audit_record(
        action="api.checklist_read",
        request=request,
        actor=client.accountable_person,
        obj=client,
        detail={"api_client": client.pk, "version": version.number if version else None},
    )
    if version is None:
        return {"version": 0, "indicators": []}
    indicators = version.indicators.filter(active=True).order_by("group", "order")
    return {
        "version": version.number,
        "indicators": [
            {"code": i.code, "wording": i.wording, "group": i.group, "audience": i.audience}
            for i in indicators
        ],
    }
