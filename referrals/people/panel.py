"""The referral page's "Person record and network" panel (triage): links to the
person record the referral's subject belongs to and to the referral's network."""

from django.urls import reverse

from referrals import person_records
from referrals.models import Referral
from referrals.permissions import can_see_person_records


def people_panel_context(request, referral: Referral) -> dict:
    if not can_see_person_records(request.user) or referral.is_draft:
        return {}
    record = person_records.record_of(referral)
    return {
        "person_record_url": reverse("person_detail", args=[record.pk]) if record else "",
        "person_record_id": record.pk if record else None,
        "network_url": reverse("referral_network", args=[referral.reference]),
    }
