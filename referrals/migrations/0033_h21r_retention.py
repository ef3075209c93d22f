"""Retention (h21r): the retention classes (seeded with the defaults, to be confirmed by
the council), the due list, legal holds, destruction batches and the register's
tombstones; and the audit trail's one allowed update: after a destruction, the service
replaces an event's `detail` (and nothing else) in a transaction that has set
`portal.allow_audit_scrub = on`. DELETE and any other UPDATE stay refused."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

DEFAULT_CLASSES = [
    {
        "code": "contact-nfa",
        "name": "Contact with no further action",
        "trigger": "decision",
        "period_years": 6,
        "contact_outcomes": [
            "nfa",
            "advice",
            "early_help",
            "police",
            "other_council",
            "screening_not_required",
        ],
        "is_default": True,
        "notes": "Six years after the decision. Also every other decided contact that did not "
        "become a case (the default class).",
        "order": 1,
    },
    {
        "code": "case",
        "name": "Referral that became a case",
        "trigger": "decision",
        "period_years": 6,
        "until_age": 25,
        "contact_outcomes": ["referral", "open_case"],
        "notes": "Until the subject's 25th birthday or six years after the decision, whichever is "
        "later.",
        "order": 2,
    },
    {
        "code": "adult-safeguarding",
        "name": "Adult safeguarding",
        "trigger": "decision",
        "period_years": 6,
        "contact_outcomes": ["adult_safeguarding"],
        "notes": "Six years after the decision.",
        "order": 3,
    },
    {
        "code": "draft",
        "name": "Unsubmitted draft",
        "trigger": "draft_started",
        "period_days": 30,
        "notes": "Deleted automatically by the hourly drafts job after "
        "settings.DRAFT_RETENTION_DAYS (30); a draft under legal hold is kept.",
        "order": 4,
    },
    {
        "code": "export",
        "name": "Referral PDF export",
        "trigger": "export_made",
        "period_days": 7,
        "notes": "Deleted automatically by the hourly exports job after "
        "settings.EXPORT_RETENTION_DAYS (7).",
        "order": 5,
    },
]

AUDIT_SCRUB = """
CREATE OR REPLACE FUNCTION referrals_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND coalesce(current_setting('portal.allow_audit_scrub', true), '') = 'on'
        AND (to_jsonb(NEW) - 'detail') = (to_jsonb(OLD) - 'detail') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION referrals_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def seed_classes(apps, schema_editor):
    RetentionClass = apps.get_model("referrals", "RetentionClass")
    for values in DEFAULT_CLASSES:
        RetentionClass.objects.update_or_create(code=values["code"], defaults=values)


def allow_scrub(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(AUDIT_SCRUB, params=None)


def refuse_scrub(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0032_h22c_api_scopes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DestructionBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("dry_run", "Dry run: not yet approved"),
                            ("destroyed", "Approved and destroyed"),
                        ],
                        default="dry_run",
                        max_length=10,
                    ),
                ),
                ("referral_ids", models.JSONField(default=list)),
                ("counts", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("approved_at", models.DateTimeField(blank=True, null=True)),
                (
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "destruction batches",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="RetentionClass",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=150)),
                (
                    "trigger",
                    models.CharField(
                        choices=[
                            ("decision", "The decision on the contact"),
                            ("draft_started", "The draft was started (deleted automatically)"),
                            ("export_made", "The PDF was made (deleted automatically)"),
                        ],
                        max_length=16,
                    ),
                ),
                ("period_years", models.PositiveSmallIntegerField(default=0)),
                ("period_days", models.PositiveSmallIntegerField(default=0)),
                ("until_age", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("contact_outcomes", models.JSONField(blank=True, default=list)),
                ("is_default", models.BooleanField(default=False)),
                ("notes", models.TextField(blank=True)),
                ("order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "verbose_name_plural": "retention classes",
                "ordering": ["order", "code"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_default", True)),
                        fields=("is_default",),
                        name="one_default_class",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RetentionDue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("due_on", models.DateField()),
                ("listed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "referral",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="retention_due",
                        to="referrals.referral",
                    ),
                ),
                (
                    "retention_class",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referrals.retentionclass",
                    ),
                ),
            ],
            options={
                "ordering": ["due_on", "referral_id"],
            },
        ),
        migrations.CreateModel(
            name="Tombstone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reference", models.CharField(max_length=20, unique=True)),
                ("submitted_at", models.DateTimeField(blank=True, null=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("due_on", models.DateField()),
                ("destroyed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("counts", models.JSONField(blank=True, default=dict)),
                (
                    "approved_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tombstones",
                        to="referrals.destructionbatch",
                    ),
                ),
                (
                    "referral",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="tombstone",
                        to="referrals.referral",
                    ),
                ),
                (
                    "retention_class",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referrals.retentionclass",
                    ),
                ),
            ],
            options={
                "ordering": ["-destroyed_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="LegalHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField()),
                ("placed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("lifted_at", models.DateTimeField(blank=True, null=True)),
                ("lift_reason", models.TextField(blank=True)),
                (
                    "lifted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "placed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="legal_holds",
                        to="referrals.referral",
                    ),
                ),
            ],
            options={
                "ordering": ["-placed_at", "-id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("reason", ""), _negated=True),
                        name="legal_hold_has_reason",
                    )
                ],
            },
        ),
        migrations.RunPython(seed_classes, migrations.RunPython.noop),
        migrations.RunPython(allow_scrub, refuse_scrub),
    ]
