"""Changing the catalogue. A change never edits rows that referrals point at: it
publishes a new version holding every indicator, with the change applied."""

from django.db import transaction

from accounts.models import User
from indicators.models import CatalogueVersion, Indicator
from referrals.audit import audit_record

EDITABLE = ("wording", "guidance", "audience", "group", "order", "active")


@transaction.atomic
def catalogue_publish(
    *, user: User, changes: dict[str, dict], summary: str, request=None
) -> CatalogueVersion:
    """A new catalogue version: the current one with `changes` ({code: {field: value}})
    applied; a code not yet in the catalogue is added."""
    current = CatalogueVersion.objects.select_for_update().order_by("-number").first()
    version = CatalogueVersion.objects.create(
        number=current.number + 1, created_by=user, change_summary=summary[:300]
    )
    rows = {ind.code: ind for ind in current.indicators.all()}
    for code, fields in changes.items():
        row = rows.get(code) or Indicator(code=code)
        for name, value in fields.items():
            if name in EDITABLE:
                setattr(row, name, value)
        rows[code] = row
    for row in rows.values():
        row.pk = None
        row.version = version
    Indicator.objects.bulk_create(rows.values())
    audit_record(
        action="catalogue.published",
        actor=user,
        request=request,
        obj=version,
        detail={"version": version.number, "codes": sorted(changes)},
    )
    return version
