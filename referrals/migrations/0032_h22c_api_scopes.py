"""Scopes are enforced from h22c on. Clients registered before could call every
endpoint whatever their scopes: keep what they could do (submit, read, the checklist
and, as "referrals:submit" then included it, adding information), except the new
attachments scope, which an administrator grants deliberately."""

from django.db import migrations

BEFORE = ["referrals:submit", "referrals:read", "checklist:read", "addenda:write"]


def grant_existing_clients(apps, schema_editor):
    ApiClient = apps.get_model("referrals", "ApiClient")
    for client in ApiClient.objects.all():
        scopes = list(client.scopes or [])
        wanted = scopes or BEFORE
        if "referrals:submit" in wanted and "addenda:write" not in wanted:
            wanted = [*wanted, "addenda:write"]
        if wanted != scopes:
            client.scopes = wanted
            client.save(update_fields=["scopes"])


class Migration(migrations.Migration):
    dependencies = [("referrals", "0031_name_search_trigram_indexes")]

    operations = [migrations.RunPython(grant_existing_clients, migrations.RunPython.noop)]
