"""Match names and person link keys again for referrals whose names hold a letter
that folding used to drop (Ł, Ø, Æ, Þ, Đ, ı ...; issue 14), so that an earlier
'Łukasz' is found by a later 'Lukasz'. Uses the folding rules in referrals.normalise
as they are when it runs; only the referrals with such a letter are read."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q

from referrals import normalise

# The letters normalise.fold now transliterates (ß always case-folded to "ss").
LETTERS = "ŁłØøĐđÐðÆæŒœÞþẞıĦħŦŧŊŋĸſ"
DISPLAY = "Same name and date of birth"  # LinkKey.Kind.PERSON.label


def rekey(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    LinkKey = apps.get_model("referrals", "LinkKey")
    pattern = f"[{LETTERS}]"
    affected = Referral.objects.filter(
        Q(first_name__regex=pattern) | Q(last_name__regex=pattern) | Q(known_as__regex=pattern)
    ).exclude(status="draft")
    for referral in affected.iterator(chunk_size=1000):
        referral.match_name = normalise.match_name(referral.first_name, referral.last_name)
        referral.save(update_fields=["match_name"])
        LinkKey.objects.filter(referral=referral, kind="person").delete()
        keys = normalise.person_keys(
            referral.first_name, referral.last_name, referral.known_as, referral.date_of_birth
        )
        LinkKey.objects.bulk_create(
            [
                LinkKey(referral=referral, kind="person", value=key[:200], display=DISPLAY)
                for key in keys
            ]
        )
    partner = (
        LinkKey.objects.filter(kind="person", value=OuterRef("value"))
        .exclude(referral=OuterRef("referral"))
        .exclude(referral__status="draft")
    )
    shared = LinkKey.objects.filter(kind="person").filter(Exists(partner))
    Referral.objects.exclude(status="draft").filter(
        pk__in=shared.values("referral_id"), has_same_person=False
    ).update(has_same_person=True)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0010_source_anonymity_as_choices"),
    ]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
