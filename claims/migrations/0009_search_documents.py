"""Claimants gets a search document (core.search): filled for the existing rows, and on
PostgreSQL a stored word vector with its index and a trigram index, as claims' 0006."""

from django.db import migrations, models

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
TABLE = "claims_claimant"
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"ALTER TABLE {TABLE} ADD COLUMN search_text_words tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('simple'::regconfig, regexp_replace(search_text, '([{CJK}])', ' \\1 ', 'g')))"
    " STORED",
    f"CREATE INDEX claimant_search_words ON {TABLE} USING gin (search_text_words)",
    f"CREATE INDEX claimant_search_substrings ON {TABLE} USING gin (search_text gin_trgm_ops)",
]
POSTGRESQL_UNDONE = [
    f"DROP INDEX claimant_search_substrings",
    f"ALTER TABLE {TABLE} DROP COLUMN search_text_words",
]
FIELDS = ("name", "aliases")


def fill(apps, schema_editor):
    """The documents as the model's clean() makes them."""
    model = apps.get_model("claims", "Claimant")
    batch = []
    for row in model.objects.only(*FIELDS).iterator(chunk_size=2000):
        text = "\n".join(getattr(row, f).casefold() for f in FIELDS if getattr(row, f))
        row.search_text = text.translate(str.maketrans("<>", "  "))
        batch.append(row)
        if len(batch) == 500:
            model.objects.bulk_update(batch, ["search_text"])
            batch = []
    model.objects.bulk_update(batch, ["search_text"])


def indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql)


def no_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL_UNDONE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0008_dashboard_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='claimant',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(indexes, no_indexes),
    ]
