"""Make the audit trail append-only in the database itself (PostgreSQL, the production
database), so that a bug or a compromised application account cannot rewrite who saw
what. UPDATE and DELETE are always refused. TRUNCATE is refused too, unless the session
has set `portal.allow_audit_truncate = on`: only the test suite's database flush does."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION referrals_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION referrals_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('portal.allow_audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (TRUNCATE refused)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referrals_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON referrals_auditevent
    FOR EACH ROW EXECUTE FUNCTION referrals_auditevent_append_only();
CREATE TRIGGER referrals_auditevent_no_truncate
    BEFORE TRUNCATE ON referrals_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION referrals_auditevent_no_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS referrals_auditevent_no_truncate ON referrals_auditevent;
DROP TRIGGER IF EXISTS referrals_auditevent_no_update_delete ON referrals_auditevent;
DROP FUNCTION IF EXISTS referrals_auditevent_no_truncate();
DROP FUNCTION IF EXISTS referrals_auditevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
