"""Make the audit trail append-only in the database itself (PostgreSQL), so that a bug
or a compromised application account cannot rewrite who saw what."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION referrals_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referrals_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON referrals_auditevent
    FOR EACH ROW EXECUTE FUNCTION referrals_auditevent_append_only();
CREATE TRIGGER referrals_auditevent_no_truncate
    BEFORE TRUNCATE ON referrals_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION referrals_auditevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS referrals_auditevent_no_truncate ON referrals_auditevent;
DROP TRIGGER IF EXISTS referrals_auditevent_no_update_delete ON referrals_auditevent;
DROP FUNCTION IF EXISTS referrals_auditevent_append_only();
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER referrals_auditevent_no_update BEFORE UPDATE ON referrals_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER referrals_auditevent_no_delete BEFORE DELETE ON referrals_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS referrals_auditevent_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS referrals_auditevent_no_delete")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
