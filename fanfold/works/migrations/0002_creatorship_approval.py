import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Co-creators must accept: creatorships get an approval state. Every creatorship stored
    before this was added by the writer under the old rules and stays a full creator, so the
    column is filled with True first; new rows default to False (an invitation) so nothing
    becomes a creator without saying so."""

    dependencies = [
        ("works", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="creatorship",
            name="approved",
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name="creatorship",
            name="approved",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="creatorship",
            name="invited_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
