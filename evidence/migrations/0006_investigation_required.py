import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0005_one_investigation_for_existing_records"),
        ("investigations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidenceitem",
            name="investigation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evidence_items",
                to="investigations.investigation",
                verbose_name="investigation",
            ),
        ),
        migrations.RemoveConstraint(model_name="evidenceitem", name="evidence_sha256_unique"),
        migrations.AddConstraint(
            model_name="evidenceitem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("sha256", ""), _negated=True),
                fields=("investigation", "sha256"),
                name="evidence_sha256_unique_per_investigation",
                violation_error_message="This file is already evidence in this investigation.",
            ),
        ),
    ]
