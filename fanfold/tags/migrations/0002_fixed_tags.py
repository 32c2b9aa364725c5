"""AO3's fixed ratings, archive warnings and categories exist in every archive from the start."""

from django.db import migrations

from fanfold.tags.models import CATEGORIES, RATINGS, WARNINGS


def create_fixed_tags(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for type_, names in (("rating", RATINGS), ("warning", WARNINGS), ("category", CATEGORIES)):
        for name in names:
            Tag.objects.get_or_create(name=name, defaults={"type": type_})


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_initial")]
    operations = [migrations.RunPython(create_fixed_tags, migrations.RunPython.noop)]
