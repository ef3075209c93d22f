"""Destruction works from explicit lists (referrals/retention/services.py), so that a
model added later is never forgotten silently: every foreign key to Referral in the
project, and every field of the referral row, must be named there."""

from django.apps import apps

from referrals.models import Referral
from referrals.retention.services import CHILDREN, REFERRAL_CLEARED, REFERRAL_KEPT


def _foreign_keys_to_referral() -> set[tuple[str, str]]:
    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is Referral
    }


def test_every_foreign_key_to_a_referral_is_covered_by_the_destruction_service():
    missing = _foreign_keys_to_referral() - set(CHILDREN)
    assert not missing, (
        "Models with a foreign key to Referral that destruction does not cover; add each "
        f"to CHILDREN in referrals/retention/services.py: {sorted(missing)}"
    )


def test_the_destruction_service_names_no_foreign_key_that_does_not_exist():
    assert set(CHILDREN) - _foreign_keys_to_referral() == set()


def test_every_field_of_the_referral_row_is_either_cleared_or_kept_on_purpose():
    fields = {f.name for f in Referral._meta.concrete_fields}
    assert fields - set(REFERRAL_CLEARED) - set(REFERRAL_KEPT) == set()
    assert set(REFERRAL_CLEARED) & set(REFERRAL_KEPT) == set()
    assert set(REFERRAL_CLEARED) | set(REFERRAL_KEPT) <= fields
