"""Claims get a search document (core.search), filled for the claims there are, and on
PostgreSQL the two indexes that serve search: words and substrings."""

from django.db import migrations, models

# On PostgreSQL the document's word vector is a stored generated column beside it
# (core.search reads `<document>_words`), so that matching a phrase re-reads the stored
# vector instead of parsing the text again, with a GIN index; and a trigram index serves
# substrings. tests/claims/test_search.py checks that the plans use both.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE claims_claim ADD COLUMN search_text_words tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('simple'::regconfig, regexp_replace(search_text, '([{CJK}])', ' \\1 ', 'g')))"
    " STORED",
    "CREATE INDEX claim_search_words ON claims_claim USING gin (search_text_words)",
    "CREATE INDEX claim_search_substrings ON claims_claim USING gin (search_text gin_trgm_ops)",
]
POSTGRESQL_UNDONE = [
    "DROP INDEX claim_search_substrings",
    "ALTER TABLE claims_claim DROP COLUMN search_text_words",
]


def fill(apps, schema_editor):
    """The documents as claims_search_refresh() writes them, 500 claims at a time."""
    Claim = apps.get_model("claims", "Claim")
    models_named = [apps.get_model("claims", name) for name in ("Attribution", "Denial")]
    Source = apps.get_model("claims", "Source")
    ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        texts = {pk: [] for pk in chunk}
        for claim_id, outlet, title in Source.objects.filter(claim_id__in=chunk).values_list(
            "claim_id", "outlet", "title"
        ):
            texts[claim_id] += [outlet, title]
        for model in models_named:
            for claim_id, name in model.objects.filter(claim_id__in=chunk).values_list(
                "claim_id", "claimant__name"
            ):
                texts[claim_id].append(name)
        tagged = Claim.tags.through.objects.filter(claim_id__in=chunk)
        for claim_id, name in tagged.values_list("claim_id", "tag__name"):
            texts[claim_id].append(name)
        claims = list(Claim.objects.filter(pk__in=chunk).only("statement", "details"))
        for claim in claims:
            parts = [claim.statement, claim.details, *texts[claim.pk]]
            text = "\n".join(part.casefold() for part in parts if part)
            claim.search_text = text.translate(str.maketrans("<>", "  "))
        Claim.objects.bulk_update(claims, ["search_text"])


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
        ("claims", "0005_imported_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(indexes, no_indexes),
    ]
