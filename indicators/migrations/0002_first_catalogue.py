from django.db import migrations

from indicators.catalogue_seed import FIRST_CATALOGUE


def seed(apps, schema_editor):
    CatalogueVersion = apps.get_model("indicators", "CatalogueVersion")
    Indicator = apps.get_model("indicators", "Indicator")
    version = CatalogueVersion.objects.create(
        number=1, change_summary="First catalogue: the guide's ten warning signs"
    )
    orders: dict[str, int] = {}
    for code, wording, guidance, audience, group in FIRST_CATALOGUE:
        orders[group] = orders.get(group, 0) + 1
        Indicator.objects.create(
            version=version,
            code=code,
            wording=wording,
            guidance=guidance,
            audience=audience,
            group=group,
            order=orders[group],
        )


def unseed(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(version__number=1).delete()
    apps.get_model("indicators", "CatalogueVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
