"""Existing records go into one investigation, and the Researchers and Reviewers become its
researchers and reviewers, so that nobody loses what they could see and do.

Nothing is created on a database with no records and no group members: a new instance
starts with no investigation, and its first one is made by a person.
"""

from django.db import migrations

ROLE_OF_GROUP = {"Researchers": "researcher", "Reviewers": "reviewer"}
RANK = ["viewer", "researcher", "reviewer", "lead"]


def forwards(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    EvidenceItem = apps.get_model("evidence", "EvidenceItem")
    Investigation = apps.get_model("investigations", "Investigation")
    Membership = apps.get_model("investigations", "Membership")
    Group = apps.get_model("auth", "Group")

    roles: dict[int, str] = {}
    for group in Group.objects.filter(name__in=ROLE_OF_GROUP):
        role = ROLE_OF_GROUP[group.name]
        for user_id in group.user_set.values_list("pk", flat=True):
            if RANK.index(role) > RANK.index(roles.get(user_id, "viewer")):
                roles[user_id] = role
    if not (roles or Claim.objects.exists() or EvidenceItem.objects.exists()):
        return
    investigation = Investigation.objects.create(
        name="First investigation",
        slug="first",
        description="Everything recorded before this instance had investigations.",
    )
    Claim.objects.filter(investigation__isnull=True).update(investigation=investigation)
    EvidenceItem.objects.filter(investigation__isnull=True).update(investigation=investigation)
    Membership.objects.bulk_create(
        Membership(investigation=investigation, user_id=user_id, role=role)
        for user_id, role in sorted(roles.items())
    )
    # What importers remember is kept per investigation from now on (claims.services).
    for model, field in (("ImportedFrom", "key"), ("PendingRelation", "target_key")):
        for row in apps.get_model("claims", model).objects.all():
            if not getattr(row, field).startswith("uuid:"):
                setattr(row, field, f"{investigation.pk}:{getattr(row, field)}")
                row.save(update_fields=[field])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("claims", "0003_investigation"),
        ("evidence", "0004_investigation"),
        ("investigations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
