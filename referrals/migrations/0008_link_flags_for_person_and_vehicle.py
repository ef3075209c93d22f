"""Badges for every kind of link (issue 14): the same person (on both referrals, not
only the later) and a shared vehicle, set on the referrals already submitted."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def set_flags(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    LinkKey = apps.get_model("referrals", "LinkKey")
    for kind, flag in (("person", "has_same_person"), ("vehicle", "has_shared_vehicle")):
        partner = (
            LinkKey.objects.filter(kind=kind, value=OuterRef("value"))
            .exclude(referral=OuterRef("referral"))
            .exclude(referral__status="draft")
        )
        shared = LinkKey.objects.filter(kind=kind).filter(Exists(partner))
        Referral.objects.exclude(status="draft").filter(pk__in=shared.values("referral_id")).update(
            **{flag: True}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0007_notification_kind_claim_overdue"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="has_same_person",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="referral",
            name="has_shared_vehicle",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(set_flags, migrations.RunPython.noop, elidable=True),
    ]
