from django.db import migrations

from indicators.catalogue_seed import ensure_first_catalogue


def seed(apps, schema_editor):
    ensure_first_catalogue(
        apps.get_model("indicators", "CatalogueVersion"), apps.get_model("indicators", "Indicator")
    )


def unseed(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(version__number=1).delete()
    apps.get_model("indicators", "CatalogueVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
