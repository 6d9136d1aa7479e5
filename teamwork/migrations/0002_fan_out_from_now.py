"""Watchers are told of changes from the moment this app is installed, not of the whole
history before it."""

from django.db import migrations


def start_at_head(apps, schema_editor):
    head = apps.get_model("corroborate", "HistoryHead").objects.filter(pk=1).first()
    apps.get_model("teamwork", "FanOut").objects.update_or_create(
        pk=1, defaults={"seq": head.seq if head else 0}
    )


class Migration(migrations.Migration):
    dependencies = [("teamwork", "0001_initial"), ("corroborate", "0001_initial")]

    operations = [migrations.RunPython(start_at_head, migrations.RunPython.noop)]
