"""The source-anonymity answer as a choice (issue 14): "Not applicable" was coerced to
no answer and stored as NULL, so it showed as "Not given". Existing answers move over
(True -> "yes", False -> "no"); a NULL stays unanswered, since an old "Not applicable"
cannot be told from no answer."""

from django.db import migrations, models

TO_CHOICE = {True: "yes", False: "no"}
TO_BOOLEAN = {"yes": True, "no": False}


def to_choices(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    for old, new in TO_CHOICE.items():
        Referral.objects.filter(source_wants_anonymity=old).update(source_anonymity=new)


def to_booleans(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    for old, new in TO_BOOLEAN.items():
        Referral.objects.filter(source_anonymity=old).update(source_wants_anonymity=new)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0009_person_phone_without_help_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="source_anonymity",
            field=models.CharField(
                blank=True,
                choices=[("yes", "Yes"), ("no", "No"), ("na", "Not applicable")],
                max_length=3,
            ),
        ),
        migrations.RunPython(to_choices, to_booleans),
        migrations.RemoveField(model_name="referral", name="source_wants_anonymity"),
        migrations.RenameField(
            model_name="referral", old_name="source_anonymity", new_name="source_wants_anonymity"
        ),
    ]
