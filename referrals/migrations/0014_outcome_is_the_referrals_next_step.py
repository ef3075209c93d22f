"""`outcome` is now only the next step of a referral (s17 / s47) or the NRM route of
an earlier decision: the other old values are contact outcomes since 0013, so they are
cleared here where the contact outcome holds them (nothing is lost: 0013 mapped each
one, and the chronology's decision entry keeps the words shown at the time). The
reverse puts them back from the contact outcome."""

from django.db import migrations, models

KEPT = ("s17", "s47", "nrm")
# Reverse of CONTACT_OUTCOME_FOR_LEGACY_OUTCOME for the values cleared here.
LEGACY_FOR_CONTACT = {
    "nfa": "nfa",
    "early_help": "early_help",
    "police": "police",
    "adult_safeguarding": "adult_s42",
    "other_council": "transfer",
}


def clear_moved_outcomes(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    Referral.objects.exclude(outcome__in=("", *KEPT)).exclude(contact_outcome="").update(outcome="")


def restore_moved_outcomes(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    for contact, legacy in LEGACY_FOR_CONTACT.items():
        Referral.objects.filter(outcome="", contact_outcome=contact).update(outcome=legacy)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0013_contact_outcomes_from_decisions"),
    ]

    operations = [
        migrations.RunPython(clear_moved_outcomes, restore_moved_outcomes, elidable=True),
        migrations.AlterField(
            model_name="referral",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("s17", "Child-in-need assessment (section 17)"),
                    ("s47", "Child-protection strategy discussion (section 47)"),
                    ("nrm", "National Referral Mechanism referral by a first responder"),
                ],
                max_length=12,
            ),
        ),
    ]
