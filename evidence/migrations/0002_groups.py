"""Create the Researchers and Reviewers groups with exactly their permissions.

Researchers create and edit claims, claimants, attributions, denials, sources, tags,
evidence and links; they cannot delete claims, claimants or evidence, and cannot review.
Reviewers hold all of that plus the permission to review evidence.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RESEARCHER_PERMISSIONS = {
    "claims": {
        "claim": ("add", "change", "view"),
        "claimant": ("add", "change", "view"),
        "tag": ("add", "change", "view"),
        "source": ("add", "change", "delete", "view"),
        "attribution": ("add", "change", "delete", "view"),
        "denial": ("add", "change", "delete", "view"),
    },
    "evidence": {
        "evidenceitem": ("add", "change", "view"),
        "evidencelink": ("add", "change", "delete", "view"),
    },
}
REVIEWER_EXTRA = [("evidence", "review_evidenceitem")]


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    researcher_perms = [
        _permission(apps, app_label, f"{action}_{model}")
        for app_label, models in RESEARCHER_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    reviewer_perms = researcher_perms + [
        _permission(apps, app_label, codename) for app_label, codename in REVIEWER_EXTRA
    ]
    researchers, _ = Group.objects.get_or_create(name="Researchers")
    researchers.permissions.set(researcher_perms)
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.set(reviewer_perms)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Researchers", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0001_initial"),
        ("evidence", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
