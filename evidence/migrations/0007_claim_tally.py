"""Fill the evidence tally that claims now store (see evidence.tally), for the claims there
are: the same aggregate as claims_tally_refresh(), written with this migration's models."""

from django.db import migrations, models

WEIGHTS = {"weak": 1, "moderate": 2, "strong": 3}  # Strength.weight when this was written


def fill(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    EvidenceLink = apps.get_model("evidence", "EvidenceLink")
    weight = models.Case(
        *(models.When(strength=s, then=models.Value(w)) for s, w in WEIGHTS.items()),
        output_field=models.IntegerField(),
    )
    approved = models.Q(evidence__review_status="approved")
    supports, contradicts = models.Q(relation="supports"), models.Q(relation="contradicts")
    rows = (
        EvidenceLink.objects.values("claim_id")
        .annotate(
            supporting_weight=models.Sum(weight, filter=supports & approved, default=0),
            contradicting_weight=models.Sum(weight, filter=contradicts & approved, default=0),
            supporting_count=models.Count("pk", filter=supports),
            contradicting_count=models.Count("pk", filter=contradicts),
            latest_capture=models.Max("evidence__captured_from"),
        )
        .order_by("claim_id")
    )
    fields = list(rows.query.annotations)
    batch = []
    for row in rows.iterator(chunk_size=2000):
        batch.append(Claim(pk=row.pop("claim_id"), **row))
        if len(batch) == 500:
            Claim.objects.bulk_update(batch, fields)
            batch = []
    Claim.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_claim_tally"),
        ("evidence", "0006_investigation_required"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
