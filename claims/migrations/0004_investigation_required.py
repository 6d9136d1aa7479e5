import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # After evidence's data migration has put every existing claim into an investigation.
    dependencies = [
        ("claims", "0003_investigation"),
        ("evidence", "0005_one_investigation_for_existing_records"),
        ("investigations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="claim",
            name="investigation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="investigations.investigation",
                verbose_name="investigation",
            ),
        ),
    ]
